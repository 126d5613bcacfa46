/**
 * The alertmanager.yml importer inside the tests (import.test.ts imports in a hook, which per-test mutation coverage
 * does not see): a source using every field the importer reads gives the whole typed config, the whole secrets
 * list (names from the item or the `*_file` name, never the value) and the findings; the generated module of a
 * small source is asserted whole; every field it cannot hold is an error at the file and line, and nothing is written.
 */
import { describe, expect, it } from "vitest";
import { formatLocated, importContent } from "../../../core/import";
import { importAlertmanagerDoc, isAlertmanagerConfig } from "../../../core/import/alertmanager";
import { parseSource } from "../../../core/import/source";

const FULL = `global:
  resolve_timeout: 5m
  smtp_smarthost: smtp.example.com:587
  smtp_from: am@example.com
  smtp_auth_username: am
  smtp_auth_password: "smtp-pass-1234"
  smtp_require_tls: true
  slack_api_url_file: /etc/am/slack_global.url
route:
  receiver: default
  group_by: [alertname, job]
  group_wait: 30s
  group_interval: 5m
  repeat_interval: 4h
  routes:
    - { receiver: pager, match: { severity: critical }, match_re: { service: "api|db" }, continue: true, active_time_intervals: [business] }
    - receiver: team
      matchers: ['team="db"', 'env=~"prod|staging"']
      mute_time_intervals: [nights]
      continue: false
      group_by: ['...']
      routes: [{ receiver: hooks, match: { quote: 'say "hi"' } }]
receivers:
  - name: default
    email_configs:
      - to: team@example.com
        from: other@example.com
        smarthost: mail.example.com:25
        auth_username: u
        auth_password_file: /etc/am/mail_pass
        require_tls: false
        headers: { Subject: "Alert", X-Num: 3 }
        html: "<b>x</b>"
        text: plain
        send_resolved: true
  - name: pager
    pagerduty_configs:
      - { routing_key: "0123456789abcdef0123456789abcdef", severity: critical, description: "{{ .CommonAnnotations.summary }}", send_resolved: false }
      - service_key_file: /etc/am/pd-service
  - name: team
    slack_configs:
      - { api_url: "https://hooks.slack.com/services/T0/B0/XYZ", channel: "#db", username: am, title: T, text: X, send_resolved: true }
      - channel: "#other"
    opsgenie_configs: [{ api_key: "og-key-12345", message: M, priority: P1, tags: "a,b", send_resolved: true }]
  - name: hooks
    webhook_configs:
      - url: https://hooks.example.com/plain
        max_alerts: 10
        send_resolved: true
        http_config: { authorization: { type: Bearer, credentials: "tok-abc" } }
      - url: "https://hooks.example.com/x?token=abc123456"
        http_config: { bearer_token_file: /etc/am/hook_token }
      - url_file: /etc/am/hook.url
        http_config: { authorization: { credentials_file: /etc/am/cred } }
inhibit_rules:
  - { source_match: { severity: critical }, target_match_re: { severity: "warning|info" }, equal: [alertname, cluster] }
  - { source_matchers: ['severity="warning"'], target_matchers: ['severity="info"'] }
time_intervals:
  - name: business
    time_intervals:
      - times: [{ start_time: "09:00", end_time: "17:00" }]
        weekdays: ["Monday:Friday", saturday]
        days_of_month: ["1:7", "-3:-1", 15]
        months: ["January:March", "12", december]
        years: ["2024:2026", 2030]
        location: Europe/Berlin
mute_time_intervals:
  - name: nights
    time_intervals: [{ times: [{ start_time: "22:00", end_time: "24:00" }] }]
templates: [/etc/am/templates/*.tmpl]
`;

