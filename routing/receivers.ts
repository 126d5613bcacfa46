/**
 * `receiverRouting(...)`: each severity names who is notified — any of email, Slack, PagerDuty, webhooks and
 * Opsgenie, none of them mandatory — e.g. critical → PagerDuty, warning → Slack, info → nobody. Component teams,
 * timers, business hours, inhibition and the Watchdog's dead man's switch work as in `severityRouting`, and the
 * preset ships routing tests that pin every decision. Credentials are given once (`slack.apiUrl`,
 * `pagerduty.routingKey`, …) as secret references; a severity only says where.
 */
import { SEVERITIES, isSeverity, type Severity } from "../core/severity";
import { issue, ValidationError, type ValidationIssue } from "../core/validation";
import type { AlertmanagerConfig, Receiver, Route, SecretRef, SmtpSettings, WebhookConfig } from "../core/alertmanager/model";
import type { RoutingTest } from "../core/alertmanager/route-tests";
import { expectRoute } from "../core/alertmanager/route-tests";
import { severityInhibitRules, type InhibitionOptions } from "./inhibition";
import { businessHoursIntervals, businessHoursTests, DEFAULT_GROUP_BY, emailTo, inhibitionTests, type RoutingPreset, severityRoute, type SeverityTimers, slackTo } from "./tree";
import { DEAD_MANS_SWITCH_RECEIVER, NULL_RECEIVER, watchdogRouting, type WatchdogOptions } from "./watchdog";

/** Where one severity's (or one component's) alerts go. At least one integration. */
export interface Notify {
  /** Email addresses (needs `smtp`). */
  readonly email?: string | readonly string[];
  /** Slack channels, e.g. "#alerts" (needs `slack.apiUrl`). */
  readonly slack?: string | readonly string[];
  /** Page through PagerDuty with `pagerduty.routingKey` (`true`), or with another service's integration key. */
  readonly pagerduty?: true | { readonly routingKey: SecretRef };
  /** Webhook endpoints: a URL, or a secret reference when the URL carries a token (rendered as `url_file`). */
  readonly webhook?: string | SecretRef | readonly (string | SecretRef)[];
  /** Opsgenie with `opsgenie.apiKey` (`true`), or with its own key / priority. @default priority P1/P3/P5 by severity */
  readonly opsgenie?: true | { readonly apiKey?: SecretRef; readonly priority?: string };
}

/**
 * Options of `receiverRouting`: who is notified per severity and per component, the credentials once as secret
 * references, timers, business hours, inhibition and the Watchdog's dead man's switch.
 */
export interface ReceiverRoutingOptions extends WatchdogOptions, SeverityTimers {
  /**
   * Who is notified per severity. `null` routes a severity to nobody on purpose (its receiver has no integrations);
   * component teams still get it.
   */
  readonly notify: Readonly<Partial<Record<Severity, Notify | null>>>;
  /**
   * Alerts no severity route takes (no `severity` label, or an unknown one).
   * @default the receiver of the least urgent severity that notifies someone
   */
  readonly default?: Notify;
  /** Component receivers by label value; they get their component's alerts in addition to the severity's. @default {} */
  readonly components?: Readonly<Record<string, Notify>>;
  /** Label carrying the component. @default "component" */
  readonly componentLabel?: string;
  /** Severities the rules use: each must appear in `notify` (possibly as `null`). @default all three */
  readonly severities?: readonly Severity[];
  /** @default ["alertname", "service"] */
  readonly groupBy?: readonly string[];
  readonly inhibition?: InhibitionOptions;
  /** SMTP relay, for email integrations. */
  readonly smtp?: SmtpSettings;
  /** Slack incoming webhook, for Slack integrations. */
  readonly slack?: { readonly apiUrl: SecretRef };
  /** PagerDuty Events API v2 integration key, for `pagerduty: true`. */
  readonly pagerduty?: { readonly routingKey: SecretRef };
  /** Opsgenie API key, for `opsgenie: true`. */
  readonly opsgenie?: { readonly apiKey: SecretRef };
}

