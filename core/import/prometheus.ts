/**
 * prometheus.yml as the typed PrometheusConfig: global settings, rule files, Alertmanagers, scrape jobs (static and
 * Kubernetes discovery, relabelling, TLS and auth), remote write. A credential written inline (`password`,
 * `credentials`, `bearer_token`) becomes a secret file reference — its value is never carried over — and is listed
 * so the user can set it. Fields the model has no place for are reported, each naming the file, line and job.
 */
import type { AlertmanagerTarget, HttpClientConfig, KubernetesSdConfig, KubernetesSdRole, PrometheusConfig, QueueConfig, RelabelAction, RelabelConfig, RemoteWrite, ScrapeJob, ScrapeProtocol, StaticTargetGroup } from "../prometheus/model";
import { kebab } from "./emit";
import { isObj, type Obj, type Path, Problems, type SourceDoc, text } from "./source";

/** Where the stack mounts scrape secrets (components/prometheus-stack.ts `prometheusSecretPath`). */
export const PROMETHEUS_SECRETS_DIR = "/etc/prometheus/secrets";

export interface ImportedPrometheus {
  readonly config: PrometheusConfig;
  /** Secret names for credentials the source had inline, with where they were. */
  readonly secrets: readonly { readonly name: string; readonly where: string }[];
}

const RELABEL_KEYS = ["source_labels", "separator", "regex", "modulus", "target_label", "replacement", "action"];
const TLS_KEYS = ["ca_file", "cert_file", "key_file", "server_name", "insecure_skip_verify"];
const JOB_KEYS = [
  "job_name", "scrape_interval", "scrape_timeout", "metrics_path", "scheme", "params", "honor_labels", "sample_limit",
  "fallback_scrape_protocol", "static_configs", "kubernetes_sd_configs", "relabel_configs", "metric_relabel_configs",
  "basic_auth", "authorization", "bearer_token", "bearer_token_file", "tls_config",
];

class Reader {
  readonly secrets: { name: string; where: string }[] = [];
  constructor(readonly p: Problems) {}

  secretPath(name: string, where: string): string {
    let n = kebab(name);
    for (let i = 2; this.secrets.some((s) => s.name === n); i++) n = `${kebab(name)}-${i}`;
    this.secrets.push({ name: n, where });
    return `${PROMETHEUS_SECRETS_DIR}/${n}`;
  }

  relabels(path: Path, item: string, v: unknown): RelabelConfig[] | undefined {
    if (v === undefined) return undefined;
    if (!Array.isArray(v)) {
      this.p.add(path, item, String(path.at(-1)), "must be a list", "prometheus/invalid");
      return undefined;
    }
    return v.filter(isObj).map((r, i) => {
      this.p.unknownKeys([...path, i], item, r, RELABEL_KEYS, "prometheus/invalid", { under: `${String(path.at(-1))}[${i}]` });
      const out: { -readonly [K in keyof RelabelConfig]: RelabelConfig[K] } = {};
      if (Array.isArray(r.source_labels)) out.sourceLabels = r.source_labels.map(String);
      if (r.separator !== undefined) out.separator = text(r.separator) ?? "";
      if (r.regex !== undefined) out.regex = text(r.regex) ?? "";
      if (typeof r.modulus === "number") out.modulus = r.modulus;
      if (r.target_label !== undefined) out.targetLabel = text(r.target_label) ?? "";
      if (r.replacement !== undefined) out.replacement = text(r.replacement) ?? "";
      if (r.action !== undefined) out.action = (text(r.action) ?? "").toLowerCase() as RelabelAction;
      return out;
    });
  }