const FULL_CONFIG = {
  global: {
    resolveTimeout: "5m",
    smtp: { smarthost: "smtp.example.com:587", from: "am@example.com", authUsername: "am", authPassword: { secret: "smtp-password" }, requireTls: true },
    slackApiUrl: { secret: "slack-global" },
  },
  route: {
    receiver: "default",
    groupBy: ["alertname", "job"],
    groupWait: "30s",
    groupInterval: "5m",
    repeatInterval: "4h",
    routes: [
      { receiver: "pager", matchers: ['severity="critical"', 'service=~"api|db"'], continue: true, activeTimeIntervals: ["business"] },
      { receiver: "team", matchers: ['team="db"', 'env=~"prod|staging"'], groupBy: ["..."], muteTimeIntervals: ["nights"], routes: [{ receiver: "hooks", matchers: ['quote="say \\"hi\\""'] }] },
    ],
  },
  receivers: [
    {
      name: "default",
      email: [
        {
          to: "team@example.com",
          smtp: { from: "other@example.com", smarthost: "mail.example.com:25", authUsername: "u", authPassword: { secret: "mail-pass" }, requireTls: false },
          headers: { Subject: "Alert", "X-Num": "3" },
          html: "<b>x</b>",
          text: "plain",
          sendResolved: true,
        },
      ],
    },
    {
      name: "pager",
      pagerduty: [
        { routingKey: { secret: "pager-pagerduty-0-pagerduty-routing-key" }, severity: "critical", description: "{{ .CommonAnnotations.summary }}", sendResolved: false },
        { serviceKey: { secret: "pd-service" } },
      ],
    },
    {
      name: "team",
      slack: [{ apiUrl: { secret: "team-slack-0-slack-url" }, channel: "#db", username: "am", title: "T", text: "X", sendResolved: true }, { channel: "#other" }],
      opsgenie: [{ apiKey: { secret: "team-opsgenie-0-opsgenie-key" }, message: "M", priority: "P1", tags: "a,b", sendResolved: true }],
    },
    {
      name: "hooks",
      webhook: [
        { url: "https://hooks.example.com/plain", bearerToken: { secret: "hooks-webhook-0-webhook-token" }, maxAlerts: 10, sendResolved: true },
        { url: { secret: "hooks-webhook-1-webhook-url" }, bearerToken: { secret: "hook-token" } },
        { url: { secret: "hook" }, bearerToken: { secret: "cred" } },
      ],
    },
  ],
  inhibitRules: [
    { sourceMatchers: ['severity="critical"'], targetMatchers: ['severity=~"warning|info"'], equal: ["alertname", "cluster"] },
    { sourceMatchers: ['severity="warning"'], targetMatchers: ['severity="info"'] },
  ],
  timeIntervals: [
    {
      name: "business",
      periods: [
        {
          times: [{ start: "09:00", end: "17:00" }],
          weekdays: [["monday", "friday"], "saturday"],
          daysOfMonth: [[1, 7], [-3, -1], 15],
          months: [["january", "march"], 12, "december"],
          years: [[2024, 2026], 2030],
          location: "Europe/Berlin",
        },
      ],
    },
    { name: "nights", periods: [{ times: [{ start: "22:00", end: "24:00" }] }] },
  ],
  templates: ["/etc/am/templates/*.tmpl"],
};

const FULL_SECRETS = [
  { name: "smtp-password", where: "global.smtp_auth_password" },
  { name: "slack-global", where: "global.slack_api_url" },
  { name: "mail-pass", where: 'receiver "default" > email_configs[0].auth_password' },
  { name: "pager-pagerduty-0-pagerduty-routing-key", where: 'receiver "pager" > pagerduty_configs[0].routing_key' },
  { name: "pd-service", where: 'receiver "pager" > pagerduty_configs[1].service_key' },
  { name: "team-slack-0-slack-url", where: 'receiver "team" > slack_configs[0].api_url' },
  { name: "team-opsgenie-0-opsgenie-key", where: 'receiver "team" > opsgenie_configs[0].api_key' },
  { name: "hooks-webhook-0-webhook-token", where: 'receiver "hooks" > webhook_configs[0].http_config.authorization.credentials' },
  { name: "hook-token", where: 'receiver "hooks" > webhook_configs[1].http_config.authorization.credentials' },
  { name: "hooks-webhook-1-webhook-url", where: 'receiver "hooks" > webhook_configs[1].url' },
  { name: "cred", where: 'receiver "hooks" > webhook_configs[2].http_config.authorization.credentials' },
  { name: "hook", where: 'receiver "hooks" > webhook_configs[2].url' },
];

const read = (text: string, path = "a.yml") => {
  const r = importContent([{ path, text }], { from: "moncode" });
  return { imported: r.alertmanager.map((a) => a.imported), issues: r.issues.map(formatLocated), modules: r.modules.map((m) => m.path) };
};

