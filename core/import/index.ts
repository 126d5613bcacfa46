/**
 * `moncode import` and `moncode lint` as pure functions: source texts in, typed content (and for import, TypeScript
 * modules) out, with every finding of the validators synth runs — at the `lint` profile, so what Prometheus,
 * Alertmanager and Grafana accept is never refused — located at the file and line of the item it names.
 */
import { validateAlertmanagerConfig } from "../alertmanager/validate";
import type { AlertmanagerConfig } from "../alertmanager/model";
import { lintDashboards } from "../grafana/lint";
import type { DashboardDef } from "../grafana/render";
import { type LintLevels, type LintOptions } from "../lint";
import type { PrometheusConfig } from "../prometheus/model";
import { validatePrometheusConfig } from "../prometheus/validate";
import { isAlertRule, isRecordingRule, type RulePack } from "../rules/model";
import { validateRulePacks } from "../rules/validate";
import { orderSeverities } from "../severity";
import type { ValidationIssue } from "../validation";
import { type ImportedAlertmanager, importAlertmanagerDoc, isAlertmanagerConfig } from "./alertmanager";
import { holdsDashboards, type ImportedDashboard, importDashboardDoc } from "./dashboards";
import { kebab } from "./emit";
import { alertmanagerModule, dashboardsModule, type GenerateOptions, prometheusModule, rulePackModule } from "./generate";
import { type ImportedPrometheus, importPrometheusDoc, isPrometheusConfig } from "./prometheus";
import { type ImportedPack, importRuleDoc, ruleSources } from "./rules";
import { type ImportInput, located, type LocatedIssue, parseSource, type SourceDoc } from "./source";

export { formatLocated, type ImportInput, type LocatedIssue } from "./source";
export { normalizeAlertmanagerConfig, normalizeDashboard, normalizePrometheusConfig, normalizeRuleFile } from "./normalize";

export interface ReadOptions {
  /** Levels over the lint profile's defaults (e.g. `{ "rules/alert-name-pascal-case": "error" }`). */
  readonly levels?: LintLevels;
  /** Grafana folder of dashboards whose source names none. @default "imported" */
  readonly folder?: string;
}

/**
 * Defaults of `moncode lint` / `moncode import` over the rules' own: promtool unit tests live in separate files, so
 * raw rule files never have them and "every alert has a test" would be noise.
 */
export const LINT_PROFILE_LEVELS: LintLevels = { "rules/tests-missing": "off" };

export interface ReadContent {
  readonly packs: readonly ImportedPack[];
  readonly prometheus: readonly { readonly file: string; readonly imported: ImportedPrometheus }[];
  readonly alertmanager: readonly { readonly file: string; readonly imported: ImportedAlertmanager }[];
  readonly dashboards: readonly ImportedDashboard[];
  /** Every problem reading the sources and every finding of the validators, located. */
  readonly issues: readonly LocatedIssue[];
}

type Kind = "rules" | "prometheus" | "alertmanager" | "dashboards";

function kindOf(doc: SourceDoc): Kind | undefined {
  if (ruleSources(doc).length > 0) return "rules";
  if (isAlertmanagerConfig(doc.value)) return "alertmanager";
  if (isPrometheusConfig(doc.value)) return "prometheus";
  if (holdsDashboards(doc.value)) return "dashboards";
  return undefined;
}

/** The line of an item the rule validators named, from where the importer found each group and rule. */
function ruleLine(packs: readonly ImportedPack[], item: string): { file: string; line?: number } | undefined {
  const group = /^rule group "([^"]*)"/.exec(item)?.[1];
  const pack = /^rule pack "([^"]*)"/.exec(item)?.[1];
  for (const p of packs) {
    const line = p.lines.get(item) ?? (group !== undefined ? p.lines.get(`rule group "${group}"`) : undefined);
    if (line !== undefined && (group === undefined || p.pack.groups.some((g) => g.name === group))) return { file: p.file, line };
    if (pack !== undefined && p.pack.name === pack) return { file: p.file, line: 1 };
  }
  return undefined;
}

