/**
 * The dashboard importer inside the tests (import.test.ts imports in a hook, which per-test mutation coverage does
 * not see): which documents hold dashboards; a dashboard file, the HTTP API's `{ dashboard, meta }`, a ConfigMap
 * (folder annotation, keys that are not JSON, lines) and a List of them read whole; broken JSON and JSON that is
 * not a dashboard are errors at the key's line and nothing is written; the generated module is asserted whole; and
 * the SDK typing of grafana-typed.ts: complete and lacking dashboards, every object type named where its JSON
 * carries fields the type does not describe, enum values as the SDK's members, untypable elements kept whole.
 */
import { describe, expect, it } from "vitest";
import { formatLocated, importContent } from "../../../core/import";
import { holdsDashboards, importDashboardDoc, isDashboardJson } from "../../../core/import/dashboards";
import { tsValue } from "../../../core/import/emit";
import { dashboardsModule } from "../../../core/import/generate";
import { typedDashboard } from "../../../core/import/grafana-typed";
import { parseSource } from "../../../core/import/source";

const CM = `apiVersion: v1
kind: ConfigMap
metadata:
  name: dashboards
  annotations: { grafana_folder: "Team DB" }
data:
  a.json: '{"uid": "db-a", "title": "DB A", "panels": []}'
  readme.md: hello
  Node_Stats.json: |
    {"rows": [], "schemaVersion": 16}
`;
const LIST = `apiVersion: v1
kind: ConfigMapList
items:
  - kind: ConfigMap
    metadata: { name: one }
    data:
      x.json: '{"uid": "x", "title": "X", "panels": []}'
  - metadata: { name: two }
    data:
      y.json: '{"title": "Y", "panels": []}'
  - kind: Secret
    data:
      z.json: '{"title": "Z", "panels": []}'
`;
const BAD = `kind: ConfigMap
metadata: { name: bad }
data:
  broken.json: '{"panels": ['
  other.json: '{"foo": 1}'
  ok.json: '{"uid": "ok", "panels": []}'
`;
/** This engine's JSON.parse message for broken.json (V8 words it differently across Node versions). */
const BROKEN = (() => {
  try {
    JSON.parse('{"panels": [');
  } catch (e) {
    return (e as Error).message;
  }
  return "";
})();
const doc = (path: string, text: string) => parseSource({ path, text }).docs[0]!;
const read = (path: string, text: string) => {
  const r = importDashboardDoc(doc(path, text), "fallback");
  return { dashboards: r.dashboards, issues: r.problems.issues.map(formatLocated) };
};

describe("which documents hold dashboards", () => {
  it.each([
    [{ panels: [], title: "t" }, true, true],
    [{ rows: [], schemaVersion: 1 }, true, true],
    [{ panels: [], uid: "u" }, true, true],
    [{ panels: [] }, false, false],
    [{ panels: {}, title: "t" }, false, false],
    [[{ panels: [], title: "t" }], false, false],
    [{ dashboard: { panels: [], title: "t" }, meta: {} }, false, true],
    [{ kind: "ConfigMap", data: { "a.json": "x" } }, false, true],
    [{ kind: "ConfigMap", data: { "a.yaml": "x" } }, false, false],
    [{ kind: "ConfigMap" }, false, false],
    [{ kind: "List", items: [{ data: { "a.json": "x" } }] }, false, true],
    [{ kind: "ConfigMapList", items: [{ kind: "Secret", data: { "a.json": "x" } }] }, false, false],
    [{ kind: "Listing", items: [{ kind: "ConfigMap", data: { "a.json": "x" } }] }, false, false],
    [{ kind: "List", items: {} }, false, false],
  ])("%j: a dashboard %s, holds dashboards %s", (v, dashboard, holds) => {
    expect([isDashboardJson(v), holdsDashboards(v)]).toEqual([dashboard, holds]);
  });
});