  /** basic_auth, authorization, bearer_token(_file), tls_config. */
  http(path: Path, item: string, o: Obj, secretBase: string): HttpClientConfig {
    const out: { -readonly [K in keyof HttpClientConfig]: HttpClientConfig[K] } = {};
    // Prometheus refuses more than one way to authenticate (common/config HTTPClientConfig.Validate, its words).
    const has = (k: string) => o[k] !== undefined && o[k] !== null;
    const conflict = (field: string, message: string) => this.p.add([...path, field], item, field, message, "prometheus/invalid");
    if (has("bearer_token") && has("bearer_token_file")) conflict("bearer_token_file", "and bearer_token are both set (Prometheus: \"at most one of bearer_token & bearer_token_file must be configured\")");
    if (has("basic_auth") && (has("bearer_token") || has("bearer_token_file"))) conflict("basic_auth", "and a bearer token are both set (Prometheus: \"at most one of basic_auth, oauth2, bearer_token & bearer_token_file must be configured\")");
    if (has("authorization") && (has("bearer_token") || has("bearer_token_file"))) conflict("authorization", "and a bearer token are both set (Prometheus: \"authorization is not compatible with bearer_token & bearer_token_file\")");
    if (has("basic_auth") && has("authorization")) conflict("authorization", "and basic_auth are both set (Prometheus: \"at most one of basic_auth, oauth2 & authorization must be configured\")");
    if (isObj(o.authorization) && o.authorization.credentials !== undefined && o.authorization.credentials_file !== undefined) {
      conflict("authorization", "has both credentials and credentials_file (Prometheus: \"at most one of authorization credentials & credentials_file must be configured\")");
    }
    if (isObj(o.basic_auth) && o.basic_auth.password !== undefined && o.basic_auth.password_file !== undefined) {
      conflict("basic_auth", "has both password and password_file (Prometheus: \"at most one of basic_auth password, password_file & password_ref must be configured\")");
    }
    if (isObj(o.basic_auth)) {
      const b = o.basic_auth;
      this.p.unknownKeys([...path, "basic_auth"], item, b, ["username", "password", "password_file"], "prometheus/invalid", { under: "basic_auth" });
      const file = text(b.password_file) ?? (b.password !== undefined ? this.secretPath(`${secretBase}-password`, `${item}: basic_auth.password`) : undefined);
      if (file === undefined) this.p.add([...path, "basic_auth"], item, "basic_auth", "has no password or password_file", "prometheus/invalid");
      else out.basicAuth = { username: text(b.username) ?? "", passwordFile: file };
    }
    const auth = isObj(o.authorization) ? o.authorization : undefined;
    if (auth) this.p.unknownKeys([...path, "authorization"], item, auth, ["type", "credentials", "credentials_file"], "prometheus/invalid", { under: "authorization" });
    const tokenFile =
      text(auth?.credentials_file) ??
      text(o.bearer_token_file) ??
      (auth?.credentials !== undefined || o.bearer_token !== undefined ? this.secretPath(`${secretBase}-token`, `${item}: ${auth ? "authorization.credentials" : "bearer_token"}`) : undefined);
    if (tokenFile !== undefined) {
      const type = text(auth?.type);
      out.authorization = { ...(type !== undefined ? { type } : {}), credentialsFile: tokenFile };
    }
    if (isObj(o.tls_config)) {
      const t = o.tls_config;
      this.p.unknownKeys([...path, "tls_config"], item, t, TLS_KEYS, "prometheus/invalid", { under: "tls_config" });
      out.tlsConfig = {
        ...(t.ca_file !== undefined ? { caFile: String(t.ca_file) } : {}),
        ...(t.cert_file !== undefined ? { certFile: String(t.cert_file) } : {}),
        ...(t.key_file !== undefined ? { keyFile: String(t.key_file) } : {}),
        ...(t.server_name !== undefined ? { serverName: String(t.server_name) } : {}),
        ...(typeof t.insecure_skip_verify === "boolean" ? { insecureSkipVerify: t.insecure_skip_verify } : {}),
      };
    }
    return out;
  }

  static(path: Path, item: string, v: unknown): StaticTargetGroup[] | undefined {
    if (!Array.isArray(v)) return undefined;
    return v.filter(isObj).map((g, i) => {
      const under = `${String(path.at(-1))}[${i}]`;
      this.p.unknownKeys([...path, i], item, g, ["targets", "labels"], "prometheus/invalid", { under });
      const labels = this.p.strings([...path, i, "labels"], item, `${under}.labels`, g.labels, "prometheus/invalid");
      return { targets: (Array.isArray(g.targets) ? g.targets : []).map(String), ...(labels && Object.keys(labels).length > 0 ? { labels } : {}) };
    });
  }

