/**
 * `severityRouting(...)`: the seeds' routing policy in one call. Severity routes first (critical re-notifies every
 * 30m, warning every 4h), each with `continue` so component teams ("api", "database") are notified as well; email
 * everywhere, Slack when a webhook secret is given, PagerDuty for criticals when a key is given. Dev stacks send
 * everything to one non-paging receiver unless asked for the prod tree. Ships with routing tests.
 */
import type { Duration } from "../core/duration";
import { SEVERITIES } from "../core/severity";
import type { Severity } from "../core/severity";
import { zonedInstant } from "../core/alertmanager/time-intervals";
import type { AlertmanagerConfig, EmailConfig, Receiver, Route, SecretRef, SlackConfig, SmtpSettings, TimeInterval, Weekday } from "../core/alertmanager/model";
import type { RoutingTest } from "../core/alertmanager/route-tests";
import { expectInhibited, expectMuted, expectRoute } from "../core/alertmanager/route-tests";
import { severityInhibitRules } from "./inhibition";
import type { InhibitionOptions } from "./inhibition";

export interface ComponentReceiverOptions {
  /** @default the team address (`email.to`) */
  readonly email?: string;
  /** Slack channel for this component's alerts (needs `slack`). */
  readonly slackChannel?: string;
}

export interface BusinessHours {
  /** IANA zone the hours are in, e.g. "Europe/Berlin". */
  readonly location: string;
  /** @default ["monday", "friday"] */
  readonly weekdays?: readonly [Weekday, Weekday];
  /** @default "09:00" */
  readonly start?: string;
  /** @default "18:00" */
  readonly end?: string;
  /** Severities that notify only during business hours; never critical. @default ["warning", "info"] */
  readonly severities?: readonly Exclude<Severity, "critical">[];
}

