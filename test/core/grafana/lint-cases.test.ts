/**
 * The dashboard lint case by case, on a minimal clean dashboard built here (not a shipped one): each case changes one
 * thing and asserts the whole list of findings, formatted (level, item, field, message, rule), so a changed message,
 * field, condition or boundary fails. Pure (no Pulumi), so the mutation suite runs it.
 */
import { describe, expect, it } from "vitest";
import { checkDashboardPromql, checkLogql, datasourceLanguage, targetLanguage } from "../../../core/grafana/lint-queries";
import { lintDashboards, type DashboardDef, type DashboardLintContext } from "../../../core/grafana";
import { formatIssue } from "../../../core/validation";

type Obj = Record<string, any>;
const FILTER = 'job=~"$job",instance=~"$instance"';
const CPU = `sum(rate(node_cpu_seconds_total{${FILTER}}[$__rate_interval]))`;

function panel(id: number, x: number, y: number, extra: Obj = {}): Obj {
  return {
    id, type: "timeseries", title: `P${id}`, description: `panel ${id}`, gridPos: { x, y, w: 12, h: 8 },
    datasource: { type: "prometheus", uid: "${datasource}" },
    fieldConfig: { defaults: { unit: "percentunit" } },
    targets: [{ refId: "A", expr: CPU }],
    ...extra,
  };
}

/** A dashboard the lint has nothing to say about, two panels side by side. */
function clean(): Obj {
  return {
    uid: "t-dash", title: "T dash", tags: ["t"], time: { from: "now-1h", to: "now" }, refresh: "30s",
    templating: {
      list: [
        { name: "datasource", type: "datasource", query: "prometheus" },
        { name: "job", type: "query", multi: true, includeAll: true, refresh: 2, datasource: "${datasource}", query: "label_values(up, job)" },
        { name: "instance", type: "query", multi: true, includeAll: true, refresh: 2, datasource: { uid: "${datasource}" }, query: 'label_values(up{job=~"$job"}, instance)' },
      ],
    },
    panels: [panel(1, 0, 0), panel(2, 12, 0)],
  };
}

const D = 'dashboard "t-dash"';
const P1 = `${D} > panel "P1" (id 1): `;
const P2 = `${D} > panel "P2" (id 2): `;
/** The first panel's first target. */
const t0 = (d: Obj): Obj => d.panels[0].targets[0];
const e = (expr: string) => (d: Obj) => { t0(d).expr = expr; };

type Case = [name: string, change: (d: Obj) => void, expected: string[], ctx?: DashboardLintContext, def?: Partial<DashboardDef>];

function lint(change: (d: Obj) => void, ctx: DashboardLintContext = {}, def: Partial<DashboardDef> = {}): string[] {
  const d = clean();
  change(d);
  return lintDashboards([{ uid: "t-dash", title: "T dash", folder: "t-folder", dashboard: d, ...def }], ctx).map(formatIssue);
}

it("the clean dashboard has no finding", () => {
  expect(lint(() => {})).toEqual([]);
});

