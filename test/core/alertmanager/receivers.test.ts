/**
 * Receiver checks one field at a time, each with every issue the config then gets (exact, formatted), and the secret
 * helpers. Pure, so the mutation suite runs it.
 */
import { describe, expect, it } from "vitest";
import type { AlertmanagerConfig, GlobalConfig, Receiver } from "../../../core/alertmanager/model";
import { looksLikeSecret, secretFields, secretPath, secretRefs } from "../../../core/alertmanager/secrets";
import { validateAlertmanagerConfig } from "../../../core/alertmanager/validate";
import { formatIssue } from "../../../core/validation";

const G: GlobalConfig = { smtp: { smarthost: "mx:25", from: "am@example.com" } };
/** One receiver "r" (unless the case renames it) that the root route uses. */
const one = (rec: Partial<Receiver>, global: GlobalConfig = G): string[] =>
  validateAlertmanagerConfig({ global, route: { receiver: rec.name ?? "r", groupBy: ["alertname"] }, receivers: [{ name: "r", ...rec }] } as AlertmanagerConfig).map(formatIssue);

// Inline strings where a secret reference belongs are the point of several cases.
const cases: [name: string, receiver: any, all: string[], global?: any][] = [
  ["name with spaces", { name: " r " }, ['receivers[0]: name must be a non-empty name without surrounding spaces, got " r " [alertmanager/invalid]']],
  ["empty name", { name: "" }, ['receivers[0]: name must be a non-empty name without surrounding spaces, got "" [alertmanager/invalid]', 'route: receiver is required on the root route (it catches every alert no other route takes) [alertmanager/invalid]']],
  ["email to not an address", { email: [{ to: "team" }] }, ['receiver "r" > email[0]: to must be an email address, got "team" [alertmanager/invalid]']],
  ["email to list", { email: [{ to: "a@x.io, b@y.io" }] }, []],
  ["email to empty", { email: [{ to: "" }] }, ['receiver "r" > email[0]: to must be an email address, got "" [alertmanager/invalid]']],
  ["email to two @", { email: [{ to: "a@b@c" }] }, ['receiver "r" > email[0]: to must be an email address, got "a@b@c" [alertmanager/invalid]']],
  ["email smarthost from receiver", { email: [{ to: "a@x.io", smtp: { smarthost: "mail:587", from: "f@x.io" } }] }, [], {}],
  ["email smarthost no port", { email: [{ to: "a@x.io", smtp: { smarthost: "mail" } }] }, ['receiver "r" > email[0]: smtp.smarthost must be host:port, got "mail" [alertmanager/invalid]']],
  ["email smarthost with space", { email: [{ to: "a@x.io", smtp: { smarthost: "ma il:25" } }] }, ['receiver "r" > email[0]: smtp.smarthost must be host:port, got "ma il:25" [alertmanager/invalid]']],
  ["email password without username", { email: [{ to: "a@x.io", smtp: { authPassword: { secret: "p" } } }] }, ['receiver "r" > email[0]: smtp.authUsername is not set here nor in global.smtp while smtp.authPassword is: Alertmanager sends without authenticating [alertmanager/smtp-password-without-username]']],
  ["global password without username", { email: [{ to: "a@x.io" }] }, ['global.smtp: authUsername is not set while authPassword is: Alertmanager sends without authenticating [alertmanager/smtp-password-without-username]'], { smtp: { ...G.smtp, authPassword: { secret: "p" } } }],
  ["email password with global username", { email: [{ to: "a@x.io", smtp: { authPassword: { secret: "p" } } }] }, [], { smtp: { ...G.smtp, authUsername: "u" } }],
  ["email password secret bad", { email: [{ to: "a@x.io", smtp: { authUsername: "u", authPassword: { secret: "" } } }] }, ['receiver "r" > email[0]: smtp.authPassword secret name "" must match ^[a-z0-9][a-z0-9_-]*$ [alertmanager/invalid]']],
  ["email password null", { email: [{ to: "a@x.io", smtp: { authUsername: "u", authPassword: null } }] }, ['receiver "r" > email[0]: smtp.authPassword secret name undefined must match ^[a-z0-9][a-z0-9_-]*$ [alertmanager/invalid]']],
  ["email header cookie", { email: [{ to: "a@x.io", headers: { Cookie: "a=b" } }] }, ['receiver "r" > email[0]: headers.Cookie carries a credential inline: email headers are written in clear to alertmanager.yml [alertmanager/secret-inline]']],
  ["email header x-api-key", { email: [{ to: "a@x.io", headers: { "X-API-Key": "abc" } }] }, ['receiver "r" > email[0]: headers.X-API-Key carries a credential inline: email headers are written in clear to alertmanager.yml [alertmanager/secret-inline]']],
  ["email header plain", { email: [{ to: "a@x.io", headers: { Subject: "hello" } }] }, []],
  ["email html token", { email: [{ to: "a@x.io", html: "token: abcdefgh" }] }, ['receiver "r" > email[0]: html looks like a password or token assignment inline: reference a secret instead (it would be written in clear to alertmanager.yml) [alertmanager/secret-inline]']],
  ["email text slack token", { email: [{ to: "a@x.io", text: "xoxb-123-abc" }] }, ['receiver "r" > email[0]: text looks like a Slack token inline: reference a secret instead (it would be written in clear to alertmanager.yml) [alertmanager/secret-inline]']],
  ["email template not flagged", { email: [{ to: "a@x.io", text: "password={{ .Foo }}" }] }, []],
  ["slack no url anywhere", { slack: [{ channel: "#a" }] }, ['receiver "r" > slack[0]: apiUrl is not set here nor in global.slackApiUrl [alertmanager/invalid]']],
  ["slack global url", { slack: [{ channel: "@someone" }] }, [], { ...G, slackApiUrl: { secret: "s" } }],
  ["slack channel with space", { slack: [{ apiUrl: { secret: "s" }, channel: "#a b" }] }, ['receiver "r" > slack[0]: channel "#a b" is not a channel name like "#alerts" [alertmanager/invalid]']],
  ["slack channel bare", { slack: [{ apiUrl: { secret: "s" }, channel: "alerts" }] }, []],
  ["slack username with bearer", { slack: [{ apiUrl: { secret: "s" }, username: "Bearer abcdefgh12" }] }, ['receiver "r" > slack[0]: username looks like an Authorization header value inline: reference a secret instead (it would be written in clear to alertmanager.yml) [alertmanager/secret-inline]']],
  ["slack text long key", { slack: [{ apiUrl: { secret: "s" }, text: "a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6" }] }, ['receiver "r" > slack[0]: text looks like a long random key inline: reference a secret instead (it would be written in clear to alertmanager.yml) [alertmanager/secret-inline]']],
  ["slack text 31 chars", { slack: [{ apiUrl: { secret: "s" }, text: "a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d" }] }, []],
  ["slack text letters only", { slack: [{ apiUrl: { secret: "s" }, text: "abcdefghijabcdefghijabcdefghijabcdef" }] }, []],
  ["pagerduty neither key", { pagerduty: [{}] }, ['receiver "r" > pagerduty[0]: routingKey set exactly one of routingKey (Events API v2) and serviceKey (v1) [alertmanager/invalid]']],
  ["pagerduty service key inline", { pagerduty: [{ serviceKey: "abc" }] }, ['receiver "r" > pagerduty[0]: serviceKey holds an inline value: pass a secret reference { secret: "<name>" } instead; the value is mounted as a file and never written to alertmanager.yml [alertmanager/secret-inline]']],
  ["pagerduty description secret", { pagerduty: [{ routingKey: { secret: "k" }, description: "api_key=abcd1234" }] }, ['receiver "r" > pagerduty[0]: description looks like a password or token assignment inline: reference a secret instead (it would be written in clear to alertmanager.yml) [alertmanager/secret-inline]']],
  ["pagerduty severity", { pagerduty: [{ routingKey: { secret: "k" }, severity: "pwd: hunter22" }] }, ['receiver "r" > pagerduty[0]: severity looks like a password or token assignment inline: reference a secret instead (it would be written in clear to alertmanager.yml) [alertmanager/secret-inline]']],
  ["webhook no url", { webhook: [{}] }, ['receiver "r" > webhook[0]: url is required (a URL or a secret reference) [alertmanager/invalid]']],
  ["webhook url secret bad", { webhook: [{ url: { secret: "Bad" }, bearerToken: { secret: "Bad2" } }] }, ['receiver "r" > webhook[0]: url secret name "Bad" must match ^[a-z0-9][a-z0-9_-]*$ [alertmanager/invalid]', 'receiver "r" > webhook[0]: bearerToken secret name "Bad2" must match ^[a-z0-9][a-z0-9_-]*$ [alertmanager/invalid]']],
  ["webhook url secret ok", { webhook: [{ url: { secret: "u" }, bearerToken: { secret: "t" } }] }, []],
  ["webhook url not url", { webhook: [{ url: "hooks" }] }, ['receiver "r" > webhook[0]: url must be an http(s) URL, got "hooks" [alertmanager/invalid]']],
  ["webhook url ftp", { webhook: [{ url: "ftp://x/y" }] }, ['receiver "r" > webhook[0]: url must be an http(s) URL, got "ftp://x/y" [alertmanager/invalid]']],
  ["webhook url https sig", { webhook: [{ url: "https://x/y?sig=abc" }] }, ['receiver "r" > webhook[0]: url looks like a URL with a credential in its query: make the URL a secret reference (url: { secret: "<name>" }, mounted as a file and rendered as url_file) or move the credential to bearerToken [alertmanager/secret-inline]']],
  ["webhook url key in path only", { webhook: [{ url: "https://x/key=abc" }] }, []],
  ["webhook bearer inline", { webhook: [{ url: "https://x/y", bearerToken: "abc" }] }, ['receiver "r" > webhook[0]: bearerToken holds an inline value: pass a secret reference { secret: "<name>" } instead; the value is mounted as a file and never written to alertmanager.yml [alertmanager/secret-inline]']],
  ["webhook maxAlerts -1", { webhook: [{ url: "https://x/y", maxAlerts: -1 }] }, ['receiver "r" > webhook[0]: maxAlerts must be a non-negative integer [alertmanager/invalid]']],
  ["webhook maxAlerts 1.5", { webhook: [{ url: "https://x/y", maxAlerts: 1.5 }] }, ['receiver "r" > webhook[0]: maxAlerts must be a non-negative integer [alertmanager/invalid]']],
  ["webhook maxAlerts 0", { webhook: [{ url: "https://x/y", maxAlerts: 0 }] }, []],
  ["opsgenie no key", { opsgenie: [{}] }, ['receiver "r" > opsgenie[0]: apiKey is required (a secret reference) [alertmanager/invalid]']],
  ["opsgenie priority P6", { opsgenie: [{ apiKey: { secret: "k" }, priority: "P6" }] }, ['receiver "r" > opsgenie[0]: priority must be P1…P5 or a template, got "P6" [alertmanager/invalid]']],
  ["opsgenie priority P5", { opsgenie: [{ apiKey: { secret: "k" }, priority: "P5" }] }, []],
  ["opsgenie priority template", { opsgenie: [{ apiKey: { secret: "k" }, priority: '{{ if eq .Status "firing" }}P1{{ end }}' }] }, []],
  ["opsgenie priority xP1", { opsgenie: [{ apiKey: { secret: "k" }, priority: "xP1" }] }, ['receiver "r" > opsgenie[0]: priority must be P1…P5 or a template, got "xP1" [alertmanager/invalid]']],
  ["opsgenie tags secret", { opsgenie: [{ apiKey: { secret: "k" }, tags: "secret=abcdef" }] }, ['receiver "r" > opsgenie[0]: tags looks like a password or token assignment inline: reference a secret instead (it would be written in clear to alertmanager.yml) [alertmanager/secret-inline]']],
  ["global smarthost bad", {}, ['global.smtp: smarthost must be host:port, got "mx" [alertmanager/invalid]', 'global.smtp: from is required [alertmanager/invalid]'], { smtp: { smarthost: "mx", from: "" } }],
  ["global smtp password inline", {}, ['global.smtp: authPassword holds an inline value: pass a secret reference { secret: "<name>" } instead; the value is mounted as a file and never written to alertmanager.yml [alertmanager/secret-inline]'], { smtp: { smarthost: "mx:25", from: "a@b.c", authUsername: "u", authPassword: "x" } }],
  ["global smtp username secret", {}, ['global.smtp: authUsername looks like a password or token assignment inline: reference a secret instead (it would be written in clear to alertmanager.yml) [alertmanager/secret-inline]'], { smtp: { smarthost: "mx:25", from: "a@b.c", authUsername: "password=hunter22" } }],
  ["global slack url inline", {}, ['global: slackApiUrl holds an inline value: pass a secret reference { secret: "<name>" } instead; the value is mounted as a file and never written to alertmanager.yml [alertmanager/secret-inline]'], { slackApiUrl: "https://hooks.slack.com/services/x" }],
];

