/**
 * Grafana provisioning files: datasources with fixed UIDs (so dashboards and alert links never depend on what
 * Grafana generated at first start) and one dashboard provider per folder. Pure text; the components put it on disk.
 */
import { DATASOURCE_UIDS } from "../conventions";
import { assertValid, issue, duplicates, type ValidationIssue } from "../validation";
import { toYaml } from "../yaml";

/** Every datasource UID the stack may provision; dashboards may only refer to these (or to `${datasource}`). */
export const GRAFANA_DATASOURCE_UIDS = {
  ...DATASOURCE_UIDS,
  loki: "loki",
  tempo: "tempo",
  jaeger: "jaeger",
} as const;

/**
 * One provisioned Grafana datasource as rendered into datasources.yml: fixed UID, proxy access, read-only in the UI.
 */
export interface GrafanaDatasource {
  readonly name: string;
  readonly type: "prometheus" | "alertmanager" | "loki" | "tempo" | "jaeger";
  readonly uid: string;
  readonly access: "proxy";
  readonly url: string;
  readonly isDefault: boolean;
  /** Provisioned datasources are read-only in the UI: code stays the source of truth. */
  readonly editable: false;
  readonly jsonData: Readonly<Record<string, unknown>>;
}

/**
 * One dashboard provider of dashboards.yml: Grafana loads the dashboard files of one folder from disk into a Grafana
 * folder.
 */
export interface GrafanaDashboardProvider {
  readonly name: string;
  readonly orgId: 1;
  /** Folder title shown in Grafana. */
  readonly folder: string;
  /** Stable folder UID, so links and permissions survive a re-provision. */
  readonly folderUid: string;
  readonly type: "file";
  readonly disableDeletion: boolean;
  readonly allowUiUpdates: boolean;
  readonly updateIntervalSeconds: number;
  readonly options: { readonly path: string; readonly foldersFromFilesStructure: false };
}

/** The whole provisioning model: what `renderDatasources` and `renderDashboardProviders` print. */
export interface GrafanaProvisioning {
  readonly datasources: readonly GrafanaDatasource[];
  readonly providers: readonly GrafanaDashboardProvider[];
}

/**
 * Which datasources Grafana gets and where it reaches them: Prometheus always, Alertmanager, Loki and Tempo when their
 * URLs are given.
 */
export interface DatasourceOptions {
  /** URL Grafana's backend uses to reach Prometheus, e.g. `http://prometheus:9090`. */
  readonly prometheusUrl: string;
  /** Alertmanager URL; provisions an Alertmanager datasource (silences, alert groups in Grafana) when given. */
  readonly alertmanagerUrl?: string;
  /** Loki URL; provisions a Loki datasource when given. */
  readonly lokiUrl?: string;
  /** Tempo URL; provisions a Tempo datasource when given. */
  readonly tempoUrl?: string;
  /**
   * Jaeger's query URL (`http://jaeger:16686`); provisions a Jaeger datasource when given, linked both ways: Loki's
   * trace ids (the OTLP `trace_id` structured metadata, or `trace_id=…` in a line) open the trace, a span opens its
   * logs in Loki and its service's span metrics in Prometheus, Prometheus exemplars open their trace.
   */
  readonly jaegerUrl?: string;
  /**
   * Prometheus scrape interval. Grafana derives `$__rate_interval` from it (4 x scrape interval at least), so it must
   * match the real one. @default "15s"
   */
  readonly scrapeInterval?: string;
}

function checkUrl(name: string, url: string | undefined, out: ValidationIssue[]): void {
  if (url === undefined) return;
  let ok = false;
  try {
    const u = new URL(url);
    ok = (u.protocol === "http:" || u.protocol === "https:") && u.hostname !== "";
  } catch {
    ok = false;
  }
  if (!ok) out.push(issue(`datasource "${name}"`, "url", `must be an absolute http(s) URL, got "${url}"`));
}

/**
 * Checks datasource options: every URL given is an absolute http(s) URL, the Prometheus one is set and the scrape
 * interval is a duration.
 */
export function validateDatasourceOptions(opts: DatasourceOptions): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  if (!opts.prometheusUrl) out.push(issue(`datasource "Prometheus"`, "url", "is required"));
  checkUrl("Prometheus", opts.prometheusUrl || undefined, out);
  checkUrl("Alertmanager", opts.alertmanagerUrl, out);
  checkUrl("Loki", opts.lokiUrl, out);
  checkUrl("Tempo", opts.tempoUrl, out);
  checkUrl("Jaeger", opts.jaegerUrl, out);
  if (opts.tempoUrl !== undefined && opts.jaegerUrl !== undefined) out.push(issue(`datasource "Jaeger"`, "url", "and Tempo are both given: trace links point at one trace datasource"));
  if (opts.scrapeInterval !== undefined && !/^\d+(ms|s|m|h)$/.test(opts.scrapeInterval)) {
    out.push(issue(`datasource "Prometheus"`, "jsonData.timeInterval", `must be a duration like 15s, got "${opts.scrapeInterval}"`));
  }
  return out;
}