const structure: Case[] = [
  ["a refresh of exactly 10s", (d) => { d.refresh = "10s"; }, []],
  ["a refresh of 9s", (d) => { d.refresh = "9s"; }, [`warning: ${D}: refresh should be at least 10s, got "9s" (each refresh runs every query) [dashboard/conventions]`]],
  ["a refresh of 1m", (d) => { d.refresh = "1m"; }, []],
  ["a refresh of 500ms", (d) => { d.refresh = "500ms"; }, [`warning: ${D}: refresh should be at least 10s, got "500ms" (each refresh runs every query) [dashboard/conventions]`]],
  ["a refresh of 20000ms", (d) => { d.refresh = "20000ms"; }, []],
  ["a refresh with a prefix", (d) => { d.refresh = "x30s"; }, [`warning: ${D}: refresh should be at least 10s, got "x30s" (each refresh runs every query) [dashboard/conventions]`]],
  ["a refresh with a suffix", (d) => { d.refresh = "30sx"; }, [`warning: ${D}: refresh should be at least 10s, got "30sx" (each refresh runs every query) [dashboard/conventions]`]],
  ["an empty refresh (off)", (d) => { d.refresh = ""; }, []],
  ["a datasource variable of another type", (d) => { d.templating.list[0].type = "custom"; }, [`warning: ${D}: templating.list has no datasource variable named "datasource" of type prometheus [dashboard/template-datasource]`]],
  ["a datasource variable of Loki", (d) => { d.templating.list[0].query = "loki"; }, [`warning: ${D}: templating.list has no datasource variable named "datasource" of type prometheus [dashboard/template-datasource]`]],
  ["a job variable that is not a query", (d) => { d.templating.list[1].type = "custom"; }, [`warning: ${D}: templating.list has no query variable named "job" [dashboard/template-job]`]],
  ["a job variable that is not multi-value", (d) => { d.templating.list[1].multi = false; }, [`warning: ${D}: templating.list[job] should be multi-value with an All option [dashboard/template-job]`]],
  ["a query variable on a named datasource", (d) => { d.templating.list[1].datasource = "prometheus"; }, [`warning: ${D}: templating.list[1] (job).datasource should be the "\${datasource}" variable [dashboard/datasource-variable]`]],
  ["a query variable without a datasource", (d) => { delete d.templating.list[1].datasource; }, [`warning: ${D}: templating.list[1] (job).datasource should be the "\${datasource}" variable [dashboard/datasource-variable]`]],
  ["a query variable on Loki (not checked as PromQL)", (d) => { d.templating.list.push({ name: "app", type: "query", datasource: { type: "loki", uid: "loki" }, query: "whatever" }); }, []],
  ["a custom variable (not checked)", (d) => { d.templating.list.push({ name: "k", type: "custom", query: "1,2" }); }, []],
  ["an invalid uid", () => {}, [`dashboard "a b": uid must be 1-40 characters of a-z, A-Z, 0-9, - and _, got "a b" [dashboard/invalid]`, `warning: dashboard "a b": uid the JSON model's uid "t-dash" differs from the definition's [dashboard/conventions]`], {}, { uid: "a b" }],
  ["a model uid that differs", (d) => { d.uid = "other"; }, [`warning: ${D}: uid the JSON model's uid "other" differs from the definition's [dashboard/conventions]`]],
  ["an empty definition title", () => {}, [`warning: ${D}: title should be set and equal in the definition and the model [dashboard/conventions]`], {}, { title: "" }],
  ["a model title that differs", (d) => { d.title = "X"; }, [`warning: ${D}: title should be set and equal in the definition and the model [dashboard/conventions]`]],
  ["a folder that is not kebab-case", () => {}, [`warning: ${D}: folder should be kebab-case, got "My_Folder" [dashboard/conventions]`], {}, { folder: "My_Folder" }],
  ["an id of null", (d) => { d.id = null; }, []],
  ["an id key set to undefined", (d) => { d.id = undefined; }, []],
  ["an id of 0", (d) => { d.id = 0; }, [`warning: ${D}: id should be unset: Grafana assigns database ids, a fixed one collides across instances [dashboard/conventions]`]],
  ["a time range without its end", (d) => { d.time = { from: "now-1h" }; }, [`warning: ${D}: time needs a default time range (now-1h to now) [dashboard/conventions]`]],
  ["a panel without a datasource", (d) => { delete d.panels[0].datasource; }, [`warning: ${P1}datasource is not set (Grafana uses its default datasource); use the "\${datasource}" variable [dashboard/datasource-variable]`]],
  ["a panel datasource of null", (d) => { d.panels[0].datasource = null; }, [`warning: ${P1}datasource is not set (Grafana uses its default datasource); use the "\${datasource}" variable [dashboard/datasource-variable]`]],
  ["a panel on another variable", (d) => { d.panels[0].datasource = { uid: "$other" }; }, []],
  ["a panel on -- Grafana --", (d) => { d.panels[0].datasource = { uid: "-- Grafana --" }; }, []],
  ["a panel on the built-in grafana datasource", (d) => { d.panels[0].datasource = { type: "grafana", uid: "grafana" }; }, []],
  ["a Mixed panel whose targets name the variable", (d) => { d.panels[0].datasource = { uid: "-- Mixed --" }; t0(d).datasource = { uid: "${datasource}" }; }, []],
  ["a panel on -- Dashboard --", (d) => { d.panels[0].datasource = { uid: "-- Dashboard --" }; }, []],
  ["a panel naming the Prometheus uid as a string", (d) => { d.panels[0].datasource = "prometheus"; }, [`warning: ${P1}datasource hard-codes the Prometheus datasource "prometheus"; use "\${datasource}" [dashboard/datasource-variable]`]],
  ["a panel on the provisioned Loki", (d) => { d.panels[0].datasource = { type: "loki", uid: "loki" }; t0(d).expr = '{job="x"} |= "err"'; }, []],
  ["an unknown datasource, the provisioned ones given", (d) => { d.panels[0].datasource = { type: "prometheus", uid: "zzz" }; }, [`${P1}datasource refers to datasource "zzz", which is neither "\${datasource}" nor provisioned (a, b) [dashboard/datasource-unknown]`], { datasourceUids: ["a", "b"] }],
  ["an unknown datasource under the lint profile (not checked)", (d) => { d.panels[0].datasource = { type: "prometheus", uid: "zzz" }; }, [], { lint: { profile: "lint" } }],
  ["a hard-coded Prometheus of another uid", (d) => { d.panels[0].datasource = { type: "prometheus", uid: "prom2" }; }, [`warning: ${P1}datasource hard-codes the Prometheus datasource "prom2"; use "\${datasource}" [dashboard/datasource-variable]`], { prometheusUid: "prom2" }],
  ["a panel without gridPos", (d) => { delete d.panels[0].gridPos; }, [`warning: ${P1}gridPos is missing (Grafana places the panel itself) [dashboard/grid]`]],
  ["an empty gridPos (Grafana's defaults)", (d) => { d.panels[0].gridPos = {}; d.panels[1].gridPos = { x: 12, y: 0, w: 12, h: 9 }; }, []],
  ["x of -1", (d) => { d.panels[0].gridPos.x = -1; }, [`warning: ${P1}gridPos {x:-1,y:0,w:12,h:8} is outside the 24-column grid [dashboard/grid]`]],
  ["y of -1", (d) => { d.panels[0].gridPos.y = -1; d.panels[1].gridPos.y = 8; }, [`warning: ${P1}gridPos {x:0,y:-1,w:12,h:8} is outside the 24-column grid [dashboard/grid]`]],
  ["a width of 0", (d) => { d.panels[0].gridPos.w = 0; }, [`warning: ${P1}gridPos {x:0,y:0,w:0,h:8} is outside the 24-column grid [dashboard/grid]`]],
  ["a height of 0", (d) => { d.panels[0].gridPos.h = 0; }, [`warning: ${P1}gridPos {x:0,y:0,w:12,h:0} is outside the 24-column grid [dashboard/grid]`]],
  ["x + w of 25", (d) => { d.panels[1].gridPos.x = 13; }, [`warning: ${P2}gridPos {x:13,y:0,w:12,h:8} is outside the 24-column grid [dashboard/grid]`]],
  ["x + w of exactly 24", (d) => { d.panels[1].gridPos = { x: 12, y: 0, w: 12, h: 8 }; }, []],
  ["a panel right below another", (d) => { d.panels[1].gridPos = { x: 0, y: 8, w: 12, h: 8 }; }, []],
  ["a panel one unit into the one above", (d) => { d.panels[1].gridPos = { x: 0, y: 7, w: 12, h: 8 }; }, [`warning: ${P2}gridPos overlaps panel "P1" (id 1) [dashboard/grid]`]],
  ["a later panel right above an earlier one", (d) => { d.panels[0].gridPos = { x: 0, y: 8, w: 12, h: 8 }; d.panels[1].gridPos = { x: 0, y: 0, w: 12, h: 8 }; }, []],
  ["a later panel right left of an earlier one", (d) => { d.panels[0].gridPos = { x: 12, y: 0, w: 12, h: 8 }; d.panels[1].gridPos = { x: 0, y: 0, w: 12, h: 8 }; }, []],
  ["a later panel one unit into an earlier one from the left", (d) => { d.panels[0].gridPos = { x: 11, y: 0, w: 12, h: 8 }; d.panels[1].gridPos = { x: 0, y: 0, w: 12, h: 8 }; }, [`warning: ${P2}gridPos overlaps panel "P1" (id 1) [dashboard/grid]`]],
  ["a row with w: 0 (spans the width anyway)", (d) => { d.panels.unshift({ id: 9, type: "row", title: "R", gridPos: { x: 5, y: 0, w: 0, h: 0 }, panels: [] }); d.panels[1].gridPos.y = 1; d.panels[2].gridPos.y = 1; }, []],
  ["a collapsed row's panel", (d) => { d.panels.push({ id: 9, type: "row", title: "R", gridPos: { x: 0, y: 8, w: 24, h: 1 }, panels: [panel(3, 0, 9, { description: "" })] }); }, [`warning: dashboard "t-dash" > panel "P3" (id 3): description is empty; say what the panel shows and what a bad value means [dashboard/panel-description]`]],
  ["panels under a panel that is not a row (not read)", (d) => { d.panels.push({ id: 9, type: "text", title: "N", description: "n", gridPos: { x: 0, y: 8, w: 24, h: 1 }, panels: [panel(3, 0, 9, { description: "" })] }); }, []],
  ["a legacy row's panel (no grid)", (d) => { d.rows = [{ panels: [panel(3, 0, 0, { gridPos: undefined, title: "" })] }]; }, [`warning: dashboard "t-dash" > panel "" (id 3): title is empty [dashboard/panel-title]`]],
  ["no panels", (d) => { d.panels = []; }, [`warning: ${D}: panels has no panels [dashboard/panel-no-targets]`]],
  ["two panels without ids", (d) => { delete d.panels[0].id; delete d.panels[1].id; }, [`warning: dashboard "t-dash" > panel "P1" (id none): id is missing (panel #0) [dashboard/panel-id]`, `warning: dashboard "t-dash" > panel "P2" (id none): id is missing (panel #1) [dashboard/panel-id]`]],
  ["two panels with one id", (d) => { d.panels[1].id = 1; }, [`warning: ${D}: panels[].id id 1 is used by more than one panel [dashboard/panel-id]`]],
  ["a blank title", (d) => { d.panels[0].title = "  "; }, [`warning: dashboard "t-dash" > panel "  " (id 1): title is empty [dashboard/panel-title]`]],
  ["a blank description", (d) => { d.panels[0].description = " "; }, [`warning: ${P1}description is empty; say what the panel shows and what a bad value means [dashboard/panel-description]`]],
  ["no description", (d) => { delete d.panels[0].description; }, [`warning: ${P1}description is empty; say what the panel shows and what a bad value means [dashboard/panel-description]`]],
  ["a text panel (no unit, datasource or targets)", (d) => { d.panels[0] = { id: 1, type: "text", title: "N", description: "n", gridPos: { x: 0, y: 0, w: 12, h: 8 } }; }, []],
  ["a library panel (its own model)", (d) => { d.panels[0] = { id: 1, title: "L", description: "l", gridPos: { x: 0, y: 0, w: 12, h: 8 }, libraryPanel: { uid: "lib" } }; }, []],
  ["a logs panel without a unit", (d) => { d.panels[0].type = "logs"; delete d.panels[0].fieldConfig; }, []],
  ["a legacy format unit", (d) => { delete d.panels[0].fieldConfig; d.panels[0].format = "bytes"; }, []],
  ["a legacy y-axis unit", (d) => { delete d.panels[0].fieldConfig; d.panels[0].yaxes = [{ format: "percent" }, { format: "short" }]; }, []],
  ["an unknown legacy y-axis unit", (d) => { delete d.panels[0].fieldConfig; d.panels[0].yaxes = [{ format: "percents" }]; }, [`warning: ${P1}fieldConfig.defaults.unit "percents" is not a Grafana unit (Grafana prints it after each value as text) [dashboard/unit-unknown]`]],
  ["a model that is not an object", () => {}, [`${D}: dashboard is not a JSON object [dashboard/invalid]`], {}, { dashboard: [] }],
  ["an unknown metric under the lint profile (not checked)", (d) => { t0(d).expr = `max(nodd_load1{${FILTER}})`; }, [], { lint: { profile: "lint" } }],
  ["an unknown metric in a stack", (d) => { t0(d).expr = `max(nodd_load1{${FILTER}})`; }, [`warning: ${P1}targets[0].expr reads metric "nodd_load1", which no configured exporter or job is known to expose [dashboard/metric-unknown]`]],
  ["known metrics given: the catalog no longer applies", (d) => { t0(d).expr = `max(nodd_load1{${FILTER}})`; }, [`warning: ${P2}targets[0].expr reads metric "node_cpu_seconds_total", which no configured exporter or job is known to expose [dashboard/metric-unknown]`], { knownMetrics: ["nodd_"] }],
];

