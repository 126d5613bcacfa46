/**
 * Dashboard lint, run before deploy. Every issue names the dashboard, the panel (title and id) and the field, e.g.
 * `dashboard "moncode-host" > panel "CPU busy" (id 3)` / `targets[0].expr`. Rules follow grafana/dashboard-linter
 * where it has one, plus the stack's own: recording rules must exist, metrics should be known, grids must not overlap.
 */
import { checkPromql } from "../promql";
import { duplicates, issue, type ValidationIssue } from "../validation";
import { isKnownMetric, knownMetrics } from "./catalog";
import { GRAFANA_DATASOURCE_UIDS } from "./provisioning";
import { type SelectorFact, selectorFacts, substituteForWalk, variableWord } from "./promql-walk";
import type { DashboardDef, DashboardLintRule } from "./render";
import { VALID_UNITS } from "./units";

export interface DashboardLintContext {
  /** Every recording rule the stack defines; a dashboard reading any other `level:metric:op` series is an error. */
  readonly recordingRules: readonly string[];
  /** Metric names/prefixes exporters and jobs expose (see `knownMetrics`); default: the whole catalog. */
  readonly knownMetrics?: readonly string[];
  /** Provisioned datasource UIDs; default: those of `GRAFANA_DATASOURCE_UIDS`. */
  readonly datasourceUids?: readonly string[];
  /** UID of the provisioned Prometheus, which panels must reach through `${datasource}`. @default "prometheus" */
  readonly prometheusUid?: string;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === "object" && !Array.isArray(v);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

const DS_VARIABLE = /^\$\{?datasource\}?$/;
const NO_QUERY_PANELS = new Set(["row", "text", "news", "dashlist", "alertlist", "annolist"]);
const UID_RE = /^[a-zA-Z0-9_-]{1,40}$/;
const KEBAB = /^[a-z0-9]+(-[a-z0-9]+)*$/;

function durationSeconds(d: string): number | undefined {
  const m = /^(\d+)(ms|s|m|h|d)$/.exec(d);
  if (!m) return undefined;
  const mult: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400 };
  return Number(m[1]) * (mult[m[2]!] ?? 0);
}

interface Ctx {
  readonly def: DashboardDef;
  readonly out: ValidationIssue[];
  readonly known: readonly string[];
  readonly recording: ReadonlySet<string>;
  readonly dsUids: ReadonlySet<string>;
  readonly promUid: string;
}

function excluded(c: Ctx, rule: DashboardLintRule, panelTitle?: string): boolean {
  const ex = c.def.lintExclusions?.[rule];
  if (!ex) return false;
  return ex.panels === undefined || (panelTitle !== undefined && ex.panels.includes(panelTitle));
}

function report(c: Ctx, rule: DashboardLintRule, item: string, field: string, message: string, panelTitle?: string, severity: "error" | "warning" = "error"): void {
  if (excluded(c, rule, panelTitle)) return;
  c.out.push(issue(item, field, `${message} [${rule}]`, severity));
}

function dashItem(def: DashboardDef): string {
  return `dashboard "${def.uid || def.title}"`;
}

