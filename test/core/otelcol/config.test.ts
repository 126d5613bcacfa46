/**
 * The collector configs our code builds, renders and checks, without the built collector (that is otelcol.test.ts):
 * the whole agent and capture configs for each platform and option, the rendered document, and every check's
 * boundary with its exact message. Pure, so the mutation suite runs it.
 */
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

import {
  agentCollectorConfig,
  captureCollectorConfig,
  COLLECTOR_COMPONENTS,
  COLLECTOR_PORTS,
  collectorConfigObject,
  componentType,
  CONTAINER_LOG_PATHS,
  DEPRECATED_ALIASES,
  renderCollectorConfig,
  validateCollectorConfig,
  type AgentCollectorOptions,
  type CollectorConfig,
} from "../../../core/otelcol";
import { ValidationError } from "../../../core/validation";

const LOKI = "http://loki:3100/otlp";
const JAEGER = "jaeger:4317";
const PROM = "http://prometheus:9090/api/v1/otlp";
const agent = (extra: Partial<AgentCollectorOptions> = {}) =>
  agentCollectorConfig({ platform: "docker", lokiOtlpUrl: LOKI, jaegerOtlpGrpc: JAEGER, prometheusOtlpUrl: PROM, memoryLimitMib: 200, storageDir: "/var/lib/otelcol", ...extra });

const queue = { sending_queue: { enabled: true, queue_size: 1000 }, retry_on_failure: { enabled: true } };
const dockerOperators = [
  { type: "container", format: "docker", add_metadata_from_filepath: false },
  { type: "regex_parser", id: "container-id", parse_from: 'attributes["log.file.path"]', regex: "^.*/containers/(?P<container_id>[0-9a-f]{64})/[^/]+$", on_error: "send" },
  { type: "move", id: "container-id-to-resource", if: 'attributes["container_id"] != nil', from: 'attributes["container_id"]', to: 'resource["container.id"]' },
  { type: "move", id: "container-name", if: 'attributes["attrs"] != nil and attributes["attrs"]["tag"] != nil', from: 'attributes["attrs"]["tag"]', to: 'resource["container.name"]' },
  { type: "copy", id: "service-name", if: 'resource["container.name"] != nil', from: 'resource["container.name"]', to: 'resource["service.name"]' },
  { type: "remove", id: "drop-attrs", if: 'attributes["attrs"] != nil', field: 'attributes["attrs"]' },
];
const spanMetrics = {
  histogram: { explicit: { buckets: ["5ms", "10ms", "25ms", "50ms", "100ms", "250ms", "500ms", "1s", "2.5s", "5s"] } },
  dimensions: [{ name: "http.route" }, { name: "http.response.status_code" }],
  exclude_dimensions: ["collector.instance.id"],
  metrics_flush_interval: "15s",
};

describe("the component tables", () => {
  it("lists the types of the build by section and the deprecated aliases it still takes", () => {
    expect(Object.fromEntries(Object.entries(COLLECTOR_COMPONENTS).map(([s, types]) => [s, Object.keys(types)]))).toEqual({
      receivers: ["otlp", "file_log"],
      processors: ["batch", "memory_limiter", "resource"],
      exporters: ["otlp_grpc", "otlp_http", "debug", "file"],
      connectors: ["span_metrics"],
      extensions: ["health_check", "file_storage"],
    });
    expect(COLLECTOR_COMPONENTS.receivers.file_log).toEqual(["logs"]);
    expect(COLLECTOR_COMPONENTS.connectors.span_metrics).toEqual(["traces", "metrics"]);
    expect(DEPRECATED_ALIASES).toEqual({ otlphttp: "otlp_http", filelog: "file_log", spanmetrics: "span_metrics" });
  });

  it("componentType is the part of an id before the first slash", () => {
    expect(componentType("otlp_http/loki")).toBe("otlp_http");
    expect(componentType("otlp")).toBe("otlp");
    expect(componentType("a/b/c")).toBe("a");
  });

  it("names the agent's default ports and each platform's container log files", () => {
    expect(COLLECTOR_PORTS).toEqual({ otlpGrpc: 4317, otlpHttp: 4318, health: 13133, metrics: 8888 });
    expect(CONTAINER_LOG_PATHS).toEqual({
      docker: { dir: "/var/lib/docker/containers", include: ["/var/lib/docker/containers/*/*-json.log"] },
      kubernetes: { dir: "/var/log/pods", include: ["/var/log/pods/*/*/*.log"] },
    });
  });
});

