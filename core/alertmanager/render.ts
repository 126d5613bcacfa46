/**
 * Renders the typed model as alertmanager.yml for the pinned Alertmanager (its amtool checks it in the tests):
 * matchers in the `matchers:` list form with quoted values (read alike by the UTF-8 and the classic parser), `time_intervals` (not the deprecated
 * `mute_time_intervals` section), credentials only as `*_file` paths. Validation runs first; on any error nothing is
 * rendered and a ValidationError lists every problem.
 */
import { assertValid } from "../validation";
import { compact, sortedRecord, toYaml } from "../yaml";
import { formatMatcher, toMatchers } from "./label-matchers";
import { secretPath } from "./secrets";
import { rangeText } from "./time-intervals";
import { validateAlertmanagerConfig } from "./validate";
import type { ValidationContext } from "./validate";
import type { AlertmanagerConfig, MatcherInput, Receiver, Route, SecretRef, TimeInterval } from "./model";

/** Options of `renderAlertmanagerConfig`: where secrets are mounted, plus the validation context. */
export interface RenderOptions extends ValidationContext {
  /** Directory where the deployer mounts secrets, e.g. `/etc/alertmanager/secrets`. */
  readonly secretsDir: string;
}

const matchers = (ms: readonly MatcherInput[] | undefined) => toMatchers(ms).map(formatMatcher);

function renderRoute(r: Route): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (r.receiver !== undefined) out.receiver = r.receiver;
  const ms = matchers(r.matchers);
  if (ms.length > 0) out.matchers = ms;
  // An explicit empty group_by resets inheritance, so it is rendered too.
  if (r.groupBy !== undefined) out.group_by = [...r.groupBy];
  if (r.continue === true) out.continue = true;
  if (r.groupWait !== undefined) out.group_wait = r.groupWait;
  if (r.groupInterval !== undefined) out.group_interval = r.groupInterval;
  if (r.repeatInterval !== undefined) out.repeat_interval = r.repeatInterval;
  if (r.muteTimeIntervals?.length) out.mute_time_intervals = [...r.muteTimeIntervals];
  if (r.activeTimeIntervals?.length) out.active_time_intervals = [...r.activeTimeIntervals];
  if (r.routes?.length) out.routes = r.routes.map(renderRoute);
  return out;
}

function renderReceiver(r: Receiver, dir: string): Record<string, unknown> {
  const file = (ref: SecretRef | undefined) => (ref ? secretPath(dir, ref) : undefined);
  return compact({
    name: r.name,
    email_configs: (r.email ?? []).map((c) =>
      compact({
        to: c.to,
        from: c.smtp?.from,
        smarthost: c.smtp?.smarthost,
        auth_username: c.smtp?.authUsername,
        auth_password_file: file(c.smtp?.authPassword),
        require_tls: c.smtp?.requireTls,
        headers: sortedRecord(c.headers),
        html: c.html,
        text: c.text,
        send_resolved: c.sendResolved,
      }),
    ),
    slack_configs: (r.slack ?? []).map((c) =>
      compact({
        api_url_file: file(c.apiUrl),
        channel: c.channel,
        username: c.username,
        title: c.title,
        text: c.text,
        send_resolved: c.sendResolved,
      }),
    ),
    pagerduty_configs: (r.pagerduty ?? []).map((c) =>
      compact({
        routing_key_file: file(c.routingKey),
        service_key_file: file(c.serviceKey),
        severity: c.severity,
        description: c.description,
        send_resolved: c.sendResolved,
      }),
    ),
    webhook_configs: (r.webhook ?? []).map((c) =>
      compact({
        url: typeof c.url === "string" ? c.url : undefined,
        url_file: typeof c.url === "string" ? undefined : file(c.url),
        http_config: c.bearerToken
          ? { authorization: { type: "Bearer", credentials_file: file(c.bearerToken) } }
          : undefined,
        max_alerts: c.maxAlerts,
        send_resolved: c.sendResolved,
      }),
    ),
    opsgenie_configs: (r.opsgenie ?? []).map((c) =>
      compact({
        api_key_file: file(c.apiKey),
        message: c.message,
        priority: c.priority,
        tags: c.tags,
        send_resolved: c.sendResolved,
      }),
    ),
  });
}

function renderTimeInterval(t: TimeInterval): Record<string, unknown> {
  return {
    name: t.name,
    time_intervals: t.periods.map((p) =>
      compact({
        times: p.times?.map((r) => ({ start_time: r.start, end_time: r.end })),
        weekdays: p.weekdays?.map((w) => rangeText(w)),
        days_of_month: p.daysOfMonth?.map((d) => rangeText(d)),
        months: p.months?.map((m) => rangeText(m)),
        years: p.years?.map((y) => rangeText(y)),
        location: p.location,
      }),
    ),
  };
}

/** The config as plain snake_case data (before YAML); validation is the caller's job. */
export function alertmanagerConfigData(cfg: AlertmanagerConfig, secretsDir: string): Record<string, unknown> {
  const smtp = cfg.global?.smtp;
  const global = cfg.global
    ? compact({
        resolve_timeout: cfg.global.resolveTimeout,
        smtp_smarthost: smtp?.smarthost,
        smtp_from: smtp?.from,
        smtp_auth_username: smtp?.authUsername,
        smtp_auth_password_file: smtp?.authPassword ? secretPath(secretsDir, smtp.authPassword) : undefined,
        smtp_require_tls: smtp?.requireTls,
        slack_api_url_file: cfg.global.slackApiUrl ? secretPath(secretsDir, cfg.global.slackApiUrl) : undefined,
      })
    : undefined;
  return compact({
    global: global && Object.keys(global).length > 0 ? global : undefined,
    route: renderRoute(cfg.route),
    receivers: cfg.receivers.map((r) => renderReceiver(r, secretsDir)),
    inhibit_rules: (cfg.inhibitRules ?? []).map((r) =>
      compact({
        source_matchers: matchers(r.sourceMatchers),
        target_matchers: matchers(r.targetMatchers),
        equal: r.equal ? [...r.equal] : undefined,
      }),
    ),
    time_intervals: (cfg.timeIntervals ?? []).map(renderTimeInterval),
    templates: cfg.templates ? [...cfg.templates] : undefined,
  });
}

/** alertmanager.yml text. Throws a ValidationError (naming route/receiver/field) when the config has errors. */
export function renderAlertmanagerConfig(cfg: AlertmanagerConfig, opts: RenderOptions): string {
  const { secretsDir, ...ctx } = opts;
  assertValid("alertmanager config", validateAlertmanagerConfig(cfg, ctx));
  if (!secretsDir.startsWith("/")) throw new Error(`secretsDir must be an absolute path, got ${JSON.stringify(secretsDir)}`);
  return toYaml(alertmanagerConfigData(cfg, secretsDir));
}
