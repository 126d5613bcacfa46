/**
 * The collector configs the stack runs, built from a few typed options: the agent (apps' OTLP traces and logs,
 * container log files, memory limiter and batch, exporters to Loki's OTLP endpoint and Jaeger's OTLP gRPC, span
 * metrics to Prometheus's OTLP receiver) and the capture collector the proofs use as Loki's stand-in (OTLP in,
 * a file out). Every config passes validateCollectorConfig and the built collector's `validate`.
 */
import type { CollectorConfig, CollectorPipeline, ComponentConfig } from "./model";

/**
 * The agent's ports unless `AgentCollectorOptions.ports` says otherwise: OTLP gRPC 4317 and HTTP 4318, health_check
 * 13133, its own metrics 8888.
 */
export const COLLECTOR_PORTS = { otlpGrpc: 4317, otlpHttp: 4318, health: 13133, metrics: 8888 } as const;

/** Where the agent finds container logs, per platform. */
export const CONTAINER_LOG_PATHS = {
  /** The Docker engine's json-file logs: `<id>/<id>-json.log`, read-only. */
  docker: { dir: "/var/lib/docker/containers", include: ["/var/lib/docker/containers/*/*-json.log"] },
  /** The kubelet's pod logs: `<namespace>_<pod>_<uid>/<container>/<n>.log`. */
  kubernetes: { dir: "/var/log/pods", include: ["/var/log/pods/*/*/*.log"] },
} as const;

/**
 * Options of `agentCollectorConfig`: the platform and its container logs, where logs, traces and span metrics go, the
 * memory limit, where read offsets are kept, and the bind address and ports.
 */
export interface AgentCollectorOptions {
  /** Which container logs to read (and how their paths name the container). */
  readonly platform: "docker" | "kubernetes";
  /** Read container log files. @default true */
  readonly containerLogs?: boolean;
  /** Log files the agent never reads (its own, to avoid a loop). @default none */
  readonly excludeLogs?: readonly string[];
  /** Loki's OTLP base URL (`http://loki:3100/otlp`; the exporter appends `/v1/logs`). Logs are dropped when absent. */
  readonly lokiOtlpUrl?: string;
  /** Jaeger's OTLP gRPC `host:port`. Traces are dropped when absent. */
  readonly jaegerOtlpGrpc?: string;
  /** Prometheus's OTLP receiver base URL (`http://prometheus:9090/api/v1/otlp`) for span metrics. @default none */
  readonly prometheusOtlpUrl?: string;
  /** Resource attributes added to everything (e.g. `deployment.environment.name`). @default none */
  readonly resourceAttributes?: Readonly<Record<string, string>>;
  /** The memory limiter's hard limit, MiB; set below the container limit. */
  readonly memoryLimitMib: number;
  /** Where file_log keeps its read offsets (a volume), so a restart neither re-reads nor skips. */
  readonly storageDir: string;
  /** The address the collector's endpoints bind. @default "0.0.0.0" (other containers reach it) */
  readonly listenHost?: string;
  /** Ports of its endpoints. @default COLLECTOR_PORTS */
  readonly ports?: Partial<Record<keyof typeof COLLECTOR_PORTS, number>>;
  /** Where the container log files are (the platform's directory, mounted read-only). @default CONTAINER_LOG_PATHS */
  readonly containerLogDir?: string;
  /** Where file_log starts in a file it has no offset for. @default "end" (history stays where it is) */
  readonly startAt?: "beginning" | "end";
}

const memoryLimiter = (mib: number): ComponentConfig => ({ check_interval: "1s", limit_mib: mib, spike_limit_mib: Math.max(1, Math.floor(mib / 5)) });

