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

/**
 * The pattern a `SecretRef` name must match: lowercase letters, digits, `_` and `-`, starting with a letter or digit.
 */
export const SECRET_NAME_RE = /^[a-z0-9][a-z0-9_-]*$/;

/** A `SecretRef` to the secret named `name`, e.g. `secret("slack_api_url")` for a receiver's `apiUrl`. */
export function secret(name: string): SecretRef {
  return { secret: name };
}

/** A matcher's operator: equal, not equal, regex match, regex non-match (Alertmanager's four). */
export type MatchOp = "=" | "!=" | "=~" | "!~";

/** One label matcher, as in Alertmanager's `matchers:` list. Regexes are anchored (`^(?:value)$`). */
export interface Matcher {
  readonly label: string;
  readonly op: MatchOp;
  readonly value: string;
}

/** A typed matcher or its text form (`severity="critical"`); text is parsed by `parseMatcher`. */
export type MatcherInput = Matcher | string;

/** An alert's label set, name → value, as routing tests and the in-process route evaluator take it. */
export type Labels = Readonly<Record<string, string>>;

/** The SMTP relay email notifications are sent through; the password is a secret reference, never a value. */
export interface SmtpSettings {
  /** `host:port` of the SMTP relay, e.g. `smtp.example.com:587`. */
  readonly smarthost: string;
  readonly from: string;
  readonly authUsername?: string;
  readonly authPassword?: SecretRef;
  /** @default true (Alertmanager's default) */
  readonly requireTls?: boolean;
}

/** Alertmanager's `global:` section: defaults shared by every receiver. */
export interface GlobalConfig {
  /** @default "5m" */
  readonly resolveTimeout?: Duration;
  /** Defaults for every email integration. */
  readonly smtp?: SmtpSettings;
  /** Default Slack incoming-webhook URL for Slack integrations that set none. */
  readonly slackApiUrl?: SecretRef;
}

/** One email integration of a receiver: who gets the mail, and optional overrides of the SMTP relay. */
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

/** One Slack integration of a receiver: the incoming webhook (a secret) and the message's channel and text. */
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

/** The severities PagerDuty's Events API v2 accepts. */
export type PagerDutySeverity = "critical" | "error" | "warning" | "info";

/** One PagerDuty integration of a receiver: the integration key (a secret) and how the incident is described. */
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

/** One webhook integration of a receiver: Alertmanager POSTs the alert group as JSON to the URL. */
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

/** One Opsgenie integration of a receiver: the API key (a secret) and the alert's message, priority and tags. */
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

/**
 * A node of Alertmanager's routing tree: which alerts it takes (`matchers`), who gets them (`receiver`), how they are
 * grouped and how often they are re-sent; unset fields are inherited from the parent.
 */
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

/**
 * Mutes alerts matching `targetMatchers` while an alert matching `sourceMatchers` fires with equal values for the
 * `equal` labels, e.g. warnings while the critical for the same service fires.
 */
export interface InhibitRule {
  /** Used in messages only (not rendered). */
  readonly name?: string;
  readonly sourceMatchers: readonly MatcherInput[];
  readonly targetMatchers: readonly MatcherInput[];
  /** Labels whose values must be equal on source and target (missing equals empty). */
  readonly equal?: readonly string[];
}

/** The weekday names a time period's `weekdays` accepts, Sunday first. */
export const WEEKDAYS = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"] as const;
/** A weekday name, as in `WEEKDAYS`. */
export type Weekday = (typeof WEEKDAYS)[number];
/** The month names a time period's `months` accepts (months may also be given as 1…12). */
export const MONTHS = [
  "january", "february", "march", "april", "may", "june",
  "july", "august", "september", "october", "november", "december",
] as const;
/** A month name, as in `MONTHS`. */
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

/**
 * A whole alertmanager.yml in typed form: the routing tree, the receivers, inhibition rules and time intervals;
 * rendered by `renderAlertmanagerConfig`.
 */
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