describe("dashboard sources, read whole", () => {
  it.each([
    ["a dashboard file", "d/svc.json", '{"uid": "svc", "title": "Svc", "panels": []}', [{ def: { uid: "svc", title: "Svc", folder: "fallback", dashboard: { uid: "svc", title: "Svc", panels: [] } }, file: "d/svc.json", key: "svc.json" }]],
    ["the HTTP API's wrapper, without uid or title", "d/Node Exporter.json", '{"dashboard": {"uid": "", "panels": []}, "meta": {}}', [{ def: { uid: "node-exporter", title: "node-exporter", folder: "fallback", dashboard: { uid: "", panels: [] } }, file: "d/Node Exporter.json", key: "Node Exporter.json" }]],
    ["a ConfigMap with a folder annotation", "k/cm.yaml", CM, [
      { def: { uid: "db-a", title: "DB A", folder: "team-db", dashboard: { uid: "db-a", title: "DB A", panels: [] } }, file: "k/cm.yaml", key: "a.json", line: 7 },
      { def: { uid: "node-stats", title: "node-stats", folder: "team-db", dashboard: { rows: [], schemaVersion: 16 } }, file: "k/cm.yaml", key: "Node_Stats.json", line: 9 },
    ]],
    ["a List of ConfigMaps (items without kind count, other kinds do not)", "k/list.yaml", LIST, [
      { def: { uid: "x", title: "X", folder: "fallback", dashboard: { uid: "x", title: "X", panels: [] } }, file: "k/list.yaml", key: "x.json", line: 7 },
      { def: { uid: "y", title: "Y", folder: "fallback", dashboard: { title: "Y", panels: [] } }, file: "k/list.yaml", key: "y.json", line: 10 },
    ]],
  ])("%s", (_name, path, text, dashboards) => {
    expect(read(path, text)).toEqual({ dashboards, issues: [] });
  });

  it("broken JSON and JSON that is not a dashboard are errors at their key; the rest is still read", () => {
    expect(read("k/bad.yaml", BAD)).toEqual({
      dashboards: [{ def: { uid: "ok", title: "ok", folder: "fallback", dashboard: { uid: "ok", panels: [] } }, file: "k/bad.yaml", key: "ok.json", line: 6 }],
      issues: [`k/bad.yaml:4: ConfigMap "bad" > broken.json is not JSON: ${BROKEN} [dashboard/invalid]`, 'k/bad.yaml:5: ConfigMap "bad" > other.json is not a dashboard (no panels or rows) [dashboard/invalid]'],
    });
    const r = importContent([{ path: "k/bad.yaml", text: BAD }], { from: "moncode" });
    expect({ errors: r.issues.filter((i) => i.severity === "error").map(formatLocated), modules: r.modules }).toEqual({
      errors: [`k/bad.yaml:4: ConfigMap "bad" > broken.json is not JSON: ${BROKEN} [dashboard/invalid]`, 'k/bad.yaml:5: ConfigMap "bad" > other.json is not a dashboard (no panels or rows) [dashboard/invalid]'],
      modules: [],
    });
  });

  it("the folder option, kebab-cased, is used where the source names none", () => {
    const r = importContent([{ path: "k/list.yaml", text: LIST }, { path: "k/cm.yaml", text: CM }], { folder: "Ops Team" });
    expect(r.dashboards.map((d) => [d.def.uid, d.def.folder])).toEqual([["x", "ops-team"], ["y", "ops-team"], ["db-a", "team-db"], ["node-stats", "team-db"]]);
    expect(importContent([{ path: "a.json", text: '{"title": "A", "panels": []}' }]).dashboards[0]!.def.folder).toBe("imported");
  });
});