describe("agentCollectorConfig", () => {
  it("docker with every destination and default: the whole config", () => {
    expect(agent()).toEqual({
      extensions: { health_check: { endpoint: "0.0.0.0:13133" }, file_storage: { directory: "/var/lib/otelcol", create_directory: true } },
      receivers: {
        otlp: { protocols: { grpc: { endpoint: "0.0.0.0:4317" }, http: { endpoint: "0.0.0.0:4318" } } },
        "file_log/docker": {
          include: ["/var/lib/docker/containers/*/*-json.log"],
          include_file_path: true,
          include_file_name: false,
          start_at: "end",
          storage: "file_storage",
          operators: dockerOperators,
        },
      },
      processors: { memory_limiter: { check_interval: "1s", limit_mib: 200, spike_limit_mib: 40 }, batch: { timeout: "5s", send_batch_size: 1024 } },
      exporters: {
        "otlp_http/loki": { endpoint: LOKI, ...queue },
        "otlp_grpc/jaeger": { endpoint: JAEGER, tls: { insecure: true }, ...queue },
        "otlp_http/prometheus": { endpoint: PROM },
      },
      connectors: { span_metrics: spanMetrics },
      service: {
        extensions: ["health_check", "file_storage"],
        pipelines: {
          logs: { receivers: ["otlp", "file_log/docker"], processors: ["memory_limiter", "batch"], exporters: ["otlp_http/loki"] },
          "metrics/spans": { receivers: ["span_metrics"], processors: ["memory_limiter", "batch"], exporters: ["otlp_http/prometheus"] },
          traces: { receivers: ["otlp"], processors: ["memory_limiter", "batch"], exporters: ["otlp_grpc/jaeger", "span_metrics"] },
        },
        telemetry: { metricsHost: "0.0.0.0", metricsPort: 8888 },
      },
    });
  });

  it("kubernetes reads the kubelet's pod logs with the container operator's path metadata, and skips what it excludes", () => {
    const c = agent({ platform: "kubernetes", excludeLogs: ["/var/log/pods/monitoring_otel-*/*/*.log"] });
    expect(c.receivers).toEqual({
      otlp: { protocols: { grpc: { endpoint: "0.0.0.0:4317" }, http: { endpoint: "0.0.0.0:4318" } } },
      "file_log/kubernetes": {
        include: ["/var/log/pods/*/*/*.log"],
        exclude: ["/var/log/pods/monitoring_otel-*/*/*.log"],
        include_file_path: true,
        include_file_name: false,
        start_at: "end",
        storage: "file_storage",
        operators: [
          { type: "container", add_metadata_from_filepath: true },
          { type: "copy", id: "service-name", if: 'resource["k8s.container.name"] != nil', from: 'resource["k8s.container.name"]', to: 'resource["service.name"]' },
        ],
      },
    });
    expect(c.service.pipelines.logs!.receivers).toEqual(["otlp", "file_log/kubernetes"]);
  });

  it("an empty exclude list writes no exclude key", () => {
    expect(Object.keys(agent({ excludeLogs: [] }).receivers["file_log/docker"]!)).not.toContain("exclude");
  });

  it("moves the log files under another directory, starts at the beginning, binds another host and ports", () => {
    const c = agent({ containerLogDir: "/tmp/run/containers", startAt: "beginning", listenHost: "127.0.0.1", ports: { otlpGrpc: 1, otlpHttp: 2, health: 3, metrics: 4 } });
    expect(c.receivers["file_log/docker"]).toMatchObject({ include: ["/tmp/run/containers/*/*-json.log"], start_at: "beginning" });
    expect(c.receivers.otlp).toEqual({ protocols: { grpc: { endpoint: "127.0.0.1:1" }, http: { endpoint: "127.0.0.1:2" } } });
    expect(c.extensions!.health_check).toEqual({ endpoint: "127.0.0.1:3" });
    expect(c.service.telemetry).toEqual({ metricsHost: "127.0.0.1", metricsPort: 4 });
  });

  it("a partial ports object keeps the other defaults", () => {
    const c = agent({ ports: { health: 9999 } });
    expect(c.extensions!.health_check).toEqual({ endpoint: "0.0.0.0:9999" });
    expect(c.receivers.otlp).toEqual({ protocols: { grpc: { endpoint: "0.0.0.0:4317" }, http: { endpoint: "0.0.0.0:4318" } } });
    expect(c.service.telemetry!.metricsPort).toBe(8888);
  });

  it("sorts resource attributes by key into a resource processor between the limiter and batch, on every pipeline but span metrics", () => {
    const c = agent({ resourceAttributes: { "service.namespace": "shop", "deployment.environment.name": "dev" } });
    expect(c.processors!.resource).toEqual({
      attributes: [
        { key: "deployment.environment.name", value: "dev", action: "upsert" },
        { key: "service.namespace", value: "shop", action: "upsert" },
      ],
    });
    expect(c.service.pipelines.logs!.processors).toEqual(["memory_limiter", "resource", "batch"]);
    expect(c.service.pipelines.traces!.processors).toEqual(["memory_limiter", "resource", "batch"]);
    expect(c.service.pipelines["metrics/spans"]!.processors).toEqual(["memory_limiter", "batch"]);
  });

  it("an empty resource attribute map adds no processor", () => {
    expect(Object.keys(agent({ resourceAttributes: {} }).processors!)).toEqual(["memory_limiter", "batch"]);
  });

  it("the spike limit is a fifth of the limit, rounded down, at least 1", () => {
    expect(agent({ memoryLimitMib: 200 }).processors!.memory_limiter).toEqual({ check_interval: "1s", limit_mib: 200, spike_limit_mib: 40 });
    expect(agent({ memoryLimitMib: 14 }).processors!.memory_limiter!.spike_limit_mib).toBe(2);
    expect(agent({ memoryLimitMib: 4 }).processors!.memory_limiter!.spike_limit_mib).toBe(1);
  });

  it("without container logs, the logs pipeline takes OTLP only and there is no file_log receiver", () => {
    const c = agent({ containerLogs: false });
    expect(Object.keys(c.receivers)).toEqual(["otlp"]);
    expect(c.service.pipelines.logs!.receivers).toEqual(["otlp"]);
  });

  it("without Loki, no logs pipeline and no file_log receiver even with container logs on", () => {
    const c = agent({ lokiOtlpUrl: undefined, containerLogs: true });
    expect(Object.keys(c.receivers)).toEqual(["otlp"]);
    expect(Object.keys(c.service.pipelines)).toEqual(["metrics/spans", "traces"]);
    expect(Object.keys(c.exporters)).toEqual(["otlp_grpc/jaeger", "otlp_http/prometheus"]);
  });

  it("without Prometheus, traces go to Jaeger alone and there is no connector", () => {
    const c = agent({ prometheusOtlpUrl: undefined });
    expect(c.connectors).toEqual({});
    expect(c.service.pipelines.traces!.exporters).toEqual(["otlp_grpc/jaeger"]);
    expect(Object.keys(c.service.pipelines)).toEqual(["logs", "traces"]);
    expect(Object.keys(c.exporters)).toEqual(["otlp_http/loki", "otlp_grpc/jaeger"]);
  });

  it("without Jaeger, Prometheus alone makes no span metrics", () => {
    const c = agent({ jaegerOtlpGrpc: undefined });
    expect(Object.keys(c.service.pipelines)).toEqual(["logs"]);
    expect(Object.keys(c.exporters)).toEqual(["otlp_http/loki"]);
    expect(c.connectors).toEqual({});
  });

  it("with nowhere to ship, keeps the OTLP endpoint answering with a traces pipeline to the debug exporter", () => {
    const c = agentCollectorConfig({ platform: "docker", memoryLimitMib: 100, storageDir: "/s" });
    expect(c.exporters).toEqual({ debug: { verbosity: "basic" } });
    expect(c.service.pipelines).toEqual({ traces: { receivers: ["otlp"], processors: ["memory_limiter", "batch"], exporters: ["debug"] } });
    expect(Object.keys(c.receivers)).toEqual(["otlp"]);
  });

  it("every variant passes our checks", () => {
    for (const c of [agent(), agent({ platform: "kubernetes" }), agent({ prometheusOtlpUrl: undefined }), agent({ lokiOtlpUrl: undefined }), agent({ jaegerOtlpGrpc: undefined }), agentCollectorConfig({ platform: "kubernetes", memoryLimitMib: 50, storageDir: "/s" })]) {
      expect(validateCollectorConfig(c)).toEqual([]);
    }
  });
});

