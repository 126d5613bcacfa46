import { describe, expect, it } from "vitest";
import type { AlertmanagerConfig } from "../../../core/alertmanager/model";
import { renderAlertmanagerConfig } from "../../../core/alertmanager/render";
import { secretRefs, validateAlertmanagerConfig } from "../../../core/alertmanager/validate";
import type { ValidationContext } from "../../../core/alertmanager/validate";
import { errorsOf, ValidationError } from "../../../core/validation";
import { allRulesAt } from "../../../core/lint";

/** Every lint rule at error: each bad case must then refuse the config, conventions included. */
const strict = { lint: { levels: allRulesAt("error") } };

const base: AlertmanagerConfig = {
  global: { smtp: { smarthost: "smtp.example.com:587", from: "am@example.com", authUsername: "am", authPassword: { secret: "smtp-password" } } },
  route: {
    receiver: "default",
    groupBy: ["alertname", "service"],
    routes: [
      { receiver: "critical", matchers: [{ label: "severity", op: "=", value: "critical" }], repeatInterval: "30m" },
      { receiver: "warning", matchers: ['severity="warning"'], repeatInterval: "4h" },
    ],
  },
  receivers: [
    { name: "default", email: [{ to: "team@example.com" }] },
    { name: "critical", slack: [{ apiUrl: { secret: "slack-webhook" }, channel: "#alerts-critical" }], pagerduty: [{ routingKey: { secret: "pd-key" } }] },
    { name: "warning", webhook: [{ url: "http://hooks.internal:8080/alert", bearerToken: { secret: "hook-token" } }] },
  ],
  timeIntervals: [],
};

type Mutable = { -readonly [K in keyof AlertmanagerConfig]: AlertmanagerConfig[K] };
const r0 = base.route.routes![0]!;
const r1 = base.route.routes![1]!;
const withRoutes = (...routes: NonNullable<AlertmanagerConfig["route"]["routes"]>) => ({ ...base, route: { ...base.route, routes } });
const withReceiver = (i: number, rec: AlertmanagerConfig["receivers"][number]) => ({ ...base, receivers: base.receivers.map((r, j) => (j === i ? rec : r)) });

interface BadCase {
  readonly name: string;
  readonly cfg: AlertmanagerConfig;
  readonly ctx?: ValidationContext;
  /** Substrings the error must contain: item, field, message. */
  readonly item: string;
  readonly field: string;
  readonly message: string;
}

const inline = (v: string) => v as unknown as { secret: string };