describe("alertmanager.yml with every field the importer reads", () => {
  it("gives the whole typed config and secrets; the only finding is the unset location", () => {
    expect(read(FULL, "conf/am.yml")).toEqual({
      imported: [{ config: FULL_CONFIG, secrets: FULL_SECRETS }],
      issues: ['conf/am.yml:68: warning: time interval "nights": periods[0].location is unset: Alertmanager then uses its process time zone (UTC in containers); set an IANA zone [alertmanager/time-interval-location]'],
      modules: ["alertmanager/am.ts"],
    });
  });

  it("reads the same through importAlertmanagerDoc, with no problems, and writes no credential's value", () => {
    const doc = parseSource({ path: "am.yml", text: FULL }).docs[0]!;
    expect(isAlertmanagerConfig(doc.value)).toBe(true);
    const r = importAlertmanagerDoc(doc);
    expect(r).toEqual({ imported: { config: FULL_CONFIG, secrets: FULL_SECRETS }, problems: expect.objectContaining({ issues: [] }) });
    const content = importContent([{ path: "am.yml", text: FULL }]).modules[0]!.content;
    for (const v of ["smtp-pass-1234", "hooks.slack.com", "0123456789abcdef", "og-key-12345", "tok-abc", "token=abc123456", "/etc/am/cred", "mail_pass"]) expect(content).not.toContain(v);
    expect(content).toContain('slackApiUrl: alertmanager.secret("slack-global"),');
  });

  it.each([
    [{ route: {}, receivers: [] }, true],
    [{ route: {}, receivers: {} }, false],
    [{ route: [], receivers: [] }, false],
    [{ receivers: [] }, false],
    [[{ route: {}, receivers: [] }], false],
    [null, false],
  ])("isAlertmanagerConfig(%j) is %s", (v, expected) => expect(isAlertmanagerConfig(v)).toBe(expected));
});

describe("the generated module", () => {
  it("with a secret: the header asks for it, SecretRefs become alertmanager.secret calls", () => {
    const text = `global: { slack_api_url: "https://hooks.slack.com/services/T0/B0/XYZ" }
route:
  receiver: ops
  group_by: [alertname]
  routes: [{ receiver: ops, match: { team: db }, mute_time_intervals: [weekdays] }]
receivers: [{ name: ops, slack_configs: [{ channel: "#ops", send_resolved: true }] }]
time_intervals: [{ name: weekdays, time_intervals: [{ weekdays: ["monday:friday"], location: UTC }] }]
`;
    const r = importContent([{ path: "conf/s.yml", text }], { from: "lib" });
    expect(r.modules.map((m) => [m.path, m.source])).toEqual([["alertmanager/s.ts", "conf/s.yml"]]);
    expect(r.modules[0]!.content).toBe(`/**
 * Imported by \`moncode import\` from conf/s.yml.
 * Edit freely: this module is now the source of truth for this content.
 * Credentials are secret references: their values were not imported. Give AlertRouting a \`secrets: { <name>: <Pulumi secret> }\`
 * entry for each name in \`secrets\` below.
 */
import { alertmanager } from "lib";

/** Secrets the config references (mounted as files, rendered as \`*_file\`), with the field each replaces. */
export const secrets = [{ name: "slack-api-url", replaces: "global.slack_api_url" }] as const;

export const config: alertmanager.AlertmanagerConfig = {
  global: { slackApiUrl: alertmanager.secret("slack-api-url") },
  route: {
    receiver: "ops",
    groupBy: ["alertname"],
    routes: [{ receiver: "ops", matchers: ["team=\\"db\\""], muteTimeIntervals: ["weekdays"] }],
  },
  receivers: [{ name: "ops", slack: [{ channel: "#ops", sendResolved: true }] }],
  timeIntervals: [{ name: "weekdays", periods: [{ weekdays: [["monday", "friday"]], location: "UTC" }] }],
};
`);
  });

  it("without secrets: no credentials note, an empty list; a templated URL is not a credential; the library defaults to moncode", () => {
    const text = 'route: { receiver: x, group_by: [a] }\nreceivers: [{ name: x, webhook_configs: [{ url: "http://h/{{ .GroupKey }}" }] }]\n';
    expect(importContent([{ path: "n.yml", text }]).modules[0]!.content).toBe(`/**
 * Imported by \`moncode import\` from n.yml.
 * Edit freely: this module is now the source of truth for this content.
 */
import { alertmanager } from "moncode";

/** Secrets the config references (mounted as files, rendered as \`*_file\`), with the field each replaces. */
export const secrets = [] as const;

export const config: alertmanager.AlertmanagerConfig = {
  route: { receiver: "x", groupBy: ["a"] },
  receivers: [{ name: "x", webhook: [{ url: "http://h/{{ .GroupKey }}" }] }],
};
`);
  });
});

