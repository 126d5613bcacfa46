/**
 * Golden files: a rendered artifact compared byte for byte with the copy committed under test/. A golden is
 * written only when UPDATE_GOLDEN=1 is set; a missing golden fails, so a deleted file can never turn the test into
 * a comparison of the output with itself.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { expect } from "vitest";

export const UPDATE_GOLDEN = process.env.UPDATE_GOLDEN === "1";

/** Compares `actual` with the golden at `path` (absolute); under UPDATE_GOLDEN=1 rewrites it first. */
export function expectGolden(path: string, actual: string, update = UPDATE_GOLDEN): void {
  if (update) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, actual);
  }
  if (!existsSync(path)) throw new Error(`missing golden file ${path}: run the test with UPDATE_GOLDEN=1 to write it, then review and commit it`);
  expect(actual, `differs from the golden file ${path} (UPDATE_GOLDEN=1 rewrites it)`).toBe(readFileSync(path, "utf8"));
}
