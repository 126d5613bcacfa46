/**
 * `severityRouting(...)`: the seeds' routing policy in one call. Severity routes first (critical re-notifies every
 * 30m, warning every 4h), each with `continue` so component teams ("api", "database") are notified as well; email
 * everywhere, Slack when a webhook secret is given, PagerDuty for criticals when a key is given. Dev stacks send
 * everything to one non-paging receiver unless asked for the prod tree. The Watchdog heartbeat goes to a dead man's
 * switch in both (routing/watchdog.ts). Ships with routing tests. For "critical → PagerDuty, warning → Slack"
 * without email, see `receiverRouting`.
 */
import type { Duration } from "../core/duration";
import { SEVERITIES } from "../core/severity";
import type { Severity } from "../core/severity";
import type { AlertmanagerConfig, Receiver, Route, SecretRef, SmtpSettings } from "../core/alertmanager/model";
import type { RoutingTest } from "../core/alertmanager/route-tests";
import { expectRoute } from "../core/alertmanager/route-tests";
import { severityInhibitRules } from "./inhibition";
import type { InhibitionOptions } from "./inhibition";
import { type BusinessHours, businessHoursIntervals, businessHoursTests, DEFAULT_GROUP_BY, emailTo, inhibitionTests, type RoutingPreset, severityRoute, slackTo, type SloAlertLabels, sloRoutingCases } from "./tree";
import { watchdogRouting, type WatchdogOptions } from "./watchdog";

/** Where one component team's alerts go in `severityRouting`, besides the severity's receiver. */
export interface ComponentReceiverOptions {
  /** @default the team address (`email.to`) */
  readonly email?: string;
  /** Slack channel for this component's alerts (needs `slack`). */
  readonly slackChannel?: string;
}

/**
 * Options of `severityRouting`: the environment, SMTP and team email, optional Slack and PagerDuty, component teams,
 * business hours, inhibition and the Watchdog's dead man's switch.
 */
export interface SeverityRoutingOptions extends WatchdogOptions {
  /** @default "prod" */
  readonly environment?: "dev" | "prod";
  /** SMTP relay (the seeds all ship email). */
  readonly smtp: SmtpSettings;
  readonly email: {
    /** Team address for everything not routed elsewhere. */
    readonly to: string;
    /** On-call address for criticals. @default `to` */
    readonly critical?: string;
  };
  /** Slack incoming webhook (a secret) and a channel per severity. */
  readonly slack?: {
    readonly apiUrl: SecretRef;
    /** @default { critical: "#alerts-critical", warning: "#alerts", info: "#alerts-info" } */
    readonly channels?: Partial<Record<Severity, string>>;
  };
  /** Criticals also page through PagerDuty (prod only). */
  readonly pagerduty?: { readonly routingKey: SecretRef };
  /** Component receivers by label value. @default { api: {}, database: {} } */
  readonly components?: Readonly<Record<string, ComponentReceiverOptions>>;
  /** Label carrying the component. @default "component" */
  readonly componentLabel?: string;
  /** Severities to route (the ones the shipped rules use). @default all */
  readonly severities?: readonly Severity[];
  /** @default { critical: "30m", warning: "4h", info: "24h" } (the seeds) */
  readonly repeatIntervals?: Partial<Record<Severity, Duration>>;
  /** @default ["alertname", "service"] */
  readonly groupBy?: readonly string[];
  /** Mute lower severities outside business hours. @default off */
  readonly businessHours?: BusinessHours;
  readonly inhibition?: InhibitionOptions;
  /** Dev stacks: one non-paging receiver unless `prodRouting` (then the prod tree minus PagerDuty). */
  readonly dev?: { readonly email?: string; readonly slackChannel?: string; readonly prodRouting?: boolean };
  /**
   * The stack's SLO alerts with the labels they fire with: each gets a routing test (a page reaches the critical
   * receiver, a ticket the warning one). @default none (generic SLO-shaped cases are always tested)
   */
  readonly sloAlerts?: readonly SloAlertLabels[];
}

const DEFAULT_CHANNELS: Record<Severity, string> = { critical: "#alerts-critical", warning: "#alerts", info: "#alerts-info" };

function receiver(name: string, to: string, opts: SeverityRoutingOptions, channel?: string, page = false): Receiver {
  return {
    name,
    email: [emailTo(to)],
    ...(opts.slack && channel ? { slack: [slackTo(opts.slack.apiUrl, channel)] } : {}),
    ...(page && opts.pagerduty ? { pagerduty: [{ routingKey: opts.pagerduty.routingKey, severity: "critical", sendResolved: true }] } : {}),
  };
}