/** `route > routes[1] (…) > routes[0]` → the route's path in alertmanager.yml. */
function alertmanagerPath(item: string): (string | number)[] | undefined {
  if (item.startsWith("route")) return ["route", ...[...item.matchAll(/routes\[(\d+)\]/g)].flatMap((m) => ["routes", Number(m[1])])];
  const inhibit = /^inhibitRules\[(\d+)\]/.exec(item);
  if (inhibit) return ["inhibit_rules", Number(inhibit[1])];
  if (item.startsWith("global")) return ["global"];
  return undefined;
}

/** Where a named time interval is: `time_intervals[i]` or the older `mute_time_intervals[i]`. */
function timeIntervalPath(doc: unknown, name: string): (string | number)[] | undefined {
  const o = (typeof doc === "object" && doc !== null ? doc : {}) as Record<string, unknown>;
  for (const key of ["time_intervals", "mute_time_intervals"]) {
    const list = Array.isArray(o[key]) ? (o[key] as unknown[]) : [];
    const i = list.findIndex((t) => typeof t === "object" && t !== null && (t as { name?: unknown }).name === name);
    if (i >= 0) return [key, i];
  }
  return undefined;
}

function withLevels(levels: LintLevels | undefined): LintOptions {
  return { profile: "lint", levels: { ...LINT_PROFILE_LEVELS, ...(levels ?? {}) } };
}

/** Reads every source, types its content, and runs the validators synth runs on it. */
export function readContent(inputs: readonly ImportInput[], opts: ReadOptions = {}): ReadContent {
  const issues: LocatedIssue[] = [];
  const packs: ImportedPack[] = [];
  const prometheus: { file: string; imported: ImportedPrometheus; doc: SourceDoc }[] = [];
  const alertmanager: { file: string; imported: ImportedAlertmanager; doc: SourceDoc }[] = [];
  const dashboards: ImportedDashboard[] = [];
  const taken = new Set<string>();
  for (const input of inputs) {
    const parsed = parseSource(input);
    issues.push(...parsed.issues);
    if (parsed.docs.length === 0 && parsed.issues.length === 0) {
      issues.push(located(input.path, 1, { severity: "error", item: "file", field: "", message: "is empty", rule: "rules/invalid" }));
    }
    for (const doc of parsed.docs) {
      const kind = kindOf(doc);
      const where = `document ${doc.index + 1}`;
      if (kind === undefined) {
        issues.push(located(doc.file, doc.lineOf([]), { severity: "error", item: where, field: "", message: "is not a rule file, PrometheusRule, prometheus.yml, alertmanager.yml, dashboard or ConfigMap of dashboards", rule: "rules/invalid" }));
      } else if (kind === "rules") {
        const r = importRuleDoc(doc, taken);
        packs.push(...r.packs);
        issues.push(...r.problems.issues);
      } else if (kind === "prometheus") {
        const r = importPrometheusDoc(doc);
        prometheus.push({ file: doc.file, imported: r.imported, doc });
        issues.push(...r.problems.issues);
      } else if (kind === "alertmanager") {
        const r = importAlertmanagerDoc(doc);
        alertmanager.push({ file: doc.file, imported: r.imported, doc });
        issues.push(...r.problems.issues);
      } else {
        const r = importDashboardDoc(doc, kebab(opts.folder ?? "imported"));
        dashboards.push(...r.dashboards);
        issues.push(...r.problems.issues);
      }
    }
  }
  const lint = withLevels(opts.levels);
  const at = (file: string, line: number | undefined, list: readonly ValidationIssue[]) => list.map((i) => located(file, line, i));
  if (packs.length > 0) {
    for (const i of validateRulePacks(packs.map((p) => p.pack), lint)) {
      const where = ruleLine(packs, i.item) ?? { file: packs[0]!.file };
      issues.push(located(where.file, where.line, i));
    }
  }
  for (const p of prometheus) {
    const lines = new Map(p.imported.config.scrapeJobs.map((j, idx) => [`scrape job "${j.name}"`, p.doc.lineOf(["scrape_configs", idx])]));
    for (const i of validatePrometheusConfig(p.imported.config, lint)) issues.push(located(p.file, lines.get(i.item) ?? p.doc.lineOf([i.item.split(/[ .[]/)[0]!]), i));
  }
  const severities = orderSeverities(packs.flatMap((p) => p.pack.groups.flatMap((g) => g.rules.filter(isAlertRule).map((r) => r.severity))));
  for (const a of alertmanager) {
    const receivers = new Map(a.imported.config.receivers.map((r, idx) => [r.name, idx]));
    for (const i of validateAlertmanagerConfig(a.imported.config, { lint, environment: "prod", ...(packs.length > 0 ? { severities } : {}) })) {
      const rec = /^receiver "([^"]*)"/.exec(i.item)?.[1];
      const interval = /^time interval "([^"]*)"/.exec(i.item)?.[1];
      const path = rec !== undefined ? ["receivers", receivers.get(rec) ?? 0] : interval !== undefined ? timeIntervalPath(a.doc.value, interval) : alertmanagerPath(i.item);
      issues.push(located(a.file, path ? a.doc.lineOf(path) : undefined, i));
    }
  }
  if (dashboards.length > 0) {
    const recordingRules = packs.length > 0 ? packs.flatMap((p) => p.pack.groups.flatMap((g) => g.rules.filter(isRecordingRule).map((r) => r.record))) : undefined;
    const byUid = new Map(dashboards.map((d) => [d.def.uid, d]));
    for (const i of lintDashboards(dashboards.map((d) => d.def), { lint, ...(recordingRules ? { recordingRules } : {}) })) {
      const d = byUid.get(/^dashboard "([^"]*)"/.exec(i.item)?.[1] ?? "") ?? dashboards[0]!;
      issues.push(...at(d.file, d.line, [i]));
    }
  }
  return { packs, prometheus, alertmanager, dashboards, issues };
}

