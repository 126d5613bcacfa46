/**
 * The peer check: Sloth v0.16.0 (Go-built, tools/sloth) generates rules for the same SLO specs — the shipped ones
 * plus a ratio, a latency and a 28d SLO of our own — and the Go-built promtool feeds both rule sets the same
 * synthetic series, one test file per scenario with both rule files: a fast burn (20x), a slow burn (1.5x), no burn
 * (0.5x) and a recovery. At every checked time exactly the same alerts fire in both, page for page, ticket for
 * ticket. Where the two differ by design, a test below names the difference and shows it.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { exprText } from "../../core/promql";
import { type AlertRule, packAlerts, type RulePack } from "../../core/rules/model";
import { renderRulePackFiles } from "../../core/rules/render";
import { counter, series } from "../../core/rules/series";
import { leValue, pascalCase, type SloSpec, sloWindow } from "../../core/slo/model";
import { badRatioExpr } from "../../core/slo/render";
import { type SloScenario, sloScenarios } from "../../core/slo/unit-tests";
import { toYaml } from "../../core/yaml";
import { alertsByName, buildRulePacks, enabledSlos } from "../../rules";
import { tool } from "../helpers/tools";
import { apiLatencyStrict, workerErrors } from "./fixtures";

const SLOTH = tool("sloth");
const PROMTOOL = tool("promtool");
const dir = mkdtempSync(join(tmpdir(), "moncode-sloth-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Ours beside the shipped three: a ratio over 28 days (Sloth's other built-in window) and a stricter latency SLO. */
const workerErrors28d: SloSpec = { ...workerErrors, name: "worker-errors-28d", window: "28d" };
const SPECS: readonly SloSpec[] = [...enabledSlos(), workerErrors28d, apiLatencyStrict];
const slothAlert = (s: SloSpec): string => `Sloth${pascalCase(s.name)}`;

/** The same SLI as Sloth events: the error query and the total query, with Sloth's `{{.window}}`. */
function slothSli(s: SloSpec): { error_query: string; total_query: string } {
  const w = "{{.window}}";
  const sli = s.sli;
  const sel = (m: string, x: string): string => `${m}{${x}}`;
  if (sli.kind === "eventRatio") return { error_query: `sum(rate(${sel(sli.bad.metric, sli.bad.selector)}[${w}]))`, total_query: `sum(rate(${sel(sli.total.metric, sli.total.selector)}[${w}]))` };
  if (sli.kind === "latency") {
    const count = `sum(rate(${sel(`${sli.metric}_count`, sli.selector)}[${w}]))`;
    return { error_query: `${count} - sum(rate(${sel(`${sli.metric}_bucket`, `${sli.selector},le="${leValue(sli.threshold)}"`)}[${w}]))`, total_query: count };
  }
  const count = `sum(count_over_time(${sel(sli.metric, sli.selector)}[${w}]))`;
  return { error_query: `${count} - sum(sum_over_time(${sel(sli.metric, sli.selector)}[${w}]))`, total_query: count };
}

/** One prometheus/v1 document per SLO; page and ticket carry our severities so routing would treat them alike. */
function slothSpec(s: SloSpec): string {
  return toYaml({
    version: "prometheus/v1",
    service: s.service,
    labels: s.labels ?? {},
    slos: [{
      name: s.name, objective: s.objective, description: s.description,
      sli: { events: slothSli(s) },
      alerting: {
        name: slothAlert(s),
        annotations: { summary: `${s.name} burns its budget`, title: `${s.name} burns its budget` },
        page_alert: { labels: { severity: "critical" } },
        ticket_alert: { labels: { severity: "warning" } },
      },
    }],
  });
}

