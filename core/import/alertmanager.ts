/**
 * alertmanager.yml as the typed AlertmanagerConfig. Every credential (SMTP password, Slack URL, PagerDuty and
 * Opsgenie keys, webhook tokens, webhook URLs that carry a token) becomes a secret reference: the value is never
 * carried over, the generated module lists the secrets to set. `match`/`match_re` become matchers; the deprecated
 * `mute_time_intervals` section becomes `time_intervals`. Fields the model has no place for are reported.
 */
import type {
  AlertmanagerConfig, EmailConfig, GlobalConfig, InhibitRule, MatcherInput, OpsgenieConfig, PagerDutyConfig, RangeOf, Receiver, Route, SecretRef,
  SlackConfig, TimeInterval, TimePeriod, WebhookConfig,
} from "../alertmanager/model";
import { formatMatcher } from "../alertmanager/label-matchers";
import { looksLikeSecret } from "../alertmanager/secrets";
import { kebab } from "./emit";
import { isObj, type Obj, type Path, Problems, type SourceDoc, text } from "./source";

export interface ImportedAlertmanager {
  readonly config: AlertmanagerConfig;
  /** The secrets the config now references, with the field each replaces. */
  readonly secrets: readonly { readonly name: string; readonly where: string }[];
}

const R = "alertmanager/invalid";

class Reader {
  readonly secrets: { name: string; where: string }[] = [];
  constructor(readonly p: Problems) {}

  /** A secret reference for an inline value (`v`) or a `*_file` path; undefined when neither is set. */
  secret(base: string, where: string, value: unknown, file: unknown): SecretRef | undefined {
    if (value === undefined && file === undefined) return undefined;
    const stem = typeof file === "string" ? kebab(file.split("/").pop() ?? base) : kebab(base);
    const existing = this.secrets.find((s) => s.where === where);
    if (existing) return { secret: existing.name };
    let name = stem;
    for (let i = 2; this.secrets.some((s) => s.name === name); i++) name = `${stem}-${i}`;
    this.secrets.push({ name, where });
    return { secret: name };
  }

  /** Alertmanager refuses a value and its `_file` both set (config/notifiers.go, its words). */
  atMostOne(path: Path, item: string, o: Obj, a: string, b: string, words = `at most one of ${a} & ${b} must be configured`): void {
    if (o[a] !== undefined && o[a] !== null && o[b] !== undefined && o[b] !== null) this.p.add([...path, b], item, a, `and ${b} are both set (Alertmanager: "${words}")`, R);
  }

  matchers(path: Path, item: string, o: Obj, prefix = ""): MatcherInput[] | undefined {
    const out: MatcherInput[] = [];
    const list = o[`${prefix}matchers`];
    if (Array.isArray(list)) out.push(...list.map(String));
    else if (list !== undefined) this.p.add([...path, `${prefix}matchers`], item, `${prefix}matchers`, "must be a list of matcher strings", R);
    for (const [key, op] of [[`${prefix}match`, "="], [`${prefix}match_re`, "=~"]] as const) {
      const m = this.p.strings([...path, key], item, key, o[key], R);
      for (const [label, value] of Object.entries(m ?? {})) out.push(formatMatcher({ label, op, value }));
    }
    return out.length > 0 ? out : undefined;
  }

