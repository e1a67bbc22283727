import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { GrafanaApiError, UsageError } from "../../src/grafana/errors";
import { checkBaseUrl, parseRetryAfter } from "../../src/grafana/http";
import { ManifestError, parseManifest } from "../../src/grafana/manifest";
import { MANAGED_TAG, containsJson, desiredDashboard, diffJson, normalizeRemoteDashboard, sameJson } from "../../src/grafana/plan";
import { Redactor } from "../../src/grafana/redact";

describe("Redactor", () => {
  const token = "glsa_AbCdEfGhIjKlMnOpQrStUvWxYz_012345";
  it("masks registered secrets wherever they appear, including URL-encoded and base64 basic auth", () => {
    const r = new Redactor().add(token, "p@ss word!").addBasicAuth("ci", "p@ss word!");
    const text = `a ${token} b ${encodeURIComponent("p@ss word!")} c ${Buffer.from("ci:p@ss word!").toString("base64")} d p@ss word!`;
    const out = r.redact(text);
    expect(out).not.toContain(token);
    expect(out).not.toContain("p@ss word!");
    expect(out).not.toContain(Buffer.from("ci:p@ss word!").toString("base64"));
    expect(out).toContain("a [REDACTED] b [REDACTED] c [REDACTED] d [REDACTED]");
  });
  it("masks token-shaped strings and Authorization values it was never told about", () => {
    const r = new Redactor();
    expect(r.redact("x glsa_unknownTokenValue123 y")).toBe("x [REDACTED] y");
    expect(r.redact('{"authorization":"Bearer abc.def-ghi"}')).toBe('{"authorization":"Bearer [REDACTED]"}');
    expect(r.redact("https://admin:hunter22@grafana.example/x")).toBe("https://admin:[REDACTED]@grafana.example/x");
  });
  it("cleans error messages and stacks in place", () => {
    const r = new Redactor().add(token);
    const e = r.redactError(new Error(`failed with ${token}`));
    expect(e.message).toBe("failed with [REDACTED]");
    expect(e.stack).not.toContain(token);
  });
  it("never lets a registered secret through, whatever surrounds it (property)", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 4 }), fc.string(), fc.string(), (secret, before, after) => {
        const out = new Redactor().add(secret).redact(before + secret + after);
        expect(out.includes(secret) && !("[REDACTED]".includes(secret))).toBe(false);
      }),
    );
  });
});

describe("URL checks", () => {
  it.each(["http://localhost:3000", "http://127.0.0.1:3000/grafana", "http://[::1]:3000", "https://grafana.example.com"])("accepts %s", (u) => {
    expect(() => checkBaseUrl(u, false)).not.toThrow();
  });
  it.each(["http://grafana.example.com", "http://10.0.0.1", "http://localhost.evil.com"])("refuses plain http to %s", (u) => {
    expect(() => checkBaseUrl(u, false)).toThrow(UsageError);
    expect(() => checkBaseUrl(u, true)).not.toThrow();
  });
  it("refuses other schemes and embedded credentials", () => {
    expect(() => checkBaseUrl("ftp://x", true)).toThrow(/http\(s\)/);
    expect(() => checkBaseUrl("https://u:p@x", false)).toThrow(/must not contain credentials/);
  });
  it("parses Retry-After as seconds or an HTTP date", () => {
    expect(parseRetryAfter("3")).toBe(3000);
    expect(parseRetryAfter(new Date(10_000 + 5000).toUTCString(), 10_000)).toBe(5000);
    expect(parseRetryAfter("soon")).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
  });
});

describe("error messages", () => {
  const msg = (status: number, body: unknown) => new GrafanaApiError("POST", "/api/dashboards/db", status, body, false).message;
  it("explains 401 by messageId", () => {
    expect(msg(401, { messageId: "api-key.revoked", message: "x", statusCode: 401 })).toMatch(/401 api-key\.revoked.*revoked/);
    expect(msg(401, { message: "Unauthorized" })).toMatch(/authentication failed \(401\)/);
  });
  it("names the missing permission from the access-control body", () => {
    expect(msg(403, { title: "Access denied", message: "You'll need additional permissions to perform this action. Permissions needed: folders:create", accessErrorId: "ACE1" })).toMatch(
      /lacks the permission folders:create/,
    );
    expect(msg(403, { message: "Access denied to save dashboard" })).toMatch(/permission denied \(403\).*Access denied to save dashboard/);
  });
  it("explains 412 and 409 conflicts", () => {
    expect(msg(412, { status: "version-mismatch", message: "The dashboard has been changed by someone else" })).toMatch(/changed by someone else/);
    expect(msg(412, { status: "name-exists", message: "x" })).toMatch(/same folder has this title/);
    expect(msg(409, { message: "exists" })).toMatch(/conflict \(409\)/);
  });
});

