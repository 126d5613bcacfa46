/**
 * What both routing presets share: the severity routes' timers, business hours, the notification templates, and the
 * routing tests for business hours and inhibition. A preset decides who is notified; this module decides when.
 */
import type { Duration } from "../core/duration";
import type { Severity } from "../core/severity";
import { zonedInstant } from "../core/alertmanager/time-intervals";
import type { AlertmanagerConfig, EmailConfig, Route, SecretRef, SlackConfig, TimeInterval, Weekday } from "../core/alertmanager/model";
import type { RoutingTest } from "../core/alertmanager/route-tests";
import { expectInhibited, expectMuted } from "../core/alertmanager/route-tests";
import type { InhibitionOptions } from "./inhibition";

/**
 * Working hours in one time zone: the severities listed notify only then (muted outside them); criticals always
 * notify.
 */
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

/** A routing preset's result: the config and the routing tests that pin its behaviour. */
export interface RoutingPreset {
  readonly config: AlertmanagerConfig;
  readonly tests: RoutingTest[];
}

/** Timers of the severity routes, shared by both presets. */
export interface SeverityTimers {
  /** @default { critical: "30m", warning: "4h", info: "24h" } (the seeds) */
  readonly repeatIntervals?: Partial<Record<Severity, Duration>>;
  /** Mute lower severities outside business hours. @default off */
  readonly businessHours?: BusinessHours;
}

export const DEFAULT_REPEAT: Readonly<Record<Severity, Duration>> = { critical: "30m", warning: "4h", info: "24h" };
export const DEFAULT_GROUP_BY: readonly string[] = ["alertname", "service"];
const BUSINESS_HOURS = "business-hours";

const SUBJECT = "[{{ .Status | toUpper }}{{ if eq .Status \"firing\" }}:{{ .Alerts.Firing | len }}{{ end }}] {{ .CommonLabels.severity }}: {{ .GroupLabels.alertname }}";
const SLACK_TITLE = "[{{ .Status | toUpper }}] {{ .GroupLabels.alertname }}";
const SLACK_TEXT = "{{ range .Alerts }}*{{ .Labels.severity }}* {{ .Annotations.summary }}\n{{ .Annotations.description }}\n{{ end }}";

export function emailTo(to: string): EmailConfig {
  return { to, headers: { Subject: SUBJECT }, sendResolved: true };
}

export function slackTo(apiUrl: SecretRef, channel: string): SlackConfig {
  return { apiUrl, channel, title: SLACK_TITLE, text: SLACK_TEXT, sendResolved: true };
}

/** The route of one severity; without a receiver it inherits one (component subtrees) and does not continue. */
export function severityRoute(s: Severity, t: SeverityTimers, receiverName?: string): Route {
  const quiet = t.businessHours && s !== "critical" && (t.businessHours.severities ?? ["warning", "info"]).includes(s);
  return {
    ...(receiverName ? { receiver: receiverName } : {}),
    matchers: [{ label: "severity", op: "=", value: s }],
    ...(s === "critical" ? { groupWait: "10s" } : {}),
    repeatInterval: t.repeatIntervals?.[s] ?? DEFAULT_REPEAT[s],
    ...(receiverName ? { continue: true } : {}),
    ...(quiet ? { activeTimeIntervals: [BUSINESS_HOURS] } : {}),
  };
}

/** The `timeIntervals` entry the severity routes refer to, when business hours are set. */
export function businessHoursIntervals(b: BusinessHours | undefined): { timeIntervals?: TimeInterval[] } {
  if (!b) return {};
  return {
    timeIntervals: [{
      name: BUSINESS_HOURS,
      periods: [{ weekdays: [b.weekdays ?? ["monday", "friday"]], times: [{ start: b.start ?? "09:00", end: b.end ?? "18:00" }], location: b.location }],
    }],
  };
}

