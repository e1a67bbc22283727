// The helper other tests use to find Prometheus tools.

import { describe, expect, it } from "vitest";
import { INSTALL_HINT, requireTool } from "../support/prometheus";

describe("requireTool", () => {
  it("finds promtool and prometheus (installed on this machine and in CI)", () => {
    expect(requireTool("promtool")).toMatch(/promtool$/);
    expect(requireTool("prometheus")).toMatch(/prometheus$/);
  });

  it("fails with the install command when a tool is missing", () => {
    expect(() => requireTool("promtool-that-does-not-exist")).toThrow(INSTALL_HINT);
    expect(INSTALL_HINT).toBe("apt-get install -y prometheus");
  });
});
