import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseStackConfig, referencedSecretKeys, type StackConfigInput } from "../../stacks/config";
import { platformFromConfig } from "../../stacks/platform";
import { secretFileName } from "../../stacks/compose";

const ROOT = join(__dirname, "..", "..");
const stackOf = (name: string): unknown => (parse(readFileSync(join(ROOT, `Pulumi.${name}.yaml`), "utf8")) as { config: Record<string, unknown> }).config["moncode:stack"];
const minimal: StackConfigInput = {
  platform: "docker",
  environment: "dev",
  alerting: { smtp: { smarthost: "smtp:25", from: "a@b.c" }, email: { to: "team@example.com" } },
};

describe("stack config schema", () => {
  it("fills documented defaults", () => {
    const c = parseStackConfig(minimal);
    expect(c.prometheus).toMatchObject({ scrapeInterval: "15s", evaluationInterval: "15s", retentionTime: "15d", port: 9090, remoteWrite: [] });
    expect(c.docker.bindAddress).toBe("127.0.0.1");
    expect(c.exporters).toMatchObject({ nodeExporter: true, cadvisor: true, pushgateway: true, probes: [], publishPorts: false });
    expect(c.grafana).toMatchObject({ adminUser: "admin", allowUiUpdates: false, adminPasswordSecret: "grafanaAdminPassword" });
  });

  it("accepts the repository's dev and prod stacks", () => {
    expect(parseStackConfig(stackOf("dev")).environment).toBe("dev");
    const prod = parseStackConfig(stackOf("prod"));
    expect(prod.prometheus).toMatchObject({ retentionTime: "30d", retentionSize: "10GB" });
    expect(referencedSecretKeys(prod)).toEqual(["deadMansSwitchUrl", "pagerdutyRoutingKey", "postgresPassword", "redisPassword", "slackWebhookUrl", "smtpPassword"]);
  });

  it.each<[string, unknown, string]>([
    ["a bad duration", { ...minimal, prometheus: { scrapeInterval: "15 s" } }, "prometheus.scrapeInterval is not a duration"],
    ["an unknown platform", { ...minimal, platform: "nomad" }, "platform"],
    ["a relative Docker data root", { ...minimal, docker: { dataRoot: "var/lib/docker" } }, "docker.dataRoot must be an absolute path"],
    ["an unknown key", { ...minimal, grafan: {} }, 'Unrecognized key: "grafan"'],
    ["a service without targets", { ...minimal, services: [{ name: "api", targets: [] }] }, "services.0.targets"],
    ["an upper-case service name", { ...minimal, services: [{ name: "API", targets: ["a:1"] }] }, "services.0.name must be lowercase letters, digits and -"],
    ["a plain-text password", { ...minimal, exporters: { postgres: [{ name: "db", uri: "db:5432/x", user: "u", password: "hunter2" }] } }, 'exporters.postgres.0 Unrecognized key: "password"'],
    ["a secret key that is not a config key", { ...minimal, alerting: { ...minimal.alerting, slack: { apiUrlSecret: "https://hooks.slack.com/x" } } }, "alerting.slack.apiUrlSecret must name a config key"],
    ["an unknown dashboard", { ...minimal, grafana: { dashboards: { nope: false } } }, "grafana.dashboards"],
    ["a dead man's switch URL in plain text", { ...minimal, alerting: { ...minimal.alerting, deadMansSwitch: { url: "https://hc-ping.com/abc" } } }, 'alerting.deadMansSwitch Unrecognized key: "url"'],
    ["a dead man's switch repeat that is not a duration", { ...minimal, alerting: { ...minimal.alerting, deadMansSwitch: { urlSecret: "dmsUrl", repeatInterval: "often" } } }, "alerting.deadMansSwitch.repeatInterval is not a duration"],
  ])("rejects %s and names the field", (_n, raw, message) => {
    expect(() => parseStackConfig(raw)).toThrow(message);
  });

  it("hands the Docker data root to the platform only when set (the collector mounts <dataRoot>/containers)", () => {
    expect(platformFromConfig(parseStackConfig(minimal), "dev")).not.toHaveProperty("dataRoot");
    expect(platformFromConfig(parseStackConfig({ ...minimal, docker: { dataRoot: "/srv/docker" } }), "dev")).toMatchObject({ kind: "docker", dataRoot: "/srv/docker" });
  });

  it("maps camelCase secret keys to kebab-case file names", () => {
    expect(secretFileName("slackWebhookUrl")).toBe("slack-webhook-url");
  });
});