const bad: BadCase[] = [
  { name: "unknown receiver in a route", cfg: withRoutes({ ...r0, receiver: "pager" }, r1), item: 'route > routes[0] (severity="critical")', field: "receiver", message: 'unknown receiver "pager"' },
  { name: "duplicate receiver names", cfg: { ...base, receivers: [...base.receivers, { name: "warning" }] }, item: 'receiver "warning"', field: "name", message: "more than once" },
  { name: "root route without receiver", cfg: { ...base, route: { ...base.route, receiver: undefined } } as Mutable, item: "route", field: "receiver", message: "required on the root route" },
  { name: "root route without group_by", cfg: { ...base, route: { ...base.route, groupBy: undefined } } as Mutable, item: "route", field: "groupBy", message: "not set on the root route" },
  { name: "root route with matchers", cfg: { ...base, route: { ...base.route, matchers: ['env="prod"'] } }, item: "route", field: "matchers", message: "must be empty" },
  { name: "root route with continue", cfg: { ...base, route: { ...base.route, continue: true } }, item: "route", field: "continue", message: "is meaningless on the root route" },
  { name: "root route with a mute interval", cfg: { ...base, route: { ...base.route, muteTimeIntervals: ["nights"] }, timeIntervals: [{ name: "nights", periods: [{ times: [{ start: "00:00", end: "06:00" }], location: "UTC" }] }] }, item: "route", field: "muteTimeIntervals", message: "are not allowed on the root route" },
  { name: "root route with an active interval", cfg: { ...base, route: { ...base.route, activeTimeIntervals: ["nights"] }, timeIntervals: [{ name: "nights", periods: [{ times: [{ start: "00:00", end: "06:00" }], location: "UTC" }] }] }, item: "route", field: "activeTimeIntervals", message: "are not allowed on the root route" },
  { name: "invalid regex matcher", cfg: withRoutes({ ...r0, matchers: [{ label: "team", op: "=~", value: "api(" }] }, r1), item: 'route > routes[0] (team=~"api(")', field: "matchers[0]", message: "invalid regex" },
  { name: "regex with lookahead (RE2 has none)", cfg: withRoutes({ ...r0, matchers: ['team=~"(?!db).*"'] }, r1), item: "route > routes[0]", field: "matchers[0]", message: "lookaround" },
  { name: "unparsable matcher string", cfg: withRoutes({ ...r0, matchers: ["severity critical"] }, r1), item: "route > routes[0]", field: "matchers[0]", message: "cannot parse matcher" },
  { name: "bad label name in matcher", cfg: withRoutes({ ...r0, matchers: [{ label: "sev-erity", op: "=", value: "x" }] }, r1), item: "route > routes[0]", field: "matchers[0]", message: "not a valid label name" },
  { name: "zero repeat interval", cfg: withRoutes({ ...r0, repeatInterval: "0s" }, r1), item: 'route > routes[0] (severity="critical")', field: "repeatInterval", message: "greater than zero" },
  { name: "negative group interval", cfg: withRoutes(r0, { ...r1, groupInterval: "-5m" }), item: 'route > routes[1] (severity="warning")', field: "groupInterval", message: "not a duration" },
  { name: "group_interval below 1m", cfg: withRoutes(r0, { ...r1, groupInterval: "30s" }), item: 'route > routes[1] (severity="warning")', field: "groupInterval", message: "alert-storm guard" },
  { name: "repeat_interval below 1h on a warning route", cfg: withRoutes(r0, { ...r1, repeatInterval: "30m" }), item: 'route > routes[1] (severity="warning")', field: "repeatInterval", message: "below 1h" },
  { name: "repeat_interval below 30m on a critical route", cfg: withRoutes({ ...r0, repeatInterval: "10m" }, r1), item: 'route > routes[0] (severity="critical")', field: "repeatInterval", message: "below 30m" },
  { name: "inline Slack webhook URL", cfg: withReceiver(1, { name: "critical", slack: [{ apiUrl: inline("https://hooks.slack.com/services/T0/B0/XXXX") }] }), item: 'receiver "critical" > slack[0]', field: "apiUrl", message: "inline value" },
  { name: "Slack hook pasted in a title", cfg: withReceiver(1, { name: "critical", slack: [{ apiUrl: { secret: "s" }, title: "see https://hooks.slack.com/services/T0/B0/X" }] }), item: 'receiver "critical" > slack[0]', field: "title", message: "Slack incoming-webhook URL" },
  { name: "password-like email header", cfg: withReceiver(0, { name: "default", email: [{ to: "t@example.com", headers: { "X-Note": "password=hunter22" } }] }), item: 'receiver "default" > email[0]', field: "headers.X-Note", message: "password or token" },
  { name: "Authorization email header", cfg: withReceiver(0, { name: "default", email: [{ to: "t@example.com", headers: { Authorization: "Bearer abc" } }] }), item: 'receiver "default" > email[0]', field: "headers.Authorization", message: "credential inline" },
  { name: "webhook URL with a token query", cfg: withReceiver(2, { name: "warning", webhook: [{ url: "https://example.com/hook?token=abcdef123" }] }), item: 'receiver "warning" > webhook[0]', field: "url", message: "bearerToken" },
  { name: "webhook URL with user:password", cfg: withReceiver(2, { name: "warning", webhook: [{ url: "https://bot:s3cret@example.com/hook" }] }), item: 'receiver "warning" > webhook[0]', field: "url", message: "password" },
  { name: "SMTP password inline", cfg: { ...base, global: { smtp: { smarthost: "smtp.example.com:587", from: "a@example.com", authUsername: "am", authPassword: inline("hunter2") } } }, item: "global.smtp", field: "authPassword", message: "inline value" },
  { name: "bad secret name", cfg: withReceiver(1, { name: "critical", pagerduty: [{ routingKey: { secret: "PD Key" } }] }), item: 'receiver "critical" > pagerduty[0]', field: "routingKey", message: "must match" },
  { name: "pagerduty with both keys", cfg: withReceiver(1, { name: "critical", pagerduty: [{ routingKey: { secret: "a" }, serviceKey: { secret: "b" } }] }), item: 'receiver "critical" > pagerduty[0]', field: "routingKey", message: "exactly one" },
  { name: "email without smarthost", cfg: { ...base, global: {} }, item: 'receiver "default" > email[0]', field: "smtp.smarthost", message: "not set" },
  { name: "severity the rules use but no route handles", cfg: base, ctx: { severities: ["critical", "warning", "info"] }, item: "route", field: "routes", message: 'severity="info"' },
  { name: "unknown mute interval", cfg: withRoutes({ ...r0, muteTimeIntervals: ["nights"] }, r1), item: 'route > routes[0] (severity="critical")', field: "muteTimeIntervals", message: 'unknown time interval "nights"' },
  { name: "weekday range wrapping the week", cfg: { ...withRoutes(r0, { ...r1, muteTimeIntervals: ["weekend"] }), timeIntervals: [{ name: "weekend", periods: [{ weekdays: [["saturday", "sunday"]], location: "UTC" }] }] }, item: 'time interval "weekend"', field: "periods[0].weekdays[0]", message: "wraps the week" },
  { name: "days_of_month negative start, positive end", cfg: { ...withRoutes(r0, { ...r1, muteTimeIntervals: ["eom"] }), timeIntervals: [{ name: "eom", periods: [{ daysOfMonth: [[-3, 5]], location: "UTC" }] }] }, item: 'time interval "eom"', field: "periods[0].daysOfMonth[0]", message: "must be negative" },
  { name: "times end before start", cfg: { ...withRoutes(r0, { ...r1, muteTimeIntervals: ["n"] }), timeIntervals: [{ name: "n", periods: [{ times: [{ start: "22:00", end: "06:00" }], location: "UTC" }] }] }, item: 'time interval "n"', field: "periods[0].times[0]", message: "before end" },
  { name: "unknown time zone", cfg: { ...withRoutes(r0, { ...r1, muteTimeIntervals: ["n"] }), timeIntervals: [{ name: "n", periods: [{ weekdays: ["sunday"], location: "Mars/Olympus" }] }] }, item: 'time interval "n"', field: "periods[0].location", message: "IANA" },
  { name: "inhibit rule with empty source", cfg: { ...base, inhibitRules: [{ name: "oops", sourceMatchers: [], targetMatchers: ['severity="warning"'] }] }, item: "inhibitRules[0] (oops)", field: "sourceMatchers", message: "is empty" },
  { name: "inhibit rule with bad regex", cfg: { ...base, inhibitRules: [{ sourceMatchers: ['severity=~"crit[ical"'], targetMatchers: ['severity="warning"'] }] }, item: "inhibitRules[0]", field: "sourceMatchers[0]", message: "invalid regex" },
  { name: "group_by with ... and others", cfg: { ...base, route: { ...base.route, groupBy: ["...", "alertname"] } }, item: "route", field: "groupBy", message: '"..."' },
];

