/**
 * Jaeger v2 (jaegertracing/jaeger 2.13.0, built on collector 0.140, so the collector's *old* component names:
 * `otlp` receiver, `batch`): one process that receives OTLP, stores spans (badger on a volume, or memory where the
 * stack says so) and serves the query API and UI on 16686. Values only.
 */
import type { Duration } from "../duration";

/**
 * Where Jaeger keeps spans: `badger` files under `directory` (a volume), each span kept `ttl` (72h,
 * `JAEGER_DEFAULT_TTL`, when unset), or `memory`, at most `maxTraces` traces (100000 when unset), lost on restart.
 */
export type JaegerStorage =
  /** Persistent: badger key/value files on a volume. `ephemeral: false` is what makes badger keep them. */
  | { readonly kind: "badger"; readonly directory: string; readonly ttl?: Duration }
  /** In memory: gone on restart. For a demo or a test stack only. */
  | { readonly kind: "memory"; readonly maxTraces?: number };

/**
 * Jaeger's ports unless `JaegerConfig.ports` says otherwise: OTLP gRPC 4317 and HTTP 4318, the query UI/API 16686
 * (HTTP) and 16685 (gRPC), health 13133, its own metrics 8888.
 */
export const JAEGER_PORTS = { otlpGrpc: 4317, otlpHttp: 4318, query: 16686, queryGrpc: 16685, health: 13133, metrics: 8888 } as const;
/** The name of one of Jaeger's ports, a key of `JAEGER_PORTS`. */
export type JaegerPortName = keyof typeof JAEGER_PORTS;

/**
 * A Jaeger v2 process as the typed model: its span storage, bind address, ports, self-tracing and log level. Render it
 * with `renderJaegerConfig`.
 */
export interface JaegerConfig {
  readonly storage: JaegerStorage;
  /** Address every endpoint binds. @default "0.0.0.0" (the OTLP receiver's own default is localhost) */
  readonly listenHost?: string;
  readonly ports?: Partial<Record<JaegerPortName, number>>;
  /** Jaeger traces its own query API by default in v2; off here so it does not show up as a service. @default false */
  readonly selfTracing?: boolean;
  /** @default "info" */
  readonly logLevel?: "debug" | "info" | "warn" | "error";
}

/** `badger.ttl.spans` default in Jaeger (internal/storage/v1/badger/config.go): 72h. */
export const JAEGER_DEFAULT_TTL = "72h";
/** The storage backend's name in `jaeger_storage.backends` (what jaeger_query and the exporter refer to). */
export const JAEGER_STORE = "traces";

/** Every port of the config: `JAEGER_PORTS` with the config's own `ports` laid over them. */
export function jaegerPorts(c: JaegerConfig): Record<JaegerPortName, number> {
  return { ...JAEGER_PORTS, ...(c.ports ?? {}) };
}