describe("details of reading", () => {
  const R = "route: { receiver: x, group_by: [a] }\n";
  it.each([
    ["secrets from files of one name are numbered", `${R}receivers:\n  - name: x\n    slack_configs: [{ api_url_file: /a/key, channel: c }, { api_url_file: /b/key, channel: d }, { api_url_file: /c/key.txt, channel: e }]\n`,
      { route: { receiver: "x", groupBy: ["a"] }, receivers: [{ name: "x", slack: [{ apiUrl: { secret: "key" }, channel: "c" }, { apiUrl: { secret: "key-2" }, channel: "d" }, { apiUrl: { secret: "key-3" }, channel: "e" }] }] },
      [{ name: "key", where: 'receiver "x" > slack_configs[0].api_url' }, { name: "key-2", where: 'receiver "x" > slack_configs[1].api_url' }, { name: "key-3", where: 'receiver "x" > slack_configs[2].api_url' }]],
    ["non-boolean flags and a non-number max_alerts are dropped; bearer in any case; an empty global is left out", `global: {}\n${R}receivers:\n  - name: x\n    email_configs: [{ to: a@b.c, from: f@b.c, smarthost: "h:25", require_tls: "yes", send_resolved: "no" }]\n    webhook_configs: [{ url: "http://h/", max_alerts: "3", send_resolved: 1, http_config: { authorization: { type: bearer, credentials: c } } }]\n`,
      { route: { receiver: "x", groupBy: ["a"] }, receivers: [{ name: "x", email: [{ to: "a@b.c", smtp: { from: "f@b.c", smarthost: "h:25" } }], webhook: [{ url: "http://h/", bearerToken: { secret: "x-webhook-0-webhook-token" } }] }] },
      [{ name: "x-webhook-0-webhook-token", where: 'receiver "x" > webhook_configs[0].http_config.authorization.credentials' }]],
    ["continue only when true; numbers read as text; a range of three parts stays one value", `route: { receiver: 7, group_by: [a], routes: [{ receiver: 7, continue: "true", group_wait: 30 }] }\nreceivers: [{ name: 7 }]\ntime_intervals: [{ name: t, time_intervals: [{ weekdays: [Sunday], days_of_month: [3], years: ["2030"], months: ["a:b:c"], location: UTC }] }]\n`,
      { route: { receiver: "7", groupBy: ["a"], routes: [{ receiver: "7", groupWait: "30" }] }, receivers: [{ name: "7" }], timeIntervals: [{ name: "t", periods: [{ weekdays: ["sunday"], daysOfMonth: [3], years: [2030], months: ["a:b:c"], location: "UTC" }] }] },
      []],
    ["entries that are not maps are skipped; a null header is empty; a receiver named twice shares its item's secret", "route: { receiver: x, group_by: [a], routes: [s, { receiver: x }] }\nreceivers:\n  - s\n  - name: x\n    email_configs: [s, { to: a@b.c, headers: { X: null } }]\n    slack_configs: [{ api_url: 'http://a/' }]\n  - name: x\n    slack_configs: [{ api_url: 'http://b/' }]\ninhibit_rules: [s, {}]\ntime_intervals: [s, { name: t, time_intervals: [s, { times: [s, { start_time: '01:00', end_time: '02:00' }] }] }]\nmute_time_intervals: {}\n",
      {
        route: { receiver: "x", groupBy: ["a"], routes: [{ receiver: "x" }] },
        receivers: [{ name: "x", email: [{ to: "a@b.c", headers: { X: "" } }], slack: [{ apiUrl: { secret: "x-slack-0-slack-url" } }] }, { name: "x", slack: [{ apiUrl: { secret: "x-slack-0-slack-url" } }] }],
        inhibitRules: [{ sourceMatchers: [], targetMatchers: [] }],
        timeIntervals: [{ name: "t", periods: [{ times: [{ start: "01:00", end: "02:00" }] }] }],
      },
      [{ name: "x-slack-0-slack-url", where: 'receiver "x" > slack_configs[0].api_url' }]],
  ])("%s", (_name, text, config, secrets) => {
    const doc = parseSource({ path: "d.yml", text }).docs[0]!;
    expect(importAlertmanagerDoc(doc)).toEqual({ imported: { config, secrets }, problems: expect.objectContaining({ issues: [] }) });
  });
});