function prodTree(opts: SeverityRoutingOptions, paging: boolean): { route: Route; receivers: Receiver[] } {
  const severities = opts.severities ?? SEVERITIES;
  const channels = { ...DEFAULT_CHANNELS, ...(opts.slack?.channels ?? {}) };
  const components = opts.components ?? { api: {}, database: {} };
  const label = opts.componentLabel ?? "component";
  const receivers: Receiver[] = [receiver("default", opts.email.to, opts)];
  const routes: Route[] = [];
  for (const s of severities) {
    receivers.push(receiver(s, s === "critical" ? (opts.email.critical ?? opts.email.to) : opts.email.to, opts, channels[s], paging && s === "critical"));
    routes.push(severityRoute(s, opts, s));
  }
  for (const [name, c] of Object.entries(components)) {
    receivers.push(receiver(name, c.email ?? opts.email.to, opts, c.slackChannel));
    routes.push({
      receiver: name,
      matchers: [{ label, op: "=", value: name }],
      // Same timers per severity as the severity routes; the receiver is inherited from the component.
      routes: severities.map((s) => severityRoute(s, opts)),
    });
  }
  return { route: { receiver: "default", groupBy: opts.groupBy ?? DEFAULT_GROUP_BY, routes }, receivers };
}

function defaultTests(opts: SeverityRoutingOptions, dev: boolean): RoutingTest[] {
  const severities = opts.severities ?? SEVERITIES;
  const components = Object.keys(opts.components ?? { api: {}, database: {} });
  const label = opts.componentLabel ?? "component";
  const tests: RoutingTest[] = [];
  const want = (rs: string[]) => (dev ? ["dev"] : rs);
  for (const s of severities) tests.push(expectRoute(`${s} alerts go to the ${s} receiver`, { alertname: "TestAlert", severity: s }, want([s])));
  for (const c of components) {
    for (const s of severities) {
      tests.push(expectRoute(`${s} ${c} alerts reach ${s} and the ${c} team`, { alertname: "TestAlert", severity: s, [label]: c }, want([s, c])));
    }
    tests.push(expectRoute(`${c} alerts without severity reach the ${c} team`, { alertname: "TestAlert", [label]: c }, want([c])));
  }
  tests.push(expectRoute("alerts without severity or component go to default", { alertname: "TestAlert" }, want(["default"])));
  if (opts.businessHours && !dev) tests.push(...businessHoursTests(opts.businessHours, severities));
  // SLO alerts route by severity like any other: pages to the critical receiver, tickets to the warning one.
  for (const a of sloRoutingCases(opts.sloAlerts).filter((x) => severities.includes(x.severity))) {
    tests.push(expectRoute(`SLO alert ${a.alertname} (${a.severity === "critical" ? "page" : a.severity === "warning" ? "ticket" : a.severity}) reaches the ${a.severity} receiver`, { ...a }, want([a.severity])));
  }
  tests.push(...inhibitionTests(opts.inhibition));
  return tests;
}

/**
 * The seeds' routing policy in one call: severity routes (email everywhere, Slack and PagerDuty when configured),
 * component teams notified as well, the Watchdog to a dead man's switch, and routing tests that pin every decision.
 * Dev stacks send everything to one non-paging receiver.
 */
export function severityRouting(opts: SeverityRoutingOptions): RoutingPreset {
  const dev = (opts.environment ?? "prod") === "dev" && !opts.dev?.prodRouting;
  const global = { resolveTimeout: "5m", smtp: opts.smtp };
  const inhibitRules = severityInhibitRules(opts.inhibition);
  const watchdog = watchdogRouting(opts, dev ? undefined : opts.businessHours);
  if (dev) {
    const to = opts.dev?.email ?? opts.email.to;
    const devReceiver: Receiver = {
      name: "dev",
      email: [emailTo(to)],
      ...(opts.slack && opts.dev?.slackChannel ? { slack: [slackTo(opts.slack.apiUrl, opts.dev.slackChannel)] } : {}),
    };
    return {
      config: {
        global,
        route: { receiver: "dev", groupBy: opts.groupBy ?? DEFAULT_GROUP_BY, repeatInterval: "12h", routes: [watchdog.route] },
        receivers: [devReceiver, watchdog.receiver],
        inhibitRules,
      },
      tests: [...defaultTests(opts, true), ...watchdog.tests],
    };
  }
  const paging = (opts.environment ?? "prod") === "prod";
  const { route, receivers } = prodTree(opts, paging);
  const config: AlertmanagerConfig = {
    global,
    route: { ...route, routes: [watchdog.route, ...(route.routes ?? [])] },
    receivers: [...receivers, watchdog.receiver],
    inhibitRules,
    ...businessHoursIntervals(opts.businessHours),
  };
  return { config, tests: [...defaultTests(opts, false), ...watchdog.tests] };
}