function lintTemplating(c: Ctx, d: Obj): void {
  const item = dashItem(c.def);
  const vars = arr(isObj(d.templating) ? d.templating.list : undefined).filter(isObj);
  const byName = new Map(vars.map((v) => [str(v.name) ?? "", v]));
  const ds = byName.get("datasource");
  if (!ds || ds.type !== "datasource" || ds.query !== "prometheus") {
    report(c, "template-datasource-rule", item, "templating.list", 'needs a datasource variable named "datasource" of type prometheus');
  }
  for (const [name, rule] of [["job", "template-job-rule"], ["instance", "template-instance-rule"]] as const) {
    const v = byName.get(name);
    if (!v || v.type !== "query") {
      report(c, rule, item, "templating.list", `needs a query variable named "${name}"`);
    } else if (!v.multi || !v.includeAll) {
      report(c, rule, item, `templating.list[${name}]`, "should be multi-value with an All option");
    }
  }
  vars.forEach((v, i) => {
    if (v.type !== "query") return;
    const field = `templating.list[${i}] (${str(v.name) ?? "?"})`;
    const dsUid = isObj(v.datasource) ? str(v.datasource.uid) : undefined;
    if (!dsUid || !DS_VARIABLE.test(dsUid)) report(c, "panel-datasource-rule", item, `${field}.datasource`, 'must be the "${datasource}" variable');
    if (v.refresh !== 2) report(c, "template-on-time-change-reload-rule", item, `${field}.refresh`, "must be 2 (on time range change) so values follow the time picker");
    const q = str(v.query) ?? (isObj(v.query) ? str(v.query.query) : undefined) ?? "";
    const m = /^label_values\((.*),\s*([a-zA-Z_][a-zA-Z0-9_]*)\)$/.exec(q.trim());
    const inner = m ? m[1]! : /^query_result\((.*)\)$/.exec(q.trim())?.[1];
    if (inner === undefined) {
      if (!/^label_values\([a-zA-Z_][a-zA-Z0-9_]*\)$/.test(q.trim()) && !/^label_names\(/.test(q.trim())) {
        report(c, "template-label-promql-rule", item, `${field}.query`, `is not label_values(...), label_names() or query_result(...): "${q}"`);
      }
      return;
    }
    const errs = checkPromql(substituteForWalk(inner)).errors;
    if (errs.length > 0) report(c, "template-label-promql-rule", item, `${field}.query`, `has invalid PromQL "${inner}": ${errs.join("; ")}`);
  });
}

function lintConventions(c: Ctx, d: Obj): void {
  const item = dashItem(c.def);
  const r = "dashboard-conventions" as const;
  if (!UID_RE.test(c.def.uid)) report(c, r, item, "uid", `must be 1-40 characters of a-z, A-Z, 0-9, - and _, got "${c.def.uid}"`);
  if (d.uid !== c.def.uid) report(c, r, item, "uid", `the JSON model's uid "${String(d.uid)}" differs from the definition's`);
  if (!c.def.title || d.title !== c.def.title) report(c, r, item, "title", "must be set and equal in the definition and the model");
  if (!KEBAB.test(c.def.folder)) report(c, r, item, "folder", `must be kebab-case, got "${c.def.folder}"`);
  if (arr(d.tags).length === 0) report(c, r, item, "tags", "needs at least one tag (dashboard links and search use them)");
  const time = isObj(d.time) ? d.time : undefined;
  if (!time || !str(time.from) || !str(time.to)) report(c, r, item, "time", "needs a default time range (now-1h to now)");
  const refresh = str(d.refresh);
  if (refresh) {
    const s = durationSeconds(refresh);
    if (s === undefined || s < 10) report(c, r, item, "refresh", `must be at least 10s, got "${refresh}" (each refresh runs every query)`);
  }
  if ("id" in d && d.id !== null && d.id !== undefined) report(c, r, item, "id", "must be unset: Grafana assigns database ids, a fixed one collides across instances");
}

interface Box { x: number; y: number; w: number; h: number; title: string; id: unknown }

function panelItem(c: Ctx, p: Obj): string {
  return `${dashItem(c.def)} > panel "${str(p.title) ?? ""}" (id ${p.id === undefined ? "none" : String(p.id)})`;
}

function lintDatasourceRef(c: Ctx, item: string, field: string, ds: unknown, title: string): boolean {
  if (ds === undefined || ds === null) {
    report(c, "panel-datasource-rule", item, field, 'is not set; use the "${datasource}" variable', title);
    return false;
  }
  const uid = isObj(ds) ? str(ds.uid) : str(ds);
  if (uid === undefined || DS_VARIABLE.test(uid)) return true;
  if (uid === c.promUid) {
    report(c, "panel-datasource-rule", item, field, `hard-codes the Prometheus datasource "${uid}"; use "\${datasource}"`, title);
  } else if (!c.dsUids.has(uid)) {
    report(c, "panel-datasource-rule", item, field, `refers to datasource "${uid}", which is neither "\${datasource}" nor provisioned (${[...c.dsUids].join(", ")})`, title);
  }
  return false;
}

function panelUnit(p: Obj): string | undefined {
  const fc = isObj(p.fieldConfig) ? p.fieldConfig : {};
  const defaults = isObj(fc.defaults) ? fc.defaults : {};
  return str(defaults.unit);
}

/**
 * Dashboards repeat queries (each service dashboard of a fleet has the same ones, filtered by variables): each text
 * is walked once. The facts are only read.
 */
const factsCache = new Map<string, readonly SelectorFact[]>();
function factsOf(expr: string): readonly SelectorFact[] {
  let facts = factsCache.get(expr);
  if (facts === undefined) {
    facts = selectorFacts(expr);
    if (factsCache.size >= 50_000) factsCache.clear();
    factsCache.set(expr, facts);
  }
  return facts;
}

function lintTarget(c: Ctx, p: Obj, t: Obj, i: number): void {
  const title = str(p.title) ?? "";
  const item = panelItem(c, p);
  const isProm = !isObj(t.datasource) || DS_VARIABLE.test(str(t.datasource.uid) ?? "") || t.datasource.type === "prometheus";
  if (t.datasource !== undefined) lintDatasourceRef(c, item, `targets[${i}].datasource`, t.datasource, title);
  if (!isProm) return;
  const expr = str(t.expr);
  const field = `targets[${i}].expr`;
  if (expr === undefined || expr.trim() === "") {
    report(c, "target-promql-rule", item, field, "is empty", title);
    return;
  }
  const check = checkPromql(substituteForWalk(expr));
  if (check.errors.length > 0) {
    report(c, "target-promql-rule", item, field, `does not parse or type-check: ${check.errors.join("; ")} in "${expr}"`, title);
    return;
  }
  if (check.type === "matrix") report(c, "target-promql-rule", item, field, `evaluates to a range vector, which a panel cannot plot: "${expr}"`, title);
  if (check.type === "string") report(c, "target-promql-rule", item, field, `evaluates to a string: "${expr}"`, title);
  for (const s of factsOf(expr)) {
    const name = s.metric ?? "(no name)";
    if (s.rangeFunction === "rate" || s.rangeFunction === "irate" || s.rangeFunction === "increase") {
      const ok = s.window === "rate_interval" || (s.rangeFunction === "increase" && s.window === "range");
      if (!ok) {
        report(c, "target-rate-interval-rule", item, field, `${s.rangeFunction}(${name}[${s.window === "range" ? "$__range" : s.window}]) should use [$__rate_interval]${s.rangeFunction === "increase" ? " (or [$__range] for a total over the range)" : ""}`, title);
      }
    }
    const isRecording = s.metric !== undefined && s.metric.includes(":");
    if (isRecording && !c.recording.has(s.metric!)) {
      report(c, "target-recording-rule", item, field, `reads recording rule "${s.metric}", which the stack does not define`, title);
    }
    // A recording rule keeps only the labels of its level (`job_route:...` has job and route): require just those.
    const level = isRecording ? new Set(s.metric!.split(":")[0]!.split("_")) : undefined;
    for (const label of ["job", "instance"]) {
      if (level && !level.has(label)) continue;
      const v = s.matchers.get(label);
      if (v === undefined || !v.includes(variableWord(label))) {
        report(c, "target-job-instance-rule", item, field, `selector ${name} has no ${label}=~"$${label}" matcher, so the ${label} variable does not filter it`, title);
      }
    }
    if (s.metric !== undefined && !isRecording && !isKnownMetric(s.metric, c.known)) {
      report(c, "target-known-metric-rule", item, field, `reads metric "${s.metric}", which no configured exporter or job is known to expose`, title, "warning");
    }
    if (s.metric !== undefined && !isRecording && /_total$/.test(s.metric) && !s.counterSafe) {
      report(c, "target-counter-agg-rule", item, field, `uses counter "${s.metric}" without rate()/increase(); its raw value only shows uptime`, title);
    }
  }
}

function lintPanels(c: Ctx, d: Obj): void {
  const top = arr(d.panels).filter(isObj);
  const all: Obj[] = [];
  for (const p of top) {
    all.push(p);
    if (p.type === "row") all.push(...arr(p.panels).filter(isObj));
  }
  const item = dashItem(c.def);
  if (all.length === 0) report(c, "panel-no-targets-rule", item, "panels", "has no panels");
  // Ids: every panel needs one, unique within the dashboard (links, `viewPanel`, library panels use them).
  all.forEach((p, i) => {
    if (typeof p.id !== "number") report(c, "panel-ids-rule", panelItem(c, p), "id", `is missing (panel #${i})`, str(p.title));
  });
  for (const dup of duplicates(all.filter((p) => typeof p.id === "number"), (p) => String(p.id))) {
    report(c, "panel-ids-rule", item, "panels[].id", `id ${dup} is used by more than one panel`);
  }
  // Grid: inside 24 columns, positive size, no overlap among the panels that are laid out together.
  const boxes: Box[] = [];
  for (const p of top) {
    const g = isObj(p.gridPos) ? p.gridPos : undefined;
    const title = str(p.title) ?? "";
    const nums = g && [g.x, g.y, g.w, g.h].every((n) => typeof n === "number");
    if (!g || !nums) {
      report(c, "panel-grid-rule", panelItem(c, p), "gridPos", "is missing or incomplete", title);
      continue;
    }
    const b: Box = { x: g.x as number, y: g.y as number, w: g.w as number, h: g.h as number, title, id: p.id };
    if (b.x < 0 || b.y < 0 || b.w <= 0 || b.h <= 0 || b.x + b.w > 24) {
      report(c, "panel-grid-rule", panelItem(c, p), "gridPos", `{x:${b.x},y:${b.y},w:${b.w},h:${b.h}} is outside the 24-column grid`, title);
    }
    for (const o of boxes) {
      if (b.x < o.x + o.w && o.x < b.x + b.w && b.y < o.y + o.h && o.y < b.y + b.h) {
        report(c, "panel-grid-rule", panelItem(c, p), "gridPos", `overlaps panel "${o.title}" (id ${String(o.id)})`, title);
      }
    }
    boxes.push(b);
  }
  for (const p of all) {
    const type = str(p.type) ?? "";
    const title = str(p.title) ?? "";
    const pi = panelItem(c, p);
    if (type === "row") continue;
    if (!title.trim()) report(c, "panel-title-description-rule", pi, "title", "is empty");
    if (!str(p.description)?.trim()) report(c, "panel-title-description-rule", pi, "description", "is empty; say what the panel shows and what a bad value means", title, "warning");
    if (NO_QUERY_PANELS.has(type)) continue;
    const unit = panelUnit(p);
    if (unit === undefined || unit === "") report(c, "panel-units-rule", pi, "fieldConfig.defaults.unit", "is not set", title);
    else if (!VALID_UNITS.has(unit)) report(c, "panel-units-rule", pi, "fieldConfig.defaults.unit", `"${unit}" is not a Grafana unit`, title);
    lintDatasourceRef(c, pi, "datasource", p.datasource, title);
    const targets = arr(p.targets).filter(isObj);
    if (targets.length === 0) report(c, "panel-no-targets-rule", pi, "targets", "is empty", title);
    targets.forEach((t, i) => lintTarget(c, p, t, i));
  }
}

/**
 * Lints dashboards; returns every issue (errors and warnings), never throws. Pass the result to `assertValid` to
 * refuse a deploy with errors.
 */
export function lintDashboards(defs: readonly DashboardDef[], ctx: DashboardLintContext): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  for (const dup of duplicates(defs, (d) => d.uid)) out.push(issue(`dashboard "${dup}"`, "uid", "is used by more than one dashboard [dashboard-conventions]"));
  const known = ctx.knownMetrics ?? knownMetrics();
  const dsUids = new Set(ctx.datasourceUids ?? Object.values(GRAFANA_DATASOURCE_UIDS));
  const promUid = ctx.prometheusUid ?? GRAFANA_DATASOURCE_UIDS.prometheus;
  const recording = new Set(ctx.recordingRules);
  for (const def of defs) {
    const c: Ctx = { def, out, known, recording, dsUids, promUid };
    const d = def.dashboard as Obj;
    if (!isObj(d)) {
      out.push(issue(dashItem(def), "dashboard", "is not a JSON object"));
      continue;
    }
    lintConventions(c, d);
    lintTemplating(c, d);
    lintPanels(c, d);
  }
  return out;
}
