import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { expectGolden } from "./golden";

const dir = mkdtempSync(join(tmpdir(), "moncode-golden-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("expectGolden", () => {
  it("fails on a missing golden and does not write it without the update flag", () => {
    const path = join(dir, "missing.json");
    expect(() => expectGolden(path, "{}", false)).toThrow(/missing golden file .*missing\.json: run the test with UPDATE_GOLDEN=1/);
    expect(existsSync(path)).toBe(false);
  });

  it("fails when the output differs from the golden", () => {
    const path = join(dir, "differs.yml");
    writeFileSync(path, "unit: bytes\n");
    expect(() => expectGolden(path, "unit: percent\n", false)).toThrow(/differs from the golden file/);
    expect(readFileSync(path, "utf8")).toBe("unit: bytes\n");
  });

  it("writes the golden (and its folder) only under the update flag", () => {
    const path = join(dir, "new", "written.yml");
    expectGolden(path, "a: 1\n", true);
    expect(readFileSync(path, "utf8")).toBe("a: 1\n");
  });
});
