/**
 * alertmanager.yml's data for a config that sets every field the model has, asserted whole: each field's snake_case
 * name, the `*_file` path of each secret, matchers in the list form, ranges as `a:b`. amtool reads the rendered file
 * in amtool.test.ts; this pins what is written. Pure, so the mutation suite runs it.
 */
import { describe, expect, it } from "vitest";
import type { AlertmanagerConfig } from "../../../core/alertmanager/model";
import { alertmanagerConfigData, renderAlertmanagerConfig } from "../../../core/alertmanager/render";
import { ValidationError } from "../../../core/validation";

const S = "/etc/alertmanager/secrets";
const full: AlertmanagerConfig = {
  global: {
    resolveTimeout: "5m",
    smtp: { smarthost: "smtp.example.com:587", from: "am@example.com", authUsername: "am", authPassword: { secret: "smtp-password" }, requireTls: false },
    slackApiUrl: { secret: "slack-url" },
  },
  route: {
    receiver: "default", groupBy: ["alertname"], groupWait: "10s", groupInterval: "5m", repeatInterval: "4h",
    routes: [
      {
        receiver: "critical", matchers: [{ label: "severity", op: "=", value: "critical" }, 'team=~"db|api"'], continue: true, groupBy: [],
        muteTimeIntervals: ["nights"], activeTimeIntervals: ["workdays"], repeatInterval: "30m",
        routes: [{ receiver: "warning", matchers: ['x!="y"'] }],
      },
      { receiver: "warning", continue: false, muteTimeIntervals: [], activeTimeIntervals: [], routes: [] },
    ],
  },
  receivers: [
    {
      name: "default",
      email: [{ to: "team@example.com", smtp: { smarthost: "mx:25", from: "x@example.com", authUsername: "u", authPassword: { secret: "mx-pass" }, requireTls: true }, headers: { Subject: "s", A: "1" }, html: "<b>h</b>", text: "t", sendResolved: true }],
    },
    {
      name: "critical",
      slack: [{ apiUrl: { secret: "slack-webhook" }, channel: "#c", username: "am", title: "T", text: "X", sendResolved: true }],
      pagerduty: [{ routingKey: { secret: "pd-key" }, severity: "critical", description: "d", sendResolved: false }, { serviceKey: { secret: "pd-v1" } }],
      opsgenie: [{ apiKey: { secret: "og-key" }, message: "m", priority: "P1", tags: "a,b", sendResolved: true }],
    },
    {
      name: "warning",
      webhook: [{ url: "http://hooks:8080/a", bearerToken: { secret: "hook-token" }, maxAlerts: 10, sendResolved: false }, { url: { secret: "hook-url" } }],
    },
  ],
  inhibitRules: [
    { name: "crit-over-warn", sourceMatchers: ['severity="critical"'], targetMatchers: [{ label: "severity", op: "=~", value: "warning|info" }], equal: ["alertname", "service"] },
    { sourceMatchers: ['alertname="Down"'], targetMatchers: ['alertname!="Down"'] },
  ],
  timeIntervals: [
    { name: "nights", periods: [{ times: [{ start: "00:00", end: "06:00" }], location: "Europe/Berlin" }] },
    { name: "workdays", periods: [{ weekdays: [["monday", "friday"], "saturday"], daysOfMonth: [[1, 5], -1], months: ["january", ["march", "april"]], years: [[2026, 2027], 2030], location: "UTC" }] },
  ],
  templates: ["/etc/alertmanager/templates/*.tmpl"],
};

