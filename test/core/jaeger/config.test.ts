/**
 * Jaeger's config as our code renders and checks it, without the built program (that is jaeger.test.ts): the whole
 * rendered document for each storage kind and every option, and every check's boundary with its exact message. Pure,
 * so the mutation suite runs it.
 */
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

import { JAEGER_DEFAULT_TTL, JAEGER_PORTS, JAEGER_STORE, jaegerConfigObject, jaegerPorts, renderJaegerConfig, validateJaegerConfig, type JaegerConfig } from "../../../core/jaeger";
import { ValidationError } from "../../../core/validation";

const memory: JaegerConfig = { storage: { kind: "memory" } };

describe("the rendered Jaeger v2 document", () => {
  it("memory with every default: one traces pipeline into the store, every endpoint on 0.0.0.0, Jaeger's ports, self-tracing off, info logs", () => {
    expect(jaegerConfigObject(memory)).toEqual({
      service: {
        extensions: ["jaeger_storage", "jaeger_query", "healthcheckv2"],
        pipelines: { traces: { receivers: ["otlp"], processors: ["batch"], exporters: ["jaeger_storage_exporter"] } },
        telemetry: {
          resource: { "service.name": "jaeger" },
          metrics: { level: "detailed", readers: [{ pull: { exporter: { prometheus: { host: "0.0.0.0", port: 8888, without_scope_info: true, without_type_suffix: true, without_units: true } } } }] },
          logs: { level: "info" },
        },
      },
      extensions: {
        healthcheckv2: { use_v2: true, http: { endpoint: "0.0.0.0:13133" } },
        jaeger_query: { storage: { traces: "traces" }, http: { endpoint: "0.0.0.0:16686" }, grpc: { endpoint: "0.0.0.0:16685" }, enable_tracing: false },
        jaeger_storage: { backends: { traces: { memory: { max_traces: 100_000 } } } },
      },
      receivers: { otlp: { protocols: { grpc: { endpoint: "0.0.0.0:4317" }, http: { endpoint: "0.0.0.0:4318" } } } },
      processors: { batch: {} },
      exporters: { jaeger_storage_exporter: { trace_storage: "traces" } },
    });
  });

  it("the rendered text is that document as YAML", () => {
    expect(parse(renderJaegerConfig(memory))).toEqual(jaegerConfigObject(memory));
  });

  it("badger without a TTL keeps spans Jaeger's default 72h, its key and value directories under the volume", () => {
    const doc = jaegerConfigObject({ storage: { kind: "badger", directory: "/data" } }) as { extensions: { jaeger_storage: unknown } };
    expect(JAEGER_DEFAULT_TTL).toBe("72h");
    expect(doc.extensions.jaeger_storage).toEqual({ backends: { traces: { badger: { directories: { keys: "/data/keys", values: "/data/values" }, ephemeral: false, ttl: { spans: "72h" } } } } });
  });

  it("memory's maxTraces, listenHost, every port, self-tracing and the log level are rendered where Jaeger reads them", () => {
    const c: JaegerConfig = {
      storage: { kind: "memory", maxTraces: 42 },
      listenHost: "127.0.0.1",
      ports: { otlpGrpc: 14317, otlpHttp: 14318, query: 26686, queryGrpc: 26685, health: 23133, metrics: 18888 },
      selfTracing: true,
      logLevel: "debug",
    };
    const doc = jaegerConfigObject(c) as Record<string, any>;
    expect(doc.extensions.jaeger_storage.backends[JAEGER_STORE]).toEqual({ memory: { max_traces: 42 } });
    expect(doc.receivers.otlp.protocols).toEqual({ grpc: { endpoint: "127.0.0.1:14317" }, http: { endpoint: "127.0.0.1:14318" } });
    expect(doc.extensions.jaeger_query).toEqual({ storage: { traces: "traces" }, http: { endpoint: "127.0.0.1:26686" }, grpc: { endpoint: "127.0.0.1:26685" }, enable_tracing: true });
    expect(doc.extensions.healthcheckv2).toEqual({ use_v2: true, http: { endpoint: "127.0.0.1:23133" } });
    expect(doc.service.telemetry.metrics.readers[0].pull.exporter.prometheus).toMatchObject({ host: "127.0.0.1", port: 18888 });
    expect(doc.service.telemetry.logs).toEqual({ level: "debug" });
  });

  it("jaegerPorts lays the config's ports over Jaeger's and leaves the rest", () => {
    expect(JAEGER_PORTS).toEqual({ otlpGrpc: 4317, otlpHttp: 4318, query: 16686, queryGrpc: 16685, health: 13133, metrics: 8888 });
    expect(jaegerPorts({ ...memory, ports: { query: 8080 } })).toEqual({ ...JAEGER_PORTS, query: 8080 });
    expect(jaegerPorts(memory)).toEqual(JAEGER_PORTS);
  });
});

