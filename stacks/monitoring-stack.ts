/**
 * MonitoringStack: the whole stack on one platform — shared platform resources (the Docker network), exporters,
 * Alertmanager, Prometheus (scraping every component and exporter, alerting every Alertmanager peer) and Grafana
 * (reading Prometheus). Takes typed args; `stacks/compose.ts` builds them from validated stack config.
 *
 * Everything is resolved and validated first (`resolveMonitoringStack`, pure): when anything is wrong the
 * constructor throws before a single resource — not even the component itself — is registered, so a failed
 * `pulumi up` never leaves half a stack. `wireComponents` is the pure wiring between the components, given how
 * workloads address each other; the live end-to-end test uses it with loopback addresses, this component with the
 * platform's.
 */
import * as pulumi from "@pulumi/pulumi";
import { ALERTMANAGER_PORT, AlertRouting, alertmanagerScrapeJob, resolveAlertRouting, type AlertRoutingArgs, type ResolvedAlertRouting } from "../components/alert-routing";
import { Exporters, resolveExporters, type ExportersArgs, type ResolvedExporters } from "../components/exporters";
import { GRAFANA_PORT, GrafanaWithDashboards, grafanaScrapeJob, resolveGrafana, type GrafanaArgs, type ResolvedGrafana } from "../components/grafana";
import { platformDriver, preparePlatform, type Platform, type WorkloadSpec } from "../components/platform";
import { hostNamespaceOf } from "../components/platform/kubernetes";
import { needsHostAccess } from "../components/platform/kubernetes-objects";
import { PROMETHEUS_PORT, PrometheusStack, resolvePrometheusStack, type PrometheusStackArgs, type ResolvedPrometheusStack } from "../components/prometheus-stack";
import { Collector, resolveCollector, type CollectorArgs, type ResolvedCollector } from "../components/collector";
import { Logs, resolveLogs, type LogsArgs, type ResolvedLogs } from "../components/logs";
import { resolveTracing, Tracing, type ResolvedTracing, type TracingArgs } from "../components/tracing";
import { COLLECTOR_PORTS } from "../core/otelcol";
import { JAEGER_PORTS } from "../core/jaeger";
import { LOKI_DEFAULTS } from "../core/loki";
import { isLogAlertRule } from "../core/logql";
import { reportComponent } from "../components/report";
import { rememberResolved } from "../components/resolved";
import { alertRoutingFields, checkArgs, exportersFields, grafanaFields, lintLevelsShape, platformShape, prometheusFields, without } from "../components/shapes";
import { collectorFields, logsFields, tracingFields } from "../components/telemetry-shapes";
import { sortFiles, type RenderedFile } from "../core/files";
import type { ScrapeJob } from "../core/prometheus/model";
import { packAlerts, packRecordings, type RulePack } from "../core/rules/model";
import { exprText } from "../core/promql";
import { obj, req } from "../core/shape";
import { knownMetrics } from "../core/grafana/catalog";
import { factsOf } from "../core/grafana/lint-queries";
import type { LintLevels } from "../core/lint";
import { allSeveritiesUsed, buildRulePacks, exporterPackSwitches } from "../rules";
import { assertValid, issue, type ValidationIssue } from "../core/validation";

type NoPlatform<T> = Omit<T, "platform">;

/**
 * Arguments of `MonitoringStack`: one platform and the arguments of each part (exporters, alerting, Prometheus,
 * Grafana), which the stack wires together.
 */
export interface MonitoringStackArgs {
  readonly platform: Platform;
  /** Exporters and probes. @default node-exporter, cAdvisor and pushgateway */
  readonly exporters?: NoPlatform<ExportersArgs>;
  /**
   * Routing. `severities` defaults to the severities the rule packs use (each must be routed in prod), so a tree
   * that drops warnings cannot pass unnoticed.
   */
  readonly alerting: NoPlatform<AlertRoutingArgs>;
  /**
   * Prometheus; the Alertmanager peers are wired in by the stack. `rulePacks` defaults to the shipped packs for
   * what the stack deploys (`buildRulePacks` with `exporterPackSwitches`: no Redis pack without a Redis exporter).
   */
  readonly prometheus: Omit<PrometheusStackArgs, "platform" | "alertmanagers">;
  /**
   * Grafana; its Prometheus and Alertmanager URLs are wired in by the stack. `recordingRules` defaults to every
   * recording rule of the rule packs, so a dashboard reading one of them passes the lint.
   */
  readonly grafana: Omit<GrafanaArgs, "platform" | "prometheusUrl" | "alertmanagerUrl">;
  /** Lint levels for every component's content (a component's own `lint` wins). @default each rule's own */
  readonly lint?: LintLevels;
  /** Logs: Loki, its ruler alerting the stack's Alertmanager, fed by the collector. @default off */
  readonly logs?: Omit<LogsArgs, "platform" | "alertmanagerUrls">;
  /** Traces: Jaeger, fed by the collector; Grafana links traces, logs and metrics. @default off */
  readonly traces?: Omit<TracingArgs, "platform">;
  /** The collector (runs when logs or traces are on); its exporters are wired to Loki, Jaeger and Prometheus. */
  readonly collector?: Omit<CollectorArgs, "platform" | "lokiOtlpUrl" | "jaegerOtlpGrpc" | "prometheusOtlpUrl">;
}