  route(path: Path, o: Obj, name: string): Route {
    this.p.unknownKeys(path, name, o, ["receiver", "matchers", "match", "match_re", "group_by", "group_wait", "group_interval", "repeat_interval", "continue", "mute_time_intervals", "active_time_intervals", "routes"], R);
    const matchers = this.matchers(path, name, o);
    const strs = (v: unknown) => (Array.isArray(v) ? v.map(String) : undefined);
    const routes = Array.isArray(o.routes) ? o.routes.filter(isObj).map((c, i) => this.route([...path, "routes", i], c, `${name} > routes[${i}]`)) : undefined;
    const opt = <T>(key: keyof Route, v: T | undefined): Partial<Record<string, T>> => (v !== undefined ? { [key]: v } : {});
    return {
      ...opt("receiver", text(o.receiver)),
      ...opt("matchers", matchers),
      ...opt("groupBy", strs(o.group_by)),
      ...opt("groupWait", text(o.group_wait)),
      ...opt("groupInterval", text(o.group_interval)),
      ...opt("repeatInterval", text(o.repeat_interval)),
      ...opt("continue", o.continue === true ? true : undefined),
      ...opt("muteTimeIntervals", strs(o.mute_time_intervals)),
      ...opt("activeTimeIntervals", strs(o.active_time_intervals)),
      ...opt("routes", routes),
    } as Route;
  }

  email(path: Path, item: string, stem: string, c: Obj): EmailConfig {
    this.p.unknownKeys(path, item, c, ["to", "from", "smarthost", "auth_username", "auth_password", "auth_password_file", "require_tls", "headers", "html", "text", "send_resolved"], R);
    const authPassword = this.secret(`${stem}-smtp-password`, `${item}.auth_password`, c.auth_password, c.auth_password_file);
    const smtp = {
      ...(c.from !== undefined ? { from: String(c.from) } : {}),
      ...(c.smarthost !== undefined ? { smarthost: String(c.smarthost) } : {}),
      ...(c.auth_username !== undefined ? { authUsername: String(c.auth_username) } : {}),
      ...(authPassword ? { authPassword } : {}),
      ...(typeof c.require_tls === "boolean" ? { requireTls: c.require_tls } : {}),
    };
    const headers = this.p.strings([...path, "headers"], item, "headers", c.headers, R);
    return {
      to: text(c.to) ?? "",
      ...(Object.keys(smtp).length > 0 ? { smtp } : {}),
      ...(headers ? { headers } : {}),
      ...(c.html !== undefined ? { html: String(c.html) } : {}),
      ...(c.text !== undefined ? { text: String(c.text) } : {}),
      ...(typeof c.send_resolved === "boolean" ? { sendResolved: c.send_resolved } : {}),
    };
  }

  slack(path: Path, item: string, stem: string, c: Obj): SlackConfig {
    this.p.unknownKeys(path, item, c, ["api_url", "api_url_file", "channel", "username", "title", "text", "send_resolved"], R);
    this.atMostOne(path, item, c, "api_url", "api_url_file");
    const apiUrl = this.secret(`${stem}-slack-url`, `${item}.api_url`, c.api_url, c.api_url_file);
    const s = (k: string) => (c[k] !== undefined ? { [k]: String(c[k]) } : {});
    return { ...(apiUrl ? { apiUrl } : {}), ...s("channel"), ...s("username"), ...s("title"), ...s("text"), ...(typeof c.send_resolved === "boolean" ? { sendResolved: c.send_resolved } : {}) };
  }

  pagerduty(path: Path, item: string, stem: string, c: Obj): PagerDutyConfig {
    this.p.unknownKeys(path, item, c, ["routing_key", "routing_key_file", "service_key", "service_key_file", "severity", "description", "send_resolved"], R);
    this.atMostOne(path, item, c, "routing_key", "routing_key_file");
    this.atMostOne(path, item, c, "service_key", "service_key_file");
    const routingKey = this.secret(`${stem}-pagerduty-routing-key`, `${item}.routing_key`, c.routing_key, c.routing_key_file);
    const serviceKey = this.secret(`${stem}-pagerduty-service-key`, `${item}.service_key`, c.service_key, c.service_key_file);
    return {
      ...(routingKey ? { routingKey } : {}),
      ...(serviceKey ? { serviceKey } : {}),
      ...(c.severity !== undefined ? { severity: String(c.severity) } : {}),
      ...(c.description !== undefined ? { description: String(c.description) } : {}),
      ...(typeof c.send_resolved === "boolean" ? { sendResolved: c.send_resolved } : {}),
    };
  }