describe("validateJaegerConfig", () => {
  const issues = (c: JaegerConfig) => validateJaegerConfig(c).map((i) => `${i.severity} ${i.item} ${i.field}: ${i.message} [${i.rule}]`);

  it("accepts the defaults, both storage kinds and the boundaries (ports 1 and 65535, a TTL of exactly 1h, maxTraces 1)", () => {
    expect(issues(memory)).toEqual([]);
    expect(issues({ storage: { kind: "memory", maxTraces: 1 } })).toEqual([]);
    expect(issues({ storage: { kind: "badger", directory: "/b", ttl: "1h" } })).toEqual([]);
    expect(issues({ storage: { kind: "badger", directory: "/b", ttl: "60m" } })).toEqual([]);
    expect(issues({ storage: { kind: "badger", directory: "/b" } })).toEqual([]);
    expect(issues({ ...memory, ports: { otlpGrpc: 1, otlpHttp: 65535 } })).toEqual([]);
  });

  it("a port outside 1–65535 or not an integer names the port", () => {
    expect(issues({ ...memory, ports: { query: 0, health: 65536, metrics: 80.5 } })).toEqual([
      "error jaeger ports.query: 0 is not a TCP port [jaeger/invalid]",
      "error jaeger ports.health: 65536 is not a TCP port [jaeger/invalid]",
      "error jaeger ports.metrics: 80.5 is not a TCP port [jaeger/invalid]",
    ]);
  });

  it("a port used twice names the later port and the earlier one", () => {
    expect(issues({ ...memory, ports: { otlpHttp: 4317 } })).toEqual(["error jaeger ports.otlpHttp: 4317 is also ports.otlpGrpc [jaeger/invalid]"]);
    expect(issues({ ...memory, ports: { metrics: 13133 } })).toEqual(["error jaeger ports.metrics: 13133 is also ports.health [jaeger/invalid]"]);
  });

  it("badger: a relative directory, a TTL with d, w or y, an unparsable TTL, a TTL under an hour", () => {
    expect(issues({ storage: { kind: "badger", directory: "data" } })).toEqual(['error jaeger storage.directory: "data" must be an absolute path (a volume) [jaeger/invalid]']);
    for (const ttl of ["7d", "1w", "1y"]) {
      expect(issues({ storage: { kind: "badger", directory: "/b", ttl } })).toEqual([`error jaeger storage.ttl: "${ttl}" is not a Go duration (e.g. 72h; Jaeger reads no d or w) [jaeger/invalid]`]);
    }
    expect(issues({ storage: { kind: "badger", directory: "/b", ttl: "soon" as never } })).toEqual(['error jaeger storage.ttl: "soon" is not a Go duration (e.g. 72h; Jaeger reads no d or w) [jaeger/invalid]']);
    expect(issues({ storage: { kind: "badger", directory: "/b", ttl: "59m" } })).toEqual(["error jaeger storage.ttl: 59m keeps spans less than an hour [jaeger/invalid]"]);
    expect(issues({ storage: { kind: "badger", directory: "/b", ttl: "3599s" } })).toEqual(["error jaeger storage.ttl: 3599s keeps spans less than an hour [jaeger/invalid]"]);
  });

  it("memory: maxTraces 0, negative or fractional", () => {
    for (const maxTraces of [0, -5, 2.5]) {
      expect(issues({ storage: { kind: "memory", maxTraces } })).toEqual(["error jaeger storage.maxTraces: must be a positive integer [jaeger/invalid]"]);
    }
  });

  it("an unknown storage kind is named (from untyped config)", () => {
    expect(issues({ storage: { kind: "cassandra" } as never })).toEqual(['error jaeger storage.kind: "cassandra" is not badger or memory [jaeger/invalid]']);
  });

  it("every finding is jaeger/invalid, an error levels cannot lower (Jaeger refuses such a config), and render refuses it", () => {
    const c: JaegerConfig = { storage: { kind: "memory", maxTraces: 0 } };
    expect(validateJaegerConfig(c, { levels: { "jaeger/invalid": "warn" } as never }).map((i) => i.severity)).toEqual(["error"]);
    expect(validateJaegerConfig(c, { levels: { "jaeger/invalid": "off" } as never }).map((i) => i.severity)).toEqual(["error"]);
    expect(() => renderJaegerConfig(c)).toThrow(ValidationError);
    expect(() => renderJaegerConfig(c)).toThrow("jaeger config: 1 error(s)\n  - jaeger: storage.maxTraces must be a positive integer [jaeger/invalid]");
    expect(() => renderJaegerConfig(memory)).not.toThrow();
  });
});