/** `host:port` of a named workload port, as the other workloads of the stack reach it. */
export type AddressOf = (workload: string, port: number) => string;
/** `host:port` of every replica of a workload (Alertmanager peers). */
export type PeersOf = (workload: string, replicas: number, port: number) => string[];

export interface WiredComponents {
  readonly exporters: NoPlatform<ExportersArgs>;
  readonly alerting: NoPlatform<AlertRoutingArgs>;
  readonly prometheus: NoPlatform<PrometheusStackArgs>;
  readonly grafana: NoPlatform<GrafanaArgs>;
  readonly logs?: NoPlatform<LogsArgs>;
  readonly traces?: NoPlatform<TracingArgs>;
  readonly collector?: NoPlatform<CollectorArgs>;
}

/** Recording rule names of the packs (what dashboards may read). */
export function packRecordingNames(packs: readonly RulePack[]): string[] {
  return packs.flatMap((p) => packRecordings(p).map((r) => r.record));
}

/**
 * The metrics the packs' rules read (recording rules aside): the stack scrapes jobs exposing them, or the alerts
 * could never fire. With the exporters' catalogs, what the dashboard lint takes as known when nobody says.
 */
export function packMetricNames(packs: readonly RulePack[]): string[] {
  const out = new Set<string>();
  for (const p of packs) {
    for (const r of [...packAlerts(p), ...packRecordings(p)]) {
      for (const f of factsOf(exprText(r.expr))) if (f.metric !== undefined && !f.metric.includes(":")) out.add(f.metric);
    }
  }
  return [...out].sort();
}

/**
 * What the dashboard lint takes as exposed when the caller does not say: the exporters' catalogs, the metrics the
 * packs' rules read, and the application metrics the shipped dashboards are configured with (as this repository's
 * stacks pass them). A metric outside these — a typo in your own dashboard — is still reported.
 */
function defaultKnownMetrics(packs: readonly RulePack[]): string[] {
  // Required here, not at module load: the dashboards module brings the Grafana SDK, which a stack may never need.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { appMetrics } = require("../dashboards") as typeof import("../dashboards");
  return knownMetrics([...packMetricNames(packs), ...appMetrics()]);
}


/**
 * The wiring, pure: Prometheus scrapes itself, Alertmanager, Grafana and every exporter and probe; it alerts every
 * Alertmanager peer; Grafana reads Prometheus and Alertmanager. What the rule packs define flows on: their
 * severities to the routing checks, their recording rules to the dashboard lint (unless given explicitly).
 */