describe("plan", () => {
  it("adds the managed tag once and ignores id/version", () => {
    const desired = desiredDashboard({ uid: "u", title: "t", id: 4, version: 9, tags: ["a"] });
    expect(desired).toEqual({ uid: "u", title: "t", tags: ["a", MANAGED_TAG] });
    expect(desiredDashboard(desired).tags).toEqual(["a", MANAGED_TAG]);
    expect(desiredDashboard({ uid: "u", title: "t" }).tags).toEqual([MANAGED_TAG]);
    expect(sameJson(normalizeRemoteDashboard({ ...desired, id: 12, version: 3 }), desired)).toBe(true);
  });
  it("key order does not matter, array order does", () => {
    expect(sameJson({ a: 1, b: [1, 2] }, { b: [1, 2], a: 1 })).toBe(true);
    expect(sameJson({ a: [1, 2] }, { a: [2, 1] })).toBe(false);
  });
  it("diffs as JSON paths, capped", () => {
    const before = { title: "x", panels: [{ title: "a" }, { title: "b" }], "odd key": 1, gone: true };
    const after = { title: "y", panels: [{ title: "a" }, { title: "B" }, { title: "c" }], "odd key": 2, added: 1 };
    expect(diffJson(before, after)).toEqual([
      { op: "changed", path: "$.title" },
      { op: "changed", path: "$.panels[1].title" },
      { op: "added", path: "$.panels[2]" },
      { op: "changed", path: '$["odd key"]' },
      { op: "added", path: "$.added" },
      { op: "removed", path: "$.gone" },
    ]);
    expect(diffJson(before, after, 2)).toHaveLength(2);
    expect(diffJson(before, before)).toEqual([]);
  });
  it("diff is empty exactly when the values are equal (property)", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (a, b) => {
        expect(diffJson(a, b).length === 0).toBe(sameJson(a, b));
      }),
    );
  });
  it("containsJson ignores keys the server adds, nothing else", () => {
    expect(containsJson({ a: 1, id: 5, rules: [{ uid: "x", updated: "now" }] }, { a: 1, rules: [{ uid: "x" }] })).toBe(true);
    expect(containsJson({ a: 1, rules: [{ uid: "x" }, { uid: "y" }] }, { a: 1, rules: [{ uid: "x" }] })).toBe(false);
    expect(containsJson({ a: 2 }, { a: 1 })).toBe(false);
  });
});

describe("manifest", () => {
  const good = { folders: [{ uid: "p", title: "P" }, { uid: "c", title: "C", parentUid: "p" }], dashboards: [{ uid: "d", title: "D", folderUid: "c", file: "dashboards/d.json" }] };
  it("accepts a well-formed manifest", () => {
    expect(parseManifest(JSON.stringify(good), "m.json").dashboards[0]?.uid).toBe("d");
  });
  it("reports every problem with the file name", () => {
    const bad = {
      folders: [{ uid: "c", title: "C", parentUid: "p" }, { uid: "p", title: "P" }, { uid: "p", title: "again" }],
      dashboards: [
        { uid: "d", title: "D", folderUid: "nope", file: "dashboards/d.json" },
        { uid: "d", title: "D2", folderUid: "", file: "dashboards/d.json" },
      ],
    };
    let error: unknown;
    try {
      parseManifest(JSON.stringify(bad), "out/manifest.json");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ManifestError);
    const text = (error as Error).message;
    expect(text).toMatch(/^out\/manifest\.json is malformed/);
    expect(text).toContain('parent "p" must be listed before it');
    expect(text).toContain('folder uid "p" is listed twice');
    expect(text).toContain('folder "nope" is not in folders');
    expect(text).toContain('dashboard uid "d" is listed twice');
  });
  it("rejects bad shapes, uids and escaping paths", () => {
    expect(() => parseManifest("{", "m.json")).toThrow(/m\.json is malformed:\n {2}- not valid JSON/);
    expect(() => parseManifest(JSON.stringify({ folders: [] }), "m.json")).toThrow(/must have required property 'dashboards'/);
    expect(() => parseManifest(JSON.stringify({ ...good, dashboards: [{ ...good.dashboards[0], file: "../x.json" }] }), "m.json")).toThrow(/file must match pattern/);
    expect(() => parseManifest(JSON.stringify({ ...good, folders: [{ uid: "x".repeat(41), title: "t" }] }), "m.json")).toThrow(/uid must match pattern/);
  });
});
