/**
 * Dashboard JSON as TypeScript typed with the Grafana Foundation SDK's own types (`dashboard.Dashboard`,
 * `dashboard.Panel`, …), as far as the JSON fits them: each object becomes a literal of its SDK type, enum values
 * become the SDK's enum members (`dashboard.VariableType.Query`), and the fields the type does not describe — or
 * describes differently (legacy graph panels' `yaxes`, string datasource references, query targets, which the SDK
 * types as builder objects) — stay JSON in a `grafana.withRaw(typed, raw)` beside the typed part. An object that
 * lacks a field its type requires is kept whole as `grafana.untyped<T>(json)`. The schema below follows the SDK's
 * `dashboard/types.gen.d.ts` (0.0.21); the round-trip test compiles the output against it, so a wrong entry fails.
 */
import * as sdk from "@grafana/grafana-foundation-sdk/dashboard";
import { Call, code } from "./emit";

type Ty =
  | { readonly k: "str" | "num" | "bool" | "null" | "any" }
  | { readonly k: "lit"; readonly v: readonly string[] }
  | { readonly k: "enum"; readonly name: keyof typeof ENUMS }
  | { readonly k: "arr"; readonly of: Ty }
  | { readonly k: "rec"; readonly of: Ty }
  | { readonly k: "or"; readonly of: readonly Ty[] }
  | { readonly k: "obj"; readonly name: string; readonly f: Readonly<Record<string, Field>> }
  /** Objects told apart by a field (`type` of value mappings, `type === "row"` of panels); `name` is their union's type. */
  | { readonly k: "tag"; readonly name: string; readonly key: string; readonly cases: Readonly<Record<string, Ty>>; readonly other?: Ty };
interface Field {
  readonly t: Ty;
  readonly req?: boolean;
}

const ENUMS = {
  DashboardCursorSync: sdk.DashboardCursorSync,
  VariableType: sdk.VariableType,
  VariableHide: sdk.VariableHide,
  VariableRefresh: sdk.VariableRefresh,
  VariableSort: sdk.VariableSort,
  MappingType: sdk.MappingType,
  SpecialValueMatch: sdk.SpecialValueMatch,
  ThresholdsMode: sdk.ThresholdsMode,
  FieldColorModeId: sdk.FieldColorModeId,
  FieldColorSeriesByMode: sdk.FieldColorSeriesByMode,
  DashboardLinkType: sdk.DashboardLinkType,
} as const;

/** Enum value → member name, from the SDK's runtime enum objects (numeric enums carry a reverse mapping). */
function member(name: keyof typeof ENUMS, value: unknown): string | undefined {
  const e = ENUMS[name] as unknown as Record<string, string | number>;
  for (const [k, v] of Object.entries(e)) if (v === value && !/^\d+$/.test(k)) return k;
  return undefined;
}

const S: Ty = { k: "str" };
const N: Ty = { k: "num" };
const B: Ty = { k: "bool" };
const ANY: Ty = { k: "any" };
const arr = (of: Ty): Ty => ({ k: "arr", of });
const en = (name: keyof typeof ENUMS): Ty => ({ k: "enum", name });
const obj = (name: string, f: Record<string, Field | Ty>): Ty => ({
  k: "obj",
  name,
  f: Object.fromEntries(Object.entries(f).map(([k, v]) => [k, "t" in v ? v : { t: v }])),
});
const req = (t: Ty): Field => ({ t, req: true });