describe("validateAlertmanagerConfig: the base config", () => {
  it("is valid and renders", () => {
    expect(errorsOf(validateAlertmanagerConfig(base, { severities: ["critical", "warning"] }))).toEqual([]);
    expect(renderAlertmanagerConfig(base, { secretsDir: "/s" })).toContain("routing_key_file: /s/pd-key");
  });
  it("lists secret names sorted and unique", () => {
    expect(secretRefs(base)).toEqual(["hook-token", "pd-key", "slack-webhook", "smtp-password"]);
  });
});

describe("validateAlertmanagerConfig: bad input", () => {
  it.each(bad)("$name: names $item / $field and renders nothing", (c) => {
    const errors = errorsOf(validateAlertmanagerConfig(c.cfg, { ...strict, ...(c.ctx ?? {}) }));
    const hit = errors.find((e) => e.item.includes(c.item) && e.field.includes(c.field) && e.message.includes(c.message));
    expect(hit, JSON.stringify(errors, null, 2)).toBeDefined();
    let rendered: string | undefined;
    let thrown: unknown;
    try {
      rendered = renderAlertmanagerConfig(c.cfg, { secretsDir: "/s", ...strict, ...(c.ctx ?? {}) });
    } catch (e) {
      thrown = e;
    }
    expect(rendered).toBeUndefined();
    expect(thrown).toBeInstanceOf(ValidationError);
    expect((thrown as Error).message).toContain(c.item);
  });
});