describe("captureCollectorConfig", () => {
  it("with every option: OTLP over HTTP and gRPC into one JSON-lines file, a health check, its metrics on loopback", () => {
    expect(captureCollectorConfig({ httpEndpoint: "0.0.0.0:3100", grpcEndpoint: "0.0.0.0:4317", path: "/data/otlp.jsonl", healthEndpoint: "0.0.0.0:13133", metricsPort: 9999, logsUrlPath: "/otlp/v1/logs" })).toEqual({
      extensions: { health_check: { endpoint: "0.0.0.0:13133" } },
      receivers: { otlp: { protocols: { http: { endpoint: "0.0.0.0:3100", logs_url_path: "/otlp/v1/logs" }, grpc: { endpoint: "0.0.0.0:4317" } } } },
      exporters: { file: { path: "/data/otlp.jsonl", format: "json", flush_interval: "100ms" } },
      service: {
        extensions: ["health_check"],
        pipelines: { logs: { receivers: ["otlp"], exporters: ["file"] }, traces: { receivers: ["otlp"], exporters: ["file"] } },
        telemetry: { metricsHost: "127.0.0.1", metricsPort: 9999 },
      },
    });
  });

  it("with the minimum: HTTP only, no health check, the default metrics port", () => {
    const c = captureCollectorConfig({ httpEndpoint: "127.0.0.1:1", path: "/o" });
    expect(c.receivers).toEqual({ otlp: { protocols: { http: { endpoint: "127.0.0.1:1" } } } });
    expect(c.extensions).toEqual({});
    expect(c.service.extensions).toEqual([]);
    expect(c.service.telemetry).toEqual({ metricsHost: "127.0.0.1", metricsPort: 8888 });
    expect(validateCollectorConfig(c)).toEqual([]);
  });
});

