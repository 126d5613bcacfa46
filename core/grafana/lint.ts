/**
 * Dashboard lint, run before deploy and by `moncode lint`. Every issue names the dashboard, the panel (title and id)
 * and the field, e.g. `dashboard "moncode-host" > panel "CPU busy" (id 3)` / `targets[0].expr`, and carries its lint
 * rule (core/lint.ts): a query Prometheus or Loki cannot run is an error, the house conventions (grafana's
 * dashboard-linter rules, units, variables) are warnings unless a project raises them. Both layouts are read: the
 * grid (`panels[]`, rows as panels of type `row`) and the legacy one (`rows[].panels[]`, sized by `span`).
 */
import { applyLevels, type LintOptions } from "../lint";
import { duplicates, finding, type ValidationIssue } from "../validation";
import { knownMetrics } from "./catalog";
import { arr, type Ctx, dashItem, isObj, type Obj, panelItem, report, str } from "./lint-context";
import { datasourceLanguage, isBuiltinDatasource, lintTarget, lintVariableQuery, panelTargets } from "./lint-queries";
import { GRAFANA_DATASOURCE_UIDS } from "./provisioning";
import type { DashboardDef } from "./render";
import { isGrafanaUnit } from "./units";

/**
 * What the dashboard linter checks dashboards against: the recording rules defined, the metrics exposed, the
 * datasources provisioned, and the lint levels.
 */
export interface DashboardLintContext {
  /**
   * Every recording rule the rule files define; a dashboard reading another `level:metric:op` series is reported.
   * Undefined: not checked (no rule files known).
   */
  readonly recordingRules?: readonly string[];
  /** Metric names/prefixes exporters and jobs expose (see `knownMetrics`); default: the whole catalog for stacks, unchecked for `lint`. */
  readonly knownMetrics?: readonly string[];
  /** Provisioned datasource UIDs; default: those of `GRAFANA_DATASOURCE_UIDS` for stacks, unchecked for `lint`. */
  readonly datasourceUids?: readonly string[];
  /** UID of the provisioned Prometheus, which panels must reach through `${datasource}`. @default "prometheus" */
  readonly prometheusUid?: string;
  /** Lint levels; `profile: "lint"` for dashboards from elsewhere. */
  readonly lint?: LintOptions;
}

const DS_VARIABLE = /^\$\{?datasource\}?$/;
const NO_QUERY_PANELS = new Set(["row", "text", "news", "dashlist", "alertlist", "annolist", "welcome", "gettingstarted"]);
/** Panels whose values are not numbers to format. */
const NO_UNIT_PANELS = new Set(["logs", "traces", "nodeGraph", "flamegraph", "table-old", "geomap"]);
const UID_RE = /^[a-zA-Z0-9_-]{1,40}$/;
const KEBAB = /^[a-z0-9]+(-[a-z0-9]+)*$/;
/** Grafana's GridPos defaults (schema): a missing coordinate is 0, a missing size 12 wide and 9 high. */
const GRID_DEFAULTS = { x: 0, y: 0, w: 12, h: 9 } as const;

function durationSeconds(d: string): number | undefined {
  const m = /^(\d+)(ms|s|m|h|d)$/.exec(d);
  if (!m) return undefined;
  const mult: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400 };
  return Number(m[1]) * (mult[m[2]!] ?? 0);
}

function lintTemplating(c: Ctx, d: Obj): void {
  const item = dashItem(c.def);
  const ds = c.vars.get("datasource");
  if (!ds || ds.type !== "datasource" || ds.query !== "prometheus") {
    report(c, "dashboard/template-datasource", item, "templating.list", 'has no datasource variable named "datasource" of type prometheus');
  }
  for (const [name, rule] of [["job", "dashboard/template-job"], ["instance", "dashboard/template-instance"]] as const) {
    const v = c.vars.get(name);
    if (!v || v.type !== "query") report(c, rule, item, "templating.list", `has no query variable named "${name}"`);
    else if (!v.multi || !v.includeAll) report(c, rule, item, `templating.list[${name}]`, "should be multi-value with an All option");
  }
  arr(isObj(d.templating) ? d.templating.list : undefined).filter(isObj).forEach((v, i) => {
    if (v.type !== "query") return;
    const field = `templating.list[${i}] (${str(v.name) ?? "?"})`;
    const lang = datasourceLanguage(v.datasource, c.vars) ?? "unknown";
    if (lang !== "promql" && lang !== "unknown") return;
    const ref = isObj(v.datasource) ? str(v.datasource.uid) : str(v.datasource);
    if (!ref || !DS_VARIABLE.test(ref)) report(c, "dashboard/datasource-variable", item, `${field}.datasource`, 'should be the "${datasource}" variable');
    if (v.refresh !== 2) report(c, "dashboard/template-refresh", item, `${field}.refresh`, "should be 2 (on time range change) so values follow the time picker");
    lintVariableQuery(c, item, field, v);
  });
}

