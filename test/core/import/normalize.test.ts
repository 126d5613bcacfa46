/**
 * The round trip's normalisation (core/import/normalize.ts), rule by rule: each written-down rule makes two
 * spellings equal, and a real difference next to it still shows — so the round trip can fail.
 */
import { describe, expect, it } from "vitest";
import { canonicalDuration, normalizeAlertmanagerConfig, normalizeDashboard, normalizePrometheusConfig, normalizeRuleFile, promqlTree, sortKeys } from "../../../core/import/normalize";

const rules = (rule: Record<string, unknown>, group: Record<string, unknown> = {}) => ({ groups: [{ name: "g", ...group, rules: [rule] }] });
const same = (a: unknown, b: unknown, n: (x: unknown) => unknown) => expect(n(a)).toEqual(n(b));
const differ = (a: unknown, b: unknown, n: (x: unknown) => unknown) => expect(n(a)).not.toEqual(n(b));

describe("rule 1: keys sorted; null, empty lists and maps dropped", () => {
  it("orders keys and drops empties", () => {
    expect(sortKeys({ b: 1, a: { d: null, c: [] , e: {} }, f: [{ z: 1, y: 2 }] })).toEqual({ b: 1, f: [{ y: 2, z: 1 }] });
    expect(JSON.stringify(sortKeys({ b: 1, a: 2 }))).toBe('{"a":2,"b":1}');
  });
  it("keeps list order: it means something", () => {
    differ({ a: [1, 2] }, { a: [2, 1] }, sortKeys);
  });
});

describe("rule 2: canonical durations", () => {
  it.each([["1h0m", "1h"], ["60m", "1h"], ["90s", "1m30s"], ["0", "0s"], ["1d", "1d"]])("%s → %s", (a, b) => expect(canonicalDuration(a)).toBe(b));
  it("makes for: 60m equal to for: 1h, and for: 0s equal to no for", () => {
    same(rules({ alert: "A", expr: "up", for: "60m" }), rules({ alert: "A", expr: "up", for: "1h0m" }), normalizeRuleFile);
    same(rules({ alert: "A", expr: "up", for: "0s" }), rules({ alert: "A", expr: "up" }), normalizeRuleFile);
    differ(rules({ alert: "A", expr: "up", for: "5m" }), rules({ alert: "A", expr: "up", for: "10m" }), normalizeRuleFile);
  });
});

describe("rule 4: PromQL as parse trees", () => {
  it("ignores whitespace and comments", () => {
    expect(promqlTree("sum by (job) (rate(x[5m]))")).toBe(promqlTree("# why\nsum   by(job)(\n  rate(x[5m])\n)"));
  });
  it("sees a different operator, label value, window or grouping", () => {
    for (const other of ["sum by (job) (rate(x[10m]))", "sum by (instance) (rate(x[5m]))", "max by (job) (rate(x[5m]))", 'sum by (job) (rate(x{a="b"}[5m]))']) {
      expect(promqlTree(other)).not.toBe(promqlTree("sum by (job) (rate(x[5m]))"));
    }
  });
});

describe("prometheus.yml", () => {
  const job = (j: Record<string, unknown>, global: Record<string, unknown> = {}) => ({ global, scrape_configs: [{ job_name: "a", static_configs: [{ targets: ["a:1"] }], ...j }] });
  it("rule 3: fills Prometheus's defaults on both sides", () => {
    same(job({}), job({ scrape_interval: "1m", scrape_timeout: "10s", metrics_path: "/metrics", scheme: "http", honor_labels: false, sample_limit: 0 }, { scrape_interval: "1m", evaluation_interval: "1m", scrape_timeout: "10s" }), normalizePrometheusConfig);
    // A job's timeout is the global one, capped at its own interval.
    same(job({ scrape_interval: "5s" }), job({ scrape_interval: "5s", scrape_timeout: "5s" }), normalizePrometheusConfig);
    same(job({ relabel_configs: [{ source_labels: ["a"], target_label: "b" }] }), job({ relabel_configs: [{ source_labels: ["a"], target_label: "b", action: "Replace", regex: "(.*)", replacement: "$1", separator: ";" }] }), normalizePrometheusConfig);
    differ(job({}), job({ metrics_path: "/m" }), normalizePrometheusConfig);
  });
  it("rule 5: compares credentials as set, inline or as a file", () => {
    same(job({ basic_auth: { username: "u", password: "x" } }), job({ basic_auth: { username: "u", password_file: "/s/p" } }), normalizePrometheusConfig);
    same(job({ bearer_token: "t" }), job({ authorization: { credentials_file: "/s/t" } }), normalizePrometheusConfig);
    differ(job({ basic_auth: { username: "u", password: "x" } }), job({ basic_auth: { username: "v", password: "x" } }), normalizePrometheusConfig);
  });
  it("rule 6: a remote write's name does not count", () => {
    same({ remote_write: [{ url: "https://x/w" }] }, { remote_write: [{ url: "https://x/w", name: "remote-write-0", remote_timeout: "30s" }] }, normalizePrometheusConfig);
  });
});

