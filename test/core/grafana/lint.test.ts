import { describe, expect, it } from "vitest";
import { lintDashboards, type DashboardDef } from "../../../core/grafana";
import { assertValid, errorsOf, formatIssue } from "../../../core/validation";
import { RECORDING_RULES } from "../../../core/conventions";
import { buildDashboard } from "../../../dashboards";
import { allRulesAt, levelOf, type LintRuleId } from "../../../core/lint";


type Obj = Record<string, any>;
const ctx = { recordingRules: Object.values(RECORDING_RULES) };
/** Every rule at error: the shipped dashboards pass it, so any finding here is the one the case introduced. */
const strict = { ...ctx, lint: { levels: allRulesAt("error") } };

/** A fresh copy of the shipped host dashboard to break in one place. */
function host(): DashboardDef & { dashboard: Obj } {
  return buildDashboard("host") as DashboardDef & { dashboard: Obj };
}
/** The first non-row panel ("CPU busy", id 2) and its first target. */
const panel = (d: Obj): Obj => d.panels[1];
const FILTER = 'job=~"$job",instance=~"$instance"';

const cases: [string, (d: Obj) => void, string, string, LintRuleId][] = [
  ["PromQL that does not parse", (d) => { panel(d).targets[0].expr = "sum(rate(node_cpu_seconds_total[5m]"; }, "targets[0].expr", "does not parse or type-check", "dashboard/promql-invalid"],
  ["PromQL with a type error", (d) => { panel(d).targets[0].expr = `rate(node_load1{${FILTER}})`; }, "targets[0].expr", 'expected type matrix in call to function "rate"', "dashboard/promql-invalid"],
  ["a range vector as a panel result", (d) => { panel(d).targets[0].expr = `node_load1{${FILTER}}[5m]`; }, "targets[0].expr", "range vector", "dashboard/promql-invalid"],
  ["a fixed window in rate()", (d) => { panel(d).targets[0].expr = `sum(rate(node_cpu_seconds_total{${FILTER}}[5m]))`; }, "targets[0].expr", "should use [$__rate_interval]", "dashboard/rate-interval"],
  ["$__interval in increase()", (d) => { panel(d).targets[0].expr = `sum(increase(node_cpu_seconds_total{${FILTER}}[$__interval]))`; }, "targets[0].expr", "should use [$__rate_interval]", "dashboard/rate-interval"],
  ["an undefined recording rule", (d) => { panel(d).targets[0].expr = 'instance:node_cpu:typo{instance=~"$instance"}'; }, "targets[0].expr", 'recording rule "instance:node_cpu:typo"', "dashboard/recording-rule-undefined"],
  ["a selector without the job matcher", (d) => { panel(d).targets[0].expr = 'node_load1{instance=~"$instance"}'; }, "targets[0].expr", 'no job=~"$job" matcher', "dashboard/job-instance-filter"],
  ["a raw counter", (d) => { panel(d).targets[0].expr = `node_cpu_seconds_total{${FILTER}}`; }, "targets[0].expr", 'counter "node_cpu_seconds_total"', "dashboard/counter-raw"],
  ["a hard-coded Prometheus datasource", (d) => { panel(d).datasource = { type: "prometheus", uid: "prometheus" }; }, "datasource", "hard-codes the Prometheus datasource", "dashboard/datasource-variable"],
  ["an unknown datasource UID", (d) => { panel(d).targets[0].datasource = { type: "prometheus", uid: "P1809F7CD0C75ACF3" }; }, "targets[0].datasource", 'refers to datasource "P1809F7CD0C75ACF3"', "dashboard/datasource-unknown"],
  ["a missing unit", (d) => { delete panel(d).fieldConfig.defaults.unit; }, "fieldConfig.defaults.unit", "is not set", "dashboard/unit-missing"],
  ["an invalid unit", (d) => { panel(d).fieldConfig.defaults.unit = "percents"; }, "fieldConfig.defaults.unit", '"percents" is not a Grafana unit', "dashboard/unit-unknown"],
  ["a panel without targets", (d) => { panel(d).targets = []; }, "targets", "is empty", "dashboard/panel-no-targets"],
  ["a duplicate panel id", (d) => { d.panels[2].id = panel(d).id; }, "panels[].id", "used by more than one panel", "dashboard/panel-id"],
  ["a missing panel id", (d) => { delete panel(d).id; }, "id", "is missing", "dashboard/panel-id"],
  ["overlapping panels", (d) => { d.panels[2].gridPos = { ...panel(d).gridPos }; }, "gridPos", 'overlaps panel "CPU busy"', "dashboard/grid"],
  ["a panel wider than the grid", (d) => { panel(d).gridPos.x = 22; }, "gridPos", "outside the 24-column grid", "dashboard/grid"],
  ["no datasource variable", (d) => { d.templating.list.shift(); }, "templating.list", 'datasource variable named "datasource"', "dashboard/template-datasource"],
  ["no job variable", (d) => { d.templating.list = d.templating.list.filter((v: Obj) => v.name !== "job"); }, "templating.list", 'query variable named "job"', "dashboard/template-job"],
  ["an instance variable without All", (d) => { d.templating.list[2].includeAll = false; }, "templating.list[instance]", "multi-value with an All option", "dashboard/template-instance"],
  ["a variable that never refreshes", (d) => { d.templating.list[1].refresh = 1; }, "templating.list[1] (job).refresh", "on time range change", "dashboard/template-refresh"],
  ["a variable with invalid PromQL", (d) => { d.templating.list[1].query = "label_values(node_uname_info{job=}, job)"; }, "templating.list[1] (job).query", "invalid PromQL", "dashboard/template-query-invalid"],
  ["a refresh under 10s", (d) => { d.refresh = "5s"; }, "refresh", "at least 10s", "dashboard/conventions"],
  ["no default time range", (d) => { delete d.time; }, "time", "default time range", "dashboard/conventions"],
  ["no tags", (d) => { d.tags = []; }, "tags", "at least one tag", "dashboard/conventions"],
  ["a fixed database id", (d) => { d.id = 7; }, "id", "should be unset", "dashboard/conventions"],
];

