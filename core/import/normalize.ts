/**
 * What "the same content" means for the import round trip (source → TypeScript → render). Both sides are parsed
 * (YAML/JSON) and normalised by the same function, then compared as data. The normalisation, all of it:
 *
 * 1. Keys are sorted at every level; `null`, empty lists and empty maps are dropped (Prometheus and Alertmanager
 *    read them as absent).
 * 2. Durations are canonical: parsed and printed largest unit first (`1h0m` = `60m` = `1h`), so is `0s` = `0`.
 * 3. Defaults are explicit: a field the program fills when absent gets that value on both sides (listed per file
 *    kind below), and a field equal to its default is then the same whether written or not.
 * 4. PromQL is compared as parse trees (Prometheus's Lezer grammar, comments and whitespace dropped), not text.
 * 5. Credentials are compared as "a credential is set": `password` / `password_file`, `credentials` /
 *    `credentials_file`, `api_url` / `api_url_file`, a webhook `url` that carries a token / `url_file` … become
 *    `<credential>` under the name without `_file` — the importer turns inline values into secret files and never
 *    copies them, so the values cannot be compared.
 * 6. Spellings the programs read as one are one: Alertmanager's `match` / `match_re` and each `matchers` entry
 *    (which may hold several matchers, in braces or not) become one sorted list of `label="value"` matchers;
 *    `mute_time_intervals` (the old section) merges into `time_intervals`; Prometheus's `bearer_token` becomes
 *    `authorization.credentials`, and a remote write's `name` is dropped (Prometheus derives one when it is absent).
 *
 * Nothing else is normalised: any other difference fails the round trip.
 */
import { formatMatcher, toMatchers } from "../alertmanager/label-matchers";
import { looksLikeSecret } from "../alertmanager/secrets";
import { formatDuration, parseDuration } from "../duration";
import { blankComments, parsePromql } from "../promql";

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === "object" && !Array.isArray(v);

/** Rule 1: keys sorted, null / empty list / empty map dropped. */
export function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (isObj(v)) {
    const out: Obj = {};
    for (const k of Object.keys(v).sort()) {
      const x = sortKeys(v[k]);
      if (x === null || x === undefined || (Array.isArray(x) && x.length === 0) || (isObj(x) && Object.keys(x).length === 0)) continue;
      out[k] = x;
    }
    return out;
  }
  return v;
}

/** Rule 2. Text that is not a duration is left as is (the validators report it). */
export function canonicalDuration(v: unknown): unknown {
  if (typeof v !== "string" && typeof v !== "number") return v;
  const ms = parseDuration(String(v));
  return ms === undefined ? v : formatDuration(ms);
}

interface TreeNode {
  readonly name: string;
  readonly from: number;
  readonly to: number;
  readonly firstChild: TreeNode | null;
  readonly nextSibling: TreeNode | null;
}
const LEAVES = new Set(["Identifier", "LabelName", "StringLiteral", "NumberDurationLiteral", "NumberDurationLiteralInDurationContext", "FunctionIdentifier"]);

/** Rule 4: the expression's parse tree as a string of node names, with the text of names, numbers and strings. */
export function promqlTree(expr: unknown): string {
  const text = blankComments(String(expr));
  const tree = parsePromql(text) as unknown as { topNode: TreeNode };
  const walk = (n: TreeNode): string => {
    if (n.name === "LineComment") return "";
    const kids: string[] = [];
    for (let c = n.firstChild; c; c = c.nextSibling) {
      const k = walk(c);
      if (k !== "") kids.push(k);
    }
    const leaf = LEAVES.has(n.name) ? `=${JSON.stringify(text.slice(n.from, n.to))}` : "";
    return `${n.name}${leaf}${kids.length > 0 ? `(${kids.join(",")})` : ""}`;
  };
  return walk(tree.topNode);
}

const CREDENTIAL = "<credential>";

function dur(o: Obj, key: string, dflt?: string): void {
  if (o[key] === undefined && dflt !== undefined) o[key] = dflt;
  if (o[key] !== undefined) o[key] = canonicalDuration(o[key]);
}

function dflt(o: Obj, key: string, value: unknown): void {
  if (o[key] === undefined) o[key] = value;
}

/** Rule 5 for one object: `x` and `x_file` → `x: <credential>`. */
function credentials(o: Obj, keys: readonly string[]): void {
  for (const k of keys) {
    if (o[k] !== undefined || o[`${k}_file`] !== undefined) {
      delete o[`${k}_file`];
      o[k] = CREDENTIAL;
    }
  }
}

const clone = (v: unknown): unknown => JSON.parse(JSON.stringify(v ?? null)) as unknown;

// ---- rule files -------------------------------------------------------------------------------------------------

/**
 * A rule file (or a PrometheusRule's spec). Defaults: `for` / `keep_firing_for` / `query_offset` 0s and group
 * `limit` 0 are absent; group `interval` stays absent (the global evaluation interval applies).
 */