  webhook(path: Path, item: string, stem: string, c: Obj): WebhookConfig {
    this.p.unknownKeys(path, item, c, ["url", "url_file", "http_config", "max_alerts", "send_resolved"], R);
    const http = isObj(c.http_config) ? c.http_config : {};
    this.p.unknownKeys([...path, "http_config"], item, http, ["authorization", "bearer_token", "bearer_token_file"], R, { under: "http_config" });
    const auth = isObj(http.authorization) ? http.authorization : undefined;
    if (auth) {
      this.p.unknownKeys([...path, "http_config", "authorization"], item, auth, ["type", "credentials", "credentials_file"], R, { under: "http_config.authorization" });
      if (auth.type !== undefined && String(auth.type).toLowerCase() !== "bearer") this.p.add([...path, "http_config", "authorization", "type"], item, "http_config.authorization.type", "only Bearer is supported", R);
    }
    this.atMostOne(path, item, c, "url", "url_file");
    this.atMostOne([...path, "http_config"], item, http, "bearer_token", "bearer_token_file");
    if (auth) {
      this.atMostOne([...path, "http_config"], item, http, "authorization", "bearer_token", "authorization is not compatible with bearer_token & bearer_token_file");
      this.atMostOne([...path, "http_config"], item, http, "authorization", "bearer_token_file", "authorization is not compatible with bearer_token & bearer_token_file");
      this.atMostOne([...path, "http_config", "authorization"], item, auth, "credentials", "credentials_file", "at most one of authorization credentials & credentials_file must be configured");
    }
    const bearerToken = this.secret(`${stem}-webhook-token`, `${item}.http_config.authorization.credentials`, auth?.credentials ?? http.bearer_token, auth?.credentials_file ?? http.bearer_token_file);
    const plain = text(c.url);
    // A URL with a token in it is itself a credential: it becomes a secret (rendered as url_file), never copied.
    const url = plain !== undefined && looksLikeSecret(plain) === undefined ? plain : this.secret(`${stem}-webhook-url`, `${item}.url`, plain, c.url_file);
    return {
      url: url ?? "",
      ...(bearerToken ? { bearerToken } : {}),
      ...(typeof c.max_alerts === "number" ? { maxAlerts: c.max_alerts } : {}),
      ...(typeof c.send_resolved === "boolean" ? { sendResolved: c.send_resolved } : {}),
    };
  }

  opsgenie(path: Path, item: string, stem: string, c: Obj): OpsgenieConfig {
    this.p.unknownKeys(path, item, c, ["api_key", "api_key_file", "message", "priority", "tags", "send_resolved"], R);
    this.atMostOne(path, item, c, "api_key", "api_key_file");
    // Without a key the config carries none, and validation says the integration needs one (the model has no global key).
    const apiKey = this.secret(`${stem}-opsgenie-key`, `${item}.api_key`, c.api_key, c.api_key_file);
    const s = (k: string) => (c[k] !== undefined ? { [k]: String(c[k]) } : {});
    return { ...(apiKey ? { apiKey } : {}), ...s("message"), ...s("priority"), ...s("tags"), ...(typeof c.send_resolved === "boolean" ? { sendResolved: c.send_resolved } : {}) } as OpsgenieConfig;
  }