describe("rules section", () => {
  it.each<[string, unknown, string]>([
    ["an unknown threshold field", { thresholds: { http: { errorRateWarnin: 0.1 } } }, 'rules.thresholds.http Unrecognized key: "errorRateWarnin"'],
    ["a threshold of the wrong type", { thresholds: { queue: { backlogWarning: "lots" } } }, "rules.thresholds.queue.backlogWarning"],
    ["an unknown pack", { packs: { kafka: false } }, "rules.packs"],
    ["an empty override severity", { overrides: { TargetDown: { severity: "" } } }, "rules.overrides.TargetDown.severity"],
    ["an unknown key in a severity variant override", { overrides: { TargetDown: { bySeverity: { critical: { fro: "5m" } } } } }, 'rules.overrides.TargetDown.bySeverity.critical Unrecognized key: "fro"'],
    ["a KPI without bounds", { kpis: [{ name: "X", title: "x", metric: "x", kind: "gauge", unit: "count", bounds: [], why: "y" }] }, "rules.kpis.0.bounds"],
    ["an override of an SLO no one ships", { slos: { overrides: { "api-speed": { objective: 99 } } } }, "rules.slos.overrides.api-speed"],
    ["an unknown SLO override field", { slos: { overrides: { "api-errors": { target: 99 } } } }, 'rules.slos.overrides.api-errors Unrecognized key: "target"'],
    ["an SLO objective that is not a number", { slos: { overrides: { "api-errors": { objective: "99.9%" } } } }, "rules.slos.overrides.api-errors.objective"],
  ])("rejects %s, naming the field", (_n, rules, message) => {
    expect(() => parseStackConfig({ ...minimal, rules })).toThrow(message);
  });

  it("ships the API SLOs by default and takes overrides by SLO name", () => {
    expect(parseStackConfig(minimal).rules.slos).toEqual({ shipped: true, overrides: {} });
    const cfg = parseStackConfig({ ...minimal, rules: { slos: { shipped: true, overrides: { "api-latency": { objective: 99, threshold: 0.25 } } } } });
    expect(cfg.rules.slos.overrides["api-latency"]).toEqual({ objective: 99, threshold: 0.25 });
  });

  it("takes any severity and variant overrides (one alert name at two severities)", () => {
    const r = parseStackConfig({ ...minimal, rules: { overrides: { TargetDown: { severity: "page", bySeverity: { critical: { for: "10m" } } } } } }).rules;
    expect(r.overrides.TargetDown).toEqual({ severity: "page", bySeverity: { critical: { for: "10m" } } });
  });

  it("takes `kpis: seed` for the seeds' sprint targets", () => {
    expect(parseStackConfig({ ...minimal, rules: { kpis: "seed" } }).rules.kpis).toBe("seed");
  });
});

describe("lint section", () => {
  it("takes levels by rule id", () => {
    expect(parseStackConfig({ ...minimal, lint: { "rules/alert-name-pascal-case": "error", "dashboard/unit-missing": "off" } }).lint).toEqual({
      "rules/alert-name-pascal-case": "error",
      "dashboard/unit-missing": "off",
    });
  });
  it.each([
    ["an unknown rule", { "rules/pascal": "error" }, "lint.rules/pascal"],
    ["a rule the programs enforce (not configurable)", { "promql/invalid": "warn" }, "lint.promql/invalid"],
    ["an unknown level", { "rules/alert-name-pascal-case": "fatal" }, "lint.rules/alert-name-pascal-case"],
  ])("rejects %s, naming it", (_n, lint, message) => {
    expect(() => parseStackConfig({ ...minimal, lint })).toThrow(message);
  });
});