const queries: Case[] = [
  ["rate() over a fixed 5m", e(`sum(rate(node_cpu_seconds_total{${FILTER}}[5m]))`), [`warning: ${P1}targets[0].expr rate(node_cpu_seconds_total[5m]) should use [$__rate_interval] [dashboard/rate-interval]`]],
  ["irate() over a fixed 5m", e(`sum(irate(node_cpu_seconds_total{${FILTER}}[5m]))`), [`warning: ${P1}targets[0].expr irate(node_cpu_seconds_total[5m]) should use [$__rate_interval] [dashboard/rate-interval]`]],
  ["increase() over a fixed 5m (the message offers $__range)", e(`sum(increase(node_cpu_seconds_total{${FILTER}}[5m]))`), [`warning: ${P1}targets[0].expr increase(node_cpu_seconds_total[5m]) should use [$__rate_interval] (or [$__range] for a total over the range) [dashboard/rate-interval]`]],
  ["increase() over $__range (a total: fine)", e(`sum(increase(node_cpu_seconds_total{${FILTER}}[$__range]))`), []],
  ["rate() over $__range", e(`sum(rate(node_cpu_seconds_total{${FILTER}}[$__range]))`), [`warning: ${P1}targets[0].expr rate(node_cpu_seconds_total[$__range]) should use [$__rate_interval] [dashboard/rate-interval]`]],
  ["deriv() over a fixed window (not a rate: fine)", e(`sum(deriv(node_load1{${FILTER}}[5m]))`), []],
  ["rate() of a selector without a name", e(`sum(rate({${FILTER}}[$__rate_interval]))`), []],
  ["rate() of a __name__ matcher over a fixed window", e(`sum(rate({__name__="node_cpu_seconds_total",${FILTER}}[5m]))`), [`warning: ${P1}targets[0].expr rate(node_cpu_seconds_total[5m]) should use [$__rate_interval] [dashboard/rate-interval]`]],
  ["a job-level recording rule needs only the job matcher", e(`job:node_cpu:rate5m{job=~"$job"}`), [], { recordingRules: ["job:node_cpu:rate5m"] }],
  ["an instance-level recording rule without the instance matcher", e(`instance:node_cpu:rate5m{job=~"$job"}`), [`warning: ${P1}targets[0].expr selector instance:node_cpu:rate5m has no instance=~"$instance" matcher, so the instance variable does not filter it [dashboard/job-instance-filter]`], { recordingRules: ["instance:node_cpu:rate5m"] }],
  ["a recording rule the rule files do not define", e(`instance:node_cpu:rate5m{${FILTER}}`), [`${P1}targets[0].expr reads recording rule "instance:node_cpu:rate5m", which the rule files do not define [dashboard/recording-rule-undefined]`], { recordingRules: [] }],
  ["a recording rule, no rule files given (not checked)", e(`instance:node_cpu:rate5m{${FILTER}}`), []],
  ["an instance matcher without the variable", e(`max(node_load1{job=~"$job",instance="a"})`), [`warning: ${P1}targets[0].expr selector node_load1 has no instance=~"$instance" matcher, so the instance variable does not filter it [dashboard/job-instance-filter]`]],
  ["_total inside a name is not a counter", e(`max(node_total_bytes{${FILTER}})`), []],
  ["a raw counter", e(`node_cpu_seconds_total{${FILTER}}`), [`warning: ${P1}targets[0].expr uses counter "node_cpu_seconds_total" without rate()/increase(); its raw value only shows uptime [dashboard/counter-raw]`]],
  ["PromQL that does not parse", e(`sum(node_load1{${FILTER}}`), [`${P1}targets[0].expr does not parse or type-check: syntax error at position 55 near "ance_var"}" in "sum(node_load1{job=~"$job",instance=~"$instance"}" [dashboard/promql-invalid]`]],
  ["a string result", e(`"foo"`), [`${P1}targets[0].expr evaluates to a string: ""foo"" [dashboard/promql-invalid]`]],
  ["a scalar result (fine)", e(`1`), []],
  ["a range-vector result", e(`node_load1{${FILTER}}[5m]`), [`${P1}targets[0].expr evaluates to a range vector, which a panel cannot plot: "node_load1{job=~"$job",instance=~"$instance"}[5m]" [dashboard/promql-invalid]`]],
  ["an invalid regex matcher", e(`max(node_load1{${FILTER},mode=~"(("})`), [`${P1}targets[0].expr mode=~"((" is not a valid RE2 regular expression: Unterminated group [dashboard/promql-invalid]`]],
  ["a variable as topk's number", e(`topk($k, node_load1{${FILTER}})`), []],
  ["a variable as a threshold (a value, not a series)", e(`max(node_load1{${FILTER}}) > $threshold`), []],
  ["a variable as the window (read as 5m)", e(`sum(rate(node_cpu_seconds_total{${FILTER}}[$window]))`), [`warning: ${P1}targets[0].expr rate(node_cpu_seconds_total[5m]) should use [$__rate_interval] [dashboard/rate-interval]`]],
  ["a hidden target is not checked", (d) => { t0(d).expr = "sum("; t0(d).hide = true; }, []],
  ["a blank PromQL query", e("  "), [`warning: ${P1}targets[0].expr is empty [dashboard/panel-no-targets]`]],
  ["no expr on another plugin (its query lives elsewhere)", (d) => { d.panels[0].datasource = { type: "elasticsearch", uid: "loki" }; delete t0(d).expr; }, []],
  ["no expr on an unknown datasource", (d) => { d.panels[0].datasource = "${datasource}"; d.templating.list[0].type = "custom"; delete t0(d).expr; }, [`warning: ${D}: templating.list has no datasource variable named "datasource" of type prometheus [dashboard/template-datasource]`]],
  ["an empty LogQL query", (d) => { d.panels[0].datasource = { type: "loki", uid: "loki" }; t0(d).expr = ""; }, [`warning: ${P1}targets[0].expr is empty [dashboard/panel-no-targets]`]],
  ["LogQL that does not parse", (d) => { d.panels[0].datasource = { type: "loki", uid: "loki" }; t0(d).expr = '{job="x"} |= '; }, [`${P1}targets[0].expr does not parse as LogQL: syntax error at position 13 near "b="x"} |=" in "{job="x"} |= " [dashboard/logql-invalid]`]],
  ["LogQL with $__auto", (d) => { d.panels[0].datasource = { type: "loki", uid: "loki" }; t0(d).expr = 'sum(rate({job="x"}[$__auto]))'; }, []],
  ["LogQL with ${__auto}", (d) => { d.panels[0].datasource = { type: "loki", uid: "loki" }; t0(d).expr = 'sum(rate({job="x"}[${__auto}]))'; }, []],
  ["a datasource by name, a LogQL query", (d) => { d.panels[0].datasource = "Loki"; t0(d).expr = '{job="x"} |= "err"'; }, [`${P1}datasource refers to datasource "Loki", which is neither "\${datasource}" nor provisioned (prometheus, alertmanager, loki, tempo, jaeger) [dashboard/datasource-unknown]`]],
  ["a datasource by name, a PromQL query", (d) => { d.panels[0].datasource = "Prom"; }, [`${P1}datasource refers to datasource "Prom", which is neither "\${datasource}" nor provisioned (prometheus, alertmanager, loki, tempo, jaeger) [dashboard/datasource-unknown]`]],
  ["a datasource by name, a query in neither language", (d) => { d.panels[0].datasource = "Prom"; t0(d).expr = 'sum(' ; }, [`${P1}datasource refers to datasource "Prom", which is neither "\${datasource}" nor provisioned (prometheus, alertmanager, loki, tempo, jaeger) [dashboard/datasource-unknown]`, `${P1}targets[0].expr does not parse or type-check: syntax error at position 4 near "sum(" in "sum(" [dashboard/promql-invalid]`]],
  ["a target on the grafana datasource is not checked", (d) => { t0(d).datasource = { type: "datasource", uid: "grafana" }; t0(d).expr = "sum("; }, []],
  ["a -- Dashboard -- panel's target is not checked", (d) => { d.panels[0].datasource = { uid: "-- Dashboard --" }; t0(d).expr = "sum("; }, []],
  ["a Mixed panel's Loki target is checked as LogQL", (d) => { d.panels[0].datasource = { uid: "-- Mixed --" }; t0(d).datasource = { type: "loki", uid: "loki" }; t0(d).expr = 'sum(rate(x[5m]))'; }, [`${P1}targets[0].expr does not parse as LogQL: syntax error at position 9 near "sum(rate(x[5m]))"; syntax error at position 10 near "sum(rate(x[5m]))"; syntax error at position 10 near "sum(rate(x[5m]))" in "sum(rate(x[5m]))" [dashboard/logql-invalid]`]],
  ["a variable query of another form", (d) => { d.templating.list[1].query = "up"; }, [`warning: ${D}: templating.list[1] (job).query is not label_values(...), label_names(), metrics(...) or query_result(...): "up" [dashboard/template-query-shape]`]],
  ["label_names()", (d) => { d.templating.list[1].query = "label_names()"; }, []],
  ["metrics(re)", (d) => { d.templating.list[1].query = "metrics(node_.*)"; }, []],
  ["label_values(label), spaces around", (d) => { d.templating.list[1].query = " label_values(job) "; }, []],
  ["query_result(expr)", (d) => { d.templating.list[1].query = "query_result(topk(5, up))"; }, []],
  ["query_result with invalid PromQL", (d) => { d.templating.list[1].query = "query_result(up{)"; }, [`${D}: templating.list[1] (job).query has invalid PromQL "up{": syntax error at position 3 near "up{" [dashboard/template-query-invalid]`]],
  ["a query object with invalid PromQL", (d) => { d.templating.list[1].query = { query: "label_values(up{), job)", refId: "A" }; }, [`${D}: templating.list[1] (job).query has invalid PromQL "up{)": syntax error at position 3 near "up{)" [dashboard/template-query-invalid]`]],
  ["label_values with spaces before the label", (d) => { d.templating.list[1].query = "label_values(up,   job  )"; }, []],
  ["label_values with a label that is not a name", (d) => { d.templating.list[1].query = "label_values(up, 1job)"; }, [`warning: ${D}: templating.list[1] (job).query is not label_values(...), label_names(), metrics(...) or query_result(...): "label_values(up, 1job)" [dashboard/template-query-shape]`]],
  ["a query variable without a query", (d) => { delete d.templating.list[1].query; }, [`warning: ${D}: templating.list[1] (job).query is not label_values(...), label_names(), metrics(...) or query_result(...): "" [dashboard/template-query-shape]`]],
  ["an unnamed query variable on a named datasource", (d) => { d.templating.list.push({ type: "query", refresh: 2, datasource: "prom", query: "label_values(up, job)" }); }, [`warning: ${D}: templating.list[3] (?).datasource should be the "\${datasource}" variable [dashboard/datasource-variable]`]],
  ["a variable-named metric with matchers is still checked", e(`max($metric{${FILTER}})`), [`warning: ${P1}targets[0].expr reads metric "metric_var", which no configured exporter or job is known to expose [dashboard/metric-unknown]`]],
  ["rate() of a variable-named metric is still checked", e(`sum(rate($metric{${FILTER}}[5m]))`), [`warning: ${P1}targets[0].expr rate(metric_var[5m]) should use [$__rate_interval] [dashboard/rate-interval]`, `warning: ${P1}targets[0].expr reads metric "metric_var", which no configured exporter or job is known to expose [dashboard/metric-unknown]`]],
  ["rate() over a fixed window of a selector without a name", e(`sum(rate({${FILTER}}[5m]))`), [`warning: ${P1}targets[0].expr rate((no name)[5m]) should use [$__rate_interval] [dashboard/rate-interval]`]],
  ["every parse error of a query, joined", e("holt_winters(x[5m], 0.5, 0.5)"), [`${P1}targets[0].expr does not parse or type-check: syntax error at position 12 near "lt_winters(x[5m], 0.5"; syntax error at position 13 near "t_winters(x[5m], 0.5,"; syntax error at position 18 near "ters(x[5m], 0.5, 0.5)" in "holt_winters(x[5m], 0.5, 0.5)" [dashboard/promql-invalid]`]],
  ["LogQL on a Prometheus panel is invalid PromQL", e('{job="x"} |= "err"'), [`${P1}targets[0].expr does not parse or type-check: syntax error at position 10 near "{job="x"} |= "err""; syntax error at position 13 near "b="x"} |= "err"" in "{job="x"} |= "err"" [dashboard/promql-invalid]`]],
  ["valid PromQL on an unknown datasource is reported once", (d) => { d.panels[0].datasource = "Prom"; t0(d).expr = `sum(rate(node_cpu_seconds_total{${FILTER}}[5m]))`; }, [`warning: ${P1}targets[0].expr rate(node_cpu_seconds_total[5m]) should use [$__rate_interval] [dashboard/rate-interval]`], { datasourceUids: ["Prom"] }],
  ["a label_values query with text before it", (d) => { d.templating.list[1].query = "xlabel_values(up, job)"; }, [`warning: ${D}: templating.list[1] (job).query is not label_values(...), label_names(), metrics(...) or query_result(...): "xlabel_values(up, job)" [dashboard/template-query-shape]`]],
  ["a label_values query with text after it", (d) => { d.templating.list[1].query = "label_values(up, job) x"; }, [`warning: ${D}: templating.list[1] (job).query is not label_values(...), label_names(), metrics(...) or query_result(...): "label_values(up, job) x" [dashboard/template-query-shape]`]],
  ["a query_result with text after it", (d) => { d.templating.list[1].query = "query_result(up) x"; }, [`warning: ${D}: templating.list[1] (job).query is not label_values(...), label_names(), metrics(...) or query_result(...): "query_result(up) x" [dashboard/template-query-shape]`]],
  ["a query_result with text before it", (d) => { d.templating.list[1].query = "x query_result(up)"; }, [`warning: ${D}: templating.list[1] (job).query is not label_values(...), label_names(), metrics(...) or query_result(...): "x query_result(up)" [dashboard/template-query-shape]`]],
  ["a variable query with several parse errors", (d) => { d.templating.list[1].query = "query_result(holt_winters(x[5m], 0.5, 0.5))"; }, [`${D}: templating.list[1] (job).query has invalid PromQL "holt_winters(x[5m], 0.5, 0.5)": syntax error at position 12 near "lt_winters(x[5m], 0.5"; syntax error at position 13 near "t_winters(x[5m], 0.5,"; syntax error at position 18 near "ters(x[5m], 0.5, 0.5)" [dashboard/template-query-invalid]`]],
];

