/**
 * Collector: the OpenTelemetry Collector contrib (0.165.0) as the stack's one agent for logs and traces: the apps'
 * OTLP, the platform's container log files (read-only), memory limiter and batch, logs to Loki's OTLP endpoint,
 * traces to Jaeger, span metrics to Prometheus's OTLP receiver, its own metrics scraped.
 *
 * Host access (documented exceptions): on Docker it reads the engine's json-file logs (`<dataRoot>/containers` on
 * the host, mounted read-only at /var/lib/docker/containers), which are root's (files 0640, directories 0710), so it
 * runs as root with every capability dropped; on Kubernetes it is a DaemonSet
 * reading /var/log/pods as its image user with group 0, in the host namespace at Pod Security `privileged` (hostPath
 * is refused at baseline; node-exporter runs there too), so the stack's namespace keeps `restricted`. The image is FROM scratch: Docker
 * cannot probe it from inside (no healthcheck there); Kubernetes probes health_check's :13133.
 */
import * as pulumi from "@pulumi/pulumi";
import type { RenderedFile } from "../core/files";
import { agentCollectorConfig, COLLECTOR_PORTS, CONTAINER_LOG_PATHS, renderCollectorConfig, validateCollectorConfig } from "../core/otelcol";
import type { ScrapeJob } from "../core/prometheus/model";
import { assertValid, finding, ValidationError, type ValidationIssue } from "../core/validation";
import { configHash } from "./hash";
import { TELEMETRY_IMAGES, TELEMETRY_IMAGE_USERS } from "./images";
import { platformDriver, type Platform, type WorkloadResources, type WorkloadSpec } from "./platform";
import { dockerContainersDir } from "./platform/docker";
import { hostNamespaceOf } from "./platform/kubernetes";
import { objectName } from "./platform/kubernetes-objects";
import { reportComponent } from "./report";
import { takeResolved } from "./resolved";
import { checkArgs } from "./shapes";
import { collectorArgsShape } from "./telemetry-shapes";

/**
 * Arguments of `Collector`: the platform, where logs, traces and span metrics go (a destination left unset is not
 * shipped to), whether to read the platform's container logs, the agent's limits and whether its OTLP ports are
 * published.
 */
export interface CollectorArgs {
  readonly platform: Platform;
  /** Loki's OTLP base URL (Logs' `otlpUrl`). Logs are not shipped without it. @default none */
  readonly lokiOtlpUrl?: string;
  /** Jaeger's OTLP gRPC `host:port` (Tracing's `otlpGrpcAddress`). Traces are not shipped without it. @default none */
  readonly jaegerOtlpGrpc?: string;
  /**
   * Prometheus's OTLP receiver base URL for span metrics (Prometheus needs `--web.enable-otlp-receiver`); used only
   * with `jaegerOtlpGrpc` (span metrics come from the traces pipeline). @default none
   */
  readonly prometheusOtlpUrl?: string;
  /** Read the platform's container logs (when `lokiOtlpUrl` is set: they go nowhere else). @default true */
  readonly containerLogs?: boolean;
  /** `deployment.environment.name` on everything shipped. @default none */
  readonly environment?: string;
  /** @default { memoryMb: 256, cpus: 0.5 } */
  readonly resources?: WorkloadResources;
  /** Publish the OTLP ports on the host (apps outside the stack's network). @default false */
  readonly publishOtlp?: boolean;
}

export const COLLECTOR_CONFIG_PATH = "/etc/otelcol-contrib/config.yaml";
export const COLLECTOR_ARTIFACT = "otelcol/config.yaml";
const STATE_DIR = "/var/lib/otelcol";

export interface ResolvedCollector {
  readonly files: readonly RenderedFile[];
  readonly spec: WorkloadSpec;
  readonly warnings: readonly ValidationIssue[];
}

/** Container logs are read (and the host's log files mounted) only when logs are shipped to Loki. */
function readsContainerLogs(args: CollectorArgs): boolean {
  return (args.containerLogs ?? true) && args.lokiOtlpUrl !== undefined;
}

