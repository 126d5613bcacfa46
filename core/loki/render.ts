/** loki.yaml from the typed model: deterministic, validated first (model checks, then the Loki 3.7 schema). */
import { assertValid } from "../validation";
import { compact, toYaml } from "../yaml";
import { LOKI_DEFAULTS, lokiRulesDir, type LokiConfig } from "./model";
import { validateLokiConfig } from "./validate";

/** The config as the object Loki reads (before text), for the schema check and callers that embed it. */
export function lokiConfigObject(c: LokiConfig): Record<string, unknown> {
  const dir = c.dataDir ?? LOKI_DEFAULTS.dataDir;
  const l = c.limits ?? {};
  return {
    auth_enabled: false,
    server: { http_listen_port: c.httpPort ?? LOKI_DEFAULTS.httpPort, grpc_listen_port: c.grpcPort ?? LOKI_DEFAULTS.grpcPort, log_level: c.logLevel ?? LOKI_DEFAULTS.logLevel },
    common: {
      instance_addr: "127.0.0.1",
      path_prefix: dir,
      replication_factor: 1,
      ring: { kvstore: { store: "inmemory" } },
      storage: { filesystem: { chunks_directory: `${dir}/chunks`, rules_directory: lokiRulesDir(c) } },
    },
    schema_config: {
      configs: [{ from: c.schemaFrom ?? LOKI_DEFAULTS.schemaFrom, store: "tsdb", object_store: "filesystem", schema: "v13", index: { prefix: "index_", period: "24h" } }],
    },
    compactor: {
      working_directory: `${dir}/compactor`,
      compaction_interval: "10m",
      retention_enabled: true,
      retention_delete_delay: "2h",
      delete_request_store: "filesystem",
    },
    limits_config: compact({
      retention_period: c.retention ?? LOKI_DEFAULTS.retention,
      retention_stream: c.streamRetention?.map((s) => ({ selector: s.selector, priority: s.priority ?? 1, period: s.period })),
      ingestion_rate_mb: l.ingestionRateMb,
      ingestion_burst_size_mb: l.ingestionBurstSizeMb,
      max_line_size: l.maxLineSize,
      max_global_streams_per_user: l.maxGlobalStreamsPerUser,
      per_stream_rate_limit: l.perStreamRateLimit,
      reject_old_samples: true,
      reject_old_samples_max_age: l.rejectOldSamplesMaxAge ?? "168h",
      allow_structured_metadata: true,
      otlp_config: c.otlpIndexLabels && c.otlpIndexLabels.length > 0
        ? { resource_attributes: { attributes_config: [{ action: "index_label", attributes: [...c.otlpIndexLabels] }] } }
        : undefined,
    }),
    ruler: compact({
      alertmanager_url: c.alertmanagerUrls && c.alertmanagerUrls.length > 0 ? c.alertmanagerUrls.join(",") : undefined,
      enable_alertmanager_v2: true,
      evaluation_interval: c.rulerEvaluationInterval ?? LOKI_DEFAULTS.rulerEvaluationInterval,
      enable_api: true,
      // Rules come from common.storage.filesystem.rules_directory (Loki sets ruler.storage to local from it).
      rule_path: `${dir}/rules-temp`,
      wal: { dir: `${dir}/ruler-wal` },
      remote_write: c.remoteWriteUrl !== undefined ? { enabled: true, clients: { prometheus: { url: c.remoteWriteUrl } } } : undefined,
    }),
    analytics: { reporting_enabled: false },
  };
}

/**
 * The loki.yaml text of a config, deterministic for the same input. Validates first (`validateLokiConfig`): throws a
 * ValidationError on any error.
 */
export function renderLokiConfig(c: LokiConfig): string {
  assertValid("loki config", validateLokiConfig(c));
  return toYaml(lokiConfigObject(c));
}