export function wireComponents(
  args: Omit<MonitoringStackArgs, "platform">,
  address: AddressOf,
  exporterJobs: readonly ScrapeJob[],
  peers: PeersOf = (w, _n, port) => [address(w, port)],
): WiredComponents {
  const am = address("alertmanager", ALERTMANAGER_PORT);
  // Every peer gets every alert (a load balancer would hand each alert to one peer only).
  const amPeers = peers("alertmanager", args.alerting.replicas ?? 1, ALERTMANAGER_PORT);
  const grafana = address("grafana", GRAFANA_PORT);
  const packs = args.prometheus.rulePacks ?? [];
  const lint = args.lint;
  const loki = args.logs ? address("loki", args.logs.loki?.httpPort ?? LOKI_DEFAULTS.httpPort) : undefined;
  const jaegerQuery = args.traces ? address("jaeger", JAEGER_PORTS.query) : undefined;
  const prometheusUrl = `http://${address("prometheus", PROMETHEUS_PORT)}`;
  const telemetry = args.logs !== undefined || args.traces !== undefined;
  // Log recording rules: the ruler remote-writes their samples to Prometheus.
  const logRecordings = (args.logs?.rulePacks ?? []).some((p) => p.groups.some((g) => g.rules.some((r) => !isLogAlertRule(r))));
  const logs = args.logs && logRecordings && args.logs.loki?.remoteWriteUrl === undefined ? { ...args.logs, loki: { ...(args.logs.loki ?? {}), remoteWriteUrl: `${prometheusUrl}/api/v1/write` } } : args.logs;
  return {
    ...(logs ? { logs: { ...(lint ? { lint } : {}), ...logs, alertmanagerUrls: amPeers.map((p) => `http://${p}`) } } : {}),
    ...(args.traces ? { traces: args.traces } : {}),
    ...(telemetry
      ? {
          collector: {
            ...(args.collector ?? {}),
            ...(loki ? { lokiOtlpUrl: `http://${loki}/otlp` } : {}),
            ...(args.traces ? { jaegerOtlpGrpc: address("jaeger", JAEGER_PORTS.otlpGrpc), prometheusOtlpUrl: `${prometheusUrl}/api/v1/otlp` } : {}),
          },
        }
      : {}),
    exporters: args.exporters ?? {},
    alerting: {
      ...(lint ? { lint } : {}),
      ...args.alerting,
      ...(args.alerting.severities === undefined && packs.length > 0 ? { severities: allSeveritiesUsed(packs) } : {}),
    },
    grafana: {
      ...(lint ? { lint } : {}),
      ...args.grafana,
      ...(args.grafana.recordingRules === undefined ? { recordingRules: packRecordingNames(packs) } : {}),
      ...(args.grafana.knownMetrics === undefined && packs.length > 0 ? { knownMetrics: defaultKnownMetrics(packs) } : {}),
      prometheusUrl,
      alertmanagerUrl: `http://${am}`,
      ...(loki ? { lokiUrl: `http://${loki}` } : {}),
      ...(jaegerQuery ? { jaegerUrl: `http://${jaegerQuery}` } : {}),
    },
    prometheus: {
      ...(lint ? { lint } : {}),
      ...args.prometheus,
      scrapeJobs: [
        ...(args.prometheus.scrapeJobs ?? []),
        alertmanagerScrapeJob(amPeers),
        grafanaScrapeJob(grafana),
        ...exporterJobs,
        ...(loki ? [{ name: "loki", staticConfigs: [{ targets: [loki] }] }] : []),
        ...(args.traces ? [{ name: "jaeger", staticConfigs: [{ targets: [address("jaeger", JAEGER_PORTS.metrics)] }] }] : []),
      ],
      alertmanagers: amPeers,
      ...(args.traces ? { otlpReceiver: true } : {}),
      ...(logRecordings ? { remoteWriteReceiver: true } : {}),
    },
  };
}

/** `job` matchers of an expression: `job="api"`, `job=~"blackbox.*"` (negations say nothing about which job). */
function jobMatchers(expr: string): { op: "=" | "=~"; value: string }[] {
  return [...expr.matchAll(/\bjob\s*(=~|=)\s*"((?:[^"\\]|\\.)*)"/g)].map((m) => ({ op: m[1] as "=" | "=~", value: m[2]! }));
}

/**
 * Warnings for rule packs that select a job no scrape job defines (a renamed job, a pack for an exporter that is
 * not deployed): such alerts can never fire. Named per pack with the fix.
 */
export function packJobWarnings(packs: readonly RulePack[], jobs: readonly string[]): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  for (const p of packs) {
    const wanted = new Map<string, { op: "=" | "=~"; value: string }>();
    for (const g of p.groups) for (const r of g.rules) for (const m of jobMatchers(exprText(r.expr))) wanted.set(`${m.op}${m.value}`, m);
    for (const m of wanted.values()) {
      let found: boolean;
      try {
        found = m.op === "=" ? jobs.includes(m.value) : jobs.some((j) => new RegExp(`^(?:${m.value})$`).test(j));
      } catch {
        found = true; // an invalid regex is the rule validator's finding
      }
      if (!found) {
        out.push(
          issue(
            `rule pack "${p.name}"`,
            "job",
            `selects job${m.op}"${m.value}", which no scrape job defines (jobs: ${jobs.join(", ")}): its alerts can never fire. Rename the job, set the pack's selector (content config), or leave the pack out`,
            "warning",
          ),
        );
      }
    }
  }
  return out;
}

