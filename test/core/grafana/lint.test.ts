import { describe, expect, it } from "vitest";
import { lintDashboards, type DashboardDef } from "../../../core/grafana";
import { assertValid, errorsOf, formatIssue } from "../../../core/validation";
import { RECORDING_RULES } from "../../../core/conventions";
import { buildDashboard } from "../../../dashboards";


type Obj = Record<string, any>;
const ctx = { recordingRules: Object.values(RECORDING_RULES) };

/** A fresh copy of the shipped host dashboard to break in one place. */
function host(): DashboardDef & { dashboard: Obj } {
  return buildDashboard("host") as DashboardDef & { dashboard: Obj };
}
/** The first non-row panel ("CPU busy", id 2) and its first target. */
const panel = (d: Obj): Obj => d.panels[1];
const FILTER = 'job=~"$job",instance=~"$instance"';

const cases: [string, (d: Obj) => void, string, string][] = [
  ["PromQL that does not parse", (d) => { panel(d).targets[0].expr = "sum(rate(node_cpu_seconds_total[5m]"; }, "targets[0].expr", "does not parse or type-check"],
  ["PromQL with a type error", (d) => { panel(d).targets[0].expr = `rate(node_load1{${FILTER}})`; }, "targets[0].expr", 'expected type matrix in call to function "rate"'],
  ["a range vector as a panel result", (d) => { panel(d).targets[0].expr = `node_load1{${FILTER}}[5m]`; }, "targets[0].expr", "range vector"],
  ["a fixed window in rate()", (d) => { panel(d).targets[0].expr = `sum(rate(node_cpu_seconds_total{${FILTER}}[5m]))`; }, "targets[0].expr", "should use [$__rate_interval]"],
  ["$__interval in increase()", (d) => { panel(d).targets[0].expr = `sum(increase(node_cpu_seconds_total{${FILTER}}[$__interval]))`; }, "targets[0].expr", "should use [$__rate_interval]"],
  ["an undefined recording rule", (d) => { panel(d).targets[0].expr = 'instance:node_cpu:typo{instance=~"$instance"}'; }, "targets[0].expr", 'recording rule "instance:node_cpu:typo"'],
  ["a selector without the job matcher", (d) => { panel(d).targets[0].expr = 'node_load1{instance=~"$instance"}'; }, "targets[0].expr", 'no job=~"$job" matcher'],
  ["a raw counter", (d) => { panel(d).targets[0].expr = `node_cpu_seconds_total{${FILTER}}`; }, "targets[0].expr", 'counter "node_cpu_seconds_total"'],
  ["a hard-coded Prometheus datasource", (d) => { panel(d).datasource = { type: "prometheus", uid: "prometheus" }; }, "datasource", "hard-codes the Prometheus datasource"],
  ["an unknown datasource UID", (d) => { panel(d).targets[0].datasource = { type: "prometheus", uid: "P1809F7CD0C75ACF3" }; }, "targets[0].datasource", 'refers to datasource "P1809F7CD0C75ACF3"'],
  ["a missing unit", (d) => { delete panel(d).fieldConfig.defaults.unit; }, "fieldConfig.defaults.unit", "is not set"],
  ["an invalid unit", (d) => { panel(d).fieldConfig.defaults.unit = "percents"; }, "fieldConfig.defaults.unit", '"percents" is not a Grafana unit'],
  ["a panel without targets", (d) => { panel(d).targets = []; }, "targets", "is empty"],
  ["a duplicate panel id", (d) => { d.panels[2].id = panel(d).id; }, "panels[].id", "used by more than one panel"],
  ["a missing panel id", (d) => { delete panel(d).id; }, "id", "is missing"],
  ["overlapping panels", (d) => { d.panels[2].gridPos = { ...panel(d).gridPos }; }, "gridPos", 'overlaps panel "CPU busy"'],
  ["a panel wider than the grid", (d) => { panel(d).gridPos.x = 22; }, "gridPos", "outside the 24-column grid"],
  ["no datasource variable", (d) => { d.templating.list.shift(); }, "templating.list", 'datasource variable named "datasource"'],
  ["no job variable", (d) => { d.templating.list = d.templating.list.filter((v: Obj) => v.name !== "job"); }, "templating.list", 'query variable named "job"'],
  ["an instance variable without All", (d) => { d.templating.list[2].includeAll = false; }, "templating.list[instance]", "multi-value with an All option"],
  ["a variable that never refreshes", (d) => { d.templating.list[1].refresh = 1; }, "templating.list[1] (job).refresh", "on time range change"],
  ["a variable with invalid PromQL", (d) => { d.templating.list[1].query = "label_values(node_uname_info{job=}, job)"; }, "templating.list[1] (job).query", "invalid PromQL"],
  ["a refresh under 10s", (d) => { d.refresh = "5s"; }, "refresh", "at least 10s"],
  ["no default time range", (d) => { delete d.time; }, "time", "default time range"],
  ["no tags", (d) => { d.tags = []; }, "tags", "at least one tag"],
  ["a fixed database id", (d) => { d.id = 7; }, "id", "must be unset"],
];

describe("lintDashboards refuses bad dashboards and names dashboard, panel and field", () => {
  it("accepts the unbroken dashboard", () => {
    expect(lintDashboards([host()], ctx).map(formatIssue)).toEqual([]);
  });

  it.each(cases)("%s", (_name, breakIt, field, message) => {
    const def = host();
    breakIt(def.dashboard);
    const errors = errorsOf(lintDashboards([def], ctx));
    const hit = errors.find((e) => e.field === field && e.message.includes(message));
    expect(hit, errors.map(formatIssue).join("\n")).toBeDefined();
    expect(hit!.item).toContain('dashboard "moncode-host"');
    if (!field.startsWith("templating") && !["refresh", "time", "tags", "panels[].id"].includes(field) && !(field === "id" && message.includes("unset"))) {
      expect(hit!.item).toMatch(/> panel "[^"]+" \(id (\d+|none)\)$/);
    }
    expect(() => assertValid("dashboards", errors)).toThrow(/moncode-host/);
  });

  it("reports a panel by title and id", () => {
    const def = host();
    panel(def.dashboard).fieldConfig.defaults.unit = "";
    const [e] = errorsOf(lintDashboards([def], ctx));
    expect(formatIssue(e!)).toBe('dashboard "moncode-host" > panel "CPU busy" (id 2): fieldConfig.defaults.unit is not set [panel-units-rule]');
  });

  it("refuses two dashboards with one UID", () => {
    const errors = errorsOf(lintDashboards([host(), host()], ctx));
    expect(errors.map(formatIssue)).toContain('dashboard "moncode-host": uid is used by more than one dashboard [dashboard-conventions]');
  });

  it("warns, without refusing, about a metric no exporter is known to expose", () => {
    const def = host();
    panel(def.dashboard).targets[0].expr = `max(nodd_load1{${FILTER}})`;
    const issues = lintDashboards([def], ctx);
    expect(errorsOf(issues)).toEqual([]);
    expect(issues).toEqual([expect.objectContaining({ severity: "warning", field: "targets[0].expr", message: expect.stringContaining('"nodd_load1"') })]);
  });

  it("accepts a provisioned non-Prometheus datasource UID and honours exclusions with a reason", () => {
    const def = host();
    panel(def.dashboard).targets[0].expr = "up";
    expect(errorsOf(lintDashboards([def], ctx)).length).toBeGreaterThan(0);
    const excused = { ...def, lintExclusions: { "target-job-instance-rule": { reason: "test", panels: ["CPU busy"] } } };
    expect(errorsOf(lintDashboards([excused], ctx))).toEqual([]);
  });
});