/** The datasource model in a fixed order: Prometheus (default), Alertmanager, Loki, Tempo. */
export function datasourceModel(opts: DatasourceOptions): GrafanaDatasource[] {
  const U = GRAFANA_DATASOURCE_UIDS;
  const out: GrafanaDatasource[] = [];
  const prometheusJson: Record<string, unknown> = {
    httpMethod: "POST",
    prometheusType: "Prometheus",
    timeInterval: opts.scrapeInterval ?? "15s",
  };
  const traces = opts.jaegerUrl !== undefined ? U.jaeger : opts.tempoUrl !== undefined ? U.tempo : undefined;
  if (traces !== undefined) {
    prometheusJson.exemplarTraceIdDestinations = [{ datasourceUid: traces, name: "trace_id" }];
  }
  out.push({ name: "Prometheus", type: "prometheus", uid: U.prometheus, access: "proxy", url: opts.prometheusUrl, isDefault: true, editable: false, jsonData: prometheusJson });
  if (opts.alertmanagerUrl !== undefined) {
    out.push({
      name: "Alertmanager", type: "alertmanager", uid: U.alertmanager, access: "proxy", url: opts.alertmanagerUrl, isDefault: false, editable: false,
      // Grafana-managed alerts stay off: alerting is Prometheus rules + this Alertmanager, defined in code.
      jsonData: { implementation: "prometheus", handleGrafanaManagedAlerts: false },
    });
  }
  if (opts.lokiUrl !== undefined) {
    const json: Record<string, unknown> = { maxLines: 1000 };
    if (opts.jaegerUrl !== undefined) {
      // OTLP logs carry the trace id as structured metadata `trace_id` (a label matcher); text lines as `trace_id=…`.
      json.derivedFields = [
        { datasourceUid: U.jaeger, matcherType: "label", matcherRegex: "trace_id", name: "TraceID", url: "$${__value.raw}" },
        { datasourceUid: U.jaeger, matcherType: "regex", matcherRegex: "trace_?id[\"=: ]+(\\w+)", name: "TraceIDInLine", url: "$${__value.raw}" },
      ];
    } else if (opts.tempoUrl !== undefined) {
      // `$$` escapes Grafana's env-var expansion of provisioning files; Grafana then sees `${__value.raw}`.
      json.derivedFields = [{ datasourceUid: U.tempo, matcherRegex: "trace_?id=(\\w+)", name: "TraceID", url: "$${__value.raw}" }];
    }
    out.push({ name: "Loki", type: "loki", uid: U.loki, access: "proxy", url: opts.lokiUrl, isDefault: false, editable: false, jsonData: json });
  }
  if (opts.tempoUrl !== undefined) {
    const json: Record<string, unknown> = { serviceMap: { datasourceUid: U.prometheus }, nodeGraph: { enabled: true } };
    if (opts.lokiUrl !== undefined) json.tracesToLogsV2 = { datasourceUid: U.loki, filterByTraceID: true };
    out.push({ name: "Tempo", type: "tempo", uid: U.tempo, access: "proxy", url: opts.tempoUrl, isDefault: false, editable: false, jsonData: json });
  }
  if (opts.jaegerUrl !== undefined) {
    const json: Record<string, unknown> = {
      // A span's RED metrics from the collector's span metrics (Prometheus's OTLP receiver names them).
      tracesToMetrics: {
        datasourceUid: U.prometheus,
        spanStartTimeShift: "-5m",
        spanEndTimeShift: "5m",
        tags: [{ key: "service.name", value: "service_name" }],
        queries: [
          { name: "Span rate", query: "sum(rate(traces_span_metrics_calls_total{$$__tags}[5m]))" },
          { name: "Error rate", query: 'sum(rate(traces_span_metrics_calls_total{$$__tags,status_code="STATUS_CODE_ERROR"}[5m]))' },
        ],
      },
    };
    if (opts.lokiUrl !== undefined) {
      json.tracesToLogsV2 = { datasourceUid: U.loki, filterByTraceID: true, spanStartTimeShift: "-5m", spanEndTimeShift: "5m", tags: [{ key: "service.name", value: "service_name" }] };
    }
    out.push({ name: "Jaeger", type: "jaeger", uid: U.jaeger, access: "proxy", url: opts.jaegerUrl, isDefault: false, editable: false, jsonData: json });
  }
  return out;
}

/** Every `datasourceUid` a datasource's settings link to, with where (`jsonData.tracesToLogsV2.datasourceUid`). */
function linkedUids(v: unknown, path: string, out: [string, string][]): void {
  if (Array.isArray(v)) v.forEach((x, i) => linkedUids(x, `${path}[${i}]`, out));
  else if (typeof v === "object" && v !== null) {
    for (const [k, x] of Object.entries(v)) {
      if (k === "datasourceUid" && typeof x === "string") out.push([`${path}.${k}`, x]);
      else linkedUids(x, `${path}.${k}`, out);
    }
  }
}

