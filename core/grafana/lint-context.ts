/** What the dashboard lint's parts share: the run's context, how a finding is reported and how items are named. */
import type { LintRuleId } from "../lint";
import { finding, type ValidationIssue } from "../validation";
import type { DashboardDef, DashboardLintRule } from "./render";

export type Obj = Record<string, unknown>;
export const isObj = (v: unknown): v is Obj => v !== null && typeof v === "object" && !Array.isArray(v);
export const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
export const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

export type DashboardRuleId = Extract<LintRuleId, `dashboard/${string}`>;

/** The grafana/dashboard-linter style names `lintExclusions` were written with, for the rules they stand for. */
export const LEGACY_RULE_NAMES: Readonly<Partial<Record<DashboardRuleId, DashboardLintRule>>> = {
  "dashboard/conventions": "dashboard-conventions",
  "dashboard/template-datasource": "template-datasource-rule",
  "dashboard/template-job": "template-job-rule",
  "dashboard/template-instance": "template-instance-rule",
  "dashboard/template-query-invalid": "template-label-promql-rule",
  "dashboard/template-query-shape": "template-label-promql-rule",
  "dashboard/template-refresh": "template-on-time-change-reload-rule",
  "dashboard/datasource-variable": "panel-datasource-rule",
  "dashboard/datasource-unknown": "panel-datasource-rule",
  "dashboard/unit-missing": "panel-units-rule",
  "dashboard/unit-unknown": "panel-units-rule",
  "dashboard/panel-title": "panel-title-description-rule",
  "dashboard/panel-description": "panel-title-description-rule",
  "dashboard/panel-no-targets": "panel-no-targets-rule",
  "dashboard/panel-id": "panel-ids-rule",
  "dashboard/grid": "panel-grid-rule",
  "dashboard/promql-invalid": "target-promql-rule",
  "dashboard/rate-interval": "target-rate-interval-rule",
  "dashboard/job-instance-filter": "target-job-instance-rule",
  "dashboard/counter-raw": "target-counter-agg-rule",
  "dashboard/recording-rule-undefined": "target-recording-rule",
  "dashboard/metric-unknown": "target-known-metric-rule",
};

export interface Ctx {
  readonly def: DashboardDef;
  readonly out: ValidationIssue[];
  /** Metric names/prefixes exporters expose; undefined: not checked. */
  readonly known: readonly string[] | undefined;
  /** Recording rules defined; undefined: not checked (no rule files given). */
  readonly recording: ReadonlySet<string> | undefined;
  /** Provisioned datasource UIDs; undefined: not checked. */
  readonly dsUids: ReadonlySet<string> | undefined;
  readonly promUid: string;
  /** The dashboard's template variables by name. */
  readonly vars: ReadonlyMap<string, Obj>;
}

function excluded(c: Ctx, rule: DashboardRuleId, panelTitle?: string): boolean {
  const legacy = LEGACY_RULE_NAMES[rule];
  const ex = c.def.lintExclusions?.[rule] ?? (legacy ? c.def.lintExclusions?.[legacy] : undefined);
  if (!ex) return false;
  return ex.panels === undefined || (panelTitle !== undefined && ex.panels.includes(panelTitle));
}

export function report(c: Ctx, rule: DashboardRuleId, item: string, field: string, message: string, panelTitle?: string): void {
  if (excluded(c, rule, panelTitle)) return;
  c.out.push(finding(rule, item, field, message));
}

export function dashItem(def: DashboardDef): string {
  return `dashboard "${def.uid || def.title}"`;
}

export function panelItem(c: Ctx, p: Obj): string {
  return `${dashItem(c.def)} > panel "${str(p.title) ?? ""}" (id ${p.id === undefined ? "none" : String(p.id)})`;
}