export function normalizeRuleFile(doc: unknown): unknown {
  const d = clone(isObj(doc) && isObj(doc.spec) ? doc.spec : doc) as Obj;
  for (const g of Array.isArray(d.groups) ? (d.groups as Obj[]) : []) {
    dur(g, "interval");
    dur(g, "query_offset");
    if (g.query_offset === "0s") delete g.query_offset;
    if (g.limit === 0) delete g.limit;
    for (const r of Array.isArray(g.rules) ? (g.rules as Obj[]) : []) {
      r.expr = promqlTree(r.expr);
      for (const k of ["for", "keep_firing_for"]) {
        dur(r, k);
        if (r[k] === "0s") delete r[k];
      }
      for (const k of ["labels", "annotations"]) if (isObj(r[k])) r[k] = Object.fromEntries(Object.entries(r[k] as Obj).map(([a, b]) => [a, b === null ? "" : String(b)]));
    }
  }
  return sortKeys(d);
}

// ---- prometheus.yml ---------------------------------------------------------------------------------------------

const RELABEL_DEFAULTS: Obj = { action: "replace", separator: ";", regex: "(.*)", replacement: "$1" };

function normalizeRelabels(list: unknown): unknown {
  if (!Array.isArray(list)) return list;
  return list.map((r: Obj) => {
    const o = { ...RELABEL_DEFAULTS, ...r };
    o.action = String(o.action).toLowerCase();
    return o;
  });
}

function normalizeHttp(o: Obj): void {
  if (o.bearer_token !== undefined || o.bearer_token_file !== undefined) {
    o.authorization = { type: "Bearer", credentials: CREDENTIAL };
    delete o.bearer_token;
    delete o.bearer_token_file;
  }
  if (isObj(o.authorization)) {
    dflt(o.authorization, "type", "Bearer");
    credentials(o.authorization, ["credentials"]);
  }
  if (isObj(o.basic_auth)) credentials(o.basic_auth, ["password"]);
}

/**
 * prometheus.yml. Defaults (Prometheus 3): global scrape_interval 1m, scrape_timeout 10s, evaluation_interval 1m;
 * a job's scrape_interval / scrape_timeout are the global ones (the timeout capped at the job's interval),
 * metrics_path /metrics, scheme http, honor_labels false, sample_limit 0; relabel action replace, separator `;`,
 * regex `(.*)`, replacement `$1`; an Alertmanager's api_version v2, scheme http, timeout 10s, its static_configs
 * one list of targets; remote_timeout 30s. `rule_files` are compared as a set.
 */
export function normalizePrometheusConfig(doc: unknown): unknown {
  const d = clone(doc) as Obj;
  const g = (isObj(d.global) ? d.global : (d.global = {})) as Obj;
  dur(g, "scrape_interval", "1m");
  dur(g, "scrape_timeout", "10s");
  dur(g, "evaluation_interval", "1m");
  if (Array.isArray(d.rule_files)) d.rule_files = [...(d.rule_files as string[])].sort();
  for (const j of Array.isArray(d.scrape_configs) ? (d.scrape_configs as Obj[]) : []) {
    dur(j, "scrape_interval", g.scrape_interval as string);
    if (j.scrape_timeout === undefined) {
      const iv = parseDuration(String(j.scrape_interval)) ?? 0;
      const to = parseDuration(String(g.scrape_timeout)) ?? 0;
      j.scrape_timeout = formatDuration(Math.min(iv, to));
    }
    dur(j, "scrape_timeout");
    dflt(j, "metrics_path", "/metrics");
    dflt(j, "scheme", "http");
    dflt(j, "honor_labels", false);
    dflt(j, "sample_limit", 0);
    normalizeHttp(j);
    j.relabel_configs = normalizeRelabels(j.relabel_configs);
    j.metric_relabel_configs = normalizeRelabels(j.metric_relabel_configs);
  }
  const alerting = isObj(d.alerting) ? d.alerting : undefined;
  if (alerting) {
    alerting.alert_relabel_configs = normalizeRelabels(alerting.alert_relabel_configs);
    for (const a of Array.isArray(alerting.alertmanagers) ? (alerting.alertmanagers as Obj[]) : []) {
      dflt(a, "api_version", "v2");
      dflt(a, "scheme", "http");
      dur(a, "timeout", "10s");
      const targets = (Array.isArray(a.static_configs) ? (a.static_configs as Obj[]) : []).flatMap((s) => (Array.isArray(s.targets) ? s.targets : []));
      a.static_configs = [{ targets }];
    }
  }
  for (const r of Array.isArray(d.remote_write) ? (d.remote_write as Obj[]) : []) {
    delete r.name;
    dur(r, "remote_timeout", "30s");
    normalizeHttp(r);
    r.write_relabel_configs = normalizeRelabels(r.write_relabel_configs);
    if (isObj(r.queue_config)) dur(r.queue_config, "batch_send_deadline");
  }
  return sortKeys(d);
}