  receiver(path: Path, r: Obj): Receiver {
    const name = text(r.name) ?? "";
    const item = `receiver "${name}"`;
    this.p.unknownKeys(path, item, r, ["name", "email_configs", "slack_configs", "pagerduty_configs", "webhook_configs", "opsgenie_configs"], R, { what: "is not an integration moncode can import (email, slack, pagerduty, webhook, opsgenie)" });
    // Findings name the integration as the file does (`receiver "x" > email_configs[1]`); secrets are named by its stem.
    const list = <T>(key: string, read: (p: Path, item: string, stem: string, c: Obj) => T): T[] | undefined =>
      Array.isArray(r[key]) ? (r[key] as unknown[]).filter(isObj).map((c, i) => read([...path, key, i], `${item} > ${key}[${i}]`, `${name}-${key.replace(/_configs$/, "")}-${i}`, c)) : undefined;
    const out: { -readonly [K in keyof Receiver]: Receiver[K] } = { name };
    const email = list("email_configs", (p, i, s, c) => this.email(p, i, s, c));
    const slack = list("slack_configs", (p, i, s, c) => this.slack(p, i, s, c));
    const pagerduty = list("pagerduty_configs", (p, i, s, c) => this.pagerduty(p, i, s, c));
    const webhook = list("webhook_configs", (p, i, s, c) => this.webhook(p, i, s, c));
    const opsgenie = list("opsgenie_configs", (p, i, s, c) => this.opsgenie(p, i, s, c));
    if (email) out.email = email;
    if (slack) out.slack = slack;
    if (pagerduty) out.pagerduty = pagerduty;
    if (webhook) out.webhook = webhook;
    if (opsgenie) out.opsgenie = opsgenie;
    return out;
  }

  global(path: Path, g: Obj): GlobalConfig {
    this.p.unknownKeys(path, "global", g, ["resolve_timeout", "smtp_smarthost", "smtp_from", "smtp_auth_username", "smtp_auth_password", "smtp_auth_password_file", "smtp_require_tls", "slack_api_url", "slack_api_url_file"], R);
    this.atMostOne(path, "global", g, "smtp_auth_password", "smtp_auth_password_file");
    this.atMostOne(path, "global", g, "slack_api_url", "slack_api_url_file");
    const authPassword = this.secret("smtp-password", "global.smtp_auth_password", g.smtp_auth_password, g.smtp_auth_password_file);
    const slackApiUrl = this.secret("slack-api-url", "global.slack_api_url", g.slack_api_url, g.slack_api_url_file);
    const hasSmtp = ["smtp_smarthost", "smtp_from", "smtp_auth_username", "smtp_require_tls"].some((k) => g[k] !== undefined) || authPassword !== undefined;
    if (hasSmtp && (g.smtp_smarthost === undefined || g.smtp_from === undefined)) {
      this.p.add(path, "global", "smtp_smarthost", "SMTP settings need both smtp_smarthost and smtp_from here", R);
    }
    return {
      ...(g.resolve_timeout !== undefined ? { resolveTimeout: String(g.resolve_timeout) } : {}),
      ...(hasSmtp
        ? {
            smtp: {
              smarthost: text(g.smtp_smarthost) ?? "",
              from: text(g.smtp_from) ?? "",
              ...(g.smtp_auth_username !== undefined ? { authUsername: String(g.smtp_auth_username) } : {}),
              ...(authPassword ? { authPassword } : {}),
              ...(typeof g.smtp_require_tls === "boolean" ? { requireTls: g.smtp_require_tls } : {}),
            },
          }
        : {}),
      ...(slackApiUrl ? { slackApiUrl } : {}),
    };
  }
}

/** `monday:friday` → ["monday", "friday"], `1` → 1 (numbers where the field is numeric). */
function ranges<T extends string | number>(v: unknown, numeric: boolean): RangeOf<T>[] | undefined {
  if (!Array.isArray(v)) return undefined;
  return v.map((x) => {
    const s = String(x);
    const m = /^(-?[^:]+):(-?[^:]+)$/.exec(s);
    const conv = (t: string) => (numeric || /^-?\d+$/.test(t) ? Number(t) : t.toLowerCase()) as T;
    return m ? ([conv(m[1]!), conv(m[2]!)] as const) : conv(s);
  });
}