/** Two workloads publishing the same host port on the same address: the second container would fail to start. */
export function hostPortClashes(specs: readonly WorkloadSpec[], platform: Platform): ValidationIssue[] {
  if (platform.kind !== "docker") return [];
  const bind = platform.bindAddress ?? "127.0.0.1";
  const taken = new Map<number, string>();
  const out: ValidationIssue[] = [];
  // A host-network workload (node-exporter) holds its port on the gateway address: a port published on every
  // address (0.0.0.0) or on the gateway itself cannot be bound next to it.
  if (bind === "0.0.0.0" || bind === "::") {
    for (const s of specs.filter((x) => x.host?.network)) for (const p of s.ports) taken.set(p.port, s.name);
  }
  for (const s of specs) {
    for (const p of s.ports.filter((x) => x.publish)) {
      const host = p.hostPort ?? p.port;
      const other = taken.get(host);
      if (other !== undefined && other !== s.name) out.push(issue(`workload "${s.name}"`, `ports.${p.name}`, `publishes host port ${host} on ${bind}, which "${other}" publishes too: give one of them another port (publishPort) or publish neither`));
      else taken.set(host, s.name);
    }
  }
  return out;
}

export interface ResolvedMonitoringStack {
  readonly wired: WiredComponents;
  readonly exporters: ResolvedExporters;
  readonly alerting: ResolvedAlertRouting;
  readonly grafana: ResolvedGrafana;
  readonly prometheus: ResolvedPrometheusStack;
  readonly logs?: ResolvedLogs;
  readonly traces?: ResolvedTracing;
  readonly collector?: ResolvedCollector;
  /** The platform the components deploy on (Kubernetes: with the collector's host namespace for NetworkPolicies). */
  readonly platform: Platform;
  /** Every workload of the stack (the platform prepares what they need: on Kubernetes the host namespace). */
  readonly specs: readonly WorkloadSpec[];
  readonly files: readonly RenderedFile[];
  readonly warnings: readonly ValidationIssue[];
  /** Warnings of the stack-wide checks alone (the components report their own). */
  readonly stackWarnings: readonly ValidationIssue[];
}

const monitoringStackShape = obj<MonitoringStackArgs>({
  platform: req(platformShape),
  exporters: without(exportersFields, "platform"),
  alerting: req(without(alertRoutingFields, "platform")),
  prometheus: req(without(prometheusFields, "platform", "alertmanagers")),
  lint: lintLevelsShape,
  grafana: req(without(grafanaFields, "platform", "prometheusUrl", "alertmanagerUrl", "lokiUrl", "jaegerUrl")),
  logs: without(logsFields, "platform", "alertmanagerUrls"),
  traces: without(tracingFields, "platform"),
  collector: without(collectorFields, "platform", "lokiOtlpUrl", "jaegerOtlpGrpc", "prometheusOtlpUrl"),
});

/**
 * Resolves and validates the whole stack without declaring anything: each component's render and checks, and
 * the checks only the whole stack can make (host ports, jobs the rule packs select). Throws a ValidationError
 * naming the item on the first failing component; returns every warning otherwise.
 */
export function resolveMonitoringStack(args: MonitoringStackArgs): ResolvedMonitoringStack {
  checkArgs("MonitoringStack", args, monitoringStackShape);
  const driver = platformDriver(args.platform);
  const exporters = resolveExporters({ platform: args.platform, ...(args.exporters ?? {}) }, driver.address);
  if (args.prometheus.rulePacks === undefined) {
    const e = args.exporters ?? {};
    const switches = exporterPackSwitches({ ...e, kubeStateMetrics: driver.clusterApi && (e.kubeStateMetrics ?? true), builtinContainerMetrics: driver.builtinContainerMetrics() !== undefined, telemetry: args.logs !== undefined || args.traces !== undefined });
    args = { ...args, prometheus: { ...args.prometheus, rulePacks: buildRulePacks({ packs: switches }) } };
  }
  // The collector first: its scrape job (a daemon, in the host namespace on Kubernetes) goes to Prometheus.
  const pre = wireComponents(args, driver.address, exporters.scrapeJobs, driver.peerAddresses);
  const collector = pre.collector ? resolveCollector({ platform: args.platform, ...pre.collector }) : undefined;
  const collectorJobs: ScrapeJob[] = collector
    ? [{ name: "otel-collector", ...driver.daemonTargets(collector.spec.name, "metrics", COLLECTOR_PORTS.metrics, collector.spec.host) }]
    : [];
  const wired = wireComponents(args, driver.address, [...exporters.scrapeJobs, ...collectorJobs], driver.peerAddresses);
  // Kubernetes: NetworkPolicies admit the collector from the host namespace. Docker: every container's log lines
  // carry its name, which the collector reads (json-file attrs.tag).
  const collectorNs = collector && args.platform.kind === "kubernetes" && needsHostAccess(collector.spec) ? hostNamespaceOf(args.platform) : undefined;
  const platform: Platform = collectorNs !== undefined && args.platform.kind === "kubernetes"
    ? { ...args.platform, workloadNamespaces: { ...(args.platform.workloadNamespaces ?? {}), [collector!.spec.name]: collectorNs } }
    : collector && collector.spec.host !== undefined && args.platform.kind === "docker"
      ? { ...args.platform, containerLogNames: true }
      : args.platform;
  const alerting = resolveAlertRouting({ platform, ...wired.alerting });
  const grafana = resolveGrafana({ platform, ...wired.grafana });
  const prometheus = resolvePrometheusStack({ platform, ...wired.prometheus });
  const logs = wired.logs ? resolveLogs({ platform, ...wired.logs }) : undefined;
  const traces = wired.traces ? resolveTracing({ platform, ...wired.traces }) : undefined;
  const specs = [...exporters.workloads, alerting.spec, grafana.spec, prometheus.spec, ...[logs, traces, collector].flatMap((r) => (r ? [r.spec] : []))];
  const jobs = prometheus.config.scrapeJobs.map((j) => j.name);
  const stackIssues = [...hostPortClashes(specs, args.platform), ...packJobWarnings(wired.prometheus.rulePacks ?? [], jobs)];
  const stackWarnings = assertValid("MonitoringStack", stackIssues);
  return {
    wired,
    exporters,
    alerting,
    grafana,
    prometheus,
    ...(logs ? { logs } : {}),
    ...(traces ? { traces } : {}),
    ...(collector ? { collector } : {}),
    platform,
    specs,
    files: sortFiles([...prometheus.files, ...alerting.files, ...grafana.files, ...exporters.files, ...(logs?.files ?? []), ...(traces?.files ?? []), ...(collector?.files ?? [])]),
    warnings: [...prometheus.warnings, ...alerting.warnings, ...grafana.warnings, ...(logs?.warnings ?? []), ...stackWarnings],
    stackWarnings,
  };
}

