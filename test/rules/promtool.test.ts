/**
 * The real tool: every rendered rule file passes `promtool check rules`, and every compiled unit test passes
 * `promtool test rules`, run from the tests folder as users run it in their CI. One promtool invocation per
 * check. Fails (does not skip) when promtool is missing.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RenderedFile } from "../../core/files";
import type { RulePack } from "../../core/rules/model";
import { renderRulePackFiles, renderRuleTestFiles } from "../../core/rules/render";
import { isSeriesText } from "../../core/rules/validate";
import { type AlertOverrides, buildRulePacks, seedKpiTargets } from "../../rules";
import { resolveContentConfig } from "../../rules/config";
import { tool } from "../helpers/tools";

const PROMTOOL = tool("promtool");
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function writeOut(packs: readonly RulePack[]): { root: string; rules: string[]; tests: string[] } {
  const root = mkdtempSync(join(tmpdir(), "moncode-rules-"));
  dirs.push(root);
  const write = (f: RenderedFile): string => {
    const p = join(root, f.path);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, f.content);
    return p;
  };
  return { root, rules: renderRulePackFiles(packs).map(write), tests: renderRuleTestFiles(packs).map((f) => write(f).slice(root.length + 1 + "prometheus/tests/".length)) };
}

function promtool(args: string[], cwd?: string): { status: number | null; out: string } {
  const r = spawnSync(PROMTOOL, args, { cwd, encoding: "utf8", timeout: 60_000 });
  if (r.error) throw new Error(`promtool could not run (${r.error.message}); build it with npm run -s tools`);
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

const overrides: AlertOverrides = {
  HttpErrorRateHigh: { threshold: 0.02, for: "10m", severity: "critical", labels: { team: "payments" } },
  QueueBacklogHigh: { threshold: 200 },
  HostCpuUsageHigh: { disabled: true },
  PostgresConnectionsNearLimit: { threshold: 0.6, for: "30m" },
  ProbeCertificateExpiringSoon: { threshold: 30 },
  TargetScrapesFailing: { threshold: 0.3 },
  RedisCacheHitRateLow: { threshold: 0.95, annotations: { runbookUrl: "https://runbooks.example.org/redis" } },
};

describe.each([
  ["the shipped packs with the seed KPIs", () => buildRulePacks({ kpis: seedKpiTargets })],
  ["packs with thresholds, for, severity and labels overridden", () => buildRulePacks({ kpis: seedKpiTargets, overrides })],
  [
    "the packs of a Kubernetes stack (kubelet cAdvisor labels, tuned volume thresholds)",
    () => buildRulePacks({ content: resolveContentConfig({ containers: { cadvisorLabels: "kubernetes" }, kubernetes: { volumeFreeWarning: 0.25, volumeFillPredictHours: 24 } }), overrides: { KubePodNotReady: { for: "30m" } } }),
  ],
])("promtool on %s", (_name, build) => {
  // Built in a hook, not at collection: a ValidationError then fails the tests with its message.
  let out: ReturnType<typeof writeOut> = { root: "", rules: [], tests: [] };
  beforeAll(() => {
    out = writeOut(build());
  });

  it("accepts every rendered rule file (promtool check rules)", () => {
    expect(out.rules.length).toBeGreaterThan(10);
    const r = promtool(["check", "rules", ...out.rules]);
    expect(r.out).not.toMatch(/FAILED/);
    expect(r.status, r.out).toBe(0);
  });

  it("passes every compiled unit test from the tests folder (promtool test rules)", () => {
    expect(out.tests.length).toBeGreaterThan(10);
    const r = promtool(["test", "rules", ...out.tests], join(out.root, "prometheus/tests"));
    expect(r.status, r.out).toBe(0);
    expect(r.out).toMatch(/SUCCESS/);
  });
});

describe("the unit-test check's series texts agree with promtool's series parser", () => {
  // The texts of test/core/rules/pack-cases.test.ts's isSeriesText table, as an input series and as expected labels.
  const texts = ['up{job="api"}', '{__name__="up", job="a"}', " up ", "up{}", "rate(x[5m])", 'x{job=~"a"}', 'x{job!="a"}', 'x{job!~"a"}', "x offset 5m", "(x)", "x @ 10", "x[5m]", "sum(", "1"];
  /** Whether promtool parsed the text: the file passes, or fails only because the sample differs. */
  const parses = (doc: object): boolean => {
    const root = mkdtempSync(join(tmpdir(), "moncode-series-"));
    dirs.push(root);
    writeFileSync(join(root, "rules.yml"), "groups: []\n");
    writeFileSync(join(root, "t.yml"), JSON.stringify({ rule_files: ["rules.yml"], evaluation_interval: "1m", tests: [{ interval: "1m", ...doc }] }));
    const r = promtool(["test", "rules", "t.yml"], root);
    expect(r.out, "promtool ran the file").toMatch(/SUCCESS|FAILED/);
    return r.status === 0 || !/parse error/.test(r.out);
  };
  it.each(texts)("%j", (text) => {
    const ours = isSeriesText(text);
    expect(parses({ input_series: [{ series: text, values: "1" }] }), "as an input series").toBe(ours);
    const expected = { input_series: [], promql_expr_test: [{ expr: "vector(1)", eval_time: "0m", exp_samples: [{ labels: text, value: 1 }] }] };
    expect(parses(expected), "as expected labels").toBe(ours);
  });
});
