/** The README's table of lint rules lists every rule with its kind and its default levels, and no other. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { LINT_PROFILE_LEVELS } from "../../core/import";
import { LINT_RULE_IDS, LINT_RULES, levelOf } from "../../core/lint";

const readme = readFileSync(join(__dirname, "..", "..", "README.md"), "utf8");
const rows = new Map([...readme.matchAll(/^\| `([a-z]+\/[a-z0-9-]+)` \| (\w+) \| (\w+) \| (\w+) \| (.+) \|$/gm)].map((m) => [m[1]!, m.slice(2)]));

describe("README lint rule table", () => {
  it("has exactly the rules of core/lint.ts", () => {
    expect([...rows.keys()].sort()).toEqual([...LINT_RULE_IDS].sort());
  });
  it.each(LINT_RULE_IDS)("%s: kind, stack and lint levels, summary", (id) => {
    const lintLevel = (LINT_PROFILE_LEVELS as Record<string, string>)[id] ?? levelOf(id, { profile: "lint" });
    expect(rows.get(id)).toEqual([LINT_RULES[id].kind, levelOf(id), lintLevel, LINT_RULES[id].summary]);
  });
});