describe("alertmanagerConfigData", () => {
  it("writes every field, secrets as files", () => {
    expect(alertmanagerConfigData(full, S)).toEqual({
      global: {
        resolve_timeout: "5m", smtp_smarthost: "smtp.example.com:587", smtp_from: "am@example.com", smtp_auth_username: "am",
        smtp_auth_password_file: `${S}/smtp-password`, smtp_require_tls: false, slack_api_url_file: `${S}/slack-url`,
      },
      route: {
        receiver: "default", group_by: ["alertname"], group_wait: "10s", group_interval: "5m", repeat_interval: "4h",
        routes: [
          {
            receiver: "critical", matchers: ['severity="critical"', 'team=~"db|api"'], group_by: [], continue: true, repeat_interval: "30m",
            mute_time_intervals: ["nights"], active_time_intervals: ["workdays"],
            routes: [{ receiver: "warning", matchers: ['x!="y"'] }],
          },
          { receiver: "warning" },
        ],
      },
      receivers: [
        {
          name: "default",
          email_configs: [{
            to: "team@example.com", from: "x@example.com", smarthost: "mx:25", auth_username: "u", auth_password_file: `${S}/mx-pass`, require_tls: true,
            headers: { A: "1", Subject: "s" }, html: "<b>h</b>", text: "t", send_resolved: true,
          }],
        },
        {
          name: "critical",
          slack_configs: [{ api_url_file: `${S}/slack-webhook`, channel: "#c", username: "am", title: "T", text: "X", send_resolved: true }],
          pagerduty_configs: [
            { routing_key_file: `${S}/pd-key`, severity: "critical", description: "d", send_resolved: false },
            { service_key_file: `${S}/pd-v1` },
          ],
          opsgenie_configs: [{ api_key_file: `${S}/og-key`, message: "m", priority: "P1", tags: "a,b", send_resolved: true }],
        },
        {
          name: "warning",
          webhook_configs: [
            { url: "http://hooks:8080/a", http_config: { authorization: { type: "Bearer", credentials_file: `${S}/hook-token` } }, max_alerts: 10, send_resolved: false },
            { url_file: `${S}/hook-url` },
          ],
        },
      ],
      inhibit_rules: [
        { source_matchers: ['severity="critical"'], target_matchers: ['severity=~"warning|info"'], equal: ["alertname", "service"] },
        { source_matchers: ['alertname="Down"'], target_matchers: ['alertname!="Down"'] },
      ],
      time_intervals: [
        { name: "nights", time_intervals: [{ times: [{ start_time: "00:00", end_time: "06:00" }], location: "Europe/Berlin" }] },
        {
          name: "workdays",
          time_intervals: [{ weekdays: ["monday:friday", "saturday"], days_of_month: ["1:5", "-1"], months: ["january", "march:april"], years: ["2026:2027", "2030"], location: "UTC" }],
        },
      ],
      templates: ["/etc/alertmanager/templates/*.tmpl"],
    });
  });

  it("leaves out what is not set: no global section, no inhibit rules, intervals or templates", () => {
    const cfg: AlertmanagerConfig = { route: { receiver: "r" }, receivers: [{ name: "r" }] };
    expect(alertmanagerConfigData(cfg, S)).toEqual({ route: { receiver: "r" }, receivers: [{ name: "r" }] });
    expect(alertmanagerConfigData({ ...cfg, global: {} }, S)).toEqual({ route: { receiver: "r" }, receivers: [{ name: "r" }] });
  });
});

describe("renderAlertmanagerConfig", () => {
  const minimal: AlertmanagerConfig = { route: { receiver: "r", groupBy: ["alertname"] }, receivers: [{ name: "r" }] };
  it("renders the YAML text", () => {
    expect(renderAlertmanagerConfig(minimal, { secretsDir: S })).toBe("route:\n  receiver: r\n  group_by:\n    - alertname\nreceivers:\n  - name: r\n");
  });
  it("refuses a relative secrets directory, and an invalid config before anything is rendered", () => {
    expect(() => renderAlertmanagerConfig(minimal, { secretsDir: "secrets" })).toThrow('secretsDir must be an absolute path, got "secrets"');
    expect(() => renderAlertmanagerConfig({ ...minimal, route: { receiver: "nope" } }, { secretsDir: S })).toThrow(ValidationError);
    expect(() => renderAlertmanagerConfig({ ...minimal, route: { receiver: "nope" } }, { secretsDir: S })).toThrow(/^alertmanager config/);
  });
});