const DS = obj("dashboard.DataSourceRef", { type: S, uid: S });
const GRID = obj("dashboard.GridPos", { h: req(N), w: req(N), x: req(N), y: req(N), static: B });
const LINK = obj("dashboard.DashboardLink", {
  title: req(S), type: req(en("DashboardLinkType")), icon: req(S), tooltip: req(S), url: S, tags: req(arr(S)), asDropdown: req(B),
  placement: { k: "lit", v: ["inControlsMenu"] }, targetBlank: req(B), includeVars: req(B), keepTime: req(B),
});
const MATCHER = obj("dashboard.MatcherConfig", { id: req(S), options: ANY });
const RESULT = obj("dashboard.ValueMappingResult", { text: S, color: S, icon: S, index: N });
const NUM_OR_NULL: Ty = { k: "or", of: [N, { k: "null" }] };
const MAPPING: Ty = {
  k: "tag",
  name: "dashboard.ValueMapping",
  key: "type",
  cases: {
    value: obj("dashboard.ValueMap", { type: req(en("MappingType")), options: req({ k: "rec", of: RESULT }) }),
    range: obj("dashboard.RangeMap", { type: req(en("MappingType")), options: req(obj("dashboard.RangeMap[\"options\"]", { from: req(NUM_OR_NULL), to: req(NUM_OR_NULL), result: req(RESULT) })) }),
    regex: obj("dashboard.RegexMap", { type: req(en("MappingType")), options: req(obj("dashboard.RegexMap[\"options\"]", { pattern: req(S), result: req(RESULT) })) }),
    special: obj("dashboard.SpecialValueMap", { type: req(en("MappingType")), options: req(obj("dashboard.SpecialValueMap[\"options\"]", { match: req(en("SpecialValueMatch")), result: req(RESULT) })) }),
  },
};
const FIELD_CONFIG = obj("dashboard.FieldConfig", {
  displayName: S, displayNameFromDS: S, description: S, path: S, writeable: B, filterable: B, unit: S, decimals: N, min: N, max: N,
  mappings: arr(MAPPING),
  thresholds: obj("dashboard.ThresholdsConfig", { mode: req(en("ThresholdsMode")), steps: req(arr(obj("dashboard.Threshold", { value: req(NUM_OR_NULL), color: req(S) }))) }),
  color: obj("dashboard.FieldColor", { mode: req(en("FieldColorModeId")), fixedColor: S, seriesBy: en("FieldColorSeriesByMode") }),
  links: arr(LINK), noValue: S, custom: ANY, fieldMinMax: B,
});
const FIELD_CONFIG_SOURCE = obj("dashboard.FieldConfigSource", {
  defaults: req(FIELD_CONFIG),
  overrides: req(arr(obj("dashboard.FieldConfigSource[\"overrides\"][number]", { __systemRef: S, matcher: req(MATCHER), properties: req(arr(obj("dashboard.DynamicConfigValue", { id: req(S), value: ANY }))) }))),
});
const PANEL_FIELDS = {
  type: req(S), id: N, pluginVersion: S, title: S, description: S, transparent: B, datasource: DS, gridPos: GRID, links: arr(LINK), repeat: S,
  repeatDirection: { k: "lit", v: ["h", "v"] } as Ty, maxPerRow: N, maxDataPoints: N,
  transformations: arr(obj("dashboard.DataTransformerConfig", { id: req(S), disabled: B, filter: MATCHER, topic: { k: "lit", v: ["series", "annotations", "alertStates"] }, options: req(ANY) })),
  interval: S, timeFrom: S, timeShift: S, hideTimeOverride: B, timeCompare: S, libraryPanel: obj("dashboard.LibraryPanelRef", { name: req(S), uid: req(S) }),
  cacheTimeout: S, queryCachingTTL: N, options: ANY, fieldConfig: FIELD_CONFIG_SOURCE,
};
const PANEL = obj("dashboard.Panel", PANEL_FIELDS);
const ROW = obj("dashboard.RowPanel", { type: req({ k: "lit", v: ["row"] }), collapsed: req(B), title: S, datasource: DS, gridPos: GRID, id: req(N), panels: req(arr(PANEL)), repeat: S });
const OPTION = obj("dashboard.VariableOption", { selected: B, text: req({ k: "or", of: [S, arr(S)] }), value: req({ k: "or", of: [S, arr(S)] }) });
const VARIABLE = obj("dashboard.VariableModel", {
  type: req(en("VariableType")), name: req(S), label: S, hide: en("VariableHide"), skipUrlSync: B, description: S,
  query: { k: "or", of: [S, { k: "rec", of: ANY }] }, datasource: DS, current: OPTION, multi: B, allowCustomValue: B, options: arr(OPTION),
  refresh: en("VariableRefresh"), sort: en("VariableSort"), includeAll: B, allValue: S, regex: S, staticOptions: arr(OPTION),
  staticOptionsOrder: { k: "lit", v: ["before", "after", "sorted"] }, auto: B, auto_min: S, auto_count: N, definition: S,
});
const ANNOTATION = obj("dashboard.AnnotationQuery", {
  name: req(S), datasource: DS, enable: req(B), hide: B, iconColor: req(S), filter: obj("dashboard.AnnotationPanelFilter", { exclude: B, ids: req(arr(N)) }),
  type: S, builtIn: N, placement: { k: "lit", v: ["inControlsMenu"] }, expr: S, textFormat: S, titleFormat: S, tagKeys: S, step: S, useValueForTime: B,
});
const DASHBOARD = obj("dashboard.Dashboard", {
  id: NUM_OR_NULL, uid: S, title: S, description: S, revision: N, gnetId: S, tags: arr(S), timezone: S, editable: B,
  graphTooltip: en("DashboardCursorSync"), time: obj("NonNullable<dashboard.Dashboard[\"time\"]>", { from: req(S), to: req(S) }),
  timepicker: obj("dashboard.TimePickerConfig", { hidden: B, refresh_intervals: arr(S), quick_ranges: arr(obj("dashboard.TimeOption", { display: req(S), from: req(S), to: req(S) })), nowDelay: S }),
  fiscalYearStartMonth: N, liveNow: B, weekStart: S, refresh: S, schemaVersion: req(N), version: N,
  panels: arr({ k: "tag", name: "dashboard.Panel", key: "type", cases: { row: ROW }, other: PANEL }),
  templating: req(obj("dashboard.Dashboard[\"templating\"]", { list: arr(VARIABLE) })),
  annotations: req(obj("dashboard.AnnotationContainer", { list: arr(ANNOTATION) })),
  links: arr(LINK), preload: B,
});