describe("lintDashboards: conventions, variables, datasources, grid and panels", () => {
  it.each(structure)("%s", (_name, change, expected, ctx, def) => {
    expect(lint(change, ctx, def)).toEqual(expected);
  });
});

describe("lintDashboards: the queries", () => {
  it.each(queries)("%s", (_name, change, expected, ctx, def) => {
    expect(lint(change, ctx, def)).toEqual(expected);
  });
});

describe("which language a datasource reference speaks", () => {
  const vars = new Map<string, Obj>([
    ["datasource", { type: "datasource", query: "prometheus" }],
    ["logs", { type: "datasource", query: "loki" }],
    ["es", { type: "datasource", query: "elasticsearch" }],
    ["noq", { type: "datasource" }],
    ["q", { type: "query", query: "prometheus" }],
  ]);
  it.each([
    [undefined, undefined], [null, undefined],
    ["-- Mixed --", "mixed"], [{ uid: "-- Dashboard --" }, "none"], ["-- Grafana --", "other"], ["grafana", "other"],
    [{ type: "prometheus", uid: "x" }, "promql"], [{ type: "loki" }, "logql"], [{ type: "elasticsearch", uid: "$datasource" }, "other"],
    [{ type: "datasource", uid: "$logs" }, "logql"], [{ type: "datasource", uid: "grafana" }, "other"],
    ["$datasource", "promql"], ["${datasource}", "promql"], ["${logs:raw}", "logql"], ["$es", "other"], ["$noq", "other"],
    ["$q", "unknown"], ["$missing", "unknown"], ["Prometheus", "unknown"], [{}, "unknown"], [{ uid: 5 }, "unknown"], ["[[datasource]]", "unknown"],
  ] as [unknown, string | undefined][])("%j → %s", (ref, lang) => {
    expect(datasourceLanguage(ref, vars)).toBe(lang);
  });

  it.each([
    [{ type: "loki" }, { uid: "-- Mixed --" }, "logql"],
    [{ uid: "-- Mixed --" }, { type: "loki" }, "logql"],
    [undefined, { type: "loki" }, "logql"],
    ["Prom", { type: "loki" }, "logql"],
    [undefined, undefined, "unknown"],
    [undefined, { uid: "-- Mixed --" }, "unknown"],
    ["Prom", { uid: "-- Mixed --" }, "unknown"],
    [{ uid: "-- Mixed --" }, { uid: "-- Mixed --" }, "mixed"],
    ["Prom", undefined, "unknown"],
    [{ uid: "-- Mixed --" }, undefined, "mixed"],
  ] as [unknown, unknown, string][])("target %j on panel %j → %s", (target, panelDs, lang) => {
    expect(targetLanguage({ datasource: panelDs }, { datasource: target }, vars)).toBe(lang);
  });
});