function lintConventions(c: Ctx, d: Obj): void {
  const item = dashItem(c.def);
  const r = "dashboard/conventions" as const;
  if (!UID_RE.test(c.def.uid)) c.out.push(finding("dashboard/invalid", item, "uid", `must be 1-40 characters of a-z, A-Z, 0-9, - and _, got "${c.def.uid}"`));
  if (d.uid !== c.def.uid) report(c, r, item, "uid", `the JSON model's uid "${String(d.uid)}" differs from the definition's`);
  if (!c.def.title || d.title !== c.def.title) report(c, r, item, "title", "should be set and equal in the definition and the model");
  if (!KEBAB.test(c.def.folder)) report(c, r, item, "folder", `should be kebab-case, got "${c.def.folder}"`);
  if (arr(d.tags).length === 0) report(c, r, item, "tags", "needs at least one tag (dashboard links and search use them)");
  const time = isObj(d.time) ? d.time : undefined;
  if (!time || !str(time.from) || !str(time.to)) report(c, r, item, "time", "needs a default time range (now-1h to now)");
  const refresh = str(d.refresh);
  if (refresh) {
    const s = durationSeconds(refresh);
    if (s === undefined || s < 10) report(c, r, item, "refresh", `should be at least 10s, got "${refresh}" (each refresh runs every query)`);
  }
  if ("id" in d && d.id !== null && d.id !== undefined) report(c, r, item, "id", "should be unset: Grafana assigns database ids, a fixed one collides across instances");
}

interface Box { x: number; y: number; w: number; h: number; title: string; id: unknown }

function lintDatasourceRef(c: Ctx, item: string, field: string, ds: unknown, title: string): void {
  if (ds === undefined || ds === null) {
    report(c, "dashboard/datasource-variable", item, field, 'is not set (Grafana uses its default datasource); use the "${datasource}" variable', title);
    return;
  }
  const uid = isObj(ds) ? str(ds.uid) : str(ds);
  const lang = datasourceLanguage(ds, c.vars);
  if (uid === undefined || DS_VARIABLE.test(uid) || lang === "mixed" || lang === "none" || (lang === "other" && (uid.startsWith("--") || isBuiltinDatasource(uid)))) return;
  if (uid.startsWith("$")) return;
  if (uid === c.promUid) {
    report(c, "dashboard/datasource-variable", item, field, `hard-codes the Prometheus datasource "${uid}"; use "\${datasource}"`, title);
  } else if (c.dsUids !== undefined && !c.dsUids.has(uid)) {
    report(c, "dashboard/datasource-unknown", item, field, `refers to datasource "${uid}", which is neither "\${datasource}" nor provisioned (${[...c.dsUids].join(", ")})`, title);
  }
}

/** The unit a panel formats values in: field config, or the legacy graph/singlestat fields. */
function panelUnit(p: Obj): string | undefined {
  const fc = isObj(p.fieldConfig) ? p.fieldConfig : {};
  const defaults = isObj(fc.defaults) ? fc.defaults : {};
  const yaxis = arr(p.yaxes).find(isObj);
  return str(defaults.unit) ?? str(p.format) ?? (yaxis ? str(yaxis.format) : undefined);
}

function lintGrid(c: Ctx, top: readonly Obj[]): void {
  const boxes: Box[] = [];
  for (const p of top) {
    const g = isObj(p.gridPos) ? p.gridPos : undefined;
    const title = str(p.title) ?? "";
    if (!g) {
      report(c, "dashboard/grid", panelItem(c, p), "gridPos", "is missing (Grafana places the panel itself)", title);
      continue;
    }
    const num = (k: keyof typeof GRID_DEFAULTS): number => (typeof g[k] === "number" ? (g[k] as number) : GRID_DEFAULTS[k]);
    // A row spans the whole width and one grid unit whatever its gridPos says (Grafana writes w: 0 for some).
    const row = p.type === "row";
    const b: Box = { x: row ? 0 : num("x"), y: num("y"), w: row ? 24 : num("w"), h: row ? 1 : num("h"), title, id: p.id };
    if (b.x < 0 || b.y < 0 || b.w <= 0 || b.h <= 0 || b.x + b.w > 24) {
      report(c, "dashboard/grid", panelItem(c, p), "gridPos", `{x:${b.x},y:${b.y},w:${b.w},h:${b.h}} is outside the 24-column grid`, title);
    }
    for (const o of boxes) {
      if (b.x < o.x + o.w && o.x < b.x + b.w && b.y < o.y + o.h && o.y < b.y + b.h) {
        report(c, "dashboard/grid", panelItem(c, p), "gridPos", `overlaps panel "${o.title}" (id ${String(o.id)})`, title);
      }
    }
    boxes.push(b);
  }
}

