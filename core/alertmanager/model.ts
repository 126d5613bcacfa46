/**
 * The typed Alertmanager model: what users author. Field names are camelCase here and snake_case in the rendered
 * YAML. Secrets never appear as values: a receiver holds a `SecretRef`, the renderer writes a `*_file` field that
 * points at `${secretsDir}/${name}`, and the deployer mounts the named secret at that path.
 */
import type { Duration } from "../duration";

/** A named secret, mounted by the deployer as a file. Names: lowercase letters, digits, `_`, `-`. */
export interface SecretRef {
  readonly secret: string;
}

export const SECRET_NAME_RE = /^[a-z0-9][a-z0-9_-]*$/;

export function secret(name: string): SecretRef {
  return { secret: name };
}

export type MatchOp = "=" | "!=" | "=~" | "!~";

/** One label matcher, as in Alertmanager's `matchers:` list. Regexes are anchored (`^(?:value)$`). */
export interface Matcher {
  readonly label: string;
  readonly op: MatchOp;
  readonly value: string;
}

/** A typed matcher or its text form (`severity="critical"`); text is parsed by `parseMatcher`. */
export type MatcherInput = Matcher | string;

export type Labels = Readonly<Record<string, string>>;

export interface SmtpSettings {
  /** `host:port` of the SMTP relay, e.g. `smtp.example.com:587`. */
  readonly smarthost: string;
  readonly from: string;
  readonly authUsername?: string;
  readonly authPassword?: SecretRef;
  /** @default true (Alertmanager's default) */
  readonly requireTls?: boolean;
}

export interface GlobalConfig {
  /** @default "5m" */
  readonly resolveTimeout?: Duration;
  /** Defaults for every email integration. */
  readonly smtp?: SmtpSettings;
  /** Default Slack incoming-webhook URL for Slack integrations that set none. */
  readonly slackApiUrl?: SecretRef;
}

export interface EmailConfig {
  readonly to: string;
  /** Overrides of the global SMTP settings. */
  readonly smtp?: Partial<SmtpSettings>;
  /** Extra headers, e.g. `Subject`. Never credentials. */
  readonly headers?: Readonly<Record<string, string>>;
  readonly html?: string;
  readonly text?: string;
  /** @default false */
  readonly sendResolved?: boolean;
}

export interface SlackConfig {
  /** Incoming-webhook URL; falls back to `global.slackApiUrl`. */
  readonly apiUrl?: SecretRef;
  readonly channel?: string;
  readonly title?: string;
  readonly text?: string;
  readonly username?: string;
  /** @default false */
  readonly sendResolved?: boolean;
}

export type PagerDutySeverity = "critical" | "error" | "warning" | "info";

export interface PagerDutyConfig {
  /** Events API v2 integration key. Exactly one of `routingKey` and `serviceKey`. */
  readonly routingKey?: SecretRef;
  /** Events API v1 service key. */
  readonly serviceKey?: SecretRef;
  /** PagerDuty severity: a fixed value or a template (see `pagerDutySeverityTemplate`). */
  readonly severity?: string;
  readonly description?: string;
  /** @default true */
  readonly sendResolved?: boolean;
}

export interface WebhookConfig {
  /**
   * The endpoint: a plain URL, or a secret reference when the URL itself is a credential (a token in its path or
   * query), rendered as `url_file` so the value never appears in alertmanager.yml.
   */
  readonly url: string | SecretRef;
  /** Sent as `Authorization: Bearer <file contents>`. */
  readonly bearerToken?: SecretRef;
  /** @default 0 (no limit) */
  readonly maxAlerts?: number;
  /** @default true */
  readonly sendResolved?: boolean;
}

export interface OpsgenieConfig {
  readonly apiKey: SecretRef;
  readonly message?: string;
  /** `P1`…`P5` or a template. */
  readonly priority?: string;
  readonly tags?: string;
  /** @default true */
  readonly sendResolved?: boolean;
}

