/**
 * The dev stack rendered for loopback: the same `Pulumi.dev.yaml`, the same `composeStackArgs` and
 * `wireComponents`, the same pure resolvers the Pulumi components call — only the addressing differs (every
 * workload on 127.0.0.1 at a port picked here) and a few values are overridden through the typed config and model
 * so that the live test runs in minutes:
 *  - scrape and evaluation every second, and a short `for` on the alerts the test provokes (typed rule overrides);
 *  - receivers keep their names and routes but deliver to the test's webhook (typed Alertmanager model);
 *  - cAdvisor is off: it needs a Docker engine, which the loopback run does not have.
 */
import * as pulumi from "@pulumi/pulumi";
import { resolveAlertRouting } from "../../../components/alert-routing";
import { resolveExporters } from "../../../components/exporters";
import { resolveGrafana } from "../../../components/grafana";
import { PROMETHEUS_PORT, resolvePrometheusStack } from "../../../components/prometheus-stack";
import { platformDriver, type WorkloadSpec } from "../../../components/platform";
import type { AlertmanagerConfig } from "../../../core/alertmanager/model";
import type { RenderedFile } from "../../../core/files";
import type { PrometheusConfig, ScrapeJob } from "../../../core/prometheus/model";
import type { RulePack } from "../../../core/rules/model";
import { loadStackFile } from "../../../cli/stack-file";
import { composeStackArgs } from "../../../stacks/compose";
import { parseStackConfig, type StackConfig, type StackConfigInput } from "../../../stacks/config";
import { wireComponents, type MonitoringStackArgs } from "../../../stacks/monitoring-stack";

/** Host ports of the monitored workload as the dev stack file names them (`host.docker.internal:<port>`). */
export interface MonitoredPorts {
  /** The stack file's port → the loopback port the demo program listens on. */
  readonly [stackFilePort: number]: number;
}

export interface E2eRenderOptions {
  readonly projectDir: string;
  /** Loopback port of every stack workload by workload name (prometheus, alertmanager, node-exporter, …). */
  readonly ports: Readonly<Record<string, number>>;
  /** `host.docker.internal:<port>` in the stack file → the loopback port of the demo program. */
  readonly monitored: MonitoredPorts;
  readonly webhookUrl: (receiver: string) => string;
  readonly secrets: Readonly<Record<string, string>>;
  /** Alerts the test provokes, with the short `for` they get. */
  readonly shortFor: Readonly<Record<string, string>>;
  readonly interval: string;
  /** More typed rule changes, as a user would make them in the stack file (hot reload, invalid config). */
  readonly rules?: { readonly overrides?: Readonly<Record<string, Readonly<Record<string, unknown>>>>; readonly thresholds?: Readonly<Record<string, Readonly<Record<string, number | string>>>> };
}

export interface E2eRender {
  readonly config: StackConfig;
  readonly args: MonitoringStackArgs;
  readonly prometheusConfig: PrometheusConfig;
  readonly alertmanagerConfig: AlertmanagerConfig;
  readonly rulePacks: readonly RulePack[];
  /** Every workload the components would deploy, with their rendered files. */
  readonly workloads: readonly WorkloadSpec[];
  readonly files: readonly RenderedFile[];
  readonly address: (workload: string, port: number) => string;
}

const DOCKER_HOST = "host.docker.internal";

/** Rewrites every `host.docker.internal:<port>` in the config tree to the loopback port of the demo program. */
function toLoopback<T>(v: T, monitored: MonitoredPorts, unmapped: Set<string>): T {
  if (typeof v === "string") {
    return v.replace(new RegExp(`${DOCKER_HOST}:(\\d+)`, "g"), (whole, port: string) => {
      const mapped = monitored[Number(port)];
      if (mapped === undefined) {
        unmapped.add(whole);
        return whole;
      }
      return `127.0.0.1:${mapped}`;
    }) as T;
  }
  if (Array.isArray(v)) return v.map((x) => toLoopback(x, monitored, unmapped)) as T;
  if (v !== null && typeof v === "object") {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toLoopback(x, monitored, unmapped)])) as T;
  }
  return v;
}

type Overrides = Readonly<Record<string, Readonly<Record<string, unknown>>>>;

/** Per-alert overrides laid over each other field by field. */
export function mergeOverrides(...layers: readonly Overrides[]): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const layer of layers) for (const [alert, o] of Object.entries(layer)) out[alert] = { ...(out[alert] ?? {}), ...o };
  return out;
}

