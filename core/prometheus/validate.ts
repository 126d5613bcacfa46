/** Checks of a PrometheusConfig and its storage flags; every issue names the job/field it is about. */
import { parseDuration } from "../duration";
import { looksLikeSecret } from "../alertmanager/secrets";
import { isLabelName, isLabelNameOrReserved, labelValueProblem } from "../labels";
import { compileRe2 } from "../alertmanager/label-matchers";
import { applyLevels, type LintOptions } from "../lint";
import { duplicates, finding, issue, type ValidationIssue } from "../validation";
import { SCRAPE_PROTOCOLS, type HttpClientConfig, type KubernetesSdConfig, type KubernetesSdRole, type PrometheusConfig, type RelabelConfig, type ScrapeJob, type StorageConfig } from "./model";

const HOST_PORT_RE = /^(\[[0-9a-fA-F:.]+\]|[a-zA-Z0-9]([a-zA-Z0-9.-]*[a-zA-Z0-9])?):(\d{1,5})$/;
const SIZE_RE = /^\d+(B|KB|MB|GB|TB|PB|EB)$/;

/** Reports a bad `host:port` target; returns the message or undefined. */
export function checkHostPort(target: string): string | undefined {
  const m = HOST_PORT_RE.exec(target);
  if (!m) return `"${target}" is not host:port`;
  const port = Number(m[3]);
  if (port < 1 || port > 65535) return `"${target}" has port ${port} outside 1-65535`;
  return undefined;
}

/** Why `url` is not an http(s) URL, or undefined when it is one. */
export function checkUrl(url: string): string | undefined {
  try {
    const u = new URL(url);
    if (u.protocol !== "http:" && u.protocol !== "https:") return `"${url}" is not an http(s) URL`;
    return undefined;
  } catch {
    return `"${url}" is not a valid URL`;
  }
}

function checkDuration(out: ValidationIssue[], item: string, field: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = parseDuration(value);
  if (ms === undefined) {
    out.push(issue(item, field, `"${value}" is not a duration (e.g. 15s, 1m, 1h30m)`));
    return undefined;
  }
  return ms;
}

function checkLabels(out: ValidationIssue[], item: string, field: string, labels: Readonly<Record<string, string>> | undefined): void {
  for (const [name, value] of Object.entries(labels ?? {})) {
    if (!isLabelName(name)) out.push(issue(item, `${field}.${name}`, `"${name}" is not a valid label name ([a-zA-Z_][a-zA-Z0-9_]*, not starting with __)`));
    const problem = typeof value === "string" ? labelValueProblem(value) : undefined;
    if (problem) out.push(finding("labels/value-multiline", item, `${field}.${name}`, problem));
  }
}

function checkRelabels(out: ValidationIssue[], item: string, field: string, list: readonly RelabelConfig[] | undefined): void {
  (list ?? []).forEach((r, i) => {
    const f = `${field}[${i}]`;
    for (const s of r.sourceLabels ?? []) {
      if (!isLabelNameOrReserved(s)) out.push(issue(item, `${f}.source_labels`, `"${s}" is not a valid label name`));
    }
    if (r.regex !== undefined) {
      const re = compileRe2(r.regex);
      if (!re.ok && !re.unsupported) out.push(issue(item, `${f}.regex`, `"${r.regex}" is not a valid RE2 regular expression (${re.error})`));
    }
    const action = r.action ?? "replace";
    if ((action === "replace" || action === "hashmod" || action === "lowercase" || action === "uppercase") && !r.targetLabel) {
      out.push(issue(item, `${f}.target_label`, `is required for action ${action}`));
    }
    if (action === "hashmod" && !(r.modulus && r.modulus > 0)) out.push(issue(item, `${f}.modulus`, "must be > 0 for action hashmod"));
    if (r.targetLabel !== undefined && action !== "replace" && !/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(r.targetLabel) && !r.targetLabel.includes("$")) {
      out.push(issue(item, `${f}.target_label`, `"${r.targetLabel}" is not a valid label name`));
    }
  });
}

function checkHttpClient(out: ValidationIssue[], item: string, c: HttpClientConfig): void {
  if (c.basicAuth && c.authorization) out.push(issue(item, "authorization", "cannot be combined with basic_auth"));
  const files: [string, string | undefined][] = [
    ["basic_auth.password_file", c.basicAuth?.passwordFile],
    ["authorization.credentials_file", c.authorization?.credentialsFile],
    ["tls_config.ca_file", c.tlsConfig?.caFile],
    ["tls_config.cert_file", c.tlsConfig?.certFile],
    ["tls_config.key_file", c.tlsConfig?.keyFile],
  ];
  for (const [field, path] of files) {
    if (path !== undefined && !path.startsWith("/")) out.push(issue(item, field, `"${path}" must be an absolute path of a mounted file`));
  }
}

