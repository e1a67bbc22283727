import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Type-level tests (*.test-d.ts): each case fails on its own when a mistake stops being a type error.
    typecheck: { enabled: true, include: ["test/**/*.test-d.ts"], ignoreSourceErrors: true },
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