describe("alertmanager.yml", () => {
  const cfg = (route: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ route: { receiver: "r", ...route }, receivers: [{ name: "r" }], ...extra });
  it("rule 6: match, match_re and list-syntax matchers are one sorted list", () => {
    same(cfg({ routes: [{ receiver: "r", match: { a: "1" }, match_re: { b: "x|y" } }] }), cfg({ routes: [{ receiver: "r", matchers: ['{b=~"x|y", a="1"}'] }] }), normalizeAlertmanagerConfig);
    differ(cfg({ routes: [{ receiver: "r", match: { a: "1" } }] }), cfg({ routes: [{ receiver: "r", matchers: ['a!="1"'] }] }), normalizeAlertmanagerConfig);
  });
  it("rule 3: fills the root route's timers and the integrations' send_resolved", () => {
    same(cfg({}), cfg({ group_wait: "30s", group_interval: "5m", repeat_interval: "4h" }, { global: { resolve_timeout: "5m" } }), normalizeAlertmanagerConfig);
    same({ route: { receiver: "r" }, receivers: [{ name: "r", webhook_configs: [{ url: "http://h/x" }] }] }, { route: { receiver: "r" }, receivers: [{ name: "r", webhook_configs: [{ url: "http://h/x", send_resolved: true }] }] }, normalizeAlertmanagerConfig);
    differ({ route: { receiver: "r" }, receivers: [{ name: "r", webhook_configs: [{ url: "http://h/x" }] }] }, { route: { receiver: "r" }, receivers: [{ name: "r", webhook_configs: [{ url: "http://h/x", send_resolved: false }] }] }, normalizeAlertmanagerConfig);
  });
  it("rule 5 and 6: credentials as set; a token-bearing webhook URL is a credential; mute_time_intervals merge into time_intervals", () => {
    same({ route: { receiver: "r" }, receivers: [{ name: "r", slack_configs: [{ api_url: "https://hooks.slack.com/x" }] }] }, { route: { receiver: "r" }, receivers: [{ name: "r", slack_configs: [{ api_url_file: "/s/slack" }] }] }, normalizeAlertmanagerConfig);
    same({ route: { receiver: "r" }, receivers: [{ name: "r", webhook_configs: [{ url: "https://h/x?token=abcdef123" }] }] }, { route: { receiver: "r" }, receivers: [{ name: "r", webhook_configs: [{ url_file: "/s/u" }] }] }, normalizeAlertmanagerConfig);
    same(cfg({}, { mute_time_intervals: [{ name: "n", time_intervals: [{ weekdays: ["sunday"] }] }] }), cfg({}, { time_intervals: [{ name: "n", time_intervals: [{ weekdays: ["sunday"] }] }] }), normalizeAlertmanagerConfig);
    differ({ route: { receiver: "r" }, receivers: [{ name: "r", webhook_configs: [{ url: "http://h/x" }] }] }, { route: { receiver: "r" }, receivers: [{ name: "r", webhook_configs: [{ url: "http://h/y" }] }] }, normalizeAlertmanagerConfig);
  });
});

describe("dashboards", () => {
  it("only sorts keys: any other difference shows", () => {
    same({ title: "t", panels: [{ id: 1, type: "stat" }] }, { panels: [{ type: "stat", id: 1 }], title: "t" }, normalizeDashboard);
    differ({ panels: [{ id: 1, gridPos: { x: 0 } }] }, { panels: [{ id: 1, gridPos: { x: 1 } }] }, normalizeDashboard);
  });
});