/** The dev stack file's config with the e2e overrides, validated by the same schema as `pulumi up` uses. */
export function e2eStackConfig(opts: E2eRenderOptions): StackConfig {
  const file = loadStackFile(opts.projectDir, "dev");
  const raw = JSON.parse(file.config[`${file.project}:stack`] ?? "null") as StackConfigInput;
  const unmapped = new Set<string>();
  const loop = toLoopback(raw, opts.monitored, unmapped);
  // The SMTP relay is not used: receivers deliver to the webhook instead (see routeToWebhook).
  const stray = [...unmapped].filter((a) => a !== loop.alerting.smtp.smarthost);
  if (stray.length > 0) throw new Error(`dev stack addresses without a loopback program: ${stray.join(", ")}`);
  const input: StackConfigInput = {
    ...loop,
    prometheus: { ...loop.prometheus, scrapeInterval: opts.interval, evaluationInterval: opts.interval },
    services: (loop.services ?? []).map((s) => ({ ...s, scrapeInterval: opts.interval })),
    exporters: { ...loop.exporters, cadvisor: false },
    rules: {
      ...loop.rules,
      thresholds: { ...(loop.rules?.thresholds ?? {}), ...(opts.rules?.thresholds ?? {}) },
      overrides: mergeOverrides(loop.rules?.overrides ?? {}, Object.fromEntries(Object.entries(opts.shortFor).map(([a, f]) => [a, { for: f }])), opts.rules?.overrides ?? {}),
    },
    // The prod routing tree on the dev stack (a documented dev option): severity receivers, component teams and
    // inhibition are what the live test proves, not a single catch-all receiver.
    alerting: { ...loop.alerting, dev: { ...(loop.alerting.dev ?? {}), prodRouting: true } },
    // Not run by this harness yet: Loki is not built (AGPL), and the collector and Jaeger path is proven with the
    // real programs in test/telemetry/pipeline.test.ts (README, "Logs and traces").
    logs: { enabled: false },
    traces: { enabled: false },
  };
  return parseStackConfig(input, "e2e overrides of Pulumi.dev.yaml");
}

/** Same receivers (names, routes, inhibition) but each delivers to the test's webhook. */
export function routeToWebhook(cfg: AlertmanagerConfig, url: (receiver: string) => string): AlertmanagerConfig {
  return {
    ...cfg,
    receivers: cfg.receivers.map((r) => ({ name: r.name, webhook: [{ url: url(r.name), sendResolved: true }] })),
  };
}

/**
 * Targets the platform driver addresses itself rather than through the address function (node-exporter's
 * per-node targets, `driver.daemonTargets`: on Docker the stack network's gateway address), moved to loopback the
 * same way as `<workload>:<container port>` ones.
 */
function readdress(job: ScrapeJob, ports: Readonly<Record<string, number>>, address: (w: string, p: number) => string, daemonHost: string): ScrapeJob {
  if (!job.staticConfigs) return job;
  const move = (t: string) => {
    const m = /^([a-z0-9.-]+):(\d+)$/.exec(t);
    const workload = m?.[1] === daemonHost ? "node-exporter" : m?.[1];
    return m && workload !== undefined && ports[workload] !== undefined ? address(workload, Number(m[2])) : t;
  };
  return { ...job, staticConfigs: job.staticConfigs.map((g) => ({ ...g, targets: g.targets.map(move) })) };
}

export function renderE2eStack(opts: E2eRenderOptions): E2eRender {
  const config = e2eStackConfig(opts);
  const composed = composeStackArgs({
    stackName: "e2e",
    config,
    secrets: { get: (k) => (opts.secrets[k] !== undefined ? pulumi.secret(opts.secrets[k]) : undefined) },
    grafanaAdminPassword: pulumi.secret(opts.secrets.grafanaAdminPassword ?? "e2e-admin"),
    grafanaSecretKey: pulumi.secret("e2e-secret-key"),
  });
  const alertmanagerConfig = routeToWebhook(composed.alerting.config, opts.webhookUrl);
  // Only credentials of receivers that still exist may be passed (resolveAlertRouting rejects unused secrets).
  const args: MonitoringStackArgs = {
    ...composed,
    alerting: { ...composed.alerting, config: alertmanagerConfig, secrets: {} },
    prometheus: {
      ...composed.prometheus,
      // Stack config has no scrape timeout; Prometheus requires timeout <= interval.
      global: { ...composed.prometheus.global, scrapeTimeout: opts.interval },
    },
  };
  const address = (workload: string, port: number): string => {
    const p = opts.ports[workload];
    if (p === undefined) throw new Error(`no loopback port for workload "${workload}" (container port ${port})`);
    return `127.0.0.1:${p}`;
  };
  const platform = args.platform;
  const exporters = resolveExporters({ platform, ...(args.exporters ?? {}) }, address);
  const daemonHost = platformDriver(platform).daemonListenAddress(0).replace(/:0$/, "");
  const wired = wireComponents(args, address, exporters.scrapeJobs.map((j) => readdress(j, opts.ports, address, daemonHost)));
  // The component scrapes itself at localhost:<container port>; on loopback it listens on its picked port.
  const prometheus = resolvePrometheusStack({
    platform,
    ...wired.prometheus,
    selfScrape: false,
    scrapeJobs: [{ name: "prometheus", staticConfigs: [{ targets: [address("prometheus", PROMETHEUS_PORT)] }] }, ...(wired.prometheus.scrapeJobs ?? [])],
  });
  const alerting = resolveAlertRouting({ platform, ...wired.alerting });
  const grafana = resolveGrafana({ platform, ...wired.grafana });
  return {
    config,
    args,
    prometheusConfig: prometheus.config,
    alertmanagerConfig,
    rulePacks: wired.prometheus.rulePacks ?? [],
    workloads: [prometheus.spec, alerting.spec, grafana.spec, ...exporters.workloads],
    files: [...prometheus.files, ...alerting.files, ...grafana.files, ...exporters.files],
    address,
  };
}