describe("validateAlertmanagerConfig: levels", () => {
  const level = (cfg: AlertmanagerConfig, rule: string, ctx: ValidationContext = {}) => validateAlertmanagerConfig(cfg, ctx).find((i) => i.rule === rule)?.severity;
  it("house conventions are warnings by default, what Alertmanager refuses is an error", () => {
    expect(level({ ...base, route: { ...base.route, groupBy: undefined } } as Mutable, "alertmanager/group-by-root")).toBe("warning");
    expect(level(withRoutes(r0, { ...r1, groupInterval: "30s" }), "alertmanager/interval-short")).toBe("warning");
    expect(level(withRoutes({ ...r0, receiver: "pager" }, r1), "alertmanager/invalid")).toBe("error");
  });
  it("protections of a deployed stack are errors for stacks and warnings for lint", () => {
    const ctx = { severities: ["critical", "warning", "info"] };
    expect(level(base, "alertmanager/severity-unroutable", ctx)).toBe("error");
    expect(level(base, "alertmanager/severity-unroutable", { ...ctx, lint: { profile: "lint" } })).toBe("warning");
    expect(level(base, "alertmanager/severity-unroutable", { ...ctx, lint: { levels: { "alertmanager/severity-unroutable": "off" } } })).toBeUndefined();
  });
  it("routing coverage is checked over any severity the rules use", () => {
    const cfg = withRoutes(r0, r1, { receiver: "default", matchers: ['severity="none"'] });
    expect(errorsOf(validateAlertmanagerConfig(cfg, { severities: ["critical", "warning", "none"] }))).toEqual([]);
    expect(errorsOf(validateAlertmanagerConfig(base, { severities: ["critical", "page"] }))).toContainEqual(expect.objectContaining({ message: expect.stringContaining('severity="page"') }));
  });
});

describe("validateAlertmanagerConfig: warnings", () => {
  const warnings = (cfg: AlertmanagerConfig, ctx: ValidationContext = {}) => validateAlertmanagerConfig(cfg, ctx).filter((i) => i.severity === "warning");
  it("an unused receiver is a warning, not an error", () => {
    const cfg = { ...base, receivers: [...base.receivers, { name: "spare" }] };
    expect(errorsOf(validateAlertmanagerConfig(cfg))).toEqual([]);
    expect(warnings(cfg)).toContainEqual(expect.objectContaining({ item: 'receiver "spare"', message: "is not used by any route" }));
  });
  it("a route after a catch-all sibling is flagged as unreachable", () => {
    const cfg = withRoutes({ receiver: "critical" }, r1);
    expect(warnings(cfg)).toContainEqual(expect.objectContaining({ item: "route", field: "routes[1]" }));
  });
  it("a dev stack that pages is warned about", () => {
    expect(warnings(base, { environment: "dev" })).toContainEqual(expect.objectContaining({ item: 'receiver "critical"', field: "pagerduty" }));
  });
  it("dev stacks do not need a route per severity", () => {
    expect(errorsOf(validateAlertmanagerConfig(base, { environment: "dev", severities: ["info"] }))).toEqual([]);
  });
  it("short intervals pass in test configs", () => {
    expect(errorsOf(validateAlertmanagerConfig(withRoutes(r0, { ...r1, groupInterval: "1s", repeatInterval: "1m" }), { allowShortIntervals: true }))).toEqual([]);
  });
});
