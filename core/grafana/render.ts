/**
 * Dashboard definitions and their files. The JSON is canonical (keys sorted at every level, 2-space indent, trailing
 * newline) so a re-render is byte-identical and a golden diff shows only real changes, whatever order the SDK or a
 * future SDK version happens to build keys in.
 */
import { ARTIFACT_PATHS } from "../conventions";
import type { RenderedFile } from "../files";
import { sortFiles } from "../files";
import type { DashboardRuleId } from "./lint-context";

/** The lint rules of `lintDashboards`, named like grafana/dashboard-linter's where they match one. */
export type DashboardLintRule =
  | "dashboard-conventions"
  | "template-datasource-rule"
  | "template-job-rule"
  | "template-instance-rule"
  | "template-label-promql-rule"
  | "template-on-time-change-reload-rule"
  | "panel-datasource-rule"
  | "panel-units-rule"
  | "panel-title-description-rule"
  | "panel-no-targets-rule"
  | "panel-ids-rule"
  | "panel-grid-rule"
  | "target-promql-rule"
  | "target-rate-interval-rule"
  | "target-job-instance-rule"
  | "target-counter-agg-rule"
  | "target-recording-rule"
  | "target-known-metric-rule";

/** Why a rule does not apply, like dashboard-linter's `.lint` file; `panels` limits it to panels with these titles. */
export interface LintExclusion {
  readonly reason: string;
  readonly panels?: readonly string[];
}

/**
 * One dashboard as the stack provisions it: its stable UID, title, folder, built JSON model and the lint rules it is
 * excused from.
 */
export interface DashboardDef {
  readonly uid: string;
  readonly title: string;
  /** kebab-case folder name; the provider maps it to a Grafana folder. */
  readonly folder: string;
  /** The built JSON model (a plain object, never shared with a builder). */
  readonly dashboard: object;
  /** By lint rule id (`dashboard/job-instance-filter`) or its dashboard-linter style name (`target-job-instance-rule`). */
  readonly lintExclusions?: Readonly<Partial<Record<DashboardLintRule | DashboardRuleId, LintExclusion>>>;
}

/** Recursively sorts object keys; arrays keep their order. Drops `undefined` and functions like JSON does. */
export function canonicalize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => (v === undefined || typeof v === "function" ? null : canonicalize(v)));
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[k];
      if (v === undefined || typeof v === "function") continue;
      out[k] = canonicalize(v);
    }
    return out;
  }
  return value;
}

/** Canonical dashboard JSON text. */
export function dashboardJson(dashboard: object): string {
  return `${JSON.stringify(canonicalize(dashboard), null, 2)}\n`;
}

/** Where a dashboard's JSON file is rendered: `grafana/dashboards/<folder>/<uid>.json`. */
export function dashboardFilePath(def: Pick<DashboardDef, "folder" | "uid">): string {
  return `${ARTIFACT_PATHS.grafanaDashboardsDir}/${def.folder}/${def.uid}.json`;
}

/** One file per dashboard at `grafana/dashboards/<folder>/<uid>.json`, sorted by path. */
export function renderDashboardFiles(defs: readonly DashboardDef[]): RenderedFile[] {
  return sortFiles(defs.map((d) => ({ path: dashboardFilePath(d), content: dashboardJson(d.dashboard) })));
}

/** The distinct folders of a set of dashboards, sorted: the input of `renderDashboardProviders`. */
export function dashboardFolders(defs: readonly DashboardDef[]): string[] {
  return [...new Set(defs.map((d) => d.folder))].sort();
}

/**
 * Link to a dashboard by UID, for alert `dashboard` annotations: `/d/<uid>`, or absolute under `grafanaRootUrl`
 * (which may carry a sub-path, e.g. `https://ops.example.com/grafana/`).
 */
export function dashboardUrl(uid: string, grafanaRootUrl?: string): string {
  const path = `/d/${encodeURIComponent(uid)}`;
  if (grafanaRootUrl === undefined || grafanaRootUrl === "") return path;
  return `${grafanaRootUrl.replace(/\/+$/, "")}${path}`;
}