describe("the rendered document", () => {
  it("the agent: sections as built, pipelines as lists, the collector's telemetry as a pull reader and info logs", () => {
    const c = agent({ prometheusOtlpUrl: undefined });
    expect(collectorConfigObject(c)).toEqual({
      extensions: c.extensions,
      receivers: c.receivers,
      processors: c.processors,
      exporters: c.exporters,
      service: {
        extensions: ["health_check", "file_storage"],
        pipelines: {
          logs: { receivers: ["otlp", "file_log/docker"], processors: ["memory_limiter", "batch"], exporters: ["otlp_http/loki"] },
          traces: { receivers: ["otlp"], processors: ["memory_limiter", "batch"], exporters: ["otlp_grpc/jaeger"] },
        },
        telemetry: { logs: { level: "info" }, metrics: { level: "normal", readers: [{ pull: { exporter: { prometheus: { host: "0.0.0.0", port: 8888 } } } }] } },
      },
    });
  });

  it("leaves out empty extensions, processors, connectors, service extensions and pipeline processors; takes the log level and metrics address", () => {
    const c: CollectorConfig = {
      receivers: { otlp: {} },
      processors: {},
      exporters: { debug: {} },
      connectors: {},
      extensions: {},
      service: { extensions: [], pipelines: { traces: { receivers: ["otlp"], processors: [], exporters: ["debug"] } }, telemetry: { logLevel: "warn", metricsHost: "127.0.0.1", metricsPort: 18888 } },
    };
    expect(collectorConfigObject(c)).toEqual({
      receivers: { otlp: {} },
      exporters: { debug: {} },
      service: {
        pipelines: { traces: { receivers: ["otlp"], exporters: ["debug"] } },
        telemetry: { logs: { level: "warn" }, metrics: { level: "normal", readers: [{ pull: { exporter: { prometheus: { host: "127.0.0.1", port: 18888 } } } }] } },
      },
    });
  });

  it("the text is that document as YAML", () => {
    const c = agent();
    expect(parse(renderCollectorConfig(c))).toEqual(collectorConfigObject(c));
  });

  it("refuses to render an invalid config, naming the collector (default otelcol)", () => {
    const c: CollectorConfig = { receivers: { otlp: {} }, exporters: {}, service: { pipelines: {} } };
    expect(() => renderCollectorConfig(c)).toThrow(ValidationError);
    expect(() => renderCollectorConfig(c)).toThrow(/collector "otelcol"/);
    expect(() => renderCollectorConfig(c, "agent")).toThrow(/collector "agent"/);
  });
});