  kubernetes(path: Path, item: string, v: unknown): KubernetesSdConfig[] | undefined {
    if (!Array.isArray(v)) return undefined;
    return v.filter(isObj).map((k, i) => {
      this.p.unknownKeys([...path, i], item, k, ["role", "namespaces", "selectors"], "prometheus/invalid", { what: "is not supported by moncode's Kubernetes discovery (in-cluster only: the pod's service account)", under: `kubernetes_sd_configs[${i}]` });
      const ns = isObj(k.namespaces) ? k.namespaces : undefined;
      const names = Array.isArray(ns?.names) ? ns.names.map(String) : undefined;
      const selectors = Array.isArray(k.selectors)
        ? k.selectors.filter(isObj).map((s) => ({ role: String(s.role) as KubernetesSdRole, ...(s.label !== undefined ? { label: String(s.label) } : {}), ...(s.field !== undefined ? { field: String(s.field) } : {}) }))
        : undefined;
      return {
        role: String(k.role) as KubernetesSdRole,
        ...(ns ? { namespaces: { ...(ns.own_namespace === true ? { own: true } : {}), ...(names ? { names } : {}) } } : {}),
        ...(selectors ? { selectors } : {}),
      };
    });
  }

  job(path: Path, j: Obj): ScrapeJob {
    const name = text(j.job_name) ?? "";
    const item = `scrape job "${name}"`;
    this.p.unknownKeys(path, item, j, JOB_KEYS, "prometheus/invalid");
    const params = isObj(j.params) ? Object.fromEntries(Object.entries(j.params).map(([k, v]) => [k, (Array.isArray(v) ? v : [v]).map(String)])) : undefined;
    const opt = <T>(key: string, v: T | undefined): Partial<Record<string, T>> => (v !== undefined ? { [key]: v } : {});
    return {
      name,
      ...opt("scrapeInterval", text(j.scrape_interval)),
      ...opt("scrapeTimeout", text(j.scrape_timeout)),
      ...opt("metricsPath", text(j.metrics_path)),
      ...opt("scheme", text(j.scheme) as "http" | "https" | undefined),
      ...opt("params", params),
      ...opt("honorLabels", typeof j.honor_labels === "boolean" ? j.honor_labels : undefined),
      ...opt("sampleLimit", typeof j.sample_limit === "number" ? j.sample_limit : undefined),
      ...opt("fallbackScrapeProtocol", text(j.fallback_scrape_protocol) as ScrapeProtocol | undefined),
      ...this.http(path, item, j, name),
      ...opt("staticConfigs", this.static([...path, "static_configs"], item, j.static_configs)),
      ...opt("kubernetesSdConfigs", this.kubernetes([...path, "kubernetes_sd_configs"], item, j.kubernetes_sd_configs)),
      ...opt("relabelConfigs", this.relabels([...path, "relabel_configs"], item, j.relabel_configs)),
      ...opt("metricRelabelConfigs", this.relabels([...path, "metric_relabel_configs"], item, j.metric_relabel_configs)),
    } as ScrapeJob;
  }

  alertmanagers(path: Path, v: unknown): AlertmanagerTarget[] {
    if (!Array.isArray(v)) return [];
    return v.filter(isObj).map((a, i) => {
      const item = `alerting.alertmanagers[${i}]`;
      this.p.unknownKeys([...path, i], item, a, ["static_configs", "scheme", "path_prefix", "timeout", "api_version"], "prometheus/invalid");
      if (a.api_version !== undefined && a.api_version !== "v2") this.p.add([...path, i, "api_version"], item, "api_version", "must be v2 (Prometheus 3 speaks only v2)", "prometheus/invalid");
      const groups = this.static([...path, i, "static_configs"], item, a.static_configs) ?? [];
      if (groups.some((g) => g.labels)) this.p.add([...path, i, "static_configs"], item, "static_configs", "labels on Alertmanager targets are not supported", "prometheus/invalid");
      return {
        targets: groups.flatMap((g) => g.targets),
        ...(a.scheme !== undefined ? { scheme: String(a.scheme) as "http" | "https" } : {}),
        ...(a.path_prefix !== undefined ? { pathPrefix: String(a.path_prefix) } : {}),
        ...(a.timeout !== undefined ? { timeout: String(a.timeout) } : {}),
      };
    });
  }

