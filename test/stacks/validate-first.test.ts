/**
 * Nothing is declared before validation: on every failure path, MonitoringStack and each component throw a
 * ValidationError naming the culprit with zero resources registered (not even the component itself) — under a
 * real engine anything registered could be applied, leaving half a stack. And the silent mistakes users made in
 * trials are errors or warnings naming the item.
 */
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { AlertRouting } from "../../components/alert-routing";
import { Exporters } from "../../components/exporters";
import { GrafanaWithDashboards } from "../../components/grafana";
import { Collector } from "../../components/collector";
import { Logs } from "../../components/logs";
import { PrometheusStack } from "../../components/prometheus-stack";
import type { LogRulePack } from "../../core/logql";
import { ValidationError } from "../../core/validation";
import { buildDashboards } from "../../dashboards";
import { buildRulePacks, exporterPackSwitches } from "../../rules";
import { severityRouting } from "../../routing";
import { MonitoringStack, type MonitoringStackArgs } from "../../stacks/monitoring-stack";
import { runOffline } from "../../testing";

/** A log pack with one recording rule (the ruler computes it; only remote write takes its samples anywhere). */
const LOG_RECORDINGS: LogRulePack = { name: "mine", groups: [{ name: "mine", rules: [{ record: "service:log_lines:rate5m", expr: 'sum by (service_name) (rate({service_name=~".+"}[5m]))' }] }] };
const platform = { kind: "docker" as const, namePrefix: "t", network: "t-net", gateway: "10.1.2.1" };
const shipped = buildRulePacks({ packs: { postgres: false, redis: false } });
const route = severityRouting({ environment: "prod", smtp: { smarthost: "smtp.example.com:587", from: "am@example.com" }, email: { to: "team@example.com" } });

function args(over: { prometheus?: object; alerting?: object; grafana?: object; exporters?: object; logs?: object; traces?: object; collector?: object } = {}): MonitoringStackArgs {
  return {
    platform,
    ...(over.logs ? { logs: over.logs } : {}),
    ...(over.traces ? { traces: over.traces } : {}),
    ...(over.collector ? { collector: over.collector } : {}),
    exporters: { ...(over.exporters ?? {}) },
    prometheus: { scrapeJobs: [{ name: "api", staticConfigs: [{ targets: ["api:3000"] }] }, { name: "worker", staticConfigs: [{ targets: ["worker:9464"] }] }], rulePacks: shipped, ...(over.prometheus ?? {}) },
    alerting: { config: route.config, tests: route.tests, ...(over.alerting ?? {}) },
    grafana: { dashboards: buildDashboards(), adminPassword: "pw", secretKey: "key", ...(over.grafana ?? {}) },
  } as MonitoringStackArgs;
}

async function failsCleanly(program: () => unknown, culprit: RegExp): Promise<string> {
  const run = await runOffline(program);
  expect(run.error, "the program should have thrown").toBeInstanceOf(ValidationError);
  const message = (run.error as Error).message;
  expect(message).toMatch(culprit);
  // The root stack resource exists before any program runs; nothing else may be registered.
  expect(run.resources.filter((r) => r.type !== "pulumi:pulumi:Stack").map((r) => `${r.type} ${r.name}`)).toEqual([]);
  return message;
}

