import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DASHBOARD_UIDS, RECORDING_RULES, type DashboardKey } from "../../core/conventions";
import { knownMetrics, lintDashboards } from "../../core/grafana";
import { checkLogql } from "../../core/grafana/lint-queries";
import { checkPromql, substituteGrafanaVariables } from "../../core/promql";
import { errorsOf, formatIssue } from "../../core/validation";
import { allRulesAt } from "../../core/lint";
import { resolveContentConfig } from "../../rules/config";
import {
  buildDashboard, buildDashboards, DASHBOARD_KEYS, DASHBOARD_RECORDING_RULES, DASHBOARDS, dashboardUrl, metricCatalog, OPT_IN_DASHBOARDS, renderDashboardFiles,
} from "../../dashboards";
import { expectGolden } from "../helpers/golden";


type Obj = Record<string, any>;
const GOLDEN_DIR = join(__dirname, "..", "golden", "dashboards");
const defs = buildDashboards();

function panelsOf(d: object): Obj[] {
  const out: Obj[] = [];
  for (const p of (d as Obj).panels ?? []) {
    out.push(p);
    if (p.type === "row") out.push(...(p.panels ?? []));
  }
  return out;
}

function findPanel(d: object, title: string): Obj {
  const p = panelsOf(d).find((x) => x.title === title);
  if (!p) throw new Error(`no panel "${title}"`);
  return p;
}

describe("shipped dashboards", () => {
  it("ships one dashboard per DASHBOARD_UIDS entry, with exactly those UIDs (Logs and Traces when included)", () => {
    const optIn = OPT_IN_DASHBOARDS.map((k) => DASHBOARD_UIDS[k]);
    expect(defs.map((d) => d.uid).sort()).toEqual(Object.values(DASHBOARD_UIDS).filter((u) => !optIn.includes(u as never)).sort());
    const all = buildDashboards({ include: { logs: true, traces: true } });
    expect(all.map((d) => d.uid).sort()).toEqual(Object.values(DASHBOARD_UIDS).sort());
  });

  it("the service overview gets a Logs row of the service's lines when the stack runs Loki (LogQL that parses), and none otherwise", () => {
    const withLogs = buildDashboards({ include: { logs: true } }).find((d) => d.uid === DASHBOARD_UIDS.serviceOverview)!;
    const panels = panelsOf(withLogs.dashboard).filter((p) => p.type === "logs");
    expect(panels.map((p) => [p.title, p.targets[0].expr])).toEqual([
      ["Error lines", '{service_name=~"$job"} | detected_level=~"error|fatal|critical"'],
      ["Log lines", '{service_name=~"$job"}'],
    ]);
    for (const p of panels) expect(checkLogql(p.targets[0].expr)).toEqual([]);
    const lint = lintDashboards([withLogs], { recordingRules: Object.values(RECORDING_RULES), knownMetrics: knownMetrics(metricCatalog().app), datasourceUids: ["prometheus", "alertmanager", "loki"], lint: { levels: allRulesAt("error") } });
    expect(lint.map(formatIssue)).toEqual([]);
    expect(panelsOf(defs.find((d) => d.uid === DASHBOARD_UIDS.serviceOverview)!.dashboard).some((p) => p.type === "logs")).toBe(false);
  });

  it("Logs and Traces lint clean with every rule at error when Loki and Jaeger are provisioned (LogQL read as LogQL)", () => {
    const both = buildDashboards({ include: { logs: true, traces: true } }).filter((d) => d.uid === DASHBOARD_UIDS.logs || d.uid === DASHBOARD_UIDS.traces);
    const opts = { recordingRules: [], knownMetrics: knownMetrics([], ["prometheus", "otelcol"]), lint: { levels: allRulesAt("error") } };
    expect(lintDashboards(both, { ...opts, datasourceUids: ["prometheus", "loki", "jaeger"] }).map(formatIssue)).toEqual([]);
    // Without a Loki datasource, the Logs dashboard's panels are dead: a stack error naming each panel.
    const dead = lintDashboards(both, { ...opts, datasourceUids: ["prometheus"] });
    expect(dead.some((i) => i.rule === "dashboard/datasource-unknown" && i.item.startsWith('dashboard "moncode-logs" > panel "Log lines by level"'))).toBe(true);
  });

  it("lint finds no errors and no warnings with the stack's recording rules and metric catalog", () => {
    const issues = lintDashboards(defs, { recordingRules: Object.values(RECORDING_RULES), knownMetrics: knownMetrics(metricCatalog().app) });
    expect(issues.map(formatIssue)).toEqual([]);
  });

  it("reads only recording rules listed in DASHBOARD_RECORDING_RULES, all from RECORDING_RULES", () => {
    expect(lintDashboards(defs, { recordingRules: DASHBOARD_RECORDING_RULES, knownMetrics: knownMetrics(metricCatalog().app) })).toEqual([]);
    for (const r of DASHBOARD_RECORDING_RULES) expect(Object.values(RECORDING_RULES)).toContain(r);
  });

  it("renders byte-identical files on re-render, at grafana/dashboards/<folder>/<uid>.json", () => {
    const a = renderDashboardFiles(buildDashboards());
    const b = renderDashboardFiles(buildDashboards());
    expect(a).toEqual(b);
    for (const f of a) expect(f.path).toMatch(/^grafana\/dashboards\/[a-z-]+\/moncode-[a-z-]+\.json$/);
  });

  it("can leave dashboards out with include", () => {
    const some = buildDashboards({ include: { businessKpis: false, loadTesting: false } });
    expect(some.map((d) => d.uid)).not.toContain(DASHBOARD_UIDS.businessKpis);
    expect(some).toHaveLength(defs.length - 2);
  });

  it("factories return a new builder each call, so one built dashboard never changes another", () => {
    const one = DASHBOARDS.host.factory(resolveContentConfig(), {} as never).build();
    const two = DASHBOARDS.host.factory(resolveContentConfig(), {} as never).build();
    expect(one).not.toBe(two);
    (one as Obj).title = "changed";
    expect((two as Obj).title).toBe("Host");
  });

  it("has one golden per shipped dashboard (the opt-in ones too) and no stray ones", () => {
    expect(readdirSync(GOLDEN_DIR).sort()).toEqual(DASHBOARD_KEYS.map((k) => `${buildDashboard(k).uid}.json`).sort());
  });

  it("links alerts to dashboards by /d/<uid>", () => {
    expect(dashboardUrl(DASHBOARD_UIDS.host)).toBe("/d/moncode-host");
    expect(dashboardUrl("moncode-host", "https://ops.example.com/grafana/")).toBe("https://ops.example.com/grafana/d/moncode-host");
  });
});