/**
 * A whole monitoring stack (type `moncode:stack:MonitoringStack`): exporters, Prometheus with the shipped rule packs,
 * Alertmanager and Grafana, wired together on one platform. Stack-wide checks run before any resource is declared.
 */
export class MonitoringStack extends pulumi.ComponentResource {
  public readonly exporters: Exporters;
  public readonly alerting: AlertRouting;
  public readonly prometheus: PrometheusStack;
  public readonly grafana: GrafanaWithDashboards;
  public readonly logs?: Logs;
  public readonly traces?: Tracing;
  public readonly collector?: Collector;
  /** Every rendered artifact of the stack, by output path (for synth, review and diff). */
  public readonly files: readonly RenderedFile[];
  public readonly warnings: readonly ValidationIssue[];

  constructor(name: string, args: MonitoringStackArgs, opts?: pulumi.ComponentResourceOptions) {
    // Validation first: a ValidationError here registers nothing at all.
    const resolved = resolveMonitoringStack(args);
    super("moncode:stack:MonitoringStack", name, {}, opts);
    const platform = preparePlatform(resolved.platform, { parent: this, name }, resolved.specs);
    const child = { parent: this };
    const { wired } = resolved;
    this.exporters = new Exporters(`${name}-exporters`, rememberResolved({ platform, ...wired.exporters }, resolved.exporters), child);
    this.alerting = new AlertRouting(`${name}-alerting`, rememberResolved({ platform, ...wired.alerting }, resolved.alerting), child);
    this.grafana = new GrafanaWithDashboards(`${name}-grafana`, rememberResolved({ platform, ...wired.grafana }, resolved.grafana), child);
    this.prometheus = new PrometheusStack(`${name}-prometheus`, rememberResolved({ platform, ...wired.prometheus }, resolved.prometheus), child);
    if (wired.logs && resolved.logs) this.logs = new Logs(`${name}-logs`, rememberResolved({ platform, ...wired.logs }, resolved.logs), child);
    if (wired.traces && resolved.traces) this.traces = new Tracing(`${name}-traces`, rememberResolved({ platform, ...wired.traces }, resolved.traces), child);
    // After Loki and Jaeger: on destroy the collector stops first and its last batches still reach them.
    const shipsTo = [this.logs, this.traces].filter((c): c is Logs | Tracing => c !== undefined);
    if (wired.collector && resolved.collector) this.collector = new Collector(`${name}-collector`, rememberResolved({ platform, ...wired.collector }, resolved.collector), { ...child, ...(shipsTo.length > 0 ? { dependsOn: shipsTo } : {}) });
    this.files = resolved.files;
    this.warnings = resolved.warnings;
    reportComponent({ type: "MonitoringStack", name, files: [], warnings: resolved.stackWarnings });
    this.registerOutputs({});
  }
}