describe("MonitoringStack registers nothing when anything is wrong", () => {
  it("declares its resources when everything is right (the control case)", async () => {
    const run = await runOffline(() => new MonitoringStack("t", args()));
    expect(run.error).toBeUndefined();
    expect(run.resources.filter((r) => r.type === "docker:index/container:Container").length).toBeGreaterThanOrEqual(5);
  });

  it.each([
    ["a route to an undefined receiver", () => args({ alerting: { config: { ...route.config, route: { ...route.config.route, routes: [{ receiver: "nobody", matchers: ['team="x"'] }] } } } }), /receiver "nobody"/],
    ["a dashboard reading a recording rule nobody defines", () => args({ grafana: { recordingRules: [] } }), /reads recording rule "job:http_requests:rate5m"/],
    ["a rule with broken PromQL", () => args({ prometheus: { rulePacks: [...shipped, { name: "mine", groups: [{ name: "mine", rules: [{ alert: "MineDown", expr: "up{job=\"mine\" == 0", severity: "critical", annotations: { summary: "s", description: "d" } }] }], tests: [] }] } }), /alert "MineDown".*expr/],
    ["an alert field misspelt (fro for for)", () => args({ prometheus: { rulePacks: [...shipped, { name: "mine", groups: [{ name: "mine", rules: [{ alert: "MineDown", expr: "up == 0", fro: "5m", severity: "critical", annotations: { summary: "s", description: "d" } }] }], tests: [] }] } }), /rules\[0\]\.fro is not a known field \(did you mean "for"\?\)/],
    ["an unknown component argument", () => ({ ...args(), prometheus: { ...args().prometheus, retention: "30d" } }), /prometheus\.retention is not a known field/],
    ["a wrong type from JavaScript", () => args({ prometheus: { replicas: "2" } }), /prometheus\.replicas must be a number, got string "2"/],
    ["two containers publishing one host port", () => args({ grafana: { publishPort: 9090 } }), /workload "(grafana|prometheus)" > ports\.|publishes host port 9090 on 127\.0\.0\.1, which "(grafana|prometheus)" publishes too/],
    ["an exporter port clashing with Prometheus's", () => args({ exporters: { publishPorts: true }, prometheus: { publishPort: 9091 } }), /host port 9091/],
    ["a port published on every address where node-exporter (host network) listens", () => ({ ...args({ prometheus: { publishPort: 9100 } }), platform: { ...platform, bindAddress: "0.0.0.0" } }), /publishes host port 9100 on 0\.0\.0\.0, which "node-exporter" publishes too/],
    ["the collector's published OTLP port clashing with another container's", () => args({ traces: { publishPort: 4317 }, collector: { publishOtlp: true } }), /workload "(jaeger|otel-collector)" > ports\.(query|otlp-grpc)|publishes host port 4317 on 127\.0\.0\.1, which "(jaeger|otel-collector)" publishes too/],
    ["a log rule on a log query (not a metric query)", () => args({ logs: { rulePacks: [{ name: "mine", groups: [{ name: "mine", rules: [{ alert: "MinePanics", expr: '{service_name="mine"} |= "panic"', severity: "critical", annotations: { summary: "s", description: "d" } }] }] }] } }), /log rule group "mine" > alert "MinePanics": expr is a log query/],
    ["a log rule without a stream selector Loki accepts", () => args({ logs: { rulePacks: [{ name: "mine", groups: [{ name: "mine", rules: [{ alert: "MineErrors", expr: 'sum(rate({service_name=~".*"}[5m])) > 1', severity: "warning", annotations: { summary: "s", description: "d" } }] }] }] } }), /stream selector 1 has no = or =~ matcher that needs a non-empty value/],
    ["a misspelt log setting from JavaScript", () => args({ logs: { loki: { retentionPeriod: "744h" } } }), /logs\.loki\.retentionPeriod is not a known field/],
    ["a log retention shorter than the index period", () => args({ logs: { loki: { retention: "12h" } } }), /loki: retention 12h is shorter than the 24h index period/],
    ["a volume smaller than the retention size", () => args({ prometheus: { storage: { retentionTime: "30d", retentionSize: "50GB" }, storageSizeGb: 20 } }), /storageSizeGb 20 GiB is smaller than storage\.retentionSize 50GB/],
    ["credentials in a remote-write URL", () => args({ prometheus: { remoteWrite: [{ name: "vm", url: "https://user:s3cret@vm.example.com/api/v1/write" }] } }), /remote_write "vm": url looks like a URL with a password in it/],
  ] as const)("%s: a ValidationError naming it, zero registrations", async (_name, make, culprit) => {
    const message = await failsCleanly(() => new MonitoringStack("t", make()), culprit);
    expect(message).not.toContain("s3cret");
  });
});

describe("each component registers nothing when its arguments are wrong", () => {
  it.each([
    ["PrometheusStack", () => new PrometheusStack("p", { platform, scrapeJobs: [{ name: "api", scrapeInterval: "15s", scrapeTimeout: "20s", staticConfigs: [{ targets: ["api:1"] }] }] }), /scrape_timeout 20s exceeds scrape_interval 15s/],
    ["AlertRouting", () => new AlertRouting("a", { platform, config: { route: { receiver: "x" }, receivers: [] } }), /receiver "x"|receiver x/],
    ["GrafanaWithDashboards", () => new GrafanaWithDashboards("g", { platform, prometheusUrl: "http://p:9090", adminPassword: "a", secretKey: "b", dashboards: buildDashboards() }), /reads recording rule/],
    ["Logs with a log recording rule and no remote write (its samples would be dropped)", () => new Logs("l", { platform, rulePacks: [LOG_RECORDINGS] }), /log rule group "mine" > record "service:log_lines:rate5m"[\s\S]*has nowhere to go[\s\S]*loki\.remoteWriteUrl/],
    ["Exporters", () => new Exporters("e", { platform, postgres: [{ name: "db", uri: "db:5432/app", user: "u" } as never] }), /postgres\[0\]\.password is required/],
  ] as const)("%s", async (_name, program, culprit) => {
    await failsCleanly(program, culprit);
  });
});

describe("log recording rules", () => {
  it("MonitoringStack sends their samples to its Prometheus: Loki's ruler remote-writes, Prometheus receives", async () => {
    const run = await runOffline(() => new MonitoringStack("t", args({ logs: { rulePacks: [LOG_RECORDINGS] } })));
    expect(run.error).toBeUndefined();
    const loki = parse(run.files.find((f) => f.path === "loki/loki.yaml")!.content as string);
    expect(loki.ruler.remote_write).toEqual({ enabled: true, clients: { prometheus: { url: "http://prometheus:9090/api/v1/write" } } });
    const prom = run.resources.find((r) => r.type === "docker:index/container:Container" && r.name.endsWith("prometheus"))!;
    expect(prom.inputs.command).toContain("--web.enable-remote-write-receiver");
    // Without log recording rules neither is set.
    const plain = await runOffline(() => new MonitoringStack("t", args({ logs: {} })));
    expect(parse(plain.files.find((f) => f.path === "loki/loki.yaml")!.content as string).ruler.remote_write).toBeUndefined();
    expect(plain.resources.find((r) => r.type === "docker:index/container:Container" && r.name.endsWith("prometheus"))!.inputs.command).not.toContain("--web.enable-remote-write-receiver");
  });
});