describe.each(DASHBOARD_KEYS)("dashboard %s", (key: DashboardKey) => {
  const def = buildDashboard(key);
  const d = def.dashboard as Obj;

  it("matches its golden JSON (UPDATE_GOLDEN=1 rewrites it)", () => {
    const [rendered] = renderDashboardFiles([def]);
    expectGolden(join(GOLDEN_DIR, `${def.uid}.json`), rendered!.content);
  });

  it("every query parses and type-checks to something a panel can plot", () => {
    const panels = panelsOf(d).filter((p) => p.type !== "row");
    expect(panels.length).toBeGreaterThan(0);
    for (const p of panels) {
      for (const t of p.targets ?? []) {
        if (t.datasource?.type === "loki") {
          expect(checkLogql(t.expr), `${p.title}: ${t.expr}`).toEqual([]);
          continue;
        }
        const r = checkPromql(substituteGrafanaVariables(t.expr));
        expect(r.errors, `${p.title}: ${t.expr}`).toEqual([]);
        expect(["vector", "scalar"], `${p.title}: ${t.expr}`).toContain(r.type);
      }
    }
  });

  it("follows the conventions: stable UID, 1h range, 10s refresh, tags, datasource variable, units, ids", () => {
    expect(d.uid).toBe(DASHBOARD_UIDS[key]);
    expect(d.time).toEqual({ from: "now-1h", to: "now" });
    expect(d.refresh).toBe("10s");
    expect(d.tags).toContain("moncode");
    expect(def.folder).toMatch(/^[a-z]+(-[a-z]+)*$/);
    expect(d.templating.list[0]).toMatchObject({ name: "datasource", type: "datasource", query: "prometheus" });
    const ids = panelsOf(d).map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const p of panelsOf(d).filter((x) => x.type !== "row")) {
      // Log lines have no unit; Loki panels name Loki's fixed UID (one per stack, no variable).
      if (p.type !== "logs") expect(p.fieldConfig?.defaults?.unit, p.title).toBeTruthy();
      expect(p.datasource, p.title).toEqual(p.datasource?.type === "loki" ? { type: "loki", uid: "loki" } : { type: "prometheus", uid: "${datasource}" });
      expect(p.description, p.title).toBeTruthy();
    }
  });
});