describe("the generated module", () => {
  it("a ConfigMap of two dashboards: typed, a lacking type for missing fields, legacy rows kept raw", () => {
    const r = importContent([{ path: "k/cm.yaml", text: CM }], { from: "lib" });
    expect(r.issues.filter((i) => i.severity === "error")).toEqual([]);
    expect(r.modules.map((m) => [m.path, m.source])).toEqual([["dashboards/cm.ts", "k/cm.yaml"]]);
    expect(r.modules[0]!.content).toBe(`/**
 * Imported by \`moncode import\` from k/cm.yaml.
 * Edit freely: this module is now the source of truth for this content.
 */
import * as dashboard from "@grafana/grafana-foundation-sdk/dashboard";
import { grafana } from "lib";

const dbAModel: grafana.Lacking<dashboard.Dashboard, "schemaVersion" | "templating" | "annotations"> = { uid: "db-a", title: "DB A", panels: [] };

export const dbA: grafana.DashboardDef = { uid: "db-a", title: "DB A", folder: "team-db", dashboard: dbAModel };

const nodeStatsModel: grafana.Lacking<dashboard.Dashboard, "templating" | "annotations"> = grafana.withRaw<grafana.Lacking<dashboard.Dashboard, "templating" | "annotations">>(
  { schemaVersion: 16 },
  { rows: [] },
);

export const nodeStats: grafana.DashboardDef = { uid: "node-stats", title: "node-stats", folder: "team-db", dashboard: nodeStatsModel };

/** Every dashboard of k/cm.yaml, for GrafanaWithDashboards' \`dashboards\`. */
export const dashboards: grafana.DashboardDef[] = [dbA, nodeStats];
`);
  });

  it("names that the module uses itself are not taken; JSON no SDK type describes is kept as written", () => {
    const defs = [
      { def: { uid: "dashboards", title: "D", folder: "f", dashboard: { schemaVersion: 1, templating: {}, annotations: {} } }, file: "r.json", key: "r.json" },
      { def: { uid: "9-raw", title: "R", folder: "f", dashboard: [1] }, file: "r.json", key: "r.json" },
    ];
    expect(dashboardsModule(defs, "r.json")).toBe(`/**
 * Imported by \`moncode import\` from r.json.
 * Edit freely: this module is now the source of truth for this content.
 */
import * as dashboard from "@grafana/grafana-foundation-sdk/dashboard";
import { grafana } from "moncode";

const dashboards2Model: dashboard.Dashboard = { schemaVersion: 1, templating: {}, annotations: {} };

export const dashboards2: grafana.DashboardDef = { uid: "dashboards", title: "D", folder: "f", dashboard: dashboards2Model };

/** The JSON as Grafana wrote it (not an object the SDK's Dashboard type describes). */
const _9RawModel = [1];

export const _9Raw: grafana.DashboardDef = { uid: "9-raw", title: "R", folder: "f", dashboard: _9RawModel };

/** Every dashboard of r.json, for GrafanaWithDashboards' \`dashboards\`. */
export const dashboards: grafana.DashboardDef[] = [dashboards2, _9Raw];
`);
    expect(dashboardsModule([defs[1]!], "r.json", { from: "x" }).split("\n").slice(4, 6)).toEqual(['import { grafana } from "x";', ""]);
  });
});