/** The arguments' own problems, in their terms (the rendered config is checked again by validateCollectorConfig). */
export function collectorArgIssues(args: CollectorArgs): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  const bad = (field: string, message: string) => out.push(finding("otelcol/invalid", "Collector", field, message));
  if (readsContainerLogs(args) && !platformDriver(args.platform).admitsHostAccess) {
    bad("containerLogs", 'reading the nodes\' pod logs (/var/log/pods) is host access, which only the "privileged" Pod Security level admits: with createNamespace: false name a namespace at that level in kubernetes.hostNamespace, or set containerLogs: false');
  }
  if (args.platform.kind === "docker" && args.platform.dataRoot !== undefined && !/^\/\S*$/.test(args.platform.dataRoot)) {
    bad("platform.dataRoot", `"${args.platform.dataRoot}" must be an absolute path: the engine's data root on its host (docker info → Docker Root Dir)`);
  }
  if (args.lokiOtlpUrl !== undefined && !/^https?:\/\/[^/\s]+(\/\S*)?$/.test(args.lokiOtlpUrl)) bad("lokiOtlpUrl", `"${args.lokiOtlpUrl}" is not an http(s) URL`);
  if (args.prometheusOtlpUrl !== undefined && !/^https?:\/\/[^/\s]+(\/\S*)?$/.test(args.prometheusOtlpUrl)) bad("prometheusOtlpUrl", `"${args.prometheusOtlpUrl}" is not an http(s) URL`);
  if (args.jaegerOtlpGrpc !== undefined && !/^[^\s:/]+:\d{1,5}$/.test(args.jaegerOtlpGrpc)) bad("jaegerOtlpGrpc", `"${args.jaegerOtlpGrpc}" is not host:port (gRPC takes no scheme)`);
  const r = args.resources;
  // The memory limiter needs headroom: below 64 MiB the collector cannot hold one batch of logs.
  if (r !== undefined && (!(r.memoryMb >= 64) || !(r.cpus > 0))) bad("resources", `memoryMb must be at least 64 and cpus above 0, got ${JSON.stringify(r)}`);
  return out;
}

/**
 * The pure part of `Collector`: checks the args, builds the agent's config (`agentCollectorConfig`, its memory limiter
 * at 80% of the memory limit) and renders otelcol/config.yaml, without declaring resources. Throws a ValidationError
 * naming every culprit, among them container logs on a Kubernetes platform without host access; returns the file and
 * the daemon workload otherwise.
 */
export function resolveCollector(args: CollectorArgs): ResolvedCollector {
  checkArgs("Collector", args, collectorArgsShape);
  const argWarnings = assertValid("Collector", collectorArgIssues(args));
  const kind = args.platform.kind;
  const containerLogs = readsContainerLogs(args);
  const resources = args.resources ?? { memoryMb: 256, cpus: 0.5 };
  // Kubernetes: reading /var/log/pods is host access, so it runs in the host namespace (Pod Security privileged).
  const namespace = args.platform.kind === "kubernetes" && containerLogs ? (hostNamespaceOf(args.platform) ?? args.platform.namespace) : undefined;
  const config = agentCollectorConfig({
    platform: kind,
    containerLogs,
    ...(args.lokiOtlpUrl !== undefined ? { lokiOtlpUrl: args.lokiOtlpUrl } : {}),
    ...(args.jaegerOtlpGrpc !== undefined ? { jaegerOtlpGrpc: args.jaegerOtlpGrpc } : {}),
    ...(args.prometheusOtlpUrl !== undefined ? { prometheusOtlpUrl: args.prometheusOtlpUrl } : {}),
    ...(args.environment !== undefined ? { resourceAttributes: { "deployment.environment.name": args.environment } } : {}),
    // Its own pods' logs (`<namespace>_<pod>_<uid>`) would come back through itself: skip them.
    ...(namespace !== undefined && args.platform.kind === "kubernetes" ? { excludeLogs: [`${CONTAINER_LOG_PATHS.kubernetes.dir}/${namespace}_${objectName(args.platform, "otel-collector")}-*/*/*.log`] } : {}),
    // The limiter refuses data before the container limit is reached (80% of it), so the kernel never kills it.
    memoryLimitMib: Math.floor(resources.memoryMb * 0.8),
    storageDir: STATE_DIR,
  });
  let text: string;
  try {
    text = renderCollectorConfig(config, "otel-collector");
  } catch (e) {
    if (e instanceof ValidationError) throw new ValidationError("Collector", e.issues);
    throw e;
  }
  const files: RenderedFile[] = [{ path: COLLECTOR_ARTIFACT, content: text }];
  const logs = CONTAINER_LOG_PATHS[kind];
  // Docker: the engine's containers/ directory wherever its data root is on the host, at the fixed path the
  // file_log include patterns name inside the container.
  const logSource = args.platform.kind === "docker" ? dockerContainersDir(args.platform) : logs.dir;
  const publish = args.publishOtlp ?? false;
  const spec: WorkloadSpec = {
    name: "otel-collector",
    component: "collector",
    image: TELEMETRY_IMAGES.otelCollector,
    args: [`--config=${COLLECTOR_CONFIG_PATH}`],
    files: [{ path: COLLECTOR_CONFIG_PATH, content: text }],
    ports: [
      // Applications send from anywhere (they are not the stack's workloads).
      { name: "otlp-grpc", port: COLLECTOR_PORTS.otlpGrpc, clients: "any", ...(publish ? { publish: true } : {}) },
      { name: "otlp-http", port: COLLECTOR_PORTS.otlpHttp, clients: "any", ...(publish ? { publish: true } : {}) },
      { name: "metrics", port: COLLECTOR_PORTS.metrics },
    ],
    // file_log's read offsets; on Kubernetes a daemon's scratch volume (they survive container restarts, not pod moves).
    volumes: [{ name: "state", mountPath: STATE_DIR }],
    healthcheck: { path: "/", port: COLLECTOR_PORTS.health, imageHasHttpClient: false },
    resources,
    user: TELEMETRY_IMAGE_USERS.otelCollector,
    configHash: configHash(files, [TELEMETRY_IMAGES.otelCollector]),
    kind: "daemon",
    ...(containerLogs
      ? {
          host: { mounts: [{ hostPath: logSource, containerPath: logs.dir, readOnly: true as const, reason: "container log files, read-only" }], rootRead: true },
        }
      : {}),
  };
  // The renderer throws on errors only; its warnings (deprecated component names, …) are reported from here.
  return { files, spec, warnings: [...argWarnings, ...validateCollectorConfig(config, { name: "otel-collector" }).filter((i) => i.severity === "warning")] };
}