describe("how a dashboard query is read before the PromQL check", () => {
  it.each([
    ["up", "up"],
    ["up > $threshold", "up > threshold_var"],
    ['up{job="$job"} > $t', 'up{job="job_var"} > t_var'],
    ["topk($k, up)", "topk(1, up)"],
    ["topk( ${k} , up)", "topk( 1 , up)"],
    ["topk(${k:raw}, up)", "topk(1, up)"],
    ['topk($k, up{job="$job"})', 'topk(1, up{job="job_var"})'],
    ["topk($k, $metric)", "topk(1, metric_var)"],
    ["histogram_quantile($q, x)", "histogram_quantile(1, x)"],
    ["rate(up[$w])", "rate(up[5m])"],
    ["rate(up[${w}])", "rate(up[5m])"],
    ["max_over_time(up[$__interval])", "max_over_time(up[5m])"],
    ["max_over_time(up[${__interval}])", "max_over_time(up[5m])"],
    ["up offset $__interval", "up offset 5m"],
    ["$__intervalx", "__intervalx_var"],
    // Only the numbers-everywhere reading passes (topk needs a number, so do the comparisons read as words):
    ["up > $t and topk($k, up)", "up > 1 and topk(1, up)"],
    ["up{job='$job'} > $t and topk($k, up)", "up{job='job_var'} > 1 and topk(1, up)"],
    ["up{job=`$job`} > $t and topk($k, up)", "up{job=`job_var`} > 1 and topk(1, up)"],
    ["up{job=\"a\\\"$x\"} > $t and topk($k, up)", "up{job=\"a\\\"x_var\"} > 1 and topk(1, up)"],
    ["up > ${t:raw} and topk($k, up)", "up > 1 and topk(1, up)"],
    ["max_over_time(up[$__interval]) > $t and topk($k, up)", "max_over_time(up[5m]) > 1 and topk(1, up)"],
    ["max_over_time(up[${__interval}]) > $t and topk($k, up)", "max_over_time(up[5m]) > 1 and topk(1, up)"],
    ["max_over_time(up[$__auto]) > $t and topk($k, up)", "max_over_time(up[5m]) > 1 and topk(1, up)"],
    ["rate(up[$w]) > $t and topk($k, up)", "rate(up[5m]) > 1 and topk(1, up)"],
    ["rate(up[${w}]) > $t and topk($k, up)", "rate(up[5m]) > 1 and topk(1, up)"],
    ["max_over_time(rate(up[$w:1m])[5m:]) > $t and topk($k, up)", "max_over_time(rate(up[5m:1m])[5m:]) > 1 and topk(1, up)"],
    // Only the first-argument reading passes ($m must stay a series):
    ["topk( $k, $m)", "topk(1, m_var)"],
    ["topk(${k:raw}, $m)", "topk(1, m_var)"],
    ["topk($kk, $m)", "topk(1, m_var)"],
    ["topk($k , $m)", "topk(1, m_var)"],
    ["topk(${k}, $m)", "topk(1, m_var)"],
  ])("%s → %s", (expr, text) => {
    const r = checkDashboardPromql(expr);
    expect(r.errors).toEqual([]);
    expect(r.text).toBe(text);
  });

  it("keeps the words-first reading (and its errors) when no reading passes", () => {
    const r = checkDashboardPromql("sum($x");
    expect(r.text).toBe("sum(x_var");
    expect(r.errors.length).toBeGreaterThan(0);
    expect(checkDashboardPromql("sum(").text).toBe("sum(");
  });

  it("reads $__auto as a window in LogQL, with or without braces", () => {
    expect(checkLogql('rate({a="b"}[$__auto])')).toEqual([]);
    expect(checkLogql('rate({a="b"}[${__auto}])')).toEqual([]);
    expect(checkLogql('{a="$x"}')).toEqual([]);
    expect(checkLogql('rate({a="b"}[$__autox])')).toEqual(['syntax error at position 15 near "{a="b"}[5mx])"']);
  });

  it("refuses a regex RE2 does not compile (Loki refuses the query), with variables in a regex read as words (x → x_var)", () => {
    expect(checkLogql('{a=~"$x|${y}"} |~ "$filter"')).toEqual([]);
    expect(checkLogql('sum(count_over_time({a=~"$x|("} [5m]))')).toEqual(['regex "x_var|(" is not valid RE2: Unterminated group']);
    expect(checkLogql('{a="b"} |~ "[z-a]" | json | c!~"d**"')).toEqual(['regex "[z-a]" is not valid RE2: Range out of order in character class', 'regex "d**" is not valid RE2: Nothing to repeat']);
    // A syntax error is reported alone: its regexes are not read.
    expect(checkLogql('{a=~"("')).toEqual([expect.stringMatching(/^syntax error/)]);
  });
});
