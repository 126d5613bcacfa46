/**
 * The typed model of a Loki single binary (grafana/loki 3.7): schema v13 on a TSDB index in the filesystem of one
 * volume, retention by the compactor (a global period and per-stream periods by selector), ingestion limits, OTLP
 * ingestion and the ruler with rules from code that alerts the stack's Alertmanager. Values only.
 */
import type { Duration } from "../duration";

/**
 * A retention period for the streams a selector matches, in place of the global `retention` (Loki's
 * `retention_stream`).
 */
export interface LokiStreamRetention {
  /** A stream selector, e.g. `{service_name="debug-sidecar"}`. */
  readonly selector: string;
  /** Whole days as a duration (`168h`, `7d`); Loki refuses less than 24h. */
  readonly period: Duration;
  /** The larger wins when two selectors match one stream. @default 1 */
  readonly priority?: number;
}

/** Ingestion limits of Loki's one tenant (`limits_config`); a limit left unset keeps Loki's default. */
export interface LokiLimits {
  /** Per-tenant ingestion rate, MB/s. @default 4 (Loki's) */
  readonly ingestionRateMb?: number;
  /** @default 6 (Loki's) */
  readonly ingestionBurstSizeMb?: number;
  /** Longest line accepted, e.g. `256KB` (Loki's default); longer lines are refused (`line_too_long`). */
  readonly maxLineSize?: string;
  /** Active streams per tenant across the ingesters. @default 5000 (Loki's) */
  readonly maxGlobalStreamsPerUser?: number;
  /** @default "3MB" (Loki's) */
  readonly perStreamRateLimit?: string;
  /** Samples older than this are refused. @default "168h" (Loki's 1w) */
  readonly rejectOldSamplesMaxAge?: Duration;
}

/**
 * A Loki single binary as the typed model: ports, data and rules directories, schema start, retention (global and by
 * stream), ingestion limits, OTLP index labels, and the ruler's Alertmanagers and interval. Render it with
 * `renderLokiConfig`.
 */
export interface LokiConfig {
  /** @default 3100 */
  readonly httpPort?: number;
  /** @default 9095 */
  readonly grpcPort?: number;
  /** The volume Loki keeps chunks, index, WAL and compactor state on. @default "/loki" */
  readonly dataDir?: string;
  /**
   * The ruler's rule files, read-only (`<dir>/<tenant>/<pack>.yml`); config, not data, so they are files of the
   * workload rather than contents of the volume. @default "/etc/loki/rules"
   */
  readonly rulesDir?: string;
  /** First day of the (only) schema period, YYYY-MM-DD; keep it once data exists. @default "2024-01-01" */
  readonly schemaFrom?: string;
  /** How long logs are kept; the compactor deletes older index tables. @default "744h" (31 days) */
  readonly retention?: Duration;
  /** Shorter or longer retention for streams matching a selector. @default none */
  readonly streamRetention?: readonly LokiStreamRetention[];
  readonly limits?: LokiLimits;
  /**
   * OTLP resource attributes stored as index labels in addition to Loki's defaults (service.name,
   * k8s.namespace.name, container.name, …). Every label multiplies streams: keep it to a few. @default none
   */
  readonly otlpIndexLabels?: readonly string[];
  /** Where the ruler sends alerts: the Alertmanager base URL(s). @default none (rules evaluate, nobody is notified) */
  readonly alertmanagerUrls?: readonly string[];
  /**
   * Where the ruler remote-writes the samples of log recording rules: Prometheus's `/api/v1/write` (it needs
   * `--web.enable-remote-write-receiver`). Without it recording rules are evaluated and their samples dropped, so
   * `Logs` refuses recording rules then. @default none
   */
  readonly remoteWriteUrl?: string;
  /** @default "1m" */
  readonly rulerEvaluationInterval?: Duration;
  /** @default "info" */
  readonly logLevel?: "debug" | "info" | "warn" | "error";
}

/** Loki's tenant when `auth_enabled: false` ("the OrgID will always be set to 'fake'"): the rule directory's name. */
export const LOKI_TENANT = "fake";

/**
 * What the renderer uses for unset `LokiConfig` fields: HTTP port 3100, gRPC port 9095, data in /loki, schema from
 * 2024-01-01, retention 744h (31 days), the ruler every 1m, log level info.
 */
export const LOKI_DEFAULTS = {
  httpPort: 3100,
  grpcPort: 9095,
  dataDir: "/loki",
  schemaFrom: "2024-01-01",
  retention: "744h",
  rulerEvaluationInterval: "1m",
  logLevel: "info",
} as const;

/** The ruler's local rules directory; one subdirectory per tenant, one file per pack. */
export function lokiRulesDir(c: LokiConfig): string {
  return c.rulesDir ?? "/etc/loki/rules";
}