const SD_ROLES: readonly KubernetesSdRole[] = ["node", "pod", "service", "endpoints", "endpointslice", "ingress"];
/** Which selector roles Prometheus accepts for each discovery role. */
const SELECTOR_ROLES: Readonly<Record<KubernetesSdRole, readonly KubernetesSdRole[]>> = {
  node: ["node"],
  pod: ["pod"],
  service: ["service"],
  ingress: ["ingress"],
  endpoints: ["endpoints", "pod", "service"],
  endpointslice: ["endpointslice", "pod", "service"],
};
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

function checkKubernetesSd(out: ValidationIssue[], item: string, list: readonly KubernetesSdConfig[]): void {
  list.forEach((k, i) => {
    const f = `kubernetes_sd_configs[${i}]`;
    if (!SD_ROLES.includes(k.role)) out.push(issue(item, `${f}.role`, `"${k.role}" is not one of ${SD_ROLES.join(", ")}`));
    for (const n of k.namespaces?.names ?? []) {
      if (!(DNS1123_LABEL.test(n) && n.length <= 63)) out.push(issue(item, `${f}.namespaces.names`, `"${n}" is not a namespace name (DNS-1123 label)`));
    }
    (k.selectors ?? []).forEach((sel, si) => {
      const allowed = SELECTOR_ROLES[k.role] ?? [];
      if (!allowed.includes(sel.role)) out.push(issue(item, `${f}.selectors[${si}].role`, `"${sel.role}" cannot select targets of role ${k.role} (allowed: ${allowed.join(", ")})`));
      if (sel.label === undefined && sel.field === undefined) out.push(issue(item, `${f}.selectors[${si}]`, "needs a label or field selector"));
    });
  });
}

function checkJob(out: ValidationIssue[], job: ScrapeJob, global: { intervalMs?: number; interval: string }): void {
  const item = `scrape job "${job.name}"`;
  if (!/^[a-zA-Z0-9_.:-]+$/.test(job.name)) out.push(issue(item, "job_name", "must be non-empty and use letters, digits, _ . : -"));
  const intervalMs = checkDuration(out, item, "scrape_interval", job.scrapeInterval) ?? global.intervalMs;
  // Prometheus caps an inherited timeout at the job's interval; only an explicit one can exceed it.
  const timeoutMs = checkDuration(out, item, "scrape_timeout", job.scrapeTimeout);
  if (intervalMs === 0) out.push(issue(item, "scrape_interval", "must be greater than 0"));
  if (intervalMs !== undefined && timeoutMs !== undefined && timeoutMs > intervalMs) {
    out.push(issue(item, "scrape_timeout", `${job.scrapeTimeout} exceeds scrape_interval ${job.scrapeInterval ?? global.interval}`));
  }
  if (job.metricsPath !== undefined && !job.metricsPath.startsWith("/")) out.push(issue(item, "metrics_path", `"${job.metricsPath}" must start with /`));
  if (job.fallbackScrapeProtocol !== undefined && !(SCRAPE_PROTOCOLS as readonly string[]).includes(job.fallbackScrapeProtocol)) {
    out.push(issue(item, "fallback_scrape_protocol", `must be one of ${SCRAPE_PROTOCOLS.join(", ")}, got ${JSON.stringify(job.fallbackScrapeProtocol)}`));
  }
  if (job.sampleLimit !== undefined && !(Number.isInteger(job.sampleLimit) && job.sampleLimit >= 0)) {
    out.push(issue(item, "sample_limit", "must be a whole number ≥ 0"));
  }
  const groups = job.staticConfigs ?? [];
  const sd = job.kubernetesSdConfigs ?? [];
  if (sd.length === 0 && (groups.length === 0 || groups.every((g) => g.targets.length === 0))) out.push(finding("prometheus/job-no-targets", item, "static_configs", "has no targets"));
  checkKubernetesSd(out, item, sd);
  // A job whose relabelling rewrites __address__ (blackbox probes) lists probe targets (URLs, hosts), not scrape addresses.
  const rewritesAddress = (job.relabelConfigs ?? []).some((r) => r.targetLabel === "__address__");
  groups.forEach((g, gi) => {
    for (const t of g.targets) {
      const msg = rewritesAddress ? (t.trim() === "" ? "has an empty target" : undefined) : checkHostPort(t);
      if (msg) out.push(finding(t.trim() === "" ? "prometheus/invalid" : "prometheus/target-address", item, `static_configs[${gi}].targets`, msg));
    }
    checkLabels(out, item, `static_configs[${gi}].labels`, g.labels);
  });
  checkRelabels(out, item, "relabel_configs", job.relabelConfigs);
  checkRelabels(out, item, "metric_relabel_configs", job.metricRelabelConfigs);
  checkHttpClient(out, item, job);
}