describe("receiver checks", () => {
  it.each(cases)("%s", (_name, rec, all, global) => {
    expect(one(rec, global)).toEqual(all);
  });
});

describe("secrets", () => {
  const cfg: AlertmanagerConfig = {
    global: { smtp: { smarthost: "mx:25", from: "a@b.c", authPassword: { secret: "smtp" } }, slackApiUrl: { secret: "slack" } },
    route: { receiver: "r" },
    receivers: [{
      name: "r",
      email: [{ to: "a@b.c", smtp: { authPassword: { secret: "mail" } } }, { to: "x@y.z" }],
      slack: [{ apiUrl: { secret: "slack" } }],
      pagerduty: [{ routingKey: { secret: "pd" } }, { serviceKey: { secret: "pd1" } }],
      webhook: [{ url: "https://x/y", bearerToken: { secret: "tok" } }, { url: { secret: "hook" } }],
      opsgenie: [{ apiKey: { secret: "og" } }],
    }],
  };
  it("lists every reference in document order, and the sorted unique names", () => {
    expect(secretFields(cfg)).toEqual([
      ["global.smtp.authPassword", { secret: "smtp" }],
      ["global.slackApiUrl", { secret: "slack" }],
      ['receiver "r" > email[0].smtp.authPassword', { secret: "mail" }],
      ['receiver "r" > slack[0].apiUrl', { secret: "slack" }],
      ['receiver "r" > pagerduty[0].routingKey', { secret: "pd" }],
      ['receiver "r" > pagerduty[1].serviceKey', { secret: "pd1" }],
      ['receiver "r" > webhook[0].bearerToken', { secret: "tok" }],
      ['receiver "r" > webhook[1].url', { secret: "hook" }],
      ['receiver "r" > opsgenie[0].apiKey', { secret: "og" }],
    ]);
    expect(secretRefs(cfg)).toEqual(["hook", "mail", "og", "pd", "pd1", "slack", "smtp", "tok"]);
    expect(secretRefs({ route: { receiver: "r" }, receivers: [{ name: "r" }] })).toEqual([]);
  });
  it("mounts a secret under the directory, trailing slashes dropped", () => {
    expect(secretPath("/s", { secret: "a" })).toBe("/s/a");
    expect(secretPath("/s//", { secret: "a" })).toBe("/s/a");
  });
  it.each([
    ["https://hooks.slack.com/services/T/B/X", "a Slack incoming-webhook URL"],
    ["HTTP://HOOKS.SLACK.COM/x", "a Slack incoming-webhook URL"],
    ["xoxp-1234-abcd", "a Slack token"],
    ["https://u:p@host/x", "a URL with a password in it"],
    ["https://host/x?access_token=1", "a URL with a credential in its query"],
    ["https://host/x?a=1&apikey=1", "a URL with a credential in its query"],
    ["Basic dXNlcjpwYXNz", "an Authorization header value"],
    ["basic short", undefined],
    ["passwd=abcd", "a password or token assignment"],
    ["pwd: abc", undefined],
    ["ABCDEFGHIJKLMNOPQRSTUVWXYZ012345", "a long random key"],
    ["ABCDEFGHIJKLMNOPQRSTUVWXYZ012345 x", undefined],
    ["https://host/x?token={{ .Token }}", undefined],
    ["the service is down", undefined],
  ])("%s → %s", (value, what) => {
    expect(looksLikeSecret(value)).toBe(what);
  });
});