const INTEGRATIONS = ["email", "slack", "pagerduty", "webhook", "opsgenie"] as const;
const OPSGENIE_PRIORITY: Readonly<Record<Severity, string>> = { critical: "P1", warning: "P3", info: "P5" };
const DEFAULT_RECEIVER = "default";

const list = <T>(v: T | readonly T[] | undefined): readonly T[] => (v === undefined ? [] : Array.isArray(v) ? (v as readonly T[]) : [v as T]);

/** Problems with one Notify, each naming the item (`severity "critical"`, `component "api"`, `default`) and the field. */
function checkNotify(item: string, n: unknown, o: ReceiverRoutingOptions, out: ValidationIssue[]): void {
  if (typeof n !== "object" || n === null || Array.isArray(n)) {
    out.push(issue(item, "", `must name its receivers as { email, slack, pagerduty, webhook, opsgenie }, got ${JSON.stringify(n)}`));
    return;
  }
  const given = n as Record<string, unknown>;
  for (const k of Object.keys(given)) {
    if (!(INTEGRATIONS as readonly string[]).includes(k)) out.push(issue(item, k, `is not an integration (one of ${INTEGRATIONS.join(", ")})`));
  }
  const used = INTEGRATIONS.filter((k) => given[k] !== undefined && list(given[k]).length > 0);
  if (used.length === 0) out.push(issue(item, "", `names no receivers: give at least one of ${INTEGRATIONS.join(", ")}${item.startsWith("severity") ? ", or null to notify nobody" : ""}`));
  const v = n as Notify;
  if (v.email !== undefined && !o.smtp) out.push(issue(item, "email", "needs smtp (the relay every email integration sends through)"));
  if (v.slack !== undefined && !o.slack) out.push(issue(item, "slack", "needs slack.apiUrl (the incoming-webhook secret)"));
  if (v.pagerduty === true && !o.pagerduty) out.push(issue(item, "pagerduty", "needs pagerduty.routingKey, or give this receiver its own { routingKey }"));
  if (v.opsgenie !== undefined && (v.opsgenie === true || v.opsgenie.apiKey === undefined) && !o.opsgenie) {
    out.push(issue(item, "opsgenie", "needs opsgenie.apiKey, or give this receiver its own { apiKey }"));
  }
}

function validateOptions(o: ReceiverRoutingOptions): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  const notify = (o.notify ?? {}) as Readonly<Record<string, Notify | null | undefined>>;
  for (const [s, n] of Object.entries(notify)) {
    if (!isSeverity(s)) out.push(issue(`severity "${s}"`, "", `is not one of ${SEVERITIES.join(", ")}`));
    else if (n !== null && n !== undefined) checkNotify(`severity "${s}"`, n, o, out);
  }
  for (const s of o.severities ?? SEVERITIES) {
    if (notify[s] === undefined) {
      out.push(issue(`severity "${s}"`, "", `is used by the alert rules but notify.${s} names no receivers: name them, or set ${s}: null to notify nobody`));
    }
  }
  if (o.default !== undefined) checkNotify("default", o.default, o, out);
  else if (!SEVERITIES.some((s) => notify[s])) out.push(issue("default", "", "is required when no severity notifies anyone (alerts without a severity need a receiver)"));
  const reserved = new Set<string>([...SEVERITIES, DEFAULT_RECEIVER, DEAD_MANS_SWITCH_RECEIVER, NULL_RECEIVER]);
  for (const [c, n] of Object.entries(o.components ?? {})) {
    const item = `component "${c}"`;
    if (reserved.has(c)) out.push(issue(item, "", `its receiver would be named "${c}", which is taken by a severity, the default or the Watchdog receiver`));
    else if (!/^\S+$/.test(c)) out.push(issue(item, "", "must be a label value without spaces"));
    checkNotify(item, n, o, out);
  }
  return out;
}