function lintPanels(c: Ctx, d: Obj): void {
  const top = arr(d.panels).filter(isObj);
  const legacyRows = arr(d.rows).filter(isObj);
  const all: Obj[] = [];
  for (const p of top) {
    all.push(p);
    if (p.type === "row") all.push(...arr(p.panels).filter(isObj));
  }
  for (const r of legacyRows) all.push(...arr(r.panels).filter(isObj));
  const item = dashItem(c.def);
  if (all.length === 0) report(c, "dashboard/panel-no-targets", item, "panels", "has no panels");
  // Ids: every panel needs one, unique within the dashboard (links, `viewPanel`, library panels use them).
  all.forEach((p, i) => {
    if (typeof p.id !== "number") report(c, "dashboard/panel-id", panelItem(c, p), "id", `is missing (panel #${i})`, str(p.title));
  });
  for (const dup of duplicates(all.filter((p) => typeof p.id === "number"), (p) => String(p.id))) {
    report(c, "dashboard/panel-id", item, "panels[].id", `id ${dup} is used by more than one panel`);
  }
  // The legacy layout has no grid: rows stack, panels are sized by span; Grafana converts it on load.
  lintGrid(c, top);
  for (const p of all) {
    const type = str(p.type) ?? "";
    const title = str(p.title) ?? "";
    const pi = panelItem(c, p);
    if (type === "row") continue;
    if (!title.trim()) report(c, "dashboard/panel-title", pi, "title", "is empty");
    if (!str(p.description)?.trim()) report(c, "dashboard/panel-description", pi, "description", "is empty; say what the panel shows and what a bad value means", title);
    if (NO_QUERY_PANELS.has(type) || isObj(p.libraryPanel)) continue;
    const unit = panelUnit(p);
    if (!NO_UNIT_PANELS.has(type)) {
      if (unit === undefined || unit === "") report(c, "dashboard/unit-missing", pi, "fieldConfig.defaults.unit", "is not set", title);
      else if (!isGrafanaUnit(unit)) report(c, "dashboard/unit-unknown", pi, "fieldConfig.defaults.unit", `"${unit}" is not a Grafana unit (Grafana prints it after each value as text)`, title);
    }
    lintDatasourceRef(c, pi, "datasource", p.datasource, title);
    const targets = panelTargets(p);
    if (targets.length === 0) report(c, "dashboard/panel-no-targets", pi, "targets", "is empty", title);
    targets.forEach((t, i) => {
      if (t.datasource !== undefined) lintDatasourceRef(c, pi, `targets[${i}].datasource`, t.datasource, title);
      lintTarget(c, p, t, i);
    });
  }
}

/**
 * Lints dashboards; returns every issue (errors and warnings), never throws. Pass the result to `assertValid` to
 * refuse a deploy with errors.
 */
export function lintDashboards(defs: readonly DashboardDef[], ctx: DashboardLintContext = {}): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  const stack = (ctx.lint?.profile ?? "stack") === "stack";
  for (const dup of duplicates(defs, (d) => d.uid)) out.push(finding("dashboard/invalid", `dashboard "${dup}"`, "uid", "is used by more than one dashboard"));
  const known = ctx.knownMetrics ?? (stack ? knownMetrics() : undefined);
  const dsList = ctx.datasourceUids ?? (stack ? Object.values(GRAFANA_DATASOURCE_UIDS) : undefined);
  const dsUids = dsList ? new Set(dsList) : undefined;
  const promUid = ctx.prometheusUid ?? GRAFANA_DATASOURCE_UIDS.prometheus;
  const recording = ctx.recordingRules ? new Set(ctx.recordingRules) : undefined;
  for (const def of defs) {
    const d = def.dashboard as Obj;
    if (!isObj(d)) {
      out.push(finding("dashboard/invalid", dashItem(def), "dashboard", "is not a JSON object"));
      continue;
    }
    const list = arr(isObj(d.templating) ? d.templating.list : undefined).filter(isObj);
    const vars = new Map(list.map((v) => [str(v.name) ?? "", v]));
    const c: Ctx = { def, out, known, recording, dsUids, promUid, vars };
    lintConventions(c, d);
    lintTemplating(c, d);
    lintPanels(c, d);
  }
  return applyLevels(out, "dashboard/invalid", ctx.lint);
}