function run(cmd: string, args: string[], cwd = dir): { status: number | null; out: string } {
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8", timeout: 300_000 });
  if (r.error) throw new Error(`${cmd} could not run (${r.error.message})`);
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

interface Setup {
  readonly ruleFiles: string[];
  readonly groups: string[];
  readonly ours: Map<string, { page: AlertRule; ticket: AlertRule }>;
  readonly sloth: Record<"30d" | "28d", { groups: { name: string; rules: { alert?: string; record?: string; expr: string; labels?: Record<string, string> }[] }[] }>;
}

let setup: Setup;

beforeAll(() => {
  const packs: RulePack[] = buildRulePacks({ slos: { custom: [workerErrors28d, apiLatencyStrict] } }).filter((p) => p.name.startsWith("slo-"));
  const ruleFiles: string[] = [];
  for (const f of renderRulePackFiles(packs)) {
    const name = f.path.split("/").pop()!;
    writeFileSync(join(dir, name), f.content);
    ruleFiles.push(name);
  }
  const sloth = {} as Setup["sloth"];
  for (const period of ["30d", "28d"] as const) {
    writeFileSync(join(dir, `sloth-${period}-specs.yml`), SPECS.filter((s) => sloWindow(s) === period).map(slothSpec).join("---\n"));
    const r = run(SLOTH, ["generate", "-i", `sloth-${period}-specs.yml`, "-o", `sloth-${period}.yml`, `--default-slo-period=${period}`, "--no-log"]);
    if (r.status !== 0) throw new Error(`sloth generate failed: ${r.out}`);
    // Sloth writes one YAML document per spec; Prometheus wants one document per rule file.
    const docs = parseAllDocuments(readFileSync(join(dir, `sloth-${period}.yml`), "utf8")).map((d) => d.toJS() as Setup["sloth"]["30d"] | null);
    sloth[period] = { groups: docs.flatMap((d) => d?.groups ?? []) };
    writeFileSync(join(dir, `sloth-${period}-rules.yml`), toYaml(sloth[period]));
    ruleFiles.push(`sloth-${period}-rules.yml`);
  }
  const byName = alertsByName(packs);
  const ours = new Map(packs.map((p) => {
    const [page, ticket] = packAlerts(p) as [AlertRule, AlertRule];
    return [p.name.slice("slo-".length), { page: byName.get(page.alert)!, ticket: byName.get(ticket.alert)! }] as const;
  }));
  // Ours first, then Sloth's SLI, metadata and alert groups: each alert reads this evaluation's recordings.
  const groups = [...packs.map((p) => p.name), ...(["30d", "28d"] as const).flatMap((p) => sloth[p].groups.map((g) => g.name))];
  setup = { ruleFiles, groups, ours, sloth };
});

/** A promtool test file with both rule sets; `tests` are its test groups. */
function testFile(name: string, evaluationInterval: string, tests: unknown[]): string {
  const file = `${name}.test.yml`;
  writeFileSync(join(dir, file), toYaml({ rule_files: setup.ruleFiles, evaluation_interval: evaluationInterval, group_eval_order: setup.groups, tests }));
  return file;
}

/** What fires for one SLO in either rule set, by alert name and severity (Sloth names page and ticket alike). */
const firing = (slo: string): string => `count by (alertname, severity) (ALERTS{alertstate="firing",slo="${slo}"} or ALERTS{alertstate="firing",sloth_slo="${slo}"})`;
const sample = (alertname: string, severity: string) => ({ labels: `{alertname="${alertname}", severity="${severity}"}`, value: 1 });

const SCENARIOS = ["fast burn (20x)", "slow burn (1.5x)", "no burn (0.5x)", "recovery"] as const;

describe.each(SCENARIOS.map((s, i) => [s, i] as const))("Sloth and moncode on a %s", (scenario, index) => {
  it("fire the same alerts at the same evaluation times, for every SLO", () => {
    let every = "1m";
    const groups = SPECS.map((spec) => {
      const alerts = setup.ours.get(spec.name)!;
      const s: SloScenario = sloScenarios(spec, alerts)[index]!;
      every = s.test.evaluationInterval ?? "1m";
      return {
        name: `${spec.name}: ${s.test.name}`,
        interval: s.test.interval,
        input_series: s.test.series.map((x) => ({ series: x.series, values: x.values })),
        promql_expr_test: s.checks.map((c) => ({
          expr: firing(spec.name),
          eval_time: `${c.at}m`,
          exp_samples: [
            ...(c.states.page ? [sample(alerts.page.alert, "critical"), sample(slothAlert(spec), "critical")] : []),
            ...(c.states.ticket ? [sample(alerts.ticket.alert, "warning"), sample(slothAlert(spec), "warning")] : []),
          ],
        })),
      };
    });
    const checks = groups.flatMap((g) => g.promql_expr_test);
    expect(checks.length).toBeGreaterThanOrEqual(SPECS.length * 2);
    // Every scenario shows something: the quiet one nothing firing anywhere, the others some of both.
    const anyFiring = checks.some((c) => c.exp_samples.length > 0);
    expect(anyFiring).toBe(scenario !== "no burn (0.5x)");
    const r = run(PROMTOOL, ["test", "rules", testFile(`scenario-${index}`, every, groups)]);
    expect(r.status, r.out).toBe(0);
  });
});

describe("where Sloth differs by design", () => {
  const errors = (): SloSpec => SPECS.find((s) => s.name === "api-errors")!;
  const api = { job: "api" };
  const traffic = (okPerSecond: readonly [number, number][], badPerSecond: readonly [number, number][]) => [
    series("http_requests_total", { ...api, status: "200" }, counter(...okPerSecond)),
    ...(badPerSecond.length > 0 ? [series("http_requests_total", { ...api, status: "500" }, counter(...badPerSecond))] : []),
  ];
  const state = (slo: string) => `count by (alertname, severity, alertstate) (ALERTS{slo="${slo}"} or ALERTS{sloth_slo="${slo}"})`;

  it("`for`: Sloth's alerts have none and fire at the first evaluation; ours wait 2m (page) and 15m (ticket), then agree", () => {
    const e = setup.ours.get("api-errors")!;
    const s = (name: string, severity: string, alertstate: string) => ({ labels: `{alertname="${name}", alertstate="${alertstate}", severity="${severity}"}`, value: 1 });
    const file = testFile("difference-for", "1m", [{
      name: "a 20x burn from the start",
      interval: "1m",
      input_series: traffic([[10 * 0.98, 30]], [[10 * 0.02, 30]]),
      promql_expr_test: [
        { expr: state("api-errors"), eval_time: "2m", exp_samples: [s(e.page.alert, "critical", "pending"), s(e.ticket.alert, "warning", "pending"), s("SlothApiErrors", "critical", "firing"), s("SlothApiErrors", "warning", "firing")] },
        { expr: state("api-errors"), eval_time: "20m", exp_samples: [s(e.page.alert, "critical", "firing"), s(e.ticket.alert, "warning", "firing"), s("SlothApiErrors", "critical", "firing"), s("SlothApiErrors", "warning", "firing")] },
      ],
    }]);
    const r = run(PROMTOOL, ["test", "rules", file]);
    expect(r.status, r.out).toBe(0);
  });

  it("the window's SLI: Sloth averages its 5m ratios (each 5 minutes weighs the same), ours counts events; with uneven traffic the budgets left differ", () => {
    // An hour at 100 req/s with 1% errors, then an hour at 1 req/s without: 1% of an hour's busy traffic failed.
    const [okA, badA, okB] = [99, 1, 1];
    const minutes = 120;
    const inc = (perSecond: (m: number) => number) => Array.from({ length: minutes }, (_, m) => (m === 0 ? 0 : perSecond(m) * 60));
    const bad = inc((m) => (m < 60 ? badA : 0));
    const total = inc((m) => (m < 60 ? okA + badA : okB));
    const sum = (xs: number[], from: number, to: number): number => xs.slice(from + 1, to + 1).reduce((a, b) => a + b, 0);
    const at = minutes - 1;
    const budget = 0.001;
    const ours = 1 - sum(bad, 0, at) / sum(total, 0, at) / budget;
    // Sloth's 5m ratio is recorded every minute from the second sample on; its 30d SLI is their mean.
    const ratios = Array.from({ length: at }, (_, i) => i + 1).map((t) => sum(bad, Math.max(0, t - 4), t) / sum(total, Math.max(0, t - 4), t));
    const sloth = 1 - ratios.reduce((a, b) => a + b, 0) / ratios.length / (1 - 0.9990000000000001);
    expect(ours).toBeLessThan(sloth - 3);
    const near = (expr: string, want: number) => ({ expr: `abs(${expr} - (${want})) < bool 0.01`, eval_time: `${at}m`, exp_samples: [{ labels: "{}", value: 1 }] });
    const file = testFile("difference-window-sli", "1m", [{
      name: "busy errors, quiet recovery",
      interval: "1m",
      input_series: traffic([[okA, 60], [okB, 60]], [[badA, 60], [0, 60]]),
      promql_expr_test: [
        near('max(slo:error_budget:remaining_ratio{slo="api-errors"})', ours),
        near('max(slo:period_error_budget_remaining:ratio{sloth_slo="api-errors"})', sloth),
      ],
    }]);
    const r = run(PROMTOOL, ["test", "rules", file]);
    expect(r.status, r.out).toBe(0);
  });

  it("28d factors: Sloth keeps the 10%-in-3d share (0.933x), ours never goes below 1x, so a 0.96x burn tickets only in Sloth", () => {
    const ticket = setup.sloth["28d"].groups.flatMap((g) => g.rules).filter((r) => r.alert === "SlothWorkerErrors28d" && r.labels?.sloth_severity === "ticket")[0]!;
    expect(ticket.expr).toMatch(/ratio_rate3d\{[^}]*\} > \(0\.933+\d* \*/);
    expect(exprText(setup.ours.get("worker-errors-28d")!.ticket.expr)).toContain('burn_rate3d{slo="worker-errors-28d"} > 1\n');
    const [burn, budget] = [0.96, 0.005];
    const worker = { job: "worker" };
    const file = testFile("difference-28d", "10m", [{
      name: "a 0.96x burn over a 28d window",
      interval: "1m",
      input_series: [
        series("worker_events_processed_total", { ...worker, status: "success" }, counter([10 * (1 - burn * budget), 190])),
        series("worker_events_processed_total", { ...worker, status: "error" }, counter([10 * burn * budget, 190])),
      ],
      promql_expr_test: [{ expr: firing("worker-errors-28d"), eval_time: "180m", exp_samples: [sample("SlothWorkerErrors28d", "warning")] }],
    }]);
    const r = run(PROMTOOL, ["test", "rules", file]);
    expect(r.status, r.out).toBe(0);
  });

  it("no bad series yet (no 5xx ever answered): ours records 0% bad, Sloth's error query returns nothing, so it records no SLI", () => {
    expect(badRatioExpr(errors().sli, "5m")).toContain("or\n  0 * sum(rate(");
    const file = testFile("difference-no-errors", "1m", [{
      name: "only 200s",
      interval: "1m",
      input_series: traffic([[10, 30]], []),
      promql_expr_test: [
        { expr: 'slo:bad_events:ratio_rate5m{slo="api-errors"}', eval_time: "20m", exp_samples: [{ labels: 'slo:bad_events:ratio_rate5m{service="api", slo="api-errors"}', value: 0 }] },
        { expr: 'slo:sli_error:ratio_rate5m{sloth_slo="api-errors"}', eval_time: "20m", exp_samples: [] },
      ],
    }]);
    const r = run(PROMTOOL, ["test", "rules", file]);
    expect(r.status, r.out).toBe(0);
  });

  it("not a difference: both add the 1d/2h ticket pair (3x) to the workbook's three windows", () => {
    const ticket = setup.sloth["30d"].groups.flatMap((g) => g.rules).find((r) => r.alert === "SlothApiErrors" && r.labels?.sloth_severity === "ticket")!;
    expect(ticket.expr).toMatch(/ratio_rate2h\{[^}]*\} > \(3 \*[\s\S]*ratio_rate1d\{[^}]*\} > \(3 \*[\s\S]*ratio_rate6h\{[^}]*\} > \(1 \*[\s\S]*ratio_rate3d\{[^}]*\} > \(1 \*/);
    const ours = exprText(setup.ours.get("api-errors")!.ticket.expr);
    expect(ours).toMatch(/burn_rate1d\{[^}]*\} > 3\n[\s\S]*burn_rate2h\{[^}]*\} > 3\n[\s\S]*burn_rate3d\{[^}]*\} > 1\n[\s\S]*burn_rate6h\{[^}]*\} > 1\n/);
  });
});