function receiverOf(name: string, n: Notify, o: ReceiverRoutingOptions, severity?: Severity): Receiver {
  const hooks = list<string | SecretRef>(n.webhook).map((url): WebhookConfig => ({ url, sendResolved: true }));
  const pd = n.pagerduty === true ? o.pagerduty?.routingKey : n.pagerduty?.routingKey;
  const og = n.opsgenie === undefined ? undefined : n.opsgenie === true ? {} : n.opsgenie;
  const ogKey = og ? (og.apiKey ?? o.opsgenie?.apiKey) : undefined;
  const priority = og?.priority ?? (severity ? OPSGENIE_PRIORITY[severity] : undefined);
  return {
    name,
    ...(n.email !== undefined ? { email: list(n.email).map(emailTo) } : {}),
    ...(n.slack !== undefined && o.slack ? { slack: list(n.slack).map((ch) => slackTo(o.slack!.apiUrl, ch)) } : {}),
    // PagerDuty's severity and Opsgenie's message default to the alert's own severity and name in Alertmanager.
    ...(pd ? { pagerduty: [{ routingKey: pd, sendResolved: true }] } : {}),
    ...(hooks.length > 0 ? { webhook: hooks } : {}),
    ...(ogKey ? { opsgenie: [{ apiKey: ogKey, ...(priority ? { priority } : {}), sendResolved: true }] } : {}),
  };
}

/** Throws a ValidationError naming the severity, component or receiver when the options cannot make a routing tree. */
export function receiverRouting(o: ReceiverRoutingOptions): RoutingPreset {
  const problems = validateOptions(o);
  if (problems.some((p) => p.severity === "error")) throw new ValidationError("receiverRouting", problems);
  const routed = SEVERITIES.filter((s) => o.notify[s] !== undefined);
  const notifying = routed.filter((s) => o.notify[s] !== null);
  const root = o.default !== undefined ? DEFAULT_RECEIVER : (notifying[notifying.length - 1] as Severity);
  const label = o.componentLabel ?? "component";
  const components = Object.entries(o.components ?? {});
  const watchdog = watchdogRouting(o, o.businessHours);

  const receivers: Receiver[] = [
    ...(o.default !== undefined ? [receiverOf(DEFAULT_RECEIVER, o.default, o)] : []),
    ...routed.map((s) => {
      const n = o.notify[s];
      return n ? receiverOf(s, n, o, s) : { name: s };
    }),
    ...components.map(([c, n]) => receiverOf(c, n, o)),
    watchdog.receiver,
  ];
  const routes: Route[] = [
    watchdog.route,
    ...routed.map((s) => severityRoute(s, o, s)),
    // Same timers per severity as the severity routes; the receiver is inherited from the component.
    ...components.map(([c]): Route => ({ receiver: c, matchers: [{ label, op: "=", value: c }], routes: routed.map((s) => severityRoute(s, o)) })),
  ];
  const config: AlertmanagerConfig = {
    global: { resolveTimeout: "5m", ...(o.smtp ? { smtp: o.smtp } : {}) },
    route: { receiver: root, groupBy: o.groupBy ?? DEFAULT_GROUP_BY, routes },
    receivers,
    inhibitRules: severityInhibitRules(o.inhibition),
    ...businessHoursIntervals(o.businessHours),
  };

  const tests: RoutingTest[] = routed.map((s) => expectRoute(`${s} alerts go to the ${s} receiver${o.notify[s] === null ? " (which notifies nobody)" : ""}`, { alertname: "TestAlert", severity: s }, [s]));
  for (const [c] of components) {
    for (const s of routed) tests.push(expectRoute(`${s} ${c} alerts reach ${s} and the ${c} team`, { alertname: "TestAlert", severity: s, [label]: c }, [s, c]));
    tests.push(expectRoute(`${c} alerts without severity reach the ${c} team`, { alertname: "TestAlert", [label]: c }, [c]));
  }
  tests.push(expectRoute(`alerts without severity or component go to ${root}`, { alertname: "TestAlert" }, [root]));
  if (o.businessHours) tests.push(...businessHoursTests(o.businessHours, routed));
  tests.push(...inhibitionTests(o.inhibition), ...watchdog.tests);
  return { config, tests };
}
