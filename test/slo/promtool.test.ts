/**
 * The generated SLO unit tests under the Go-built promtool 3.16: the shipped SLOs, SLOs of every SLI kind and
 * window, and overridden ones pass `promtool check rules` and `promtool test rules`; and the tests can fail: a rule
 * file with a wrong factor or wrong budget arithmetic fails exactly the tests that cover it.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RulePack } from "../../core/rules/model";
import { renderRulePackFiles, renderRuleTestFiles } from "../../core/rules/render";
import { buildRulePacks } from "../../rules";
import { tool } from "../helpers/tools";
import { CUSTOM_SLOS } from "./fixtures";

const PROMTOOL = tool("promtool");
const root = mkdtempSync(join(tmpdir(), "moncode-slo-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function write(dir: string, packs: readonly RulePack[]): { rules: string[]; tests: string[]; testsDir: string } {
  const put = (path: string, content: string): string => {
    const p = join(dir, path);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, content);
    return p;
  };
  const rules = renderRulePackFiles(packs).map((f) => put(f.path, f.content));
  const tests = renderRuleTestFiles(packs).map((f) => put(f.path, f.content).slice(join(dir, "prometheus/tests/").length));
  return { rules, tests, testsDir: join(dir, "prometheus/tests") };
}

function promtool(args: string[], cwd?: string): { status: number | null; out: string } {
  const r = spawnSync(PROMTOOL, args, { cwd, encoding: "utf8", timeout: 300_000 });
  if (r.error) throw new Error(`promtool could not run (${r.error.message})`);
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

const sloOnly = (packs: RulePack[]): RulePack[] => packs.filter((p) => p.name.startsWith("slo-"));

describe.each([
  ["the shipped SLOs", () => sloOnly(buildRulePacks())],
  ["SLOs of every kind over 7d, 28d and 30d", () => sloOnly(buildRulePacks({ slos: { shipped: false, custom: CUSTOM_SLOS } }))],
  [
    "shipped SLOs with overridden objective, window, threshold and alert for/severity",
    () =>
      sloOnly(buildRulePacks({
        slos: { overrides: { "api-latency": { objective: 99, threshold: 0.25, window: "7d" }, "api-availability": { objective: 99.5, window: "28d" } } },
        overrides: { ApiErrorsBudgetBurnFast: { for: "10m" }, ApiErrorsBudgetBurnSlow: { severity: "critical", for: "30m" } },
      })),
  ],
])("promtool on %s", (name, build) => {
  let out: ReturnType<typeof write> = { rules: [], tests: [], testsDir: "" };
  beforeAll(() => {
    out = write(join(root, name.replace(/\W+/g, "-")), build());
  });

  it("accepts every SLO rule file (promtool check rules)", () => {
    const r = promtool(["check", "rules", ...out.rules]);
    expect(r.status, r.out).toBe(0);
  });

  it("passes every generated unit test", () => {
    expect(out.tests.length).toBeGreaterThanOrEqual(out.rules.length);
    const r = promtool(["test", "rules", ...out.tests], out.testsDir);
    expect(r.status, r.out).toBe(0);
    expect(r.out).not.toMatch(/FAILED/);
  });
});

describe("the generated tests catch broken rules", () => {
  const packs = sloOnly(buildRulePacks()).filter((p) => p.name === "slo-api-errors");
  let out: ReturnType<typeof write> = { rules: [], tests: [], testsDir: "" };
  beforeAll(() => {
    out = write(join(root, "broken"), packs);
  });
  const broken = (...edits: readonly (readonly [RegExp, string])[]): string => {
    const file = out.rules[0]!;
    const original = readFileSync(file, "utf8");
    writeFileSync(file, edits.reduce((text, [from, to]) => text.replace(from, to), original));
    try {
      return promtool(["test", "rules", ...out.tests], out.testsDir).out;
    } finally {
      writeFileSync(file, original);
    }
  };

  it("page factors of 25 instead of 14.4 and 6 fail the page tests", () => {
    const r = broken([/> 14\.4\n/g, "> 25\n"], [/> 6\n/g, "> 25\n"]);
    expect(r).toMatch(/FAILED/);
    expect(r).toContain("a 20x burn pages within an hour");
    expect(r).toContain("after a 20x burn stops the page clears, then the ticket");
  });

  it("a ticket factor of 2 instead of 1 over 3d fails the slow-burn test", () => {
    const r = broken([/burn_rate3d\{slo="api-errors"\} > 1\n(\s+and\n\s+slo:error_budget:burn_rate6h\{slo="api-errors"\}) > 1\n/, 'burn_rate3d{slo="api-errors"} > 2\n$1 > 2\n']);
    expect(r).toContain("a 1.5x burn tickets but never pages");
  });

  it("a budget of 0.002 instead of 0.001 fails the budget arithmetic (and the budget_consumed annotations)", () => {
    const r = broken([/ \/ 0\.001\n/g, " / 0.002\n"]);
    expect(r).toContain('expr: "round(slo:error_budget:remaining_ratio{slo=\\"api-errors\\"} * 10000)", time: 3h');
    expect(r).toContain('budget_consumed="150%"');
  });

  it("all pass again on the unbroken file", () => {
    const r = promtool(["test", "rules", ...out.tests], out.testsDir);
    expect(r.status, r.out).toBe(0);
  });
});