describe("validateCollectorConfig", () => {
  const base = agent();
  const issues = (c: CollectorConfig, opts: Parameters<typeof validateCollectorConfig>[1] = {}) =>
    validateCollectorConfig(c, opts).map((i) => `${i.severity} ${i.item} ${i.field}: ${i.message} [${i.rule}]`);
  const withPipelines = (pipelines: CollectorConfig["service"]["pipelines"]): CollectorConfig => ({ ...base, service: { ...base.service, pipelines } });
  const minimal = (over: Partial<CollectorConfig> = {}): CollectorConfig => ({ receivers: { otlp: {} }, exporters: { debug: {} }, service: { pipelines: { traces: { receivers: ["otlp"], exporters: ["debug"] } } }, ...over });
  const E = (field: string, message: string, name = "otelcol") => `error collector "${name}" ${field}: ${message} [otelcol/invalid]`;

  it("accepts a minimal config, and names the collector in findings", () => {
    expect(issues(minimal())).toEqual([]);
    expect(issues(minimal({ exporters: {} }), { name: "agent" })).toEqual([E("service.pipelines.traces.exporters[0]", 'names exporter "debug", which is not defined (nor a connector)', "agent")]);
  });

  it("refuses an id that is not type or type/name, in any section", () => {
    for (const id of ["OTLP", "1otlp", "otlp/", "otlp/a/b", "otlp/a b", "-x", "otlp-x"]) {
      expect(issues(minimal({ processors: { [id]: {} } })), id).toEqual([E(`processors.${id}`, "is not a component id (type or type/name)")]);
    }
    expect(issues(minimal({ extensions: { "health_check/x": {}, "file_storage_2/y": {} } }))).toEqual([
      E("extensions.file_storage_2/y", 'has type "file_storage_2", which this collector build has no extension of (it has health_check, file_storage)'),
    ]);
  });

  it("refuses a type the build lacks, listing the section's types", () => {
    expect(issues(minimal({ receivers: { otlp: {}, prometheus: {} } }))).toEqual([E("receivers.prometheus", 'has type "prometheus", which this collector build has no receiver of (it has otlp, file_log)')]);
    expect(issues(minimal({ exporters: { debug: {}, "prometheus/x": {} } }))).toEqual([E("exporters.prometheus/x", 'has type "prometheus", which this collector build has no exporter of (it has otlp_grpc, otlp_http, debug, file)')]);
    expect(issues(minimal({ processors: { k8sattributes: {} } }))).toEqual([E("processors.k8sattributes", 'has type "k8sattributes", which this collector build has no processor of (it has batch, memory_limiter, resource)')]);
  });

  it("a deprecated alias is a warning naming the new name, which the lint levels can raise or turn off, and its signals are the new name's", () => {
    const c = minimal({ exporters: { "otlphttp/old": {} }, service: { pipelines: { logs: { receivers: ["otlp"], exporters: ["otlphttp/old"] } } } });
    const w = 'collector "otelcol" exporters.otlphttp/old: uses the deprecated name "otlphttp"; collector 0.165 calls it "otlp_http" [otelcol/component-deprecated]';
    expect(issues(c)).toEqual([`warning ${w}`]);
    expect(issues(c, { levels: { "otelcol/component-deprecated": "error" } })).toEqual([`error ${w}`]);
    expect(issues(c, { levels: { "otelcol/component-deprecated": "off" } })).toEqual([]);
    const fl = minimal({ receivers: { "filelog/x": {} }, service: { pipelines: { traces: { receivers: ["filelog/x"], exporters: ["debug"] } } } });
    expect(issues(fl)).toEqual([
      'warning collector "otelcol" receivers.filelog/x: uses the deprecated name "filelog"; collector 0.165 calls it "file_log" [otelcol/component-deprecated]',
      E("service.pipelines.traces.receivers[0]", '"filelog/x" does not handle traces'),
    ]);
  });

  it("refuses a service extension nobody defines, by its index", () => {
    expect(issues({ ...base, service: { ...base.service, extensions: ["health_check", "pprof"] } })).toEqual([E("service.extensions[1]", 'names extension "pprof", which is not defined')]);
    expect(issues(minimal({ extensions: undefined, service: { extensions: ["health_check"], pipelines: minimal().service.pipelines } }))).toEqual([E("service.extensions[0]", 'names extension "health_check", which is not defined')]);
  });

  it("an inherited property name is not a defined component", () => {
    expect(issues(minimal({ service: { pipelines: { traces: { receivers: ["toString"], exporters: ["debug"] } } } }))).toEqual([E("service.pipelines.traces.receivers[0]", 'names receiver "toString", which is not defined (nor a connector)')]);
  });

  it("refuses a config without pipelines", () => {
    expect(issues(minimal({ service: { pipelines: {} } }))).toEqual([E("service.pipelines", "is empty: the collector needs at least one pipeline")]);
  });

  it("refuses a pipeline id of no signal, and checks nothing else in it", () => {
    expect(issues(minimal({ service: { pipelines: { traces: { receivers: ["otlp"], exporters: ["debug"] }, spans: { receivers: ["nope"], exporters: [] } } } }))).toEqual([
      E("service.pipelines.spans", "is not a pipeline id: it must start with traces, logs or metrics"),
    ]);
    expect(issues(minimal({ service: { pipelines: { "logs/loki": { receivers: ["otlp"], exporters: ["debug"] }, metrics: { receivers: ["otlp"], exporters: ["debug"] } } } }))).toEqual([]);
  });

  it("refuses a pipeline without receivers or exporters", () => {
    expect(issues(minimal({ service: { pipelines: { traces: { receivers: [], exporters: [] } } } }))).toEqual([
      E("service.pipelines.traces.receivers", "must have at least one receiver"),
      E("service.pipelines.traces.exporters", "must have at least one exporter"),
    ]);
  });

  it("refuses undefined receivers, processors and exporters by index; a processor cannot be a connector", () => {
    expect(issues(withPipelines({ ...base.service.pipelines, logs: { receivers: ["otlp", "file_log/k8s"], processors: ["batch", "k8sattributes"], exporters: ["otlp_http/loki", "otlp_grpc/tempo"] } }))).toEqual([
      E("service.pipelines.logs.receivers[1]", 'names receiver "file_log/k8s", which is not defined (nor a connector)'),
      E("service.pipelines.logs.processors[1]", 'names processor "k8sattributes", which is not defined'),
      E("service.pipelines.logs.exporters[1]", 'names exporter "otlp_grpc/tempo", which is not defined (nor a connector)'),
    ]);
    expect(issues(withPipelines({ ...base.service.pipelines, logs: { receivers: ["otlp"], processors: ["span_metrics"], exporters: ["otlp_http/loki"] } }))).toEqual([
      E("service.pipelines.logs.processors[0]", 'names processor "span_metrics", which is not defined'),
    ]);
  });

  it("refuses a component in a pipeline of a signal it does not handle", () => {
    expect(issues(withPipelines({ ...base.service.pipelines, traces: { receivers: ["file_log/docker"], exporters: ["otlp_grpc/jaeger", "span_metrics"] } }))).toEqual([
      E("service.pipelines.traces.receivers[0]", '"file_log/docker" does not handle traces'),
    ]);
    expect(issues(withPipelines({ ...base.service.pipelines, metrics: { receivers: ["file_log/docker"], exporters: ["otlp_http/prometheus"] } }))).toEqual([
      E("service.pipelines.metrics.receivers[0]", '"file_log/docker" does not handle metrics'),
    ]);
  });

  it("refuses a component named twice in one list, once per list", () => {
    expect(issues(minimal({ processors: { batch: {} }, service: { pipelines: { traces: { receivers: ["otlp", "otlp"], processors: ["batch", "batch", "batch"], exporters: ["debug", "debug"] } } } }))).toEqual([
      E("service.pipelines.traces.receivers", "names a component twice"),
      E("service.pipelines.traces.processors", "names a component twice"),
      E("service.pipelines.traces.exporters", "names a component twice"),
    ]);
  });

  it("refuses a connector that is not both exported to and received from", () => {
    const { "metrics/spans": _m, ...noMetrics } = base.service.pipelines;
    expect(issues(withPipelines(noMetrics))).toEqual([E("connectors.span_metrics", "is not used as a receiver of any pipeline")]);
    expect(issues(withPipelines({ ...base.service.pipelines, traces: { receivers: ["otlp"], exporters: ["otlp_grpc/jaeger"] } }))).toEqual([E("connectors.span_metrics", "is not used as an exporter of any pipeline")]);
    expect(issues(withPipelines({ logs: base.service.pipelines.logs! }))).toEqual([
      E("connectors.span_metrics", "is not used as an exporter of any pipeline"),
      E("connectors.span_metrics", "is not used as a receiver of any pipeline"),
    ]);
  });

  it("span_metrics must take traces and give metrics", () => {
    const c = withPipelines({
      logs: { receivers: ["otlp"], exporters: ["span_metrics"] },
      traces: { receivers: ["span_metrics"], exporters: ["otlp_grpc/jaeger"] },
    });
    // A connector in a pipeline is checked by the connector rules below, not by the signal check of components.
    expect(issues(c)).toEqual([
      E("connectors.span_metrics", "must be an exporter of a traces pipeline"),
      E("connectors.span_metrics", "must be a receiver of a metrics pipeline"),
    ]);
  });

  it("a connector of another type need not take traces or give metrics", () => {
    // Not a type the build has (so refused for that), but no span_metrics-specific findings.
    const c = minimal({
      connectors: { "count/x": {} },
      service: { pipelines: { logs: { receivers: ["otlp"], exporters: ["count/x"] }, "logs/2": { receivers: ["count/x"], exporters: ["debug"] } } },
    });
    expect(issues(c)).toEqual([E("connectors.count/x", 'has type "count", which this collector build has no connector of (it has span_metrics)')]);
  });

  it("the metrics port is a TCP port: 1 to 65535, whole", () => {
    const port = (metricsPort: number) => issues(minimal({ service: { ...minimal().service, telemetry: { metricsPort } } }));
    expect(port(1)).toEqual([]);
    expect(port(65535)).toEqual([]);
    expect(port(0)).toEqual([E("service.telemetry.metricsPort", "0 is not a TCP port")]);
    expect(port(65536)).toEqual([E("service.telemetry.metricsPort", "65536 is not a TCP port")]);
    expect(port(80.5)).toEqual([E("service.telemetry.metricsPort", "80.5 is not a TCP port")]);
  });
});
