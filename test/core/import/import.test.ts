/**
 * `moncode import` on small files of our own, one per kind: the generated module type-checks and, loaded and
 * rendered, gives the source back after the normalisation; promtool / amtool accept both sides and route alike;
 * inline credentials become secret references and their values appear nowhere in the output. Bad input is refused
 * with the file, the line and the item.
 */
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AlertmanagerConfig } from "../../../core/alertmanager/model";
import { renderAlertmanagerConfig } from "../../../core/alertmanager/render";
import { routeAlert } from "../../../core/alertmanager/matcher";
import { amtoolRouteTestArgs } from "../../../core/alertmanager/route-tests";
import { formatLocated, importContent, type ImportResult, normalizeAlertmanagerConfig, normalizePrometheusConfig, normalizeRuleFile } from "../../../core/import";
import type { PrometheusConfig } from "../../../core/prometheus/model";
import { renderPrometheusConfig } from "../../../core/prometheus/render";
import type { RulePack } from "../../../core/rules/model";
import { renderRuleFile } from "../../../core/rules/render";
import { LIBRARY, type Workspace, writeModules } from "../../helpers/imported";
import { tool } from "../../helpers/tools";

const PROMTOOL = tool("promtool");
const AMTOOL = tool("amtool");

const PROMETHEUS_YML = `
global:
  scrape_interval: 30s
  external_labels: { cluster: eu1 }
rule_files: [rules/*.yml]
alerting:
  alertmanagers:
    - static_configs: [{ targets: ["am-0:9093", "am-1:9093"] }]
scrape_configs:
  - job_name: api
    metrics_path: /internal/metrics
    static_configs:
      - targets: ["api-0:8080", "api-1:8080"]
        labels: { tier: backend }
    basic_auth: { username: scraper, password: "hunter2-secret-value" }
    relabel_configs:
      - source_labels: [__address__]
        regex: "([^:]+):.*"
        target_label: host
  - job_name: pods
    scrape_interval: 10s
    kubernetes_sd_configs: [{ role: pod, namespaces: { names: [shop] } }]
    authorization: { credentials: "tok-123456789" }
    metric_relabel_configs: [{ action: drop, source_labels: [__name__], regex: "go_.*" }]
remote_write:
  - url: https://vm.example.com/api/v1/write
    bearer_token: "abcdefgh123"
`;

const ALERTMANAGER_YML = `
global:
  smtp_smarthost: smtp.example.com:587
  smtp_from: am@example.com
  smtp_auth_username: am
  smtp_auth_password: "smtp-pass-1234"
  slack_api_url: https://hooks.slack.com/services/T0/B0/XYZ
route:
  receiver: default
  group_by: [alertname, job]
  routes:
    - receiver: pager
      match: { severity: critical }
      continue: true
    - receiver: team
      matchers: ['{team="db", env=~"prod|staging"}']
      mute_time_intervals: [nights]
receivers:
  - name: default
    email_configs: [{ to: team@example.com }]
  - name: pager
    pagerduty_configs: [{ routing_key: "0123456789abcdef0123456789abcdef" }]
  - name: team
    slack_configs: [{ channel: "#db" }]
    webhook_configs: [{ url: "https://hooks.example.com/x?token=abc123456" }]
inhibit_rules:
  - source_match: { severity: critical }
    target_match_re: { severity: "warning|info" }
    equal: [alertname]
mute_time_intervals:
  - name: nights
    time_intervals: [{ times: [{ start_time: "22:00", end_time: "24:00" }], weekdays: ["monday:friday"], location: Europe/Berlin }]
`;

const RULES_YML = `
apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata: { name: shop-rules }
spec:
  groups:
    - name: shop.rules
      interval: 1m
      rules:
        - record: job:orders:rate5m
          expr: sum by (job) (rate(orders_total[5m]))
        - alert: OrdersStalled
          expr: |
            # no order in 15 minutes while the shop is up
            job:orders:rate5m == 0 and on (job) up == 1
          for: 15m
          keep_firing_for: 5m
          labels: { severity: critical, team: shop }
          annotations: { summary: "No orders", runbook_url: "https://runbooks.example.com/orders" }
        - alert: OrdersStalled
          expr: job:orders:rate5m < 0.1
          for: 1h0m
          labels: { severity: warning, team: shop }
          annotations: { message: "Few orders" }
---
apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata: { name: infra-rules }
spec:
  groups:
    - name: Infra
      rules:
        - alert: Watchdog
          expr: vector(1)
          labels: { severity: none }
`;