/** Links (derived fields, traces-to-logs/metrics, exemplars) to a datasource that is not provisioned: Grafana shows a dead link. */
export function validateDatasourceLinks(datasources: readonly GrafanaDatasource[]): ValidationIssue[] {
  const uids = new Set(datasources.map((d) => d.uid));
  const out: ValidationIssue[] = [];
  for (const d of datasources) {
    const links: [string, string][] = [];
    linkedUids(d.jsonData, "jsonData", links);
    for (const [field, uid] of links) if (!uids.has(uid)) out.push(issue(`datasource "${d.name}"`, field, `links to datasource "${uid}", which is not provisioned (have ${[...uids].join(", ")})`));
  }
  return out;
}

/** Datasource provisioning YAML (`grafana/provisioning/datasources/datasources.yml`). Throws on invalid options. */
export function renderDatasources(opts: DatasourceOptions): string {
  assertValid("Grafana datasources", validateDatasourceOptions(opts));
  const model = datasourceModel(opts);
  assertValid("Grafana datasources", validateDatasourceLinks(model));
  const datasources = model.map((d) => ({
    name: d.name, type: d.type, uid: d.uid, access: d.access, url: d.url, isDefault: d.isDefault, editable: d.editable, jsonData: d.jsonData,
  }));
  return toYaml({ apiVersion: 1, datasources });
}

/**
 * How the dashboard providers are rendered: the dashboards directory in the container, UI edits, folder titles, rescan
 * interval.
 */
export interface DashboardProviderOptions {
  /** Directory inside the Grafana container holding one sub-folder per dashboard folder, e.g. /var/lib/grafana/dashboards. */
  readonly dashboardsDir: string;
  /** Allow saving edits made in the UI. Off in prod, so a restart never silently drops or keeps a hand edit. */
  readonly allowUiUpdates: boolean;
  /** Titles for folder names; default title-cases the kebab-case name (`business-kpis` -> `Business Kpis`). */
  readonly folderTitles?: Readonly<Record<string, string>>;
  /** How often Grafana rescans the folder. @default 30 */
  readonly updateIntervalSeconds?: number;
}

const KEBAB = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/**
 * The Grafana folder title of a kebab-case folder name: the one given in `titles`, else the name title-cased
 * (`business-kpis` → `Business Kpis`).
 */
export function folderTitle(folder: string, titles?: Readonly<Record<string, string>>): string {
  return titles?.[folder] ?? folder.split("-").map((w) => (w ? w[0]!.toUpperCase() + w.slice(1) : w)).join(" ");
}

/** Folder UID used by the providers: `moncode-<folder>` (Grafana allows 40 characters). */
export function folderUid(folder: string): string {
  return `moncode-${folder}`;
}

/**
 * Checks dashboard folders and provider options: kebab-case unique folder names, UIDs within Grafana's 40 characters,
 * an absolute dashboards directory and a rescan interval of at least 10s.
 */
export function validateDashboardProviders(folders: readonly string[], opts: DashboardProviderOptions): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  if (!opts.dashboardsDir.startsWith("/")) out.push(issue("dashboard providers", "dashboardsDir", `must be an absolute path inside the container, got "${opts.dashboardsDir}"`));
  for (const f of folders) {
    if (!KEBAB.test(f)) out.push(issue(`dashboard folder "${f}"`, "folder", "must be kebab-case (a-z, 0-9, -)"));
    if (folderUid(f).length > 40) out.push(issue(`dashboard folder "${f}"`, "folderUid", "is longer than Grafana's 40 characters"));
  }
  for (const d of duplicates(folders, (f) => f)) out.push(issue(`dashboard folder "${d}"`, "folder", "is listed twice"));
  const interval = opts.updateIntervalSeconds ?? 30;
  if (!Number.isInteger(interval) || interval < 10) out.push(issue("dashboard providers", "updateIntervalSeconds", "must be an integer of at least 10"));
  return out;
}

/**
 * The dashboard providers for a set of folders, one per folder, sorted: the model `renderDashboardProviders` prints.
 */
export function dashboardProviderModel(folders: readonly string[], opts: DashboardProviderOptions): GrafanaDashboardProvider[] {
  const dir = opts.dashboardsDir.replace(/\/+$/, "");
  return [...new Set(folders)].sort().map((f) => ({
    name: `moncode-${f}`,
    orgId: 1 as const,
    folder: folderTitle(f, opts.folderTitles),
    folderUid: folderUid(f),
    type: "file" as const,
    // Deleting a provisioned dashboard in the UI would only last until the next rescan; forbid it outright.
    disableDeletion: true,
    allowUiUpdates: opts.allowUiUpdates,
    updateIntervalSeconds: opts.updateIntervalSeconds ?? 30,
    options: { path: `${dir}/${f}`, foldersFromFilesStructure: false as const },
  }));
}

/** Dashboard provider YAML (`grafana/provisioning/dashboards/dashboards.yml`), one provider per folder. */
export function renderDashboardProviders(folders: readonly string[], opts: DashboardProviderOptions): string {
  assertValid("Grafana dashboard providers", validateDashboardProviders(folders, opts));
  return toYaml({ apiVersion: 1, providers: dashboardProviderModel(folders, opts) });
}
