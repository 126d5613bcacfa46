/**
 * The TypeScript modules `moncode import` writes: readable, typed with the library's types (and the Grafana SDK's
 * for dashboards), one module per source file, each saying where it came from and what the user must still do
 * (set the secrets whose values were not carried over).
 */
import type { AlertmanagerConfig } from "../alertmanager/model";
import type { PrometheusConfig } from "../prometheus/model";
import type { Rule, RuleGroup } from "../rules/model";
import type { ImportedAlertmanager } from "./alertmanager";
import type { ImportedDashboard } from "./dashboards";
import { Call, code, identifier, Names, tsValue } from "./emit";
import { typedDashboard } from "./grafana-typed";
import type { ImportedPrometheus } from "./prometheus";
import { PROMETHEUS_SECRETS_DIR } from "./prometheus";
import type { ImportedPack } from "./rules";

export interface GenerateOptions {
  /** Module specifier of the library in imports. @default "moncode" */
  readonly from?: string;
}

const RESERVED_NAMES = ["dashboard", "grafana", "rules", "prometheus", "alertmanager", "prometheusSecretPath", "packs", "dashboards", "config", "scrapeJobs", "secrets"];

function header(source: string, lines: readonly string[] = []): string {
  return ["/**", ` * Imported by \`moncode import\` from ${source}.`, " * Edit freely: this module is now the source of truth for this content.", ...lines.map((l) => ` * ${l}`), " */"].join("\n");
}

function ruleValue(r: Rule): Record<string, unknown> {
  return r as unknown as Record<string, unknown>;
}

function groupValue(g: RuleGroup): Record<string, unknown> {
  return { ...g, rules: g.rules.map(ruleValue) };
}

export function rulePackModule(packs: readonly ImportedPack[], source: string, opts: GenerateOptions = {}): string {
  const names = new Names();
  RESERVED_NAMES.forEach((n) => names.take(n));
  const consts = packs.map((p) => ({ id: names.take(identifier(p.pack.name, "rules")), pack: p.pack }));
  const body = consts.map(({ id, pack }) => `export const ${id}: rules.RulePack = ${tsValue({ name: pack.name, groups: pack.groups.map(groupValue), tests: [] })};`);
  return [
    header(source, ["Add promtool unit tests to each pack's `tests` (every alert firing and not firing) when you adopt it."]),
    `import type { rules } from "${opts.from ?? "moncode"}";`,
    "",
    ...body.flatMap((b) => [b, ""]),
    `/** Every pack of ${source}, for PrometheusStack's \`rulePacks\`. */`,
    `export const packs: rules.RulePack[] = [${consts.map((c) => c.id).join(", ")}];`,
    "",
  ].join("\n");
}

/** A secret file path as a call of the library's helper, so the module reads as the stack's own config does. */
function withSecretPaths(v: unknown): unknown {
  if (typeof v === "string" && v.startsWith(`${PROMETHEUS_SECRETS_DIR}/`)) return new Call("prometheusSecretPath", [v.slice(PROMETHEUS_SECRETS_DIR.length + 1)]);
  if (Array.isArray(v)) return v.map(withSecretPaths);
  if (v !== null && typeof v === "object" && !(v instanceof Call)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, withSecretPaths(x)]));
  return v;
}

export function prometheusModule(imported: ImportedPrometheus, source: string, opts: GenerateOptions = {}): string {
  const from = opts.from ?? "moncode";
  const usesSecrets = imported.secrets.length > 0;
  const cfg: PrometheusConfig = imported.config;
  return [
    header(source, usesSecrets ? ["The source had credentials inline; they were not imported. Set each secret below (PrometheusStack's", "`scrapeSecrets: { <name>: <Pulumi secret> }`), e.g. `pulumi config set --secret <key>`."] : []),
    usesSecrets ? `import { prometheusSecretPath, type prometheus } from "${from}";` : `import type { prometheus } from "${from}";`,
    "",
    ...(usesSecrets
      ? [
          "/** Secrets to set, each mounted at prometheusSecretPath(name); the values were not carried over. */",
          `export const secrets = ${tsValue(imported.secrets.map((s) => ({ name: s.name, replaces: s.where })))} as const;`,
          "",
        ]
      : []),
    `export const config: prometheus.PrometheusConfig = ${tsValue(withSecretPaths(cfg))};`,
    "",
    "/** The scrape jobs, for PrometheusStack's `scrapeJobs` (the stack adds its own components' jobs). */",
    "export const scrapeJobs: readonly prometheus.ScrapeJob[] = config.scrapeJobs;",
    "",
  ].join("\n");
}

/** SecretRef objects as `alertmanager.secret("name")` calls. */
function withSecretCalls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withSecretCalls);
  if (v !== null && typeof v === "object" && !(v instanceof Call)) {
    const o = v as Record<string, unknown>;
    if (Object.keys(o).length === 1 && typeof o.secret === "string") return new Call("alertmanager.secret", [o.secret]);
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, withSecretCalls(x)]));
  }
  return v;
}

export function alertmanagerModule(imported: ImportedAlertmanager, source: string, opts: GenerateOptions = {}): string {
  const cfg: AlertmanagerConfig = imported.config;
  const value = withSecretCalls(cfg);
  return [
    header(
      source,
      imported.secrets.length > 0
        ? ["Credentials are secret references: their values were not imported. Give AlertRouting a `secrets: { <name>: <Pulumi secret> }`", "entry for each name in `secrets` below."]
        : [],
    ),
    `import { alertmanager } from "${opts.from ?? "moncode"}";`,
    "",
    "/** Secrets the config references (mounted as files, rendered as `*_file`), with the field each replaces. */",
    `export const secrets = ${tsValue(imported.secrets.map((s) => ({ name: s.name, replaces: s.where })))} as const;`,
    "",
    `export const config: alertmanager.AlertmanagerConfig = ${tsValue(value)};`,
    "",
  ].join("\n");
}

export function dashboardsModule(dashboards: readonly ImportedDashboard[], source: string, opts: GenerateOptions = {}): string {
  const names = new Names();
  RESERVED_NAMES.forEach((n) => names.take(n));
  const ns = { sdk: "dashboard" as const, moncode: "grafana" };
  let usesSdk = false;
  const blocks: string[] = [];
  const ids: string[] = [];
  for (const d of dashboards) {
    const id = names.take(identifier(d.def.uid, "dashboard"));
    const model = names.take(`${id}Model`);
    const typed = typedDashboard(d.def.dashboard, ns);
    if (typed !== undefined) {
      usesSdk = true;
      blocks.push(`const ${model}: ${typed.type} = ${tsValue(typed.value)};`);
    } else {
      blocks.push(`/** The JSON as Grafana wrote it (not an object the SDK's Dashboard type describes). */`);
      blocks.push(`const ${model} = ${tsValue(d.def.dashboard)};`);
    }
    blocks.push("");
    blocks.push(`export const ${id}: grafana.DashboardDef = ${tsValue({ uid: d.def.uid, title: d.def.title, folder: d.def.folder, dashboard: code(model) })};`);
    blocks.push("");
    ids.push(id);
  }
  return [
    header(source),
    ...(usesSdk ? [`import * as dashboard from "@grafana/grafana-foundation-sdk/dashboard";`] : []),
    `import { grafana } from "${opts.from ?? "moncode"}";`,
    "",
    ...blocks,
    `/** Every dashboard of ${source}, for GrafanaWithDashboards' \`dashboards\`. */`,
    `export const dashboards: grafana.DashboardDef[] = [${ids.join(", ")}];`,
    "",
  ].join("\n");
}
