/** Jaeger v2's config.yaml (collector-style: extensions jaeger_storage / jaeger_query, one traces pipeline). */
import { parseDuration } from "../duration";
import { applyLevels, type LintOptions } from "../lint";
import { assertValid, finding, type ValidationIssue } from "../validation";
import { toYaml } from "../yaml";
import { JAEGER_DEFAULT_TTL, JAEGER_STORE, jaegerPorts, type JaegerConfig } from "./model";

/**
 * The config.yaml of a Jaeger config as an object, before text: extensions jaeger_storage (one backend, `traces`),
 * jaeger_query and healthcheckv2, an OTLP receiver, batch and one traces pipeline into the store, every endpoint on
 * `listenHost`. Does not validate; see `validateJaegerConfig`.
 */
export function jaegerConfigObject(c: JaegerConfig): Record<string, unknown> {
  const h = c.listenHost ?? "0.0.0.0";
  const p = jaegerPorts(c);
  const backend = c.storage.kind === "badger"
    ? { badger: { directories: { keys: `${c.storage.directory}/keys`, values: `${c.storage.directory}/values` }, ephemeral: false, ttl: { spans: c.storage.ttl ?? JAEGER_DEFAULT_TTL } } }
    : { memory: { max_traces: c.storage.maxTraces ?? 100_000 } };
  return {
    service: {
      extensions: ["jaeger_storage", "jaeger_query", "healthcheckv2"],
      pipelines: { traces: { receivers: ["otlp"], processors: ["batch"], exporters: ["jaeger_storage_exporter"] } },
      telemetry: {
        resource: { "service.name": "jaeger" },
        // Collector 0.140 does not default these for a user's reader: without them counters get `_total` and units.
        metrics: { level: "detailed", readers: [{ pull: { exporter: { prometheus: { host: h, port: p.metrics, without_scope_info: true, without_type_suffix: true, without_units: true } } } }] },
        logs: { level: c.logLevel ?? "info" },
      },
    },
    extensions: {
      healthcheckv2: { use_v2: true, http: { endpoint: `${h}:${p.health}` } },
      jaeger_query: { storage: { traces: JAEGER_STORE }, http: { endpoint: `${h}:${p.query}` }, grpc: { endpoint: `${h}:${p.queryGrpc}` }, enable_tracing: c.selfTracing ?? false },
      jaeger_storage: { backends: { [JAEGER_STORE]: backend } },
    },
    receivers: { otlp: { protocols: { grpc: { endpoint: `${h}:${p.otlpGrpc}` }, http: { endpoint: `${h}:${p.otlpHttp}` } } } },
    processors: { batch: {} },
    exporters: { jaeger_storage_exporter: { trace_storage: JAEGER_STORE } },
  };
}

/**
 * Checks a Jaeger config: every port a TCP port and none used twice, badger's directory absolute and its ttl a Go
 * duration (no d or w) of at least an hour, memory's `maxTraces` a positive integer. Returns every issue
 * (`jaeger/invalid`, always an error) instead of throwing.
 */
export function validateJaegerConfig(c: JaegerConfig, opts: LintOptions = {}): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  const bad = (field: string, message: string) => out.push(finding("jaeger/invalid", "jaeger", field, message));
  const ports = jaegerPorts(c);
  const seen = new Map<number, string>();
  for (const [name, port] of Object.entries(ports)) {
    if (!Number.isInteger(port) || port < 1 || port > 65535) bad(`ports.${name}`, `${port} is not a TCP port`);
    const other = seen.get(port);
    if (other !== undefined) bad(`ports.${name}`, `${port} is also ports.${other}`);
    seen.set(port, name);
  }
  if (c.storage.kind === "badger") {
    if (!c.storage.directory.startsWith("/")) bad("storage.directory", `"${c.storage.directory}" must be an absolute path (a volume)`);
    const ttl = c.storage.ttl;
    if (ttl !== undefined) {
      const ms = parseDuration(ttl);
      if (ms === undefined || /[dwy]/.test(ttl)) bad("storage.ttl", `"${ttl}" is not a Go duration (e.g. 72h; Jaeger reads no d or w)`);
      else if (ms < 3600_000) bad("storage.ttl", `${ttl} keeps spans less than an hour`);
    }
  } else if (c.storage.kind === "memory") {
    if (c.storage.maxTraces !== undefined && (!Number.isInteger(c.storage.maxTraces) || c.storage.maxTraces < 1)) bad("storage.maxTraces", "must be a positive integer");
  } else {
    bad("storage.kind", `"${(c.storage as { kind: string }).kind}" is not badger or memory`);
  }
  return applyLevels(out, "jaeger/invalid", opts);
}

/** The config.yaml text of a Jaeger config. Validates first: throws a ValidationError on any error. */
export function renderJaegerConfig(c: JaegerConfig): string {
  assertValid("jaeger config", validateJaegerConfig(c));
  return toYaml(jaegerConfigObject(c));
}