function timeIntervals(p: Problems, path: Path, v: unknown): TimeInterval[] {
  if (!Array.isArray(v)) return [];
  return v.filter(isObj).map((t, i) => {
    const name = text(t.name) ?? "";
    const item = `time interval "${name}"`;
    p.unknownKeys([...path, i], item, t, ["name", "time_intervals"], R);
    const periods = (Array.isArray(t.time_intervals) ? t.time_intervals : []).filter(isObj).map((q, j): TimePeriod => {
      p.unknownKeys([...path, i, "time_intervals", j], item, q, ["times", "weekdays", "days_of_month", "months", "years", "location"], R, { under: `time_intervals[${j}]` });
      const times = Array.isArray(q.times)
        ? q.times.filter(isObj).flatMap((x, k) => {
            // Alertmanager's own words (timeinterval TimeRange): both ends are required.
            if (x.start_time === undefined || x.start_time === null || x.end_time === undefined || x.end_time === null) {
              p.add([...path, i, "time_intervals", j, "times", k], item, `time_intervals[${j}].times[${k}]`, "needs start_time and end_time (Alertmanager: \"both start and end times must be provided\")", R);
              return [];
            }
            return [{ start: String(x.start_time), end: String(x.end_time) }];
          })
        : undefined;
      const out: { -readonly [K in keyof TimePeriod]: TimePeriod[K] } = {};
      if (times) out.times = times;
      const weekdays = ranges<never>(q.weekdays, false);
      if (weekdays) out.weekdays = weekdays;
      const days = ranges<number>(q.days_of_month, true);
      if (days) out.daysOfMonth = days;
      const months = ranges<never>(q.months, false);
      if (months) out.months = months;
      const years = ranges<number>(q.years, true);
      if (years) out.years = years;
      if (q.location !== undefined) out.location = String(q.location);
      return out;
    });
    return { name, periods };
  });
}

export function isAlertmanagerConfig(v: unknown): v is Obj {
  return isObj(v) && isObj(v.route) && Array.isArray(v.receivers);
}

export function importAlertmanagerDoc(doc: SourceDoc): { imported: ImportedAlertmanager; problems: Problems } {
  const p = new Problems(doc);
  const r = new Reader(p);
  const v = doc.value as Obj;
  p.unknownKeys([], "alertmanager.yml", v, ["global", "route", "receivers", "inhibit_rules", "time_intervals", "mute_time_intervals", "templates"], R);
  const global = isObj(v.global) ? r.global(["global"], v.global) : undefined;
  const route = r.route(["route"], v.route as Obj, "route");
  const receivers = (v.receivers as unknown[]).filter(isObj).map((x, i) => r.receiver(["receivers", i], x));
  const inhibitRules: InhibitRule[] = (Array.isArray(v.inhibit_rules) ? v.inhibit_rules : []).filter(isObj).map((x, i) => {
    const item = `inhibitRules[${i}]`;
    p.unknownKeys(["inhibit_rules", i], item, x, ["source_matchers", "target_matchers", "source_match", "source_match_re", "target_match", "target_match_re", "equal"], R);
    return {
      sourceMatchers: r.matchers(["inhibit_rules", i], item, x, "source_") ?? [],
      targetMatchers: r.matchers(["inhibit_rules", i], item, x, "target_") ?? [],
      ...(Array.isArray(x.equal) ? { equal: x.equal.map(String) } : {}),
    };
  });
  const intervals = [...timeIntervals(p, ["time_intervals"], v.time_intervals), ...timeIntervals(p, ["mute_time_intervals"], v.mute_time_intervals)];
  const config: AlertmanagerConfig = {
    ...(global && Object.keys(global).length > 0 ? { global } : {}),
    route,
    receivers,
    ...(inhibitRules.length > 0 ? { inhibitRules } : {}),
    ...(intervals.length > 0 ? { timeIntervals: intervals } : {}),
    ...(Array.isArray(v.templates) ? { templates: v.templates.map(String) } : {}),
  };
  return { imported: { config, secrets: r.secrets }, problems: p };
}