const PATHS = { prometheus: "conf/prometheus.yml", alertmanager: "conf/alertmanager.yml", rules: "conf/rules.yaml" };
let result: ImportResult;
let ws: Workspace;
let tsc = "";
const load = async <T>(source: string): Promise<T> => (await import(ws.path(result.modules.find((m) => m.source === source)!))) as T;

beforeAll(() => {
  result = importContent(
    [
      { path: PATHS.prometheus, text: PROMETHEUS_YML },
      { path: PATHS.alertmanager, text: ALERTMANAGER_YML },
      { path: PATHS.rules, text: RULES_YML },
    ],
    { from: LIBRARY },
  );
  ws = writeModules(result.modules);
  tsc = ws.typecheck();
}, 300_000);
afterAll(() => ws?.remove());

function sh(cmd: string, args: string[]): { code: number | null; out: string } {
  const r = spawnSync(cmd, args, { encoding: "utf8", timeout: 60_000 });
  if (r.error) throw r.error;
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

describe("import of small files of each kind", () => {
  it("writes one module per source, each type-checking under strict settings", () => {
    expect(result.issues.filter((i) => i.severity === "error").map(formatLocated)).toEqual([]);
    expect(result.modules.map((m) => m.path).sort()).toEqual(["alertmanager/alertmanager.ts", "prometheus/prometheus.ts", "rules/rules.ts"]);
    expect(tsc).toBe("");
  });

  it("never writes a credential's value, only secret references, and lists what to set", () => {
    const all = result.modules.map((m) => m.content).join("\n");
    for (const secret of ["hunter2-secret-value", "tok-123456789", "abcdefgh123", "smtp-pass-1234", "hooks.slack.com", "0123456789abcdef0123456789abcdef", "token=abc123456"]) expect(all).not.toContain(secret);
    const prom = result.prometheus[0]!.imported.secrets.map((s) => s.name);
    expect(prom).toEqual(["api-password", "pods-token", "remote-write-0-token"]);
    expect(result.modules.find((m) => m.source === PATHS.prometheus)!.content).toContain('prometheusSecretPath("api-password")');
    const am = result.alertmanager[0]!.imported.secrets.map((s) => s.where);
    expect(am).toEqual(["global.smtp_auth_password", "global.slack_api_url", 'receiver "pager" > pagerduty_configs[0].routing_key', 'receiver "team" > webhook_configs[0].url']);
    expect(result.modules.find((m) => m.source === PATHS.alertmanager)!.content).toContain('alertmanager.secret("smtp-password")');
  });

  it("round-trips prometheus.yml, and promtool accepts both sides", async () => {
    const { config } = await load<{ config: PrometheusConfig }>(PATHS.prometheus);
    const rendered = renderPrometheusConfig(config);
    expect(normalizePrometheusConfig(parse(rendered))).toEqual(normalizePrometheusConfig(parse(PROMETHEUS_YML)));
    for (const [name, text] of [["source.yml", PROMETHEUS_YML], ["rendered.yml", rendered]] as const) {
      const path = join(ws.dir, name);
      writeFileSync(path, text);
      const r = sh(PROMTOOL, ["check", "config", "--syntax-only", path]);
      expect(r.code, r.out).toBe(0);
    }
  });

  it("round-trips alertmanager.yml; amtool accepts both sides and routes them alike", async () => {
    const { config } = await load<{ config: AlertmanagerConfig }>(PATHS.alertmanager);
    const rendered = renderAlertmanagerConfig(config, { secretsDir: "/etc/alertmanager/secrets" });
    expect(normalizeAlertmanagerConfig(parse(rendered))).toEqual(normalizeAlertmanagerConfig(parse(ALERTMANAGER_YML)));
    const files = ([["source.yml", ALERTMANAGER_YML], ["rendered.yml", rendered]] as const).map(([name, text]) => {
      const path = join(ws.dir, `am-${name}`);
      writeFileSync(path, text);
      return path;
    });
    for (const f of files) expect(sh(AMTOOL, ["check-config", f]).code).toBe(0);
    const cases: Record<string, string>[] = [{ severity: "critical", team: "db", env: "prod" }, { team: "db", env: "staging" }, { team: "db", env: "dev" }, { severity: "warning" }];
    for (const labels of cases) {
      const receivers = routeAlert(config, labels);
      for (const f of files) expect(sh(AMTOOL, amtoolRouteTestArgs(f, { labels, receivers })).code, `${f} ${JSON.stringify(labels)}`).toBe(0);
    }
  });

  it("round-trips PrometheusRule documents as packs: one alert name at two severities, keep_firing_for, a comment-led expression", async () => {
    const { packs } = await load<{ packs: RulePack[] }>(PATHS.rules);
    expect(packs.map((p) => p.name)).toEqual(["shop-rules", "infra-rules"]);
    const docs = RULES_YML.split("\n---\n").map((d) => parse(d) as { spec: unknown });
    packs.forEach((p, i) => expect(normalizeRuleFile(parse(renderRuleFile(p.groups)))).toEqual(normalizeRuleFile(docs[i]!.spec)));
    const alerts = packs[0]!.groups[0]!.rules.filter((r) => "alert" in r);
    expect(alerts.map((a) => ("alert" in a ? [a.alert, a.severity] : []))).toEqual([["OrdersStalled", "critical"], ["OrdersStalled", "warning"]]);
    const path = join(ws.dir, "shop.yml");
    writeFileSync(path, renderRuleFile(packs[0]!.groups));
    expect(sh(PROMTOOL, ["check", "rules", path]).code).toBe(0);
  });

  it("reports, as warnings with rule ids and lines, what the house style would change", () => {
    const w = result.issues.filter((i) => i.file === PATHS.rules).map(formatLocated);
    expect(w).toContainEqual(expect.stringMatching(/^conf\/rules\.yaml:31: warning: rule group "Infra": name "Infra" should be kebab-case .*\[rules\/group-name-kebab-case\]$/));
    expect(w).toContainEqual(expect.stringMatching(/^conf\/rules\.yaml:20: warning: rule group "shop.rules" > alert "OrdersStalled" \(severity "warning"\): annotations\.message is the legacy annotation.*\[rules\/annotation-message-legacy\]$/));
    expect(w).toContainEqual(expect.stringMatching(/warning: .*severity "none" is not one of critical, warning, info \[rules\/severity-unknown\]$/));
  });
});

describe("bad input names the file, the line and the item", () => {
  const errors = (path: string, text: string) => importContent([{ path, text }]).issues.filter((i) => i.severity === "error").map(formatLocated);
  it.each([
    ["a field Prometheus refuses in a rule", "r.yml", "groups:\n- name: g\n  rules:\n  - alert: A\n    expr: up == 0\n    severity: critical\n", "r.yml:6: rule group \"g\" > alert \"A\": severity is not a field of a Prometheus rule"],
    ["an expression that does not parse", "r.yml", "groups:\n- name: g\n  rules:\n  - alert: A\n    expr: sum(rate(x[5m])\n", 'r.yml:4: rule group "g" > alert "A": expr syntax error'],
    ["YAML that does not parse", "r.yml", "groups:\n- name: g\n  rules: [\n", "r.yml:4: document 1 is not valid YAML"],
    ["a scrape job field moncode cannot hold", "p.yml", "scrape_configs:\n- job_name: files\n  file_sd_configs: [{ files: [x.json] }]\n", 'p.yml:3: scrape job "files": file_sd_configs is not a field moncode can import here'],
    ["an integration moncode cannot hold", "a.yml", "route: { receiver: x }\nreceivers:\n- name: x\n  telegram_configs: [{ chat_id: 1 }]\n", 'a.yml:4: receiver "x": telegram_configs is not an integration moncode can import'],
    ["a ConfigMap with broken dashboard JSON", "cm.yml", "kind: ConfigMap\nmetadata: { name: dash }\ndata:\n  a.json: '{\"panels\": ['\n", 'cm.yml:4: ConfigMap "dash" > a.json is not JSON'],
    ["a file of another kind", "x.yml", "foo: bar\n", "x.yml:1: document 1 is not a rule file, PrometheusRule, prometheus.yml, alertmanager.yml, dashboard or ConfigMap of dashboards"],
  ])("%s", (_name, path, text, message) => {
    const e = errors(path, text);
    expect(e.some((x) => x.startsWith(message)), e.join("\n")).toBe(true);
    expect(importContent([{ path, text }]).modules).toEqual([]);
  });
});

describe("credential combinations Prometheus refuses", () => {
  const job = (body: string) => `scrape_configs:\n  - job_name: j\n    static_configs: [{ targets: ["a:1"] }]\n${body}`;
  it.each([
    ["    bearer_token: a\n    bearer_token_file: /f\n", "at most one of bearer_token & bearer_token_file must be configured"],
    ["    basic_auth: { username: u, password_file: /p }\n    bearer_token: x\n", "at most one of basic_auth, oauth2, bearer_token & bearer_token_file must be configured"],
    ["    authorization: { credentials_file: /c }\n    bearer_token_file: /f\n", "authorization is not compatible with bearer_token & bearer_token_file"],
    ["    basic_auth: { username: u, password_file: /p }\n    authorization: { credentials_file: /c }\n", "at most one of basic_auth, oauth2 & authorization must be configured"],
    ["    authorization: { credentials: x, credentials_file: /c }\n", "at most one of authorization credentials & credentials_file must be configured"],
    ["    basic_auth: { username: u, password: p, password_file: /p }\n", "at most one of basic_auth password, password_file & password_ref must be configured"],
  ])("%j: the import refuses it in promtool's words, and promtool refuses it", (body, words) => {
    const text = job(body);
    const errors = importContent([{ path: "p.yml", text }]).issues.filter((i) => i.severity === "error").map(formatLocated);
    expect(errors.some((e) => e.includes(`(Prometheus: "${words}")`)), errors.join("\n")).toBe(true);
    const path = join(ws.dir, "conflict.yml");
    writeFileSync(path, text);
    const r = sh(PROMTOOL, ["check", "config", "--syntax-only", path]);
    expect(r.code).toBe(1);
    expect(r.out).toContain(words);
  });
});

describe("credential pairs Alertmanager refuses", () => {
  const am = (receiver: string, global = "") => `${global}route: { receiver: x }\nreceivers:\n  - name: x\n    ${receiver}\n`;
  it.each([
    [am('webhook_configs: [{ url: "http://h/", url_file: /u }]'), "at most one of url & url_file must be configured"],
    [am('slack_configs: [{ api_url: "http://h/", api_url_file: /u, channel: "#a" }]'), "at most one of api_url & api_url_file must be configured"],
    [am("pagerduty_configs: [{ routing_key: a, routing_key_file: /k }]"), "at most one of routing_key & routing_key_file must be configured"],
    [am("pagerduty_configs: [{ service_key: a, service_key_file: /k }]"), "at most one of service_key & service_key_file must be configured"],
    [am("opsgenie_configs: [{ api_key: a, api_key_file: /k }]"), "at most one of api_key & api_key_file must be configured"],
    [am('webhook_configs: [{ url: "http://h/", http_config: { bearer_token: b, authorization: { credentials: c } } }]'), "authorization is not compatible with bearer_token & bearer_token_file"],
    [am('webhook_configs: [{ url: "http://h/", http_config: { bearer_token: b, bearer_token_file: /f } }]'), "at most one of bearer_token & bearer_token_file must be configured"],
    [am('webhook_configs: [{ url: "http://h/", http_config: { authorization: { credentials: c, credentials_file: /f } } }]'), "at most one of authorization credentials & credentials_file must be configured"],
    [am("email_configs: [{ to: a@b.c }]", 'global:\n  slack_api_url: "http://h/"\n  slack_api_url_file: /s\n'), "at most one of slack_api_url & slack_api_url_file must be configured"],
    [am("email_configs: [{ to: a@b.c }]", "global:\n  smtp_smarthost: h:25\n  smtp_from: a@b.c\n  smtp_auth_password: p\n  smtp_auth_password_file: /p\n"), "at most one of smtp_auth_password & smtp_auth_password_file must be configured"],
  ])("%j: the import refuses it in amtool's words, and amtool refuses it", (text, words) => {
    const errors = importContent([{ path: "a.yml", text }]).issues.filter((i) => i.severity === "error").map(formatLocated);
    expect(errors.some((e) => e.includes(`(Alertmanager: "${words}")`)), errors.join("\n")).toBe(true);
    const path = join(ws.dir, "am-conflict.yml");
    writeFileSync(path, text);
    const r = sh(AMTOOL, ["check-config", path]);
    expect(r.code).toBe(1);
    expect(r.out).toContain(words);
  });

  it("an email receiver's auth_password with auth_password_file is accepted by both (Alertmanager does not refuse it)", () => {
    const text = am("email_configs: [{ to: a@b.c, from: x@y.z, smarthost: h:25, auth_username: u, auth_password: p, auth_password_file: /p }]");
    expect(importContent([{ path: "a.yml", text }]).issues.filter((i) => i.severity === "error").map(formatLocated)).toEqual([]);
    const path = join(ws.dir, "am-email.yml");
    writeFileSync(path, text);
    expect(sh(AMTOOL, ["check-config", path]).code).toBe(0);
  });
});