export interface ImportedModule {
  /** Relative output path: `rules/<source>.ts`, `prometheus/<source>.ts`, `alertmanager/<source>.ts`, `dashboards/<source>.ts`. */
  readonly path: string;
  readonly source: string;
  readonly content: string;
}

export interface ImportResult extends ReadContent {
  /** Empty when any issue is an error: nothing is written for content the programs would refuse. */
  readonly modules: readonly ImportedModule[];
}

/** Reads the sources and writes one TypeScript module per source file and kind. */
export function importContent(inputs: readonly ImportInput[], opts: ReadOptions & GenerateOptions = {}): ImportResult {
  const read = readContent(inputs, opts);
  if (read.issues.some((i) => i.severity === "error")) return { ...read, modules: [] };
  const modules: ImportedModule[] = [];
  // Modules mirror the sources' folders below their common folder: `rules/minio/embedded-exporter.ts`.
  const dirs = inputs.map((i) => i.path.split("/").slice(0, -1));
  let common = dirs[0] ?? [];
  for (const d of dirs) common = common.filter((part, k) => d[k] === part && common.slice(0, k).every((x, j) => d[j] === x));
  const used = new Set<string>();
  const out = (kind: string, file: string): string => {
    const parts = file.split("/");
    const rel = parts.slice(common.length, -1).map(kebab);
    const base = [kind, ...rel, kebab(parts.at(-1) ?? file)].join("/");
    let p = `${base}.ts`;
    for (let i = 2; used.has(p); i++) p = `${base}-${i}.ts`;
    used.add(p);
    return p;
  };
  for (const file of [...new Set(read.packs.map((p) => p.file))]) {
    modules.push({ path: out("rules", file), source: file, content: rulePackModule(read.packs.filter((p) => p.file === file), file, opts) });
  }
  for (const p of read.prometheus) modules.push({ path: out("prometheus", p.file), source: p.file, content: prometheusModule(p.imported, p.file, opts) });
  for (const a of read.alertmanager) modules.push({ path: out("alertmanager", a.file), source: a.file, content: alertmanagerModule(a.imported, a.file, opts) });
  for (const file of [...new Set(read.dashboards.map((d) => d.file))]) {
    modules.push({ path: out("dashboards", file), source: file, content: dashboardsModule(read.dashboards.filter((d) => d.file === file), file, opts) });
  }
  return { ...read, modules };
}

/** The typed content of a read, for callers that render it (the round trip) or compose a stack from it. */
export function contentOf(read: ReadContent): { packs: RulePack[]; prometheus: PrometheusConfig[]; alertmanager: AlertmanagerConfig[]; dashboards: DashboardDef[] } {
  return {
    packs: read.packs.map((p) => p.pack),
    prometheus: read.prometheus.map((p) => p.imported.config),
    alertmanager: read.alertmanager.map((a) => a.imported.config),
    dashboards: read.dashboards.map((d) => d.def),
  };
}