describe("bad input is refused at its line, and nothing is written", () => {
  const R = "route: { receiver: x, group_by: [a] }\n";
  const X = "receivers: [{ name: x }]\n";
  const rx = (body: string) => `${R}receivers:\n  - name: x\n${body}`;
  const inv = "[alertmanager/invalid]";
  it.each([
    ["an unknown top-level key", `${R}${X}foo: 1\n`, [`a.yml:3: alertmanager.yml: foo is not a field moncode can import here ${inv}`]],
    ["global fields moncode cannot hold", `global:\n  smtp_hello: h\n  opsgenie_api_key: k\n${R}${X}`, [`a.yml:2: global: smtp_hello is not a field moncode can import here ${inv}`, `a.yml:3: global: opsgenie_api_key is not a field moncode can import here ${inv}`]],
    ["SMTP without a smarthost", `global:\n  smtp_from: a@b\n${R}${X}`, [`a.yml:2: global: smtp_smarthost SMTP settings need both smtp_smarthost and smtp_from here ${inv}`, `a.yml:2: global.smtp: smarthost must be host:port, got "" ${inv}`]],
    ["only an SMTP password", `global:\n  smtp_auth_password_file: /p\n${R}${X}`, [`a.yml:2: global: smtp_smarthost SMTP settings need both smtp_smarthost and smtp_from here ${inv}`, "a.yml:2: warning: global.smtp: authUsername is not set while authPassword is: Alertmanager sends without authenticating [alertmanager/smtp-password-without-username]", `a.yml:2: global.smtp: smarthost must be host:port, got "" ${inv}`, `a.yml:2: global.smtp: from is required ${inv}`]],
    ["an unknown key two routes deep", `route:\n  receiver: x\n  group_by: [a]\n  routes:\n    - receiver: x\n      routes:\n        - receiver: x\n          group: a\n${X}`, [`a.yml:8: route > routes[0] > routes[0]: group is not a field moncode can import here ${inv}`]],
    ["matchers that are not a list", `route:\n  receiver: x\n  group_by: [a]\n  matchers: 'a="b"'\n${X}`, [`a.yml:4: route: matchers must be a list of matcher strings ${inv}`]],
    ["an unknown route receiver", `route:\n  receiver: x\n  group_by: [a]\n  routes:\n    - receiver: nope\n${X}`, [`a.yml:5: route > routes[0]: receiver refers to unknown receiver "nope" (known: x) ${inv}`]],
    ["an integration moncode cannot hold", rx("    telegram_configs: [{ chat_id: 1 }]\n"), [`a.yml:4: receiver "x": telegram_configs is not an integration moncode can import (email, slack, pagerduty, webhook, opsgenie) ${inv}`]],
    ["an email field", rx("    email_configs:\n      - { to: a@b.c, from: f@b.c, smarthost: 'h:25' }\n      - to: a@b.c\n        tls_config: {}\n"), [`a.yml:7: receiver "x" > email_configs[1]: tls_config is not a field moncode can import here ${inv}`, `a.yml:3: receiver "x" > email[1]: smtp.smarthost is not set here nor in global.smtp ${inv}`, `a.yml:3: receiver "x" > email[1]: smtp.from is not set here nor in global.smtp ${inv}`]],
    ["an email without to", rx("    email_configs: [{ from: a@b, smarthost: 'h:25' }]\n"), [`a.yml:3: receiver "x" > email[0]: to must be an email address, got "" ${inv}`]],
    ["a header that is a list, and a match value that is a mapping", `route:\n  receiver: x\n  group_by: [a]\n  routes:\n    - receiver: x\n      match: { team: { a: b } }\nreceivers:\n  - name: x\n    email_configs:\n      - { to: a@b.c, from: f@b.c, smarthost: 'h:25', headers: { X: [a, b] } }\n`,
      [`a.yml:6: route > routes[0]: match.team must be a string, not a mapping ${inv}`, `a.yml:10: receiver "x" > email_configs[0]: headers.X must be a string, not a list ${inv}`]],
    ["a slack field, and no URL anywhere", rx("    slack_configs:\n      - channel: c\n        actions: []\n"), [`a.yml:6: receiver "x" > slack_configs[0]: actions is not a field moncode can import here ${inv}`, `a.yml:3: receiver "x" > slack[0]: apiUrl is not set here nor in global.slackApiUrl ${inv}`]],
    ["a pagerduty field", rx("    pagerduty_configs:\n      - routing_key_file: /k\n        client: c\n"), [`a.yml:6: receiver "x" > pagerduty_configs[0]: client is not a field moncode can import here ${inv}`]],
    ["webhook fields and a Basic authorization", rx("    webhook_configs:\n      - url: http://h/\n        timeout: 5s\n        http_config:\n          basic_auth: { username: u }\n          authorization: { type: Basic, credentials: c, scheme: s }\n"),
      [`a.yml:6: receiver "x" > webhook_configs[0]: timeout is not a field moncode can import here ${inv}`, `a.yml:8: receiver "x" > webhook_configs[0]: http_config.basic_auth is not a field moncode can import here ${inv}`, `a.yml:9: receiver "x" > webhook_configs[0]: http_config.authorization.scheme is not a field moncode can import here ${inv}`, `a.yml:9: receiver "x" > webhook_configs[0]: http_config.authorization.type only Bearer is supported ${inv}`]],
    ["a webhook without url", rx("    webhook_configs: [{ max_alerts: 1 }]\n"), [`a.yml:3: receiver "x" > webhook[0]: url must be an http(s) URL, got "" ${inv}`]],
    ["an opsgenie field", rx("    opsgenie_configs:\n      - api_key_file: /k\n        responders: []\n"), [`a.yml:6: receiver "x" > opsgenie_configs[0]: responders is not a field moncode can import here ${inv}`]],
    ["an opsgenie without key", rx("    opsgenie_configs: [{ message: m }]\n"), [`a.yml:3: receiver "x" > opsgenie[0]: apiKey is required (a secret reference) ${inv}`]],
    ["a receiver named twice", `${R}receivers:\n  - name: x\n  - name: x\n`, [`a.yml:4: receiver "x": name is defined more than once ${inv}`]],
    ["an inhibit rule field, and source matchers not a list", `${R}${X}inhibit_rules:\n  - source_matchers: 'a="b"'\n    target_matchers: ['c="d"']\n    source: x\n`,
      [`a.yml:6: inhibitRules[0]: source is not a field moncode can import here ${inv}`, `a.yml:4: inhibitRules[0]: source_matchers must be a list of matcher strings ${inv}`, "a.yml:4: warning: inhibitRules[0]: sourceMatchers is empty: every alert inhibits [alertmanager/inhibit-matchers]"]],
    ["time interval fields", `${R}${X}time_intervals:\n  - name: t\n    every: x\n    time_intervals:\n      - weekdays: [monday]\n        location: UTC\n        hours: x\nmute_time_intervals:\n  - name: m\n    time_intervals: [{ location: UTC, minutes: 1 }]\n`,
      [`a.yml:5: time interval "t": every is not a field moncode can import here ${inv}`, `a.yml:9: time interval "t": time_intervals[0].hours is not a field moncode can import here ${inv}`, `a.yml:12: time interval "m": time_intervals[0].minutes is not a field moncode can import here ${inv}`, 'a.yml:4: warning: time interval "t" is not used by any route [alertmanager/time-interval-unused]', 'a.yml:11: warning: time interval "m" is not used by any route [alertmanager/time-interval-unused]']],
    ["a weekday range that wraps the week", `route: { receiver: x, group_by: [a], routes: [{ receiver: x, mute_time_intervals: [w] }] }\n${X}time_intervals: [{ name: w, time_intervals: [{ weekdays: ["saturday:sunday"], location: UTC }] }]\n`,
      [`a.yml:3: time interval "w": periods[0].weekdays[0] saturday:sunday wraps the week (Sunday is day 0): list ["saturday", "saturday"] and ["sunday", "sunday"] instead ${inv}`]],
    ["a root route without receiver", "route: { group_by: [a] }\nreceivers: []\n", [`a.yml:1: route: receiver is required on the root route (it catches every alert no other route takes) ${inv}`]],
  ])("%s", (_name, text, issues) => {
    const r = read(text);
    expect({ issues: r.issues, modules: r.modules }).toEqual({ issues, modules: [] });
  });
});

describe("time intervals, at their lines", () => {
  it("a time without end_time is refused in Alertmanager's words (amtool: the same), not read as the text undefined", () => {
    const text = 'route: { receiver: x, group_by: [a] }\nreceivers:\n  - name: x\ntime_intervals:\n  - name: t\n    time_intervals:\n      - times: [{ start_time: "01:00" }]\n        location: UTC\n';
    const r = importContent([{ path: "a.yml", text }], { from: "moncode" });
    expect(r.issues.map(formatLocated)).toEqual([
      'a.yml:7: time interval "t": time_intervals[0].times[0] needs start_time and end_time (Alertmanager: "both start and end times must be provided") [alertmanager/invalid]',
      'a.yml:5: warning: time interval "t" is not used by any route [alertmanager/time-interval-unused]',
    ]);
    expect(r.modules).toEqual([]);
  });
});