/** The resources given directly in a component's `dependsOn` (outputs and promises of resources are not read). */
function componentDependsOn(opts: pulumi.ComponentResourceOptions | undefined): pulumi.Resource[] {
  const d = opts?.dependsOn;
  const list: unknown[] = d === undefined ? [] : Array.isArray(d) ? d : [d];
  return list.filter((x): x is pulumi.Resource => pulumi.Resource.isInstance(x));
}

/**
 * The OpenTelemetry Collector as the stack's agent (type `moncode:collector:Collector`), one per node (a DaemonSet on
 * Kubernetes): receives the apps' OTLP, reads the container logs, ships logs to Loki, traces to Jaeger and span
 * metrics to Prometheus. Everything is validated before any resource is declared: bad args throw a ValidationError
 * and declare nothing. Resources given directly in `dependsOn` (MonitoringStack: Logs and Tracing) are waited for by
 * its container or DaemonSet, which is then deleted before them.
 */
export class Collector extends pulumi.ComponentResource {
  /** `host:port` of the OTLP gRPC and HTTP receivers (what applications set as OTEL_EXPORTER_OTLP_ENDPOINT). */
  public readonly otlpGrpcAddress: string;
  public readonly otlpHttpAddress: string;
  public readonly files: readonly RenderedFile[];
  public readonly warnings: readonly ValidationIssue[];
  public readonly scrapeJobs: readonly ScrapeJob[];

  constructor(name: string, args: CollectorArgs, opts?: pulumi.ComponentResourceOptions) {
    const resolved = takeResolved<ResolvedCollector>(args) ?? resolveCollector(args);
    super("moncode:collector:Collector", name, {}, opts);
    const driver = platformDriver(args.platform);
    // Its containers come after (and go before) what it ships to, when those are given as dependsOn resources.
    const after = componentDependsOn(opts);
    const deployed = driver.deploy(resolved.spec, { parent: this, name, ...(after.length > 0 ? { after } : {}) });
    this.otlpGrpcAddress = deployed.address("otlp-grpc");
    this.otlpHttpAddress = deployed.address("otlp-http");
    this.files = resolved.files;
    this.warnings = resolved.warnings;
    this.scrapeJobs = [{ name: "otel-collector", ...driver.daemonTargets("otel-collector", "metrics", COLLECTOR_PORTS.metrics, resolved.spec.host) }];
    reportComponent({ type: "Collector", name, files: this.files, warnings: this.warnings });
    this.registerOutputs({ otlpGrpcAddress: this.otlpGrpcAddress, otlpHttpAddress: this.otlpHttpAddress });
  }
}