describe("the containers dashboard follows the platform's cAdvisor labels", () => {
  const exprs = (d: object) => panelsOf(d).flatMap((p) => (p.targets ?? []).map((t: Obj) => String(t.expr)));
  it("Docker: one series per container name", () => {
    const d = buildDashboard("containers").dashboard;
    expect(findPanel(d, "CPU").targets[0]).toMatchObject({ legendFormat: "{{name}}" });
    expect(exprs(d).every((e) => e.includes('name!="",image!=""'))).toBe(true);
  });
  it("Kubernetes: one series per namespace/pod/container, without pod cgroups and pause containers, and it lints clean", () => {
    const def = buildDashboard("containers", resolveContentConfig({ containers: { cadvisorLabels: "kubernetes" } }));
    const cpu = findPanel(def.dashboard, "CPU").targets[0];
    expect(cpu.legendFormat).toBe("{{namespace}}/{{pod}}/{{container}}");
    expect(cpu.expr).toMatch(/^sum by \(namespace, pod, container\) \(rate\(container_cpu_usage_seconds_total\{job="cadvisor",job=~"\$job",instance=~"\$instance",container!="",container!="POD",image!=""\}/);
    expect(exprs(def.dashboard).some((e) => /\bname\b/.test(e))).toBe(false);
    expect(lintDashboards([def], { recordingRules: DASHBOARD_RECORDING_RULES, knownMetrics: knownMetrics(metricCatalog().app) }).map(formatIssue)).toEqual([]);
  });
});

describe("panel units", () => {
  // Asserted here, not only through the goldens: a wrong unit (seconds shown as a count, a ratio as a number) is a
  // silent lie on the dashboard, and a regenerated golden would hide it.
  const units: [DashboardKey, string, string][] = [
    ["serviceOverview", "Request rate", "reqps"],
    ["serviceOverview", "5xx error ratio", "percentunit"],
    ["serviceOverview", "p95 latency", "s"],
    ["serviceOverview", "Latency percentiles", "s"],
    ["workerQueue", "Processed per minute", "opm"],
    ["workerQueue", "Batch duration", "s"],
    ["databaseInfra", "Postgres connections used", "percentunit"],
    ["databaseInfra", "Process memory", "bytes"],
    ["host", "CPU busy", "percentunit"],
    ["host", "Memory used", "percentunit"],
    ["host", "Disk throughput", "Bps"],
    ["host", "Network traffic", "bps"],
    ["host", "Clock offset", "s"],
    ["containers", "Memory working set", "bytes"],
    ["endpoints", "Next certificate expiry", "s"],
    ["selfHealth", "Memory of monitoring processes", "bytes"],
    ["onboarding", "Median time to launch", "d"],
  ];
  it.each(units)("%s / %s is in %s", (key, title, unit) => {
    expect(findPanel(buildDashboard(key).dashboard, title).fieldConfig.defaults.unit).toBe(unit);
  });
});

describe("thresholds come from the alert config", () => {
  it("the p95 latency stat and graph use ContentConfig's latency thresholds, and follow an override", () => {
    const content = resolveContentConfig({ http: { latencyP95Warning: 0.3, latencyP95Critical: 0.7 } });
    const d = buildDashboard("serviceOverview", content).dashboard;
    const steps = (t: string) => findPanel(d, t).fieldConfig.defaults.thresholds.steps.map((s: Obj) => s.value);
    expect(steps("p95 latency")).toEqual([null, 0.3, 0.7]);
    expect(steps("Latency percentiles")).toEqual([null, 0.3, 0.7]);
    expect(findPanel(d, "Latency percentiles").fieldConfig.defaults.custom.thresholdsStyle).toEqual({ mode: "dashed" });
  });

  it("queue depth lines are the backlog alert thresholds", () => {
    const content = resolveContentConfig({ queue: { backlogWarning: 10, backlogCritical: 20 } });
    const d = buildDashboard("workerQueue", content).dashboard;
    expect(findPanel(d, "Queue depth").fieldConfig.defaults.thresholds.steps.map((s: Obj) => s.value)).toEqual([null, 10, 20]);
  });

  it("selectors from the content config reach the queries and the job variable", () => {
    const content = resolveContentConfig({ host: { selector: 'job="hosts"' } });
    const d = buildDashboard("host", content).dashboard as Obj;
    expect(d.templating.list[1].query).toBe('label_values(node_uname_info{job="hosts"}, job)');
    expect(findPanel(d, "Least free disk").targets[0].expr).toContain('node_filesystem_avail_bytes{job="hosts",job=~"$job",instance=~"$instance"');
  });

  it("custom business KPIs replace the defaults", () => {
    const d = buildDashboards({ include: Object.fromEntries(DASHBOARD_KEYS.map((k) => [k, k === "businessKpis"])), kpis: { businessKpis: [{ title: "Orders per minute", description: "Orders.", expr: 'sum(rate(orders_total{job=~"$job",instance=~"$instance"}[$__rate_interval])) * 60', unit: "short", goal: 5, better: "higher" }] } });
    expect(d).toHaveLength(1);
    expect(findPanel(d[0]!.dashboard, "Orders per minute").fieldConfig.defaults.thresholds.steps).toEqual([{ value: null, color: "red" }, { value: 5, color: "green" }]);
    const issues = lintDashboards(d, { recordingRules: [] });
    expect(errorsOf(issues)).toEqual([]);
    expect(issues.map(formatIssue).join("\n")).toContain('reads metric "orders_total"');
  });
});