/** Docker's json-file lines: the container operator, the container id from the path, the name from `attrs.tag`. */
function dockerLogOperators(): unknown[] {
  return [
    { type: "container", format: "docker", add_metadata_from_filepath: false },
    { type: "regex_parser", id: "container-id", parse_from: 'attributes["log.file.path"]', regex: "^.*/containers/(?P<container_id>[0-9a-f]{64})/[^/]+$", on_error: "send" },
    { type: "move", id: "container-id-to-resource", if: 'attributes["container_id"] != nil', from: 'attributes["container_id"]', to: 'resource["container.id"]' },
    // `--log-opt tag={{.Name}}` (the Docker platform sets it on every container of the stack) puts the name in attrs.
    { type: "move", id: "container-name", if: 'attributes["attrs"] != nil and attributes["attrs"]["tag"] != nil', from: 'attributes["attrs"]["tag"]', to: 'resource["container.name"]' },
    { type: "copy", id: "service-name", if: 'resource["container.name"] != nil', from: 'resource["container.name"]', to: 'resource["service.name"]' },
    { type: "remove", id: "drop-attrs", if: 'attributes["attrs"] != nil', field: 'attributes["attrs"]' },
  ];
}

/** CRI lines under /var/log/pods: the container operator adds k8s.namespace.name, k8s.pod.name, k8s.container.name. */
function kubernetesLogOperators(): unknown[] {
  return [
    { type: "container", add_metadata_from_filepath: true },
    { type: "copy", id: "service-name", if: 'resource["k8s.container.name"] != nil', from: 'resource["k8s.container.name"]', to: 'resource["service.name"]' },
  ];
}

/**
 * The agent's config: an OTLP receiver and, with `containerLogs`, a file_log receiver for the platform's container
 * logs; memory limiter, resource attributes (if any) and batch; a logs pipeline to Loki, a traces pipeline to Jaeger
 * and, when Jaeger and Prometheus are both given, span metrics through the span_metrics connector to Prometheus's
 * OTLP receiver. A destination left out gets no pipeline; with none, a traces pipeline to the `debug` exporter keeps
 * the OTLP endpoint answering. Does not validate; `renderCollectorConfig` does.
 */