const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/** The TypeScript value of `v` typed as `t`, or undefined when `v` does not fit it. */
function typed(v: unknown, t: Ty, ns: Namespaces): unknown {
  switch (t.k) {
    case "any":
      return v;
    case "str":
      return typeof v === "string" ? v : undefined;
    case "num":
      return typeof v === "number" ? v : undefined;
    case "bool":
      return typeof v === "boolean" ? v : undefined;
    case "null":
      return v === null ? null : undefined;
    case "lit":
      return typeof v === "string" && t.v.includes(v) ? v : undefined;
    case "enum": {
      const m = member(t.name, v);
      return m === undefined ? undefined : code(`${ns.sdk}.${t.name}.${m}`);
    }
    case "or":
      for (const o of t.of) {
        const r = typed(v, o, ns);
        if (r !== undefined) return r;
      }
      return undefined;
    case "arr": {
      if (!Array.isArray(v)) return undefined;
      // An element that fits no type is kept whole under its object type's name; a list of scalars with one
      // element of another type (`tags: ["a", 1]`) has no type to name, so the whole list stays raw.
      const out = v.map((x) => typed(x, t.of, ns) ?? untypedElement(x, t.of, ns));
      return out.includes(undefined) ? undefined : out;
    }
    case "rec": {
      if (!isObj(v)) return undefined;
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) {
        const r = typed(x, t.of, ns);
        if (r === undefined) return undefined;
        out[k] = r;
      }
      return out;
    }
    case "tag": {
      if (!isObj(v)) return undefined;
      const c = t.cases[String(v[t.key])] ?? t.other;
      return c ? typed(v, c, ns) : undefined;
    }
    case "obj": {
      const r = typedObject(v, t, ns);
      return r && r.missing.length === 0 ? r.value : undefined;
    }
  }
}

/** An object typed as `t`; `missing` lists the required fields it lacks (then `value` is not a `t`). */
function typedObject(v: unknown, t: Extract<Ty, { k: "obj" }>, ns: Namespaces, type = t.name): { value: unknown; missing: string[] } | undefined {
  if (!isObj(v)) return undefined;
  const part: Record<string, unknown> = {};
  const raw: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    const f = t.f[k];
    const r = f ? typed(x, f.t, ns) : undefined;
    if (r === undefined) raw[k] = x;
    else part[k] = r;
  }
  const missing = Object.entries(t.f).filter(([k, f]) => f.req && !(k in part)).map(([k]) => k);
  return { value: Object.keys(raw).length === 0 ? part : new Call(`${ns.moncode}.withRaw<${type}>`, [part, raw]), missing };
}

/** An array element the type does not describe: kept whole, named for the object type its array holds (else undefined). */
function untypedElement(v: unknown, t: Ty, ns: Namespaces): unknown {
  return t.k === "obj" || t.k === "tag" ? new Call(`${ns.moncode}.untyped<${t.name}>`, [v]) : undefined;
}

/** How the generated module imports the SDK's dashboard types (`dashboard`, fixed: type names use it) and moncode's grafana namespace. */
export interface Namespaces {
  readonly sdk: "dashboard";
  readonly moncode: string;
}

/**
 * The dashboard JSON as a TypeScript value and its type: `dashboard.Dashboard`, or — for the many real dashboards
 * without `annotations` (or `templating`, `schemaVersion`), which Grafana reads as empty — the SDK's type lacking
 * exactly those fields (`grafana.Lacking<dashboard.Dashboard, "annotations">`): nothing is added to the JSON.
 */
export function typedDashboard(json: unknown, ns: Namespaces): { value: unknown; type: string } | undefined {
  const top = DASHBOARD as Extract<Ty, { k: "obj" }>;
  const first = typedObject(json, top, ns);
  if (!first) return undefined;
  if (first.missing.length === 0) return { value: first.value, type: top.name };
  const type = `${ns.moncode}.Lacking<${top.name}, ${first.missing.map((m) => JSON.stringify(m)).join(" | ")}>`;
  return { value: typedObject(json, top, ns, type)!.value, type };
}