/**
 * Checks a Prometheus config as Prometheus does when it loads it (durations, timeouts within intervals, label names,
 * relabelling, URLs, duplicate jobs…); returns every issue, with levels set by the lint options, instead of throwing.
 */
export function validatePrometheusConfig(cfg: PrometheusConfig, opts: LintOptions = {}): ValidationIssue[] {
  return applyLevels(configIssues(cfg), "prometheus/invalid", opts);
}

function configIssues(cfg: PrometheusConfig): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  const g = "global";
  const iv = checkDuration(out, g, "scrape_interval", cfg.global.scrapeInterval);
  const to = checkDuration(out, g, "scrape_timeout", cfg.global.scrapeTimeout);
  const ev = checkDuration(out, g, "evaluation_interval", cfg.global.evaluationInterval);
  if (iv === 0) out.push(issue(g, "scrape_interval", "must be greater than 0"));
  if (ev === 0) out.push(issue(g, "evaluation_interval", "must be greater than 0"));
  if (iv !== undefined && to !== undefined && to > iv) {
    out.push(issue(g, "scrape_timeout", `${cfg.global.scrapeTimeout} exceeds scrape_interval ${cfg.global.scrapeInterval}`));
  }
  checkLabels(out, g, "external_labels", cfg.global.externalLabels);
  for (const name of duplicates(cfg.scrapeJobs, (j) => j.name)) out.push(issue(`scrape job "${name}"`, "job_name", "is defined more than once"));
  for (const job of cfg.scrapeJobs) checkJob(out, job, { intervalMs: iv, interval: cfg.global.scrapeInterval });
  cfg.alertmanagers.forEach((a, i) => {
    const item = `alerting.alertmanagers[${i}]`;
    if (a.targets.length === 0) out.push(issue(item, "targets", "has no targets"));
    for (const t of a.targets) {
      const msg = checkHostPort(t);
      if (msg) out.push(issue(item, "targets", msg));
    }
    checkDuration(out, item, "timeout", a.timeout);
  });
  checkRelabels(out, "alerting", "alert_relabel_configs", cfg.alertRelabelConfigs);
  const rw = cfg.remoteWrite ?? [];
  for (const name of duplicates(rw, (r) => r.name)) out.push(issue(`remote_write "${name}"`, "name", "is defined more than once"));
  for (const r of rw) {
    const item = `remote_write "${r.name}"`;
    const msg = checkUrl(r.url);
    if (msg) out.push(issue(item, "url", msg));
    // The URL is written to prometheus.yml in clear: credentials in it would be readable by anyone with the file.
    const credential = looksLikeSecret(r.url);
    if (credential) out.push(finding("prometheus/secret-inline", item, "url", `looks like ${credential}: pass the credential as username/password (a secret, mounted as a file) and keep the URL plain`));
    checkDuration(out, item, "remote_timeout", r.remoteTimeout);
    checkDuration(out, item, "queue_config.batch_send_deadline", r.queueConfig?.batchSendDeadline);
    const q = r.queueConfig;
    if (q?.minShards !== undefined && q.maxShards !== undefined && q.minShards > q.maxShards) {
      out.push(issue(item, "queue_config.min_shards", `${q.minShards} exceeds max_shards ${q.maxShards}`));
    }
    checkHttpClient(out, item, r);
    checkRelabels(out, item, "write_relabel_configs", r.writeRelabelConfigs);
  }
  for (const f of cfg.ruleFiles) {
    if (f.startsWith("/") || f.includes("..")) out.push(issue("rule_files", "", `"${f}" must be relative to the config file`));
  }
  return out;
}

/** Checks TSDB retention settings: the retention time is a positive duration and the size one like `10GB`. */
export function validateStorage(s: StorageConfig): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  const ms = checkDuration(out, "storage", "retention_time", s.retentionTime);
  if (ms === 0) out.push(issue("storage", "retention_time", "must be greater than 0"));
  if (s.retentionSize !== undefined) {
    if (!SIZE_RE.test(s.retentionSize)) out.push(issue("storage", "retention_size", `"${s.retentionSize}" is not a size like 10GB (units B KB MB GB TB PB EB)`));
    else if (/^0+[A-Z]/.test(s.retentionSize)) out.push(issue("storage", "retention_size", "must be greater than 0"));
  }
  return out;
}