describe("lintDashboards refuses bad dashboards and names dashboard, panel and field", () => {
  it("accepts the unbroken dashboard", () => {
    expect(lintDashboards([host()], ctx).map(formatIssue)).toEqual([]);
  });

  it.each(cases)("%s", (_name, breakIt, field, message, rule) => {
    const def = host();
    breakIt(def.dashboard);
    // By default the finding has its rule's level: an error only for what breaks, a warning for conventions.
    const byDefault = lintDashboards([def], ctx).find((e) => e.field === field && e.message.includes(message));
    expect(byDefault?.rule).toBe(rule);
    expect(byDefault?.severity).toBe(levelOf(rule) === "error" ? "error" : "warning");
    const errors = errorsOf(lintDashboards([def], strict));
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
    const [e] = lintDashboards([def], ctx);
    expect(formatIssue(e!)).toBe('warning: dashboard "moncode-host" > panel "CPU busy" (id 2): fieldConfig.defaults.unit is not set [dashboard/unit-missing]');
  });

  it("refuses two dashboards with one UID", () => {
    const errors = errorsOf(lintDashboards([host(), host()], ctx));
    expect(errors.map(formatIssue)).toContain('dashboard "moncode-host": uid is used by more than one dashboard [dashboard/invalid]');
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
    expect(errorsOf(lintDashboards([def], strict)).length).toBeGreaterThan(0);
    const excused = { ...def, lintExclusions: { "target-job-instance-rule": { reason: "test", panels: ["CPU busy"] } } };
    expect(errorsOf(lintDashboards([excused], strict))).toEqual([]);
    const byId = { ...def, lintExclusions: { "dashboard/job-instance-filter": { reason: "test" } } };
    expect(errorsOf(lintDashboards([byId], strict))).toEqual([]);
  });
});