export interface SeverityRoutingOptions {
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

/** An SLO alert as Alertmanager receives it. */
export interface SloAlertLabels {
  readonly alertname: string;
  readonly severity: Severity;
  readonly slo: string;
  readonly service: string;
}

export interface RoutingPreset {
  readonly config: AlertmanagerConfig;
  readonly tests: RoutingTest[];
}

const DEFAULT_REPEAT: Record<Severity, Duration> = { critical: "30m", warning: "4h", info: "24h" };
const DEFAULT_CHANNELS: Record<Severity, string> = { critical: "#alerts-critical", warning: "#alerts", info: "#alerts-info" };
const BUSINESS_HOURS = "business-hours";

const SUBJECT = "[{{ .Status | toUpper }}{{ if eq .Status \"firing\" }}:{{ .Alerts.Firing | len }}{{ end }}] {{ .CommonLabels.severity }}: {{ .GroupLabels.alertname }}";
const SLACK_TITLE = "[{{ .Status | toUpper }}] {{ .GroupLabels.alertname }}";
const SLACK_TEXT = "{{ range .Alerts }}*{{ .Labels.severity }}* {{ .Annotations.summary }}\n{{ .Annotations.description }}\n{{ end }}";

function email(to: string): EmailConfig {
  return { to, headers: { Subject: SUBJECT }, sendResolved: true };
}

function slack(apiUrl: SecretRef, channel: string): SlackConfig {
  return { apiUrl, channel, title: SLACK_TITLE, text: SLACK_TEXT, sendResolved: true };
}

function receiver(name: string, to: string, opts: SeverityRoutingOptions, channel?: string, page = false): Receiver {
  return {
    name,
    email: [email(to)],
    ...(opts.slack && channel ? { slack: [slack(opts.slack.apiUrl, channel)] } : {}),
    ...(page && opts.pagerduty ? { pagerduty: [{ routingKey: opts.pagerduty.routingKey, severity: "critical", sendResolved: true }] } : {}),
  };
}

function severityRoute(s: Severity, opts: SeverityRoutingOptions, receiverName?: string): Route {
  const quiet = opts.businessHours && s !== "critical" && (opts.businessHours.severities ?? ["warning", "info"]).includes(s);
  return {
    ...(receiverName ? { receiver: receiverName } : {}),
    matchers: [{ label: "severity", op: "=", value: s }],
    ...(s === "critical" ? { groupWait: "10s" } : {}),
    repeatInterval: opts.repeatIntervals?.[s] ?? DEFAULT_REPEAT[s],
    ...(receiverName ? { continue: true } : {}),
    ...(quiet ? { activeTimeIntervals: [BUSINESS_HOURS] } : {}),
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
  return { route: { receiver: "default", groupBy: opts.groupBy ?? ["alertname", "service"], routes }, receivers };
}

function businessHoursInterval(b: BusinessHours): TimeInterval {
  return {
    name: BUSINESS_HOURS,
    periods: [{ weekdays: [b.weekdays ?? ["monday", "friday"]], times: [{ start: b.start ?? "09:00", end: b.end ?? "18:00" }], location: b.location }],
  };
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
  const b = opts.businessHours;
  if (b && !dev) {
    const [first] = b.weekdays ?? ["monday", "friday"];
    const quiet = (b.severities ?? ["warning", "info"]).filter((s) => severities.includes(s));
    // 2026-11-23 is a Monday; pick the first business day of the week, one hour after opening, and a Sunday night.
    const dayIndex = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"].indexOf(first);
    const [h, m] = (b.start ?? "09:00").split(":").map(Number) as [number, number];
    const open = zonedInstant(b.location, 2026, 11, 23 + dayIndex, h + 1, m);
    const night = zonedInstant(b.location, 2026, 11, 29, 3, 0);
    for (const s of quiet) {
      tests.push(expectMuted(`${s} alerts are muted outside business hours`, { alertname: "TestAlert", severity: s }, night, true));
      tests.push(expectMuted(`${s} alerts notify during business hours`, { alertname: "TestAlert", severity: s }, open, false, [s]));
    }
    if (severities.includes("critical")) {
      tests.push(expectMuted("critical alerts notify at night", { alertname: "TestAlert", severity: "critical" }, night, false, ["critical"]));
    }
  }
  // SLO alerts route by severity like any other: pages to the critical receiver, tickets to the warning one.
  const sloCases: SloAlertLabels[] = [
    { alertname: "TestSloBudgetBurnFast", severity: "critical", slo: "test-slo", service: "api" },
    { alertname: "TestSloBudgetBurnSlow", severity: "warning", slo: "test-slo", service: "api" },
    ...(opts.sloAlerts ?? []),
  ];
  for (const a of sloCases.filter((x) => severities.includes(x.severity))) {
    tests.push(expectRoute(`SLO alert ${a.alertname} (${a.severity === "critical" ? "page" : a.severity === "warning" ? "ticket" : a.severity}) reaches the ${a.severity} receiver`, { ...a }, want([a.severity])));
  }
  const [page, ticket] = [sloCases[0]!, sloCases[1]!];
  tests.push(
    expectInhibited("an SLO page inhibits the same SLO's ticket", { ...ticket }, [{ ...page }], true),
    expectInhibited("an SLO page does not inhibit another SLO's ticket", { ...ticket, slo: "other-slo" }, [{ ...page }], false),
    expectInhibited("an SLO page does not inhibit a warning without an slo label", { alertname: "HighLatency", service: "api", severity: "warning" }, [{ ...page }], false),
  );
  const down = opts.inhibition?.serviceDownAlert ?? "ServiceDown";
  const lat = { alertname: "HighLatency", service: "api", job: "api" };
  tests.push(
    expectInhibited("critical inhibits the same warning", { ...lat, severity: "warning" }, [{ ...lat, severity: "critical" }], true),
    expectInhibited("critical does not inhibit another service's warning", { ...lat, severity: "warning" }, [{ ...lat, service: "db", severity: "critical" }], false),
    expectInhibited("warning does not inhibit critical", { ...lat, severity: "critical" }, [{ ...lat, severity: "warning" }], false),
    expectInhibited(`${down} inhibits the job's other alerts`, { alertname: "HighErrorRate", job: "api", severity: "critical" }, [{ alertname: down, job: "api", severity: "critical" }], true),
    expectInhibited(`${down} does not inhibit another job`, { alertname: "HighErrorRate", job: "worker", severity: "warning" }, [{ alertname: down, job: "api", severity: "critical" }], false),
    expectInhibited(`${down} does not inhibit itself`, { alertname: down, job: "api", severity: "critical" }, [{ alertname: down, job: "api", severity: "critical", instance: "b" }], false),
    expectInhibited("warning inhibits the same info", { ...lat, severity: "info" }, [{ ...lat, severity: "warning" }], true),
  );
  return tests;
}

export function severityRouting(opts: SeverityRoutingOptions): RoutingPreset {
  const dev = (opts.environment ?? "prod") === "dev" && !opts.dev?.prodRouting;
  const global = { resolveTimeout: "5m", smtp: opts.smtp };
  const inhibitRules = severityInhibitRules(opts.inhibition);
  if (dev) {
    const to = opts.dev?.email ?? opts.email.to;
    const devReceiver: Receiver = {
      name: "dev",
      email: [email(to)],
      ...(opts.slack && opts.dev?.slackChannel ? { slack: [slack(opts.slack.apiUrl, opts.dev.slackChannel)] } : {}),
    };
    return {
      config: { global, route: { receiver: "dev", groupBy: opts.groupBy ?? ["alertname", "service"], repeatInterval: "12h" }, receivers: [devReceiver], inhibitRules },
      tests: defaultTests(opts, true),
    };
  }
  const paging = (opts.environment ?? "prod") === "prod";
  const { route, receivers } = prodTree(opts, paging);
  const config: AlertmanagerConfig = {
    global,
    route,
    receivers,
    inhibitRules,
    ...(opts.businessHours ? { timeIntervals: [businessHoursInterval(opts.businessHours)] } : {}),
  };
  return { config, tests: defaultTests(opts, false) };
}
