/**
 * What dashboards written elsewhere (the monitoring mixins, grafana.com) do that the lint used to reject, each as a
 * minimal dashboard of our own: none of these is a finding at error level, and the ones that are wrong are still
 * caught (an invalid LogQL query, a PromQL error behind a variable).
 */
import { describe, expect, it } from "vitest";
import { lintDashboards, type DashboardDef } from "../../../core/grafana";
import { errorsOf, formatIssue } from "../../../core/validation";

type Obj = Record<string, unknown>;
const lint = { lint: { profile: "lint" as const } };

function board(extra: Obj): DashboardDef {
  return {
    uid: "mixin",
    title: "Mixin",
    folder: "imported",
    dashboard: {
      uid: "mixin",
      title: "Mixin",
      schemaVersion: 39,
      templating: {
        list: [
          { name: "datasource", type: "datasource", query: "prometheus" },
          { name: "loki", type: "datasource", query: "loki" },
          { name: "k", type: "custom", query: "5,10,20" },
        ],
      },
      ...extra,
    },
  };
}

const prom = { type: "prometheus", uid: "$datasource" };
const timeseries = (targets: Obj[], more: Obj = {}): Obj => ({ id: 1, type: "timeseries", title: "p", gridPos: { h: 8, w: 12, x: 0, y: 0 }, datasource: prom, fieldConfig: { defaults: { unit: "short" } }, targets, ...more });
const errorsOfBoard = (d: DashboardDef) => errorsOf(lintDashboards([d], lint)).map(formatIssue);
const issuesOf = (d: DashboardDef) => lintDashboards([d], lint);