export function agentCollectorConfig(o: AgentCollectorOptions): CollectorConfig {
  // Container logs only when logs go somewhere: a receiver no pipeline uses would read the files for nothing.
  const containerLogs = (o.containerLogs ?? true) && o.lokiOtlpUrl !== undefined;
  const paths = CONTAINER_LOG_PATHS[o.platform];
  const host = o.listenHost ?? "0.0.0.0";
  const port = { ...COLLECTOR_PORTS, ...(o.ports ?? {}) };
  const include = o.containerLogDir === undefined ? [...paths.include] : paths.include.map((p) => p.replace(paths.dir, o.containerLogDir!));
  const receivers: Record<string, ComponentConfig> = {
    otlp: { protocols: { grpc: { endpoint: `${host}:${port.otlpGrpc}` }, http: { endpoint: `${host}:${port.otlpHttp}` } } },
  };
  if (containerLogs) {
    receivers[`file_log/${o.platform}`] = {
      include,
      ...(o.excludeLogs && o.excludeLogs.length > 0 ? { exclude: [...o.excludeLogs] } : {}),
      include_file_path: true,
      include_file_name: false,
      start_at: o.startAt ?? "end",
      storage: "file_storage",
      operators: o.platform === "docker" ? dockerLogOperators() : kubernetesLogOperators(),
    };
  }
  const resourceAttrs = Object.entries(o.resourceAttributes ?? {}).sort(([a], [b]) => (a < b ? -1 : 1));
  const processors: Record<string, ComponentConfig> = { memory_limiter: memoryLimiter(o.memoryLimitMib), batch: { timeout: "5s", send_batch_size: 1024 } };
  const chain = ["memory_limiter"];
  if (resourceAttrs.length > 0) {
    processors.resource = { attributes: resourceAttrs.map(([key, value]) => ({ key, value, action: "upsert" })) };
    chain.push("resource");
  }
  chain.push("batch");
  const exporters: Record<string, ComponentConfig> = {};
  const connectors: Record<string, ComponentConfig> = {};
  const pipelines: Record<string, CollectorPipeline> = {};
  if (o.lokiOtlpUrl !== undefined) {
    exporters["otlp_http/loki"] = { endpoint: o.lokiOtlpUrl, sending_queue: { enabled: true, queue_size: 1000 }, retry_on_failure: { enabled: true } };
    pipelines.logs = { receivers: ["otlp", ...(containerLogs ? [`file_log/${o.platform}`] : [])], processors: chain, exporters: ["otlp_http/loki"] };
  }
  if (o.jaegerOtlpGrpc !== undefined) {
    exporters["otlp_grpc/jaeger"] = { endpoint: o.jaegerOtlpGrpc, tls: { insecure: true }, sending_queue: { enabled: true, queue_size: 1000 }, retry_on_failure: { enabled: true } };
    const traceExporters = ["otlp_grpc/jaeger"];
    if (o.prometheusOtlpUrl !== undefined) {
      connectors.span_metrics = {
        histogram: { explicit: { buckets: ["5ms", "10ms", "25ms", "50ms", "100ms", "250ms", "500ms", "1s", "2.5s", "5s"] } },
        dimensions: [{ name: "http.route" }, { name: "http.response.status_code" }],
        exclude_dimensions: ["collector.instance.id"],
        metrics_flush_interval: "15s",
      };
      exporters["otlp_http/prometheus"] = { endpoint: o.prometheusOtlpUrl };
      traceExporters.push("span_metrics");
      pipelines["metrics/spans"] = { receivers: ["span_metrics"], processors: ["memory_limiter", "batch"], exporters: ["otlp_http/prometheus"] };
    }
    pipelines.traces = { receivers: ["otlp"], processors: chain, exporters: traceExporters };
  }
  if (Object.keys(pipelines).length === 0) {
    // Nothing to ship to: keep the OTLP endpoint answering (apps do not fail) and drop what arrives.
    exporters.debug = { verbosity: "basic" };
    pipelines.traces = { receivers: ["otlp"], processors: chain, exporters: ["debug"] };
  }
  return {
    extensions: {
      health_check: { endpoint: `${host}:${port.health}` },
      file_storage: { directory: o.storageDir, create_directory: true },
    },
    receivers,
    processors,
    exporters,
    connectors,
    service: { extensions: ["health_check", "file_storage"], pipelines, telemetry: { metricsHost: host, metricsPort: port.metrics } },
  };
}

/**
 * A collector that writes every log record, span and metric it receives over OTLP to one JSON-lines file: the
 * proofs' stand-in for Loki (which this project does not build), on Loki's port, so what the agent ships to
 * "Loki" can be read back exactly as sent.
 */
export function captureCollectorConfig(o: {
  readonly httpEndpoint: string;
  readonly grpcEndpoint?: string;
  readonly path: string;
  readonly healthEndpoint?: string;
  readonly metricsPort?: number;
  /** Where logs are posted: Loki's `/otlp/v1/logs` for a Loki stand-in. @default the collector's /v1/logs */
  readonly logsUrlPath?: string;
}): CollectorConfig {
  const protocols: Record<string, unknown> = { http: { endpoint: o.httpEndpoint, ...(o.logsUrlPath !== undefined ? { logs_url_path: o.logsUrlPath } : {}) } };
  if (o.grpcEndpoint !== undefined) protocols.grpc = { endpoint: o.grpcEndpoint };
  const file = { path: o.path, format: "json", flush_interval: "100ms" };
  return {
    extensions: o.healthEndpoint !== undefined ? { health_check: { endpoint: o.healthEndpoint } } : {},
    receivers: { otlp: { protocols } },
    exporters: { file },
    service: {
      extensions: o.healthEndpoint !== undefined ? ["health_check"] : [],
      pipelines: { logs: { receivers: ["otlp"], exporters: ["file"] }, traces: { receivers: ["otlp"], exporters: ["file"] } },
      telemetry: { metricsHost: "127.0.0.1", metricsPort: o.metricsPort ?? COLLECTOR_PORTS.metrics },
    },
  };
}