describe("typing with the Grafana SDK's types", () => {
  const ns = { sdk: "dashboard" as const, moncode: "g" };
  const C = { schemaVersion: 39, templating: { list: [] }, annotations: { list: [] } };
  const CT = "schemaVersion: 39, templating: { list: [] }, annotations: { list: [] }";
  it.each([
    ["complete", C, "dashboard.Dashboard", `{ ${CT} }`],
    ["lacking every required field", {}, 'g.Lacking<dashboard.Dashboard, "schemaVersion" | "templating" | "annotations">', "{}"],
    ["lacking one, with a raw field", { ...C, annotations: 1 }, 'g.Lacking<dashboard.Dashboard, "annotations">', 'g.withRaw<g.Lacking<dashboard.Dashboard, "annotations">>(\n  { schemaVersion: 39, templating: { list: [] } },\n  { annotations: 1 },\n)'],
    ["values outside their types and enums stay raw; a time without `to` is raw", { ...C, graphTooltip: 7, id: "x", editable: "yes", time: { from: "now-1h" }, repeatDirection: "h" },
      "dashboard.Dashboard", `g.withRaw<dashboard.Dashboard>(\n  { ${CT} },\n  { graphTooltip: 7, id: "x", editable: "yes", time: { from: "now-1h" }, repeatDirection: "h" },\n)`],
    ["null id, numeric enums, literals", { ...C, id: null, graphTooltip: 0, panels: [{ type: "text", repeatDirection: "v" }, { type: "text", repeatDirection: "x" }] }, "dashboard.Dashboard",
      `{\n  schemaVersion: 39,\n  templating: { list: [] },\n  annotations: { list: [] },\n  id: null,\n  graphTooltip: dashboard.DashboardCursorSync.Off,\n  panels: [\n    { type: "text", repeatDirection: "v" },\n    g.withRaw<dashboard.Panel>({ type: "text" }, { repeatDirection: "x" }),\n  ],\n}`],
    ["elements that fit no type are kept whole under their array's type", { ...C, panels: [{ type: "row", id: 1, collapsed: true }, { type: 3 }, 4], templating: { list: [{ name: "v" }] }, links: [{ title: "t" }] }, "dashboard.Dashboard",
      `{\n  schemaVersion: 39,\n  templating: { list: [g.untyped<dashboard.VariableModel>({ name: "v" })] },\n  annotations: { list: [] },\n  panels: [\n    g.untyped<dashboard.Panel>({ type: "row", id: 1, collapsed: true }),\n    g.untyped<dashboard.Panel>({ type: 3 }),\n    g.untyped<dashboard.Panel>(4),\n  ],\n  links: [g.untyped<dashboard.DashboardLink>({ title: "t" })],\n}`],
    ["a list of scalars with an element of another type stays raw whole (no string[] holding a number)", { ...C, tags: ["a", 1] }, "dashboard.Dashboard",
      `g.withRaw<dashboard.Dashboard>(\n  { ${CT} },\n  { tags: ["a", 1] },\n)`],
    ["a value mapping that fits no mapping type is kept under dashboard.ValueMapping, not dashboard.Panel",
      { ...C, panels: [{ type: "stat", fieldConfig: { defaults: { mappings: [{ type: "value", options: { a: { text: "x" } } }, { type: "weird" }, { type: "range", options: { from: 1 } }] }, overrides: [] } }] }, "dashboard.Dashboard",
      `{\n  schemaVersion: 39,\n  templating: { list: [] },\n  annotations: { list: [] },\n  panels: [\n    {\n      type: "stat",\n      fieldConfig: {\n        defaults: {\n          mappings: [\n            { type: dashboard.MappingType.ValueToText, options: { a: { text: "x" } } },\n            g.untyped<dashboard.ValueMapping>({ type: "weird" }),\n            g.untyped<dashboard.ValueMapping>({ type: "range", options: { from: 1 } }),\n          ],\n        },\n        overrides: [],\n      },\n    },\n  ],\n}`],
    ["a record with a value that fits is typed; a fieldConfig without overrides is raw", { ...C, panels: [{ type: "stat", fieldConfig: { defaults: {} } }], templating: { list: [{ type: "query", name: "q", query: { expr: "up" }, current: { text: ["a"], value: "a" } }] } }, "dashboard.Dashboard",
      `{\n  schemaVersion: 39,\n  templating: {\n    list: [\n      {\n        type: dashboard.VariableType.Query,\n        name: "q",\n        query: { expr: "up" },\n        current: { text: ["a"], value: "a" },\n      },\n    ],\n  },\n  annotations: { list: [] },\n  panels: [g.withRaw<dashboard.Panel>({ type: "stat" }, { fieldConfig: { defaults: {} } })],\n}`],
  ])("%s", (_name, json, type, text) => {
    const r = typedDashboard(json, ns)!;
    expect({ type: r.type, text: tsValue(r.value) }).toEqual({ type, text });
  });

  it.each([[[]], ["x"], [null], [3]])("%j is no dashboard object", (v) => expect(typedDashboard(v, ns)).toBeUndefined());

  it("every object the schema describes is named when its JSON carries an unknown field; enum values are the SDK's members", () => {
    const x = 1;
    const result = (o: object = {}) => ({ text: "t", x, ...o });
    const json = {
      schemaVersion: 39, x,
      time: { from: "now-1h", to: "now", x },
      timepicker: { quick_ranges: [{ display: "d", from: "a", to: "b", x }], x },
      templating: { list: [{ type: "custom", name: "v", datasource: { uid: "u", x }, current: { text: "a", value: "a", x }, options: [{ text: "a", value: "a", x }], hide: 2, refresh: 2, sort: 8, x }], x },
      annotations: { list: [{ name: "a", enable: true, iconColor: "red", filter: { ids: [1], x }, x }], x },
      links: [{ title: "l", type: "dashboards", icon: "i", tooltip: "", tags: [], asDropdown: true, targetBlank: false, includeVars: true, keepTime: false, placement: "inControlsMenu", x }],
      panels: [
        { type: "row", id: 1, collapsed: false, panels: [{ type: "stat", x }], gridPos: { h: 1, w: 24, x: 0, y: 0, z: 1 }, x },
        { type: "stat", x, libraryPanel: { name: "n", uid: "u", x }, transformations: [{ id: "t", options: {}, x, filter: { id: "m", x } }],
          fieldConfig: { x, overrides: [{ matcher: { id: "byName" }, properties: [{ id: "p", value: 1, x }], x }],
            defaults: { x, thresholds: { mode: "absolute", steps: [{ value: 1, color: "red", x }], x }, color: { mode: "shades", seriesBy: "max", x },
              mappings: [
                { type: "value", options: { a: result() }, x },
                { type: "range", options: { from: null, to: 1, result: result(), x }, x },
                { type: "regex", options: { pattern: "p", result: result(), x }, x },
                { type: "special", options: { match: "empty", result: result({ color: "c", index: 1 }), x }, x },
              ] } } },
      ],
    };
    const r = typedDashboard(json, ns)!;
    const text = tsValue(r.value);
    const raw = (n: string) => `withRaw ${n}`;
    expect({ type: r.type, named: [...text.matchAll(/g\.(withRaw|untyped)<(.*?)>\(/g)].map((m) => `${m[1]} ${m[2]}`), enums: [...text.matchAll(/dashboard\.\w+\.\w+/g)].map((m) => m[0]) }).toEqual({
      type: "dashboard.Dashboard",
      named: [
        "dashboard.Dashboard", 'NonNullable<dashboard.Dashboard["time"]>', "dashboard.TimePickerConfig", "dashboard.TimeOption", 'dashboard.Dashboard["templating"]', "dashboard.VariableModel",
        "dashboard.DataSourceRef", "dashboard.VariableOption", "dashboard.VariableOption", "dashboard.AnnotationContainer", "dashboard.AnnotationQuery", "dashboard.AnnotationPanelFilter",
        "dashboard.DashboardLink", "dashboard.RowPanel", "dashboard.Panel", "dashboard.GridPos", "dashboard.Panel", "dashboard.LibraryPanelRef", "dashboard.DataTransformerConfig",
        "dashboard.MatcherConfig", "dashboard.FieldConfigSource", 'dashboard.FieldConfigSource["overrides"][number]', "dashboard.DynamicConfigValue", "dashboard.FieldConfig",
        "dashboard.ThresholdsConfig", "dashboard.Threshold", "dashboard.FieldColor", "dashboard.ValueMap", "dashboard.ValueMappingResult", "dashboard.RangeMap",
        'dashboard.RangeMap["options"]', "dashboard.ValueMappingResult", "dashboard.RegexMap", 'dashboard.RegexMap["options"]', "dashboard.ValueMappingResult",
        "dashboard.SpecialValueMap", 'dashboard.SpecialValueMap["options"]', "dashboard.ValueMappingResult",
      ].map(raw),
      enums: [
        "dashboard.VariableType.Custom", "dashboard.VariableHide.HideVariable", "dashboard.VariableRefresh.OnTimeRangeChanged", "dashboard.VariableSort.NaturalDesc",
        "dashboard.DashboardLinkType.Dashboards", "dashboard.ThresholdsMode.Absolute", "dashboard.FieldColorModeId.Shades", "dashboard.FieldColorSeriesByMode.Max",
        "dashboard.MappingType.ValueToText", "dashboard.MappingType.RangeToText", "dashboard.MappingType.RegexToText", "dashboard.MappingType.SpecialValue", "dashboard.SpecialValueMatch.Empty",
      ],
    });
    expect(text).not.toContain("x: 0, y: 0, z");
    expect(text).toContain('g.withRaw<dashboard.GridPos>({ h: 1, w: 24, x: 0, y: 0 }, { z: 1 })');
  });
});