describe("dashboard lint on content from elsewhere", () => {
  it("reads a legacy rows[] dashboard: its panels are checked, not reported as missing", () => {
    const legacy = board({ rows: [{ title: "r", panels: [{ id: 1, type: "graph", span: 6, title: "Load", datasource: "$datasource", yaxes: [{ format: "percentunit" }], targets: [{ expr: "node_load1" }] }] }] });
    expect(errorsOfBoard(legacy)).toEqual([]);
    const issues = issuesOf(legacy);
    expect(issues.find((i) => i.field === "panels" && i.message === "has no panels")).toBeUndefined();
    // The panel is read: its legacy unit field is found, and a broken query in it is an error.
    expect(issues.find((i) => i.rule === "dashboard/unit-missing")).toBeUndefined();
    const broken = board({ rows: [{ panels: [{ id: 1, type: "graph", title: "Load", datasource: "$datasource", targets: [{ expr: "rate(node_load1)" }] }] }] });
    expect(errorsOfBoard(broken)).toEqual([expect.stringContaining('panel "Load" (id 1): targets[0].expr does not parse or type-check: expected type matrix')]);
  });

  it("substitutes a variable as a number where PromQL wants one: topk($k, …)", () => {
    expect(errorsOfBoard(board({ panels: [timeseries([{ expr: "topk($k, sum by (job) (rate(http_requests_total[$__rate_interval])))" }])] }))).toEqual([]);
    expect(errorsOfBoard(board({ panels: [timeseries([{ expr: "quantile($q, up) > ${threshold}" }])] }))).toEqual([]);
    // Still an error when no reading of the variables type-checks.
    expect(errorsOfBoard(board({ panels: [timeseries([{ expr: "topk($k, rate(up))" }])] }))).toHaveLength(1);
  });

  it("checks Loki targets as LogQL, never as PromQL", () => {
    const logs = (expr: string, ds: Obj = { type: "loki", uid: "$loki" }) => board({ panels: [{ id: 1, type: "logs", title: "Logs", gridPos: { h: 8, w: 24, x: 0, y: 0 }, datasource: ds, targets: [{ expr }] }] });
    expect(errorsOfBoard(logs('{job="api"} |= "error" | json | level="error"'))).toEqual([]);
    expect(errorsOfBoard(logs('sum by (level) (count_over_time({job="api"} | logfmt [$__auto]))'))).toEqual([]);
    // Through the datasource variable alone (uid "$loki", no type), too.
    expect(errorsOfBoard(logs('{job="api"} |~ "time(out)?"', { uid: "$loki" }))).toEqual([]);
    const bad = errorsOfBoard(logs('{job="api"} |= '));
    expect(bad).toEqual([expect.stringMatching(/targets\[0\]\.expr does not parse as LogQL: .*\[dashboard\/logql-invalid\]$/)]);
  });

  it("takes Mixed and Dashboard datasources: each target's own datasource decides, a Dashboard target has no query", () => {
    const mixed = board({
      panels: [
        timeseries(
          [
            { datasource: prom, expr: "sum(rate(http_requests_total[$__rate_interval]))" },
            { datasource: { type: "loki", uid: "$loki" }, expr: 'sum(count_over_time({job="api"}[$__interval]))' },
          ],
          { datasource: { type: "datasource", uid: "-- Mixed --" } },
        ),
        timeseries([{ datasource: { type: "datasource", uid: "-- Dashboard --" }, panelId: 1 }], { id: 2, gridPos: { h: 8, w: 12, x: 12, y: 0 }, datasource: { type: "datasource", uid: "-- Dashboard --" } }),
      ],
    });
    expect(errorsOfBoard(mixed)).toEqual([]);
    expect(issuesOf(mixed).filter((i) => i.rule === "dashboard/datasource-unknown" || i.rule === "dashboard/datasource-variable")).toEqual([]);
  });

  it("takes string datasource references in template variables and panels (older Grafana)", () => {
    const d = board({ panels: [timeseries([{ expr: "up" }], { datasource: "$datasource" })] });
    (d.dashboard as { templating: { list: Obj[] } }).templating.list.push({ name: "job", type: "query", datasource: "$datasource", query: "label_values(up, job)", refresh: 2, multi: true, includeAll: true });
    expect(errorsOfBoard(d)).toEqual([]);
    expect(issuesOf(d).filter((i) => i.field.includes("datasource"))).toEqual([]);
  });

  it("knows Grafana's whole unit list and its custom units", () => {
    for (const unit of ["volt", "dBm", "kwatth", "rotrpm", "currencyCHF", "suffix: req", "prefix:$", "si:B/s", "count:msgs", "time:YYYY-MM", "currency:CHF", "bool:on/off"]) {
      const issues = issuesOf(board({ panels: [timeseries([{ expr: "up" }], { fieldConfig: { defaults: { unit } } })] }));
      expect(issues.filter((i) => i.rule?.startsWith("dashboard/unit")), unit).toEqual([]);
    }
    const typo = issuesOf(board({ panels: [timeseries([{ expr: "up" }], { fieldConfig: { defaults: { unit: "percents" } } })] }));
    // Grafana shows an unknown unit as text after the value: a warning, not an error.
    expect(typo.find((i) => i.rule === "dashboard/unit-unknown")?.severity).toBe("warning");
  });

  it("reads a row with w: 0 as the full-width row it is, and an omitted x as 0", () => {
    const d = board({
      panels: [
        { id: 1, type: "row", title: "r", collapsed: false, gridPos: { h: 1, w: 0, y: 0 }, panels: [] },
        timeseries([{ expr: "up" }], { id: 2, gridPos: { h: 8, w: 12, y: 1 } }),
        timeseries([{ expr: "up" }], { id: 3, gridPos: { h: 8, w: 12, x: 12, y: 1 } }),
      ],
    });
    expect(issuesOf(d).filter((i) => i.rule === "dashboard/grid")).toEqual([]);
    // A real overlap is still found, with x defaulted to 0.
    const overlap = board({ panels: [timeseries([{ expr: "up" }], { id: 2, gridPos: { h: 8, w: 12, y: 1 } }), timeseries([{ expr: "up" }], { id: 3, gridPos: { h: 8, w: 12, x: 6, y: 1 } })] });
    expect(issuesOf(overlap).find((i) => i.rule === "dashboard/grid")?.message).toBe('overlaps panel "p" (id 2)');
  });
});