/** Two instants in the business-hours zone: an hour after opening on the first business day, and a Sunday night. */
export function businessInstants(b: BusinessHours): { open: Date; night: Date } {
  const [first] = b.weekdays ?? ["monday", "friday"];
  // 2026-11-23 is a Monday; pick the first business day of that week.
  const dayIndex = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"].indexOf(first);
  const [h, m] = (b.start ?? "09:00").split(":").map(Number) as [number, number];
  return { open: zonedInstant(b.location, 2026, 11, 23 + dayIndex, h + 1, m), night: zonedInstant(b.location, 2026, 11, 29, 3, 0) };
}

/** Quiet severities are muted at night and notify by day; criticals notify at night. Receivers are named by severity. */
export function businessHoursTests(b: BusinessHours, severities: readonly Severity[]): RoutingTest[] {
  const { open, night } = businessInstants(b);
  const quiet = (b.severities ?? ["warning", "info"]).filter((s) => severities.includes(s));
  const tests: RoutingTest[] = [];
  for (const s of quiet) {
    tests.push(expectMuted(`${s} alerts are muted outside business hours`, { alertname: "TestAlert", severity: s }, night, true));
    tests.push(expectMuted(`${s} alerts notify during business hours`, { alertname: "TestAlert", severity: s }, open, false, [s]));
  }
  if (severities.includes("critical")) {
    tests.push(expectMuted("critical alerts notify at night", { alertname: "TestAlert", severity: "critical" }, night, false, ["critical"]));
  }
  return tests;
}

/** The inhibition policy of `severityInhibitRules`, pinned by tests. */
/** An SLO alert as Alertmanager receives it. */
export interface SloAlertLabels {
  readonly alertname: string;
  readonly severity: Severity;
  readonly slo: string;
  readonly service: string;
}

const SLO_PAGE: SloAlertLabels = { alertname: "TestSloBudgetBurnFast", severity: "critical", slo: "test-slo", service: "api" };
const SLO_TICKET: SloAlertLabels = { alertname: "TestSloBudgetBurnSlow", severity: "warning", slo: "test-slo", service: "api" };

/** The SLO alerts a preset tests the routing of: generic page and ticket cases, then the stack's own. */
export function sloRoutingCases(sloAlerts: readonly SloAlertLabels[] | undefined): SloAlertLabels[] {
  return [SLO_PAGE, SLO_TICKET, ...(sloAlerts ?? [])];
}

export function inhibitionTests(opts: InhibitionOptions | undefined): RoutingTest[] {
  const down = opts?.serviceDownAlert ?? "ServiceDown";
  const lat = { alertname: "HighLatency", service: "api", job: "api" };
  return [
    expectInhibited("an SLO page inhibits the same SLO's ticket", { ...SLO_TICKET }, [{ ...SLO_PAGE }], true),
    expectInhibited("an SLO page does not inhibit another SLO's ticket", { ...SLO_TICKET, slo: "other-slo" }, [{ ...SLO_PAGE }], false),
    expectInhibited("an SLO page does not inhibit a warning without an slo label", { alertname: "HighLatency", service: "api", severity: "warning" }, [{ ...SLO_PAGE }], false),
    expectInhibited("critical inhibits the same warning", { ...lat, severity: "warning" }, [{ ...lat, severity: "critical" }], true),
    expectInhibited("critical does not inhibit another service's warning", { ...lat, severity: "warning" }, [{ ...lat, service: "db", severity: "critical" }], false),
    expectInhibited("warning does not inhibit critical", { ...lat, severity: "critical" }, [{ ...lat, severity: "warning" }], false),
    expectInhibited(`${down} inhibits the job's other alerts`, { alertname: "HighErrorRate", job: "api", severity: "critical" }, [{ alertname: down, job: "api", severity: "critical" }], true),
    expectInhibited(`${down} does not inhibit another job`, { alertname: "HighErrorRate", job: "worker", severity: "warning" }, [{ alertname: down, job: "api", severity: "critical" }], false),
    expectInhibited(`${down} does not inhibit itself`, { alertname: down, job: "api", severity: "critical" }, [{ alertname: down, job: "api", severity: "critical", instance: "b" }], false),
    expectInhibited("warning inhibits the same info", { ...lat, severity: "info" }, [{ ...lat, severity: "warning" }], true),
  ];
}