describe("the collector's place in the order", () => {
  it("its container waits for Loki and Jaeger (components) and so is deleted before them; without them it waits for nothing", async () => {
    const run = await runOffline(() => new MonitoringStack("t", args({ logs: {}, traces: {} })));
    expect(run.error).toBeUndefined();
    const container = (name: string) => run.resources.find((r) => r.type === "docker:index/container:Container" && r.name.endsWith(name))!;
    expect(container("otel-collector").dependsOn).toEqual(["t-logs", "t-traces"]);
    expect(container("loki").dependsOn).toBeUndefined();
    const alone = await runOffline(() => new Collector("c", { platform, jaegerOtlpGrpc: "jaeger:4317" }));
    expect(alone.resources.find((r) => r.type === "docker:index/container:Container")!.dependsOn).toBeUndefined();
  });
});

describe("silent mistakes become warnings naming the item", () => {
  it("a rule pack selecting a job no scrape job defines (renamed job, exporter not deployed)", async () => {
    const run = await runOffline(() => new MonitoringStack("t", args({ prometheus: { scrapeJobs: [{ name: "checkout-api", staticConfigs: [{ targets: ["api:3000"] }] }] } })));
    expect(run.error).toBeUndefined();
    const text = run.warnings.map((w) => `${w.item}: ${w.field} ${w.message}`);
    expect(text).toEqual(expect.arrayContaining([expect.stringMatching(/^rule pack "http": job selects job="api", which no scrape job defines \(jobs: .*checkout-api.*\): its alerts can never fire/)]));
    expect(text.some((t) => t.startsWith('rule pack "worker": job selects job="worker"'))).toBe(true);
  });

  it("an alert whose for is shorter than its group's interval, and a label value with a line break", async () => {
    const pack = { name: "mine", groups: [{ name: "mine", interval: "1m", rules: [{ alert: "MineDown", expr: "up == 0", for: "30s", severity: "warning" as const, labels: { team: "a\nb" }, annotations: { summary: "s", description: "d" } }] }], tests: [] };
    const run = await runOffline(() => new PrometheusStack("p", { platform, rulePacks: [pack] }));
    expect(run.error).toBeUndefined();
    const text = run.warnings.map((w) => `${w.item}: ${w.field} ${w.message}`);
    expect(text).toEqual(
      expect.arrayContaining([
        'rule group "mine" > alert "MineDown": for 30s is shorter than the group\'s evaluation interval 1m: the alert fires on the first evaluation that sees the condition, so `for` has no effect',
        expect.stringMatching(/^rule group "mine" > alert "MineDown": labels\.team contains a line break/),
      ]),
    );
  });

  it("routing is checked for the severities the packs use even when the caller passes none (prod)", async () => {
    const onlyCritical = { ...route.config, route: { ...route.config.route, routes: (route.config.route.routes ?? []).filter((r) => JSON.stringify(r.matchers ?? []).includes("critical")) } };
    await failsCleanly(() => new MonitoringStack("t", args({ alerting: { config: onlyCritical, tests: [] } })), /no route handles severity="warning"/);
  });
});

describe("rule packs for what the stack deploys", () => {
  it("MonitoringStack without packs ships the shipped packs minus those of exporters it does not run", async () => {
    const { prometheus, ...rest } = args();
    const { rulePacks: _packs, ...noPacks } = prometheus;
    const run = await runOffline(() => new MonitoringStack("t", { ...rest, prometheus: noPacks, exporters: { cadvisor: false } }));
    expect(run.error).toBeUndefined();
    const ruleFiles = run.files.filter((f) => f.path.startsWith("prometheus/rules/")).map((f) => f.path.slice("prometheus/rules/".length)).sort();
    expect(ruleFiles).toEqual(["availability.yml", "freshness.yml", "host.yml", "http.yml", "self-monitoring.yml", "slo-api-availability.yml", "slo-api-errors.yml", "slo-api-latency.yml", "worker.yml"]);
  });

  it("exporterPackSwitches: one switch per exporter pack", () => {
    expect(exporterPackSwitches({})).toEqual({ host: true, containers: true, endpoints: false, postgres: false, redis: false, kubernetes: false, telemetry: false });
    expect(exporterPackSwitches({ nodeExporter: false, cadvisor: false, builtinContainerMetrics: true, probes: [{}], postgres: [{}], redis: [{}], kubeStateMetrics: true, telemetry: true })).toEqual({
      host: false, containers: true, endpoints: true, postgres: true, redis: true, kubernetes: true, telemetry: true,
    });
  });
});