  remoteWrite(path: Path, v: unknown): RemoteWrite[] | undefined {
    if (!Array.isArray(v)) return undefined;
    return v.filter(isObj).map((r, i) => {
      const name = text(r.name) ?? `remote-write-${i}`;
      const item = `remote_write "${name}"`;
      this.p.unknownKeys([...path, i], item, r, ["name", "url", "remote_timeout", "queue_config", "write_relabel_configs", "basic_auth", "authorization", "bearer_token", "bearer_token_file", "tls_config"], "prometheus/invalid");
      const q = isObj(r.queue_config) ? r.queue_config : undefined;
      if (q) this.p.unknownKeys([...path, i, "queue_config"], item, q, ["capacity", "max_shards", "min_shards", "max_samples_per_send", "batch_send_deadline"], "prometheus/invalid", { under: "queue_config" });
      const num = (x: unknown) => (typeof x === "number" ? x : undefined);
      const queueConfig: QueueConfig | undefined = q
        ? Object.fromEntries(
            Object.entries({ capacity: num(q.capacity), maxShards: num(q.max_shards), minShards: num(q.min_shards), maxSamplesPerSend: num(q.max_samples_per_send), batchSendDeadline: text(q.batch_send_deadline) }).filter(([, x]) => x !== undefined),
          )
        : undefined;
      const writeRelabel = this.relabels([...path, i, "write_relabel_configs"], item, r.write_relabel_configs);
      return {
        name,
        url: text(r.url) ?? "",
        ...(r.remote_timeout !== undefined ? { remoteTimeout: String(r.remote_timeout) } : {}),
        ...this.http([...path, i], item, r, name.startsWith("remote-write") ? name : `remote-write-${name}`),
        ...(queueConfig ? { queueConfig } : {}),
        ...(writeRelabel ? { writeRelabelConfigs: writeRelabel } : {}),
      };
    });
  }
}

export function isPrometheusConfig(v: unknown): v is Obj {
  return isObj(v) && (Array.isArray(v.scrape_configs) || (isObj(v.global) && ("scrape_interval" in v.global || "evaluation_interval" in v.global)) || Array.isArray(v.rule_files));
}

export function importPrometheusDoc(doc: SourceDoc): { imported: ImportedPrometheus; problems: Problems } {
  const p = new Problems(doc);
  const r = new Reader(p);
  const v = doc.value as Obj;
  p.unknownKeys([], "prometheus.yml", v, ["global", "rule_files", "alerting", "scrape_configs", "remote_write"], "prometheus/invalid");
  const g = isObj(v.global) ? v.global : {};
  p.unknownKeys(["global"], "global", g, ["scrape_interval", "scrape_timeout", "evaluation_interval", "external_labels"], "prometheus/invalid");
  const alerting = isObj(v.alerting) ? v.alerting : {};
  p.unknownKeys(["alerting"], "alerting", alerting, ["alertmanagers", "alert_relabel_configs"], "prometheus/invalid");
  const externalLabels = p.strings(["global", "external_labels"], "global", "external_labels", g.external_labels, "prometheus/invalid");
  const alertRelabel = r.relabels(["alerting", "alert_relabel_configs"], "alerting", alerting.alert_relabel_configs);
  const scrapeJobs = (Array.isArray(v.scrape_configs) ? v.scrape_configs : []).map((j, i) => (isObj(j) ? r.job(["scrape_configs", i], j) : ({ name: "" } as ScrapeJob)));
  const remoteWrite = r.remoteWrite(["remote_write"], v.remote_write);
  const scrapeTimeout = text(g.scrape_timeout);
  const config: PrometheusConfig = {
    // Prometheus's own defaults, written out: the model wants them explicit.
    global: {
      scrapeInterval: text(g.scrape_interval) ?? "1m",
      ...(scrapeTimeout !== undefined ? { scrapeTimeout } : {}),
      evaluationInterval: text(g.evaluation_interval) ?? "1m",
      ...(externalLabels && Object.keys(externalLabels).length > 0 ? { externalLabels } : {}),
    },
    ruleFiles: (Array.isArray(v.rule_files) ? v.rule_files : []).map(String),
    scrapeJobs,
    alertmanagers: r.alertmanagers(["alerting", "alertmanagers"], alerting.alertmanagers),
    ...(alertRelabel ? { alertRelabelConfigs: alertRelabel } : {}),
    ...(remoteWrite ? { remoteWrite } : {}),
  };
  return { imported: { config, secrets: r.secrets }, problems: p };
}