// ---- alertmanager.yml -------------------------------------------------------------------------------------------

/** Every matcher of `prefix`matchers / match / match_re, as one sorted list of canonical strings. */
function matcherList(o: Obj, prefix = ""): string[] | undefined {
  const out: string[] = [];
  const list = o[`${prefix}matchers`];
  if (Array.isArray(list)) out.push(...toMatchers(list.map(String)).map(formatMatcher));
  for (const [key, op] of [[`${prefix}match`, "="], [`${prefix}match_re`, "=~"]] as const) {
    if (isObj(o[key])) for (const [label, value] of Object.entries(o[key] as Obj)) out.push(formatMatcher({ label, op, value: String(value) }));
    delete o[key];
  }
  delete o[`${prefix}matchers`];
  return out.length > 0 ? out.sort() : undefined;
}

function normalizeRoute(r: Obj, root: boolean): void {
  const ms = matcherList(r);
  if (ms) r.matchers = ms;
  if (root) {
    dur(r, "group_wait", "30s");
    dur(r, "group_interval", "5m");
    dur(r, "repeat_interval", "4h");
  } else for (const k of ["group_wait", "group_interval", "repeat_interval"]) dur(r, k);
  if (r.continue === false) delete r.continue;
  for (const c of Array.isArray(r.routes) ? (r.routes as Obj[]) : []) normalizeRoute(c, false);
}

/** Integration → its credential fields and its send_resolved default. */
const INTEGRATIONS: Readonly<Record<string, { credentials: readonly string[]; sendResolved: boolean }>> = {
  email_configs: { credentials: ["auth_password"], sendResolved: false },
  slack_configs: { credentials: ["api_url"], sendResolved: false },
  pagerduty_configs: { credentials: ["routing_key", "service_key"], sendResolved: true },
  webhook_configs: { credentials: [], sendResolved: true },
  opsgenie_configs: { credentials: ["api_key"], sendResolved: true },
};

/**
 * alertmanager.yml. Defaults (Alertmanager 0.31): global resolve_timeout 5m and smtp_require_tls true; the root
 * route's group_wait 30s, group_interval 5m, repeat_interval 4h; send_resolved false for email and Slack, true for
 * PagerDuty, webhook and Opsgenie; an email's require_tls is the global one. Time intervals are compared by name.
 */
export function normalizeAlertmanagerConfig(doc: unknown): unknown {
  const d = clone(doc) as Obj;
  const g = (isObj(d.global) ? d.global : (d.global = {})) as Obj;
  dur(g, "resolve_timeout", "5m");
  dflt(g, "smtp_require_tls", true);
  credentials(g, ["smtp_auth_password", "slack_api_url"]);
  if (isObj(d.route)) normalizeRoute(d.route, true);
  for (const rec of Array.isArray(d.receivers) ? (d.receivers as Obj[]) : []) {
    for (const [key, spec] of Object.entries(INTEGRATIONS)) {
      for (const c of Array.isArray(rec[key]) ? (rec[key] as Obj[]) : []) {
        dflt(c, "send_resolved", spec.sendResolved);
        credentials(c, spec.credentials);
        if (key === "email_configs") dflt(c, "require_tls", g.smtp_require_tls);
        if (key === "webhook_configs") {
          if (c.url_file !== undefined || (typeof c.url === "string" && looksLikeSecret(c.url) !== undefined)) {
            delete c.url_file;
            c.url = CREDENTIAL;
          }
          const http = isObj(c.http_config) ? c.http_config : undefined;
          if (http) normalizeHttp(http);
        }
      }
    }
  }
  for (const r of Array.isArray(d.inhibit_rules) ? (d.inhibit_rules as Obj[]) : []) {
    const src = matcherList(r, "source_");
    const tgt = matcherList(r, "target_");
    if (src) r.source_matchers = src;
    if (tgt) r.target_matchers = tgt;
    if (Array.isArray(r.equal)) r.equal = [...(r.equal as string[])].sort();
  }
  const intervals = [...(Array.isArray(d.time_intervals) ? d.time_intervals : []), ...(Array.isArray(d.mute_time_intervals) ? d.mute_time_intervals : [])] as Obj[];
  delete d.mute_time_intervals;
  d.time_intervals = intervals.sort((a, b) => String(a.name).localeCompare(String(b.name)));
  return sortKeys(d);
}

// ---- dashboards -------------------------------------------------------------------------------------------------

/** A dashboard: rule 1 only — the importer keeps the JSON exactly, so nothing else may differ. */
export function normalizeDashboard(doc: unknown): unknown {
  return sortKeys(clone(doc));
}
