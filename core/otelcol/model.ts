/**
 * The OpenTelemetry Collector's configuration as the collector reads it: components by id (`type` or
 * `type/name`) in five sections, and a service that wires them into pipelines. The build the stack deploys
 * (otel/opentelemetry-collector-contrib 0.165.0; the proofs run tools/otelcol/manifest.yaml's build of it) uses
 * the component names of collector 0.165: `otlp_grpc`, `otlp_http`, `file_log`, `span_metrics`. Values only.
 */

export type CollectorSection = "receivers" | "processors" | "exporters" | "connectors" | "extensions";
/** A telemetry signal; a pipeline's id starts with the one it carries (`traces`, `logs/loki`). */
export type Signal = "traces" | "logs" | "metrics";

/** One component's settings as the collector reads them (snake_case keys), written to the file as given. */
export type ComponentConfig = Readonly<Record<string, unknown>>;

/**
 * One pipeline, by component id: the receivers (or connectors) it takes from, its processors in order, and the
 * exporters (or connectors) it sends to.
 */
export interface CollectorPipeline {
  readonly receivers: readonly string[];
  readonly processors?: readonly string[];
  readonly exporters: readonly string[];
}

/** The collector's own telemetry: where it serves its metrics for Prometheus, and its log level. */
export interface CollectorTelemetry {
  /** Address the collector's own metrics listen on (the port is `metricsPort`). @default "0.0.0.0" */
  readonly metricsHost?: string;
  readonly metricsPort?: number;
  /** @default "info" */
  readonly logLevel?: "debug" | "info" | "warn" | "error";
}

/**
 * A collector config: components by id in each section and the service that wires them into pipelines. Render it with
 * `renderCollectorConfig`.
 */
export interface CollectorConfig {
  readonly receivers: Readonly<Record<string, ComponentConfig>>;
  readonly processors?: Readonly<Record<string, ComponentConfig>>;
  readonly exporters: Readonly<Record<string, ComponentConfig>>;
  readonly connectors?: Readonly<Record<string, ComponentConfig>>;
  readonly extensions?: Readonly<Record<string, ComponentConfig>>;
  readonly service: {
    readonly extensions?: readonly string[];
    /** By id: `traces`, `logs/loki`, `metrics/spans`; the part before `/` is the signal. */
    readonly pipelines: Readonly<Record<string, CollectorPipeline>>;
    readonly telemetry?: CollectorTelemetry;
  };
}

/**
 * The component types of the collector build, by section (tools/otelcol/manifest.yaml; `otelcol-contrib
 * components` lists the same), with the signals each handles. Deprecated aliases the build still accepts are
 * mapped to their new names, so a config that uses one gets a warning rather than a surprise when it is dropped.
 */
export const COLLECTOR_COMPONENTS: Readonly<Record<CollectorSection, Readonly<Record<string, readonly Signal[]>>>> = {
  receivers: { otlp: ["traces", "logs", "metrics"], file_log: ["logs"] },
  processors: { batch: ["traces", "logs", "metrics"], memory_limiter: ["traces", "logs", "metrics"], resource: ["traces", "logs", "metrics"] },
  exporters: { otlp_grpc: ["traces", "logs", "metrics"], otlp_http: ["traces", "logs", "metrics"], debug: ["traces", "logs", "metrics"], file: ["traces", "logs", "metrics"] },
  // span_metrics: traces in (as an exporter), metrics out (as a receiver).
  connectors: { span_metrics: ["traces", "metrics"] },
  extensions: { health_check: [], file_storage: [] },
};

/**
 * Old names of component types that collector 0.165 still accepts, each mapped to its new name; using one is an
 * `otelcol/component-deprecated` finding.
 */
export const DEPRECATED_ALIASES: Readonly<Record<string, string>> = {
  otlphttp: "otlp_http",
  filelog: "file_log",
  spanmetrics: "span_metrics",
};

/** The type of a component id (`otlp_http/loki` → `otlp_http`). */
export function componentType(id: string): string {
  const i = id.indexOf("/");
  return i < 0 ? id : id.slice(0, i);
}