/** A named set of integrations; a receiver with none is a deliberate black hole. */
export interface Receiver {
  readonly name: string;
  readonly email?: readonly EmailConfig[];
  readonly slack?: readonly SlackConfig[];
  readonly pagerduty?: readonly PagerDutyConfig[];
  readonly webhook?: readonly WebhookConfig[];
  readonly opsgenie?: readonly OpsgenieConfig[];
}

export interface Route {
  /** Inherited from the parent when unset; required on the root route. */
  readonly receiver?: string;
  /** All must match; the root route takes none. */
  readonly matchers?: readonly MatcherInput[];
  /** Inherited when unset; `["..."]` groups by all labels; `[]` disables grouping. */
  readonly groupBy?: readonly string[];
  /** @default "30s" at the root, inherited below */
  readonly groupWait?: Duration;
  /** @default "5m" at the root, inherited below */
  readonly groupInterval?: Duration;
  /** @default "4h" at the root, inherited below */
  readonly repeatInterval?: Duration;
  /** Keep matching later siblings after this route matched. @default false */
  readonly continue?: boolean;
  /** Names of `timeIntervals` during which this route does not notify. Not inherited (Alertmanager semantics). */
  readonly muteTimeIntervals?: readonly string[];
  /** Names of `timeIntervals` outside which this route does not notify. Not inherited. */
  readonly activeTimeIntervals?: readonly string[];
  /**
   * This route carries an always-firing heartbeat (the Watchdog alert) to a dead man's switch, which expects it every
   * few minutes: the alert-storm guard's 1h minimum repeat interval does not apply (down to 1m), and a receiver with
   * no integrations here is reported, since nobody would notice alerting stop. Not rendered. @default false
   */
  readonly heartbeat?: boolean;
  readonly routes?: readonly Route[];
}

export interface InhibitRule {
  /** Used in messages only (not rendered). */
  readonly name?: string;
  readonly sourceMatchers: readonly MatcherInput[];
  readonly targetMatchers: readonly MatcherInput[];
  /** Labels whose values must be equal on source and target (missing equals empty). */
  readonly equal?: readonly string[];
}

export const WEEKDAYS = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"] as const;
export type Weekday = (typeof WEEKDAYS)[number];
export const MONTHS = [
  "january", "february", "march", "april", "may", "june",
  "july", "august", "september", "october", "november", "december",
] as const;
export type Month = (typeof MONTHS)[number];

/** A single value or an inclusive `[from, to]` range. */
export type RangeOf<T> = T | readonly [T, T];

/** `HH:MM`, `24:00` allowed as an end; the start is inclusive, the end exclusive. */
export interface TimeOfDayRange {
  readonly start: string;
  readonly end: string;
}

/** All set fields must match (unset = any). */
export interface TimePeriod {
  readonly times?: readonly TimeOfDayRange[];
  readonly weekdays?: readonly RangeOf<Weekday>[];
  /** 1…31, or -1…-31 counted from the month's end (-1 = last day). */
  readonly daysOfMonth?: readonly RangeOf<number>[];
  readonly months?: readonly RangeOf<Month | number>[];
  readonly years?: readonly RangeOf<number>[];
  /** IANA zone, e.g. `Europe/Berlin`. Unset: Alertmanager's process time zone (UTC in the shipped images). */
  readonly location?: string;
}

/** A named interval: matches when any of its periods does. */
export interface TimeInterval {
  readonly name: string;
  readonly periods: readonly TimePeriod[];
}

export interface AlertmanagerConfig {
  readonly global?: GlobalConfig;
  readonly route: Route;
  readonly receivers: readonly Receiver[];
  readonly inhibitRules?: readonly InhibitRule[];
  readonly timeIntervals?: readonly TimeInterval[];
  /** Template file paths (globs) as mounted in the Alertmanager container. */
  readonly templates?: readonly string[];
}

/** Alertmanager's root defaults. */
export const ROUTE_DEFAULTS = { groupWait: "30s", groupInterval: "5m", repeatInterval: "4h" } as const;
