import { describe, expect, it } from "vitest";
import type { AlertmanagerConfig } from "../../../core/alertmanager/model";
import { renderAlertmanagerConfig } from "../../../core/alertmanager/render";
import { secretRefs, validateAlertmanagerConfig } from "../../../core/alertmanager/validate";
import type { ValidationContext } from "../../../core/alertmanager/validate";
import { errorsOf, formatIssue, ValidationError } from "../../../core/validation";
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
  /** Every issue at the default levels, formatted: nothing more is reported than the case introduces. */
  readonly all: readonly string[];
}

const inline = (v: string) => v as unknown as { secret: string };

const bad: BadCase[] = [
  { name: "unknown receiver in a route", cfg: withRoutes({ ...r0, receiver: "pager" }, r1), item: 'route > routes[0] (severity="critical")', field: "receiver", message: 'unknown receiver "pager"', all: ['route > routes[0] (severity="critical"): receiver refers to unknown receiver "pager" (known: critical, default, warning) [alertmanager/invalid]', 'warning: receiver "critical" is not used by any route [alertmanager/receiver-unused]'] },
  { name: "duplicate receiver names", cfg: { ...base, receivers: [...base.receivers, { name: "warning" }] }, item: 'receiver "warning"', field: "name", message: "more than once", all: ['receiver "warning": name is defined more than once [alertmanager/invalid]'] },
  { name: "root route without receiver", cfg: { ...base, route: { ...base.route, receiver: undefined } } as Mutable, item: "route", field: "receiver", message: "required on the root route", all: ['route: receiver is required on the root route (it catches every alert no other route takes) [alertmanager/invalid]', 'warning: receiver "default" is not used by any route [alertmanager/receiver-unused]'] },
  { name: "root route without group_by", cfg: { ...base, route: { ...base.route, groupBy: undefined } } as Mutable, item: "route", field: "groupBy", message: "not set on the root route", all: ['warning: route: groupBy is not set on the root route: without it every alert lands in one notification group [alertmanager/group-by-root]'] },
  { name: "root route with matchers", cfg: { ...base, route: { ...base.route, matchers: ['env="prod"'] } }, item: "route", field: "matchers", message: "must be empty", all: ['route: matchers must be empty on the root route (it must match every alert) [alertmanager/invalid]'] },
  { name: "root route with continue", cfg: { ...base, route: { ...base.route, continue: true } }, item: "route", field: "continue", message: "is meaningless on the root route", all: ['route: continue is meaningless on the root route [alertmanager/invalid]'] },
  { name: "root route with a mute interval", cfg: { ...base, route: { ...base.route, muteTimeIntervals: ["nights"] }, timeIntervals: [{ name: "nights", periods: [{ times: [{ start: "00:00", end: "06:00" }], location: "UTC" }] }] }, item: "route", field: "muteTimeIntervals", message: "are not allowed on the root route", all: ['route: muteTimeIntervals are not allowed on the root route [alertmanager/invalid]'] },
  { name: "root route with an active interval", cfg: { ...base, route: { ...base.route, activeTimeIntervals: ["nights"] }, timeIntervals: [{ name: "nights", periods: [{ times: [{ start: "00:00", end: "06:00" }], location: "UTC" }] }] }, item: "route", field: "activeTimeIntervals", message: "are not allowed on the root route", all: ['route: activeTimeIntervals are not allowed on the root route [alertmanager/invalid]'] },
  { name: "invalid regex matcher", cfg: withRoutes({ ...r0, matchers: [{ label: "team", op: "=~", value: "api(" }] }, r1), item: 'route > routes[0] (team=~"api(")', field: "matchers[0]", message: "invalid regex", all: ['route > routes[0] (team=~"api("): matchers[0] matcher team=~"api(": invalid regex: Unterminated group [alertmanager/invalid]', 'warning: route > routes[0] (team=~"api("): repeatInterval 30m is below 1h: alert-storm guard (allowShortIntervals is for test configs only) [alertmanager/interval-short]'] },
  { name: "regex with lookahead (RE2 has none)", cfg: withRoutes({ ...r0, matchers: ['team=~"(?!db).*"'] }, r1), item: "route > routes[0]", field: "matchers[0]", message: "lookaround", all: ['route > routes[0] (team=~"(?!db).*"): matchers[0] matcher team=~"(?!db).*": invalid regex: lookaround assertions are not supported by RE2 [alertmanager/invalid]', 'warning: route > routes[0] (team=~"(?!db).*"): repeatInterval 30m is below 1h: alert-storm guard (allowShortIntervals is for test configs only) [alertmanager/interval-short]'] },
  { name: "unparsable matcher string", cfg: withRoutes({ ...r0, matchers: ["severity critical"] }, r1), item: "route > routes[0]", field: "matchers[0]", message: "cannot parse matcher", all: ['route > routes[0] (severity critical): matchers[0] cannot parse matcher "severity critical" (expected label="value", ops = != =~ !~) [alertmanager/invalid]', 'warning: route > routes[0] (severity critical): repeatInterval 30m is below 1h: alert-storm guard (allowShortIntervals is for test configs only) [alertmanager/interval-short]'] },
  { name: "bad label name in matcher", cfg: withRoutes({ ...r0, matchers: [{ label: "sev-erity", op: "=", value: "x" }] }, r1), item: "route > routes[0]", field: "matchers[0]", message: "not a valid label name", all: ['route > routes[0] (sev-erity="x"): matchers[0] matcher label "sev-erity" is not a valid label name [alertmanager/invalid]', 'warning: route > routes[0] (sev-erity="x"): repeatInterval 30m is below 1h: alert-storm guard (allowShortIntervals is for test configs only) [alertmanager/interval-short]'] },
  { name: "zero repeat interval", cfg: withRoutes({ ...r0, repeatInterval: "0s" }, r1), item: 'route > routes[0] (severity="critical")', field: "repeatInterval", message: "greater than zero", all: ['route > routes[0] (severity="critical"): repeatInterval must be greater than zero [alertmanager/invalid]'] },
  { name: "negative group interval", cfg: withRoutes(r0, { ...r1, groupInterval: "-5m" }), item: 'route > routes[1] (severity="warning")', field: "groupInterval", message: "not a duration", all: ['route > routes[1] (severity="warning"): groupInterval "-5m" is not a duration like "30s", "5m", "4h" [alertmanager/invalid]'] },
  { name: "group_interval below 1m", cfg: withRoutes(r0, { ...r1, groupInterval: "30s" }), item: 'route > routes[1] (severity="warning")', field: "groupInterval", message: "alert-storm guard", all: ['warning: route > routes[1] (severity="warning"): groupInterval 30s is below 1m: alert-storm guard (allowShortIntervals is for test configs only) [alertmanager/interval-short]'] },
  { name: "repeat_interval below 1h on a warning route", cfg: withRoutes(r0, { ...r1, repeatInterval: "30m" }), item: 'route > routes[1] (severity="warning")', field: "repeatInterval", message: "below 1h", all: ['warning: route > routes[1] (severity="warning"): repeatInterval 30m is below 1h: alert-storm guard (allowShortIntervals is for test configs only) [alertmanager/interval-short]'] },
  { name: "repeat_interval below 30m on a critical route", cfg: withRoutes({ ...r0, repeatInterval: "10m" }, r1), item: 'route > routes[0] (severity="critical")', field: "repeatInterval", message: "below 30m", all: ['warning: route > routes[0] (severity="critical"): repeatInterval 10m is below 30m for a critical-only route: alert-storm guard (allowShortIntervals is for test configs only) [alertmanager/interval-short]'] },
  { name: "inline Slack webhook URL", cfg: withReceiver(1, { name: "critical", slack: [{ apiUrl: inline("https://hooks.slack.com/services/T0/B0/XXXX") }] }), item: 'receiver "critical" > slack[0]', field: "apiUrl", message: "inline value", all: ['receiver "critical" > slack[0]: apiUrl holds an inline value: pass a secret reference { secret: "<name>" } instead; the value is mounted as a file and never written to alertmanager.yml [alertmanager/secret-inline]'] },
  { name: "Slack hook pasted in a title", cfg: withReceiver(1, { name: "critical", slack: [{ apiUrl: { secret: "s" }, title: "see https://hooks.slack.com/services/T0/B0/X" }] }), item: 'receiver "critical" > slack[0]', field: "title", message: "Slack incoming-webhook URL", all: ['receiver "critical" > slack[0]: title looks like a Slack incoming-webhook URL inline: reference a secret instead (it would be written in clear to alertmanager.yml) [alertmanager/secret-inline]'] },
  { name: "password-like email header", cfg: withReceiver(0, { name: "default", email: [{ to: "t@example.com", headers: { "X-Note": "password=hunter22" } }] }), item: 'receiver "default" > email[0]', field: "headers.X-Note", message: "password or token", all: ['receiver "default" > email[0]: headers.X-Note looks like a password or token assignment inline: reference a secret instead (it would be written in clear to alertmanager.yml) [alertmanager/secret-inline]'] },
  { name: "Authorization email header", cfg: withReceiver(0, { name: "default", email: [{ to: "t@example.com", headers: { Authorization: "Bearer abc" } }] }), item: 'receiver "default" > email[0]', field: "headers.Authorization", message: "credential inline", all: ['receiver "default" > email[0]: headers.Authorization carries a credential inline: email headers are written in clear to alertmanager.yml [alertmanager/secret-inline]'] },
  { name: "webhook URL with a token query", cfg: withReceiver(2, { name: "warning", webhook: [{ url: "https://example.com/hook?token=abcdef123" }] }), item: 'receiver "warning" > webhook[0]', field: "url", message: "bearerToken", all: ['receiver "warning" > webhook[0]: url looks like a URL with a credential in its query: make the URL a secret reference (url: { secret: "<name>" }, mounted as a file and rendered as url_file) or move the credential to bearerToken [alertmanager/secret-inline]'] },
  { name: "webhook URL with user:password", cfg: withReceiver(2, { name: "warning", webhook: [{ url: "https://bot:s3cret@example.com/hook" }] }), item: 'receiver "warning" > webhook[0]', field: "url", message: "password", all: ['receiver "warning" > webhook[0]: url looks like a URL with a password in it: make the URL a secret reference (url: { secret: "<name>" }, mounted as a file and rendered as url_file) or move the credential to bearerToken [alertmanager/secret-inline]'] },
  { name: "SMTP password inline", cfg: { ...base, global: { smtp: { smarthost: "smtp.example.com:587", from: "a@example.com", authUsername: "am", authPassword: inline("hunter2") } } }, item: "global.smtp", field: "authPassword", message: "inline value", all: ['global.smtp: authPassword holds an inline value: pass a secret reference { secret: "<name>" } instead; the value is mounted as a file and never written to alertmanager.yml [alertmanager/secret-inline]'] },
  { name: "bad secret name", cfg: withReceiver(1, { name: "critical", pagerduty: [{ routingKey: { secret: "PD Key" } }] }), item: 'receiver "critical" > pagerduty[0]', field: "routingKey", message: "must match", all: ['receiver "critical" > pagerduty[0]: routingKey secret name "PD Key" must match ^[a-z0-9][a-z0-9_-]*$ [alertmanager/invalid]'] },
  { name: "pagerduty with both keys", cfg: withReceiver(1, { name: "critical", pagerduty: [{ routingKey: { secret: "a" }, serviceKey: { secret: "b" } }] }), item: 'receiver "critical" > pagerduty[0]', field: "routingKey", message: "exactly one", all: ['receiver "critical" > pagerduty[0]: routingKey set exactly one of routingKey (Events API v2) and serviceKey (v1) [alertmanager/invalid]'] },
  { name: "email without smarthost", cfg: { ...base, global: {} }, item: 'receiver "default" > email[0]', field: "smtp.smarthost", message: "not set", all: ['receiver "default" > email[0]: smtp.smarthost is not set here nor in global.smtp [alertmanager/invalid]', 'receiver "default" > email[0]: smtp.from is not set here nor in global.smtp [alertmanager/invalid]'] },
  { name: "severity the rules use but no route handles", cfg: base, ctx: { severities: ["critical", "warning", "info"] }, item: "route", field: "routes", message: 'severity="info"', all: ['route: routes no route handles severity="info", which the alert rules use: such alerts fall through to the root receiver "default" [alertmanager/severity-unroutable]'] },
  { name: "unknown mute interval", cfg: withRoutes({ ...r0, muteTimeIntervals: ["nights"] }, r1), item: 'route > routes[0] (severity="critical")', field: "muteTimeIntervals", message: 'unknown time interval "nights"', all: ['route > routes[0] (severity="critical"): muteTimeIntervals refers to unknown time interval "nights" [alertmanager/invalid]'] },
  { name: "weekday range wrapping the week", cfg: { ...withRoutes(r0, { ...r1, muteTimeIntervals: ["weekend"] }), timeIntervals: [{ name: "weekend", periods: [{ weekdays: [["saturday", "sunday"]], location: "UTC" }] }] }, item: 'time interval "weekend"', field: "periods[0].weekdays[0]", message: "wraps the week", all: ['time interval "weekend": periods[0].weekdays[0] saturday:sunday wraps the week (Sunday is day 0): list ["saturday", "saturday"] and ["sunday", "sunday"] instead [alertmanager/invalid]'] },
  { name: "days_of_month negative start, positive end", cfg: { ...withRoutes(r0, { ...r1, muteTimeIntervals: ["eom"] }), timeIntervals: [{ name: "eom", periods: [{ daysOfMonth: [[-3, 5]], location: "UTC" }] }] }, item: 'time interval "eom"', field: "periods[0].daysOfMonth[0]", message: "must be negative", all: ['time interval "eom": periods[0].daysOfMonth[0] -3:5: the end must be negative when the start is [alertmanager/invalid]'] },
  { name: "times end before start", cfg: { ...withRoutes(r0, { ...r1, muteTimeIntervals: ["n"] }), timeIntervals: [{ name: "n", periods: [{ times: [{ start: "22:00", end: "06:00" }], location: "UTC" }] }] }, item: 'time interval "n"', field: "periods[0].times[0]", message: "before end", all: ['time interval "n": periods[0].times[0] start 22:00 must be before end 06:00 (ranges cannot wrap midnight: split them) [alertmanager/invalid]'] },
  { name: "unknown time zone", cfg: { ...withRoutes(r0, { ...r1, muteTimeIntervals: ["n"] }), timeIntervals: [{ name: "n", periods: [{ weekdays: ["sunday"], location: "Mars/Olympus" }] }] }, item: 'time interval "n"', field: "periods[0].location", message: "IANA", all: ['time interval "n": periods[0].location "Mars/Olympus" is not an IANA time zone (e.g. "Europe/Berlin"; "Local" is not reproducible) [alertmanager/invalid]'] },
  { name: "inhibit rule with empty source", cfg: { ...base, inhibitRules: [{ name: "oops", sourceMatchers: [], targetMatchers: ['severity="warning"'] }] }, item: "inhibitRules[0] (oops)", field: "sourceMatchers", message: "is empty", all: ['warning: inhibitRules[0] (oops): sourceMatchers is empty: every alert inhibits [alertmanager/inhibit-matchers]'] },
  { name: "inhibit rule with bad regex", cfg: { ...base, inhibitRules: [{ sourceMatchers: ['severity=~"crit[ical"'], targetMatchers: ['severity="warning"'] }] }, item: "inhibitRules[0]", field: "sourceMatchers[0]", message: "invalid regex", all: ['inhibitRules[0]: sourceMatchers[0] matcher severity=~"crit[ical": invalid regex: missing closing ] [alertmanager/invalid]'] },
  { name: "group_by with ... and others", cfg: { ...base, route: { ...base.route, groupBy: ["...", "alertname"] } }, item: "route", field: "groupBy", message: '"..."', all: ['route: groupBy "..." (group by all labels) must be the only entry [alertmanager/invalid]'] },
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

describe("validateAlertmanagerConfig: bad input, every issue at the default levels", () => {
  it.each(bad)("$name", (c) => {
    expect(validateAlertmanagerConfig(c.cfg, c.ctx ?? {}).map(formatIssue)).toEqual(c.all);
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

const ti = (name: string, periods: NonNullable<AlertmanagerConfig["timeIntervals"]>[number]["periods"]) => ({ name, periods });
const NIGHTS = [{ times: [{ start: "00:00", end: "06:00" }], location: "UTC" }];
/** More configs, each with every issue it gets at the default levels (and none for the ones that must pass). */
const more: [name: string, cfg: AlertmanagerConfig, all: string[], ctx?: ValidationContext][] = [
  ["a route after a catch-all sibling", withRoutes({ receiver: "critical" }, r1), ['warning: route: routes[1] can never match: routes[0] has no matchers and no continue, so it takes every alert first [alertmanager/route-unreachable]']],
  ["a catch-all with continue is not a catch-all", withRoutes({ receiver: "critical", continue: true }, r1), []],
  ["the last route may catch all", withRoutes(r0, { receiver: "warning" }), []],
  ["a dev stack routing to pagerduty", base, ['warning: receiver "critical": pagerduty pages people from a dev stack; route dev alerts to a non-paging receiver [alertmanager/dev-pages]'], { environment: "dev" }],
  ["a dev stack routing to opsgenie", withReceiver(1, { name: "critical", opsgenie: [{ apiKey: { secret: "og" } }] }), ['warning: receiver "critical": opsgenie pages people from a dev stack; route dev alerts to a non-paging receiver [alertmanager/dev-pages]'], { environment: "dev" }],
  ["a dev stack with an unused paging receiver", { ...base, receivers: [...base.receivers, { name: "spare", pagerduty: [{ routingKey: { secret: "pd2" } }] }] }, ['warning: receiver "spare" is not used by any route [alertmanager/receiver-unused]', 'warning: receiver "critical": pagerduty pages people from a dev stack; route dev alerts to a non-paging receiver [alertmanager/dev-pages]'], { environment: "dev" }],
  ["prod severities all routed", base, [], { severities: ["critical", "warning"] }],
  ["an unroutable severity is not checked while the config is invalid", withRoutes({ ...r0, receiver: "pager" }, r1), ['route > routes[0] (severity="critical"): receiver refers to unknown receiver "pager" (known: critical, default, warning) [alertmanager/invalid]', 'warning: receiver "critical" is not used by any route [alertmanager/receiver-unused]'], { severities: ["info"] }],
  ["an unused receiver", { ...base, receivers: [...base.receivers, { name: "spare" }] }, ['warning: receiver "spare" is not used by any route [alertmanager/receiver-unused]']],
  ["group_by naming a label twice", { ...base, route: { ...base.route, groupBy: ["alertname", "alertname"] } }, ['route: groupBy lists "alertname" twice [alertmanager/invalid]']],
  ["group_by with a non-label", { ...base, route: { ...base.route, groupBy: ["alert-name"] } }, ['route: groupBy "alert-name" is not a label name [alertmanager/invalid]']],
  ["group_by of ... alone", { ...base, route: { ...base.route, groupBy: ["..."] } }, []],
  ["a zero group_wait is allowed", withRoutes({ ...r0, groupWait: "0s" }, r1), []],
  ["a zero group_interval", withRoutes(r0, { ...r1, groupInterval: "0s" }), ['route > routes[1] (severity="warning"): groupInterval must be greater than zero [alertmanager/invalid]']],
  ["group_interval of exactly 1m", withRoutes(r0, { ...r1, groupInterval: "1m" }), []],
  ["repeat_interval of exactly 1h", withRoutes(r0, { ...r1, repeatInterval: "1h" }), []],
  ["repeat_interval of 59m on a warning route", withRoutes(r0, { ...r1, repeatInterval: "59m" }), ['warning: route > routes[1] (severity="warning"): repeatInterval 59m is below 1h: alert-storm guard (allowShortIntervals is for test configs only) [alertmanager/interval-short]']],
  ["repeat_interval of 29m on a critical route", withRoutes({ ...r0, repeatInterval: "29m" }, r1), ['warning: route > routes[0] (severity="critical"): repeatInterval 29m is below 30m for a critical-only route: alert-storm guard (allowShortIntervals is for test configs only) [alertmanager/interval-short]']],
  ["a critical parent lets its child repeat every 30m", withRoutes({ ...r0, routes: [{ matchers: ['team="db"'], repeatInterval: "30m" }] }, r1), []],
  ["severity=~critical|warning is not critical-only", withRoutes({ ...r0, matchers: ['severity=~"critical|warning"'] }, r1), ['warning: route > routes[0] (severity=~"critical|warning"): repeatInterval 30m is below 1h: alert-storm guard (allowShortIntervals is for test configs only) [alertmanager/interval-short]']],
  ["short intervals allowed for tests", withRoutes(r0, { ...r1, groupInterval: "1s", repeatInterval: "1s" }), [], { allowShortIntervals: true }],
  ["a heartbeat route", withRoutes({ receiver: "warning", matchers: ['alertname="Watchdog"'], heartbeat: true, repeatInterval: "1m", groupInterval: "1m" }, r0, r1), []],
  ["a heartbeat re-sent under 1m", withRoutes({ receiver: "warning", matchers: ['alertname="Watchdog"'], heartbeat: true, repeatInterval: "30s" }, r0, r1), ['warning: route > routes[0] (alertname="Watchdog"): repeatInterval 30s is below 1m: a heartbeat is re-sent at most once per group interval (≥ 1m) anyway [alertmanager/interval-short]']],
  ["a heartbeat route without matchers, with a child", withRoutes({ receiver: "warning", heartbeat: true, routes: [{ matchers: ['a="b"'] }] }, r0, r1), ['warning: route: routes[1] can never match: routes[0] has no matchers and no continue, so it takes every alert first [alertmanager/route-unreachable]', 'route > routes[0]: heartbeat needs matchers that select only the heartbeat alert (e.g. alertname="Watchdog"): every alert it takes is re-sent every few minutes [alertmanager/heartbeat-route]', 'route > routes[0]: routes a heartbeat route takes no child routes (their repeat intervals would escape the alert-storm guard) [alertmanager/heartbeat-route]']],
  ["a heartbeat to a receiver without integrations (prod)", { ...withRoutes({ receiver: "nobody", matchers: ['alertname="Watchdog"'], heartbeat: true }, r0, r1), receivers: [...base.receivers, { name: "nobody" }] }, ["warning: route > routes[0] (alertname=\"Watchdog\"): receiver sends the always-firing heartbeat to receiver \"nobody\", which has no integrations: nobody notices if alerting stops. Route it to a dead man's switch, a webhook that pages when the pings stop (`deadMansSwitch` in the routing presets) [alertmanager/heartbeat-unwatched]"]],
  ["a heartbeat to a receiver without integrations (dev)", { ...withRoutes({ receiver: "nobody", matchers: ['alertname="Watchdog"'], heartbeat: true }, r0, r1), receivers: [...base.receivers, { name: "nobody" }] }, ['warning: receiver "critical": pagerduty pages people from a dev stack; route dev alerts to a non-paging receiver [alertmanager/dev-pages]'], { environment: "dev" }],
  ["a heartbeat on the root route", { ...base, route: { ...base.route, heartbeat: true } }, ['route: heartbeat needs matchers that select only the heartbeat alert (e.g. alertname="Watchdog"): every alert it takes is re-sent every few minutes [alertmanager/heartbeat-route]', 'route: routes a heartbeat route takes no child routes (their repeat intervals would escape the alert-storm guard) [alertmanager/heartbeat-route]']],
  ["an inhibit rule without targets", { ...base, inhibitRules: [{ sourceMatchers: ['severity="critical"'], targetMatchers: [] }] }, ['warning: inhibitRules[0]: targetMatchers is empty: every alert can be inhibited [alertmanager/inhibit-matchers]']],
  ["an inhibit rule equal on a non-label", { ...base, inhibitRules: [{ name: "i", sourceMatchers: ['severity="critical"'], targetMatchers: ['severity="warning"'], equal: ["alertname", "a-b"] }] }, ['inhibitRules[0] (i): equal "a-b" is not a label name [alertmanager/invalid]']],
  ["an inhibit rule with a bad target", { ...base, inhibitRules: [{ sourceMatchers: ['severity="critical"'], targetMatchers: ['x'] }] }, ['inhibitRules[0]: targetMatchers[0] cannot parse matcher "x" (expected label="value", ops = != =~ !~) [alertmanager/invalid]']],
  ["a time interval defined twice", { ...withRoutes({ ...r0, muteTimeIntervals: ["n"] }, r1), timeIntervals: [ti("n", NIGHTS), ti("n", NIGHTS)] }, ['time interval "n": name is defined more than once [alertmanager/invalid]']],
  ["a time interval without a name", { ...base, timeIntervals: [ti("", NIGHTS)] }, ['timeIntervals[0]: name is required [alertmanager/invalid]']],
  ["a time interval without periods", { ...withRoutes({ ...r0, muteTimeIntervals: ["n"] }, r1), timeIntervals: [ti("n", [])] }, ['time interval "n": periods must list at least one period [alertmanager/invalid]']],
  ["a time interval nobody uses", { ...base, timeIntervals: [ti("n", NIGHTS)] }, ['warning: time interval "n" is not used by any route [alertmanager/time-interval-unused]']],
  ["an active interval in use", { ...withRoutes({ ...r0, activeTimeIntervals: ["n"] }, r1), timeIntervals: [ti("n", NIGHTS)] }, []],
  ["an unknown active interval", withRoutes({ ...r0, activeTimeIntervals: ["n"] }, r1), ['route > routes[0] (severity="critical"): activeTimeIntervals refers to unknown time interval "n" [alertmanager/invalid]']],
  ["a period without a location", { ...withRoutes({ ...r0, muteTimeIntervals: ["n"] }, r1), timeIntervals: [ti("n", [{ times: [{ start: "00:00", end: "06:00" }] }, { weekdays: ["sunday"] }, { daysOfMonth: [1] }, { months: ["january"] }])] }, ['warning: time interval "n": periods[0].location is unset: Alertmanager then uses its process time zone (UTC in containers); set an IANA zone [alertmanager/time-interval-location]', 'warning: time interval "n": periods[1].location is unset: Alertmanager then uses its process time zone (UTC in containers); set an IANA zone [alertmanager/time-interval-location]', 'warning: time interval "n": periods[2].location is unset: Alertmanager then uses its process time zone (UTC in containers); set an IANA zone [alertmanager/time-interval-location]']],
  ["a resolve timeout of zero", { ...base, global: { ...base.global, resolveTimeout: "0s" } }, ['global: resolveTimeout "0s" must be a positive duration [alertmanager/invalid]']],
  ["a resolve timeout that is no duration", { ...base, global: { ...base.global, resolveTimeout: "5 minutes" } }, ['global: resolveTimeout "5 minutes" must be a positive duration [alertmanager/invalid]']],
  ["a resolve timeout of 5m", { ...base, global: { ...base.global, resolveTimeout: "5m" } }, []],
  ["a blank template path", { ...base, templates: ["/t/*.tmpl", " "] }, ['templates: [1] must be a file path or glob [alertmanager/invalid]']],
];

describe("validateAlertmanagerConfig: case by case, every issue at the default levels", () => {
  it.each(more)("%s", (_name, cfg, all, ctx) => {
    expect(validateAlertmanagerConfig(cfg, ctx ?? {}).map(formatIssue)).toEqual(all);
  });
});
