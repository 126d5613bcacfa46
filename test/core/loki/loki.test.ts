import { describe, expect, it } from "vitest";
import { parse } from "yaml";

import { checkLokiConfig, lokiConfigObject, renderLokiConfig, validateLokiConfig, type LokiConfig } from "../../../core/loki";
import { LOKI_REFERENCE, LOKI_REFERENCE_VERSION } from "../../../core/loki/reference";
import { errorsOf, ValidationError } from "../../../core/validation";

const base: LokiConfig = { alertmanagerUrls: ["http://alertmanager:9093"] };
const rendered = (): Record<string, any> => JSON.parse(JSON.stringify(lokiConfigObject(base)));
const messages = (issues: ReturnType<typeof checkLokiConfig>) => issues.map((i) => `${i.field}: ${i.message}`);

describe("the Loki 3.7 reference table", () => {
  it("is the v3.7.6 reference with the keys and defaults it documents", () => {
    expect(LOKI_REFERENCE_VERSION).toBe("v3.7.6");
    expect(LOKI_REFERENCE["(top)"]!.auth_enabled).toEqual({ type: "boolean", default: "true" });
    expect(LOKI_REFERENCE.compactor!.retention_enabled).toEqual({ type: "boolean", default: "false" });
    expect(LOKI_REFERENCE.compactor!.delete_request_store).toEqual({ type: "string", default: '""' });
    expect(LOKI_REFERENCE.limits_config!.retention_period).toEqual({ type: "duration", default: "0s" });
    expect(LOKI_REFERENCE.limits_config!.allow_structured_metadata).toEqual({ type: "boolean", default: "true" });
    expect(LOKI_REFERENCE.server!.http_listen_port).toEqual({ type: "int", default: "3100" });
    expect(LOKI_REFERENCE.ruler!.enable_alertmanager_v2).toEqual({ type: "boolean", default: "true" });
  });
});

describe("renderLokiConfig", () => {
  it("writes a single binary on schema v13 / tsdb with retention by the compactor and the ruler alerting Alertmanager", () => {
    const doc = parse(renderLokiConfig(base));
    expect(doc.auth_enabled).toBe(false);
    expect(doc.common.replication_factor).toBe(1);
    expect(doc.schema_config.configs).toEqual([{ from: "2024-01-01", store: "tsdb", object_store: "filesystem", schema: "v13", index: { prefix: "index_", period: "24h" } }]);
    expect(doc.compactor).toMatchObject({ retention_enabled: true, delete_request_store: "filesystem", working_directory: "/loki/compactor" });
    expect(doc.limits_config.retention_period).toBe("744h");
    expect(doc.ruler.alertmanager_url).toBe("http://alertmanager:9093");
    expect(doc.common.storage.filesystem.rules_directory).toBe("/etc/loki/rules");
    expect(doc.analytics.reporting_enabled).toBe(false);
  });

  it("renders per-stream retention, limits and OTLP index labels", () => {
    const doc = parse(renderLokiConfig({ ...base, streamRetention: [{ selector: '{service_name="debug"}', period: "48h", priority: 2 }], limits: { ingestionRateMb: 8, maxLineSize: "512KB" }, otlpIndexLabels: ["deployment.environment"] }));
    expect(doc.limits_config.retention_stream).toEqual([{ selector: '{service_name="debug"}', priority: 2, period: "48h" }]);
    expect(doc.limits_config.ingestion_rate_mb).toBe(8);
    expect(doc.limits_config.max_line_size).toBe("512KB");
    expect(doc.limits_config.otlp_config.resource_attributes.attributes_config).toEqual([{ action: "index_label", attributes: ["deployment.environment"] }]);
  });

  it("passes its own schema with no finding", () => {
    expect(checkLokiConfig(rendered())).toEqual([]);
  });

  const bad: { name: string; config: LokiConfig; field: string; message: RegExp }[] = [
    { name: "a retention shorter than the index period", config: { retention: "12h" }, field: "retention", message: /12h is shorter than the 24h index period/ },
    { name: "a retention of part days", config: { retention: "36h" }, field: "retention", message: /not a whole number of days/ },
    { name: "a stream retention under 24h", config: { streamRetention: [{ selector: '{a="b"}', period: "6h" }] }, field: "streamRetention[0].period", message: /shorter than the 24h index period/ },
    { name: "a stream retention selector that is a query", config: { streamRetention: [{ selector: 'rate({a="b"}[5m])', period: "48h" }] }, field: "streamRetention[0].selector", message: /is not a stream selector/ },
    { name: "a stream retention selector matching everything", config: { streamRetention: [{ selector: '{a=~".*"}', period: "48h" }] }, field: "streamRetention[0].selector", message: /non-empty value/ },
    { name: "an Alertmanager that is not a URL", config: { alertmanagerUrls: ["alertmanager:9093"] }, field: "alertmanagerUrls", message: /not an http\(s\) URL/ },
    { name: "clashing ports", config: { httpPort: 3100, grpcPort: 3100 }, field: "grpcPort", message: /same port as httpPort/ },
  ];
  for (const c of bad) {
    it(`refuses ${c.name}, naming the field, and writes nothing`, () => {
      const errs = errorsOf(validateLokiConfig(c.config));
      expect(errs.map((e) => e.field)).toContain(c.field);
      expect(errs.find((e) => e.field === c.field)!.message).toMatch(c.message);
      expect(errs[0]!.rule).toBe("loki/invalid");
      expect(() => renderLokiConfig(c.config)).toThrow(ValidationError);
    });
  }
});

describe("checkLokiConfig (the schema, on raw config objects)", () => {
  const mutate = (f: (c: Record<string, any>) => void) => {
    const c = rendered();
    f(c);
    return messages(checkLokiConfig(c));
  };
  const removed: { key: string; set: (c: Record<string, any>) => void; message: RegExp }[] = [
    { key: "storage_config.tsdb_shipper.shared_store", set: (c) => (c.storage_config = { tsdb_shipper: { shared_store: "filesystem" } }), message: /removed in Loki 3.0 .*object_store/ },
    { key: "compactor.shared_store", set: (c) => (c.compactor.shared_store = "filesystem"), message: /removed in Loki 3.0/ },
    { key: "compactor.deletion_mode", set: (c) => (c.compactor.deletion_mode = "filter-and-delete"), message: /moved in Loki 3.0 to `limits_config.deletion_mode`/ },
    { key: "chunk_store_config.max_look_back_period", set: (c) => (c.chunk_store_config = { max_look_back_period: "0s" }), message: /limits_config.max_query_lookback/ },
    { key: "limits_config.enforce_metric_name", set: (c) => (c.limits_config.enforce_metric_name = false), message: /removed in Loki 3.0/ },
    { key: "ingester.max_transfer_retries", set: (c) => (c.ingester = { max_transfer_retries: 0 }), message: /write-ahead log/ },
    { key: "query_range.split_queries_by_interval", set: (c) => (c.query_range = { split_queries_by_interval: "30m" }), message: /limits_config.split_queries_by_interval/ },
    { key: "storage_config.tsdb_shipper.use_boltdb_shipper_as_backup", set: (c) => (c.storage_config = { tsdb_shipper: { use_boltdb_shipper_as_backup: false } }), message: /removed in Loki 3.0/ },
  ];
  for (const r of removed) {
    it(`refuses ${r.key}, removed or renamed in Loki 3, with where it went`, () => {
      const m = mutate(r.set);
      expect(m.some((x) => x.startsWith(`${r.key}:`) && r.message.test(x))).toBe(true);
    });
  }

  it("refuses an unknown key at any depth, naming its path", () => {
    expect(mutate((c) => (c.server.http_port = 3100))).toEqual([expect.stringMatching(/^server.http_port: is not a key of Loki v3.7.6's configuration/)]);
    expect(mutate((c) => (c.limits_config.retention_stream = [{ selector: '{a="b"}', period: "48h", prio: 1 }]))).toEqual([expect.stringMatching(/^limits_config.retention_stream\[0\].prio: is not a key/)]);
  });

  it("refuses wrong types with the reference's type and default", () => {
    expect(mutate((c) => (c.auth_enabled = "false"))).toEqual(['auth_enabled: must be a boolean, got "false" (reference: <boolean>, default true)']);
    expect(mutate((c) => (c.compactor.compaction_interval = "1d"))[0]).toMatch(/is not a Go duration/);
    expect(mutate((c) => (c.limits_config.retention_period = "31d"))).toEqual([]);
    expect(mutate((c) => (c.schema_config.configs[0].from = "2024/01/01"))[0]).toMatch(/YYYY-MM-DD/);
  });

  it("applies Loki's own validation rules, quoted from its source", () => {
    expect(mutate((c) => (c.schema_config.configs[0].index.period = "168h"))).toContain("schema_config.configs[0].index.period: tsdb must always have periodic config for index set to 24h");
    expect(mutate((c) => (c.schema_config.configs[0].schema = "v12"))[0]).toMatch(/schema v13 is required to store Structured Metadata/);
    expect(mutate((c) => { c.schema_config.configs[0].schema = "v12"; c.limits_config.allow_structured_metadata = false; })).toEqual([]);
    expect(mutate((c) => delete c.compactor.delete_request_store)).toContain("compactor.delete_request_store: should be configured when retention is enabled (compactor.delete-request-store)");
    expect(mutate((c) => (c.limits_config.retention_stream = [{ selector: '{a="b"}', period: "12h" }]))).toContain("limits_config.retention_stream[0].period: retention period must be >= 24h was 12h");
    expect(mutate((c) => (c.schema_config.configs[0].store = "boltdb")).join()).toMatch(/not an index type Loki 3 supports/);
    expect(mutate((c) => (c.schema_config.configs = []))).toContain("schema_config.configs: must specify at least one schema configuration");
    expect(mutate((c) => (c.common.storage.s3 = { bucketnames: "x" }))).toContain("common.storage: too many storage configs provided in the common config, please only define one storage backend");
  });
});

describe("lokiConfigObject in full", () => {
  const defaults = {
    auth_enabled: false,
    server: { http_listen_port: 3100, grpc_listen_port: 9095, log_level: "info" },
    common: {
      instance_addr: "127.0.0.1",
      path_prefix: "/loki",
      replication_factor: 1,
      ring: { kvstore: { store: "inmemory" } },
      storage: { filesystem: { chunks_directory: "/loki/chunks", rules_directory: "/etc/loki/rules" } },
    },
    schema_config: { configs: [{ from: "2024-01-01", store: "tsdb", object_store: "filesystem", schema: "v13", index: { prefix: "index_", period: "24h" } }] },
    compactor: { working_directory: "/loki/compactor", compaction_interval: "10m", retention_enabled: true, retention_delete_delay: "2h", delete_request_store: "filesystem" },
    limits_config: { retention_period: "744h", reject_old_samples: true, reject_old_samples_max_age: "168h", allow_structured_metadata: true },
    ruler: { enable_alertmanager_v2: true, evaluation_interval: "1m", enable_api: true, rule_path: "/loki/rules-temp", wal: { dir: "/loki/ruler-wal" } },
    analytics: { reporting_enabled: false },
  };

  it("the defaults: nothing optional written, no Alertmanager, no remote write", () => {
    expect(lokiConfigObject({})).toEqual(defaults);
    // Empty lists are the same as none: no alertmanager_url "", no otlp_config without attributes, no retention_stream.
    expect(lokiConfigObject({ alertmanagerUrls: [], otlpIndexLabels: [], streamRetention: [] })).toEqual(defaults);
  });

  it("every option in its place", () => {
    expect(lokiConfigObject({
      httpPort: 3200, grpcPort: 9200, logLevel: "warn", dataDir: "/data", rulesDir: "/rules", schemaFrom: "2025-01-01", retention: "14d",
      streamRetention: [{ selector: '{a="b"}', period: "2d" }],
      limits: { ingestionRateMb: 8, ingestionBurstSizeMb: 12, maxLineSize: "512KB", maxGlobalStreamsPerUser: 10000, perStreamRateLimit: "5MB", rejectOldSamplesMaxAge: "72h" },
      otlpIndexLabels: ["a", "b"], alertmanagerUrls: ["http://a:9093", "http://b:9093"], remoteWriteUrl: "http://p:9090/api/v1/write", rulerEvaluationInterval: "30s",
    })).toEqual({
      ...defaults,
      server: { http_listen_port: 3200, grpc_listen_port: 9200, log_level: "warn" },
      common: { ...defaults.common, path_prefix: "/data", storage: { filesystem: { chunks_directory: "/data/chunks", rules_directory: "/rules" } } },
      schema_config: { configs: [{ ...defaults.schema_config.configs[0], from: "2025-01-01" }] },
      compactor: { ...defaults.compactor, working_directory: "/data/compactor" },
      limits_config: {
        retention_period: "14d",
        retention_stream: [{ selector: '{a="b"}', priority: 1, period: "2d" }],
        ingestion_rate_mb: 8,
        ingestion_burst_size_mb: 12,
        max_line_size: "512KB",
        max_global_streams_per_user: 10000,
        per_stream_rate_limit: "5MB",
        reject_old_samples: true,
        reject_old_samples_max_age: "72h",
        allow_structured_metadata: true,
        otlp_config: { resource_attributes: { attributes_config: [{ action: "index_label", attributes: ["a", "b"] }] } },
      },
      ruler: {
        alertmanager_url: "http://a:9093,http://b:9093",
        enable_alertmanager_v2: true,
        evaluation_interval: "30s",
        enable_api: true,
        rule_path: "/data/rules-temp",
        wal: { dir: "/data/ruler-wal" },
        remote_write: { enabled: true, clients: { prometheus: { url: "http://p:9090/api/v1/write" } } },
      },
    });
  });

  it("renderLokiConfig writes that object as YAML, keys in the order above", () => {
    const text = renderLokiConfig({});
    expect(parse(text)).toEqual(defaults);
    expect(text.split("\n").filter((l) => /^\S/.test(l))).toEqual(["auth_enabled: false", "server:", "common:", "schema_config:", "compactor:", "limits_config:", "ruler:", "analytics:"]);
  });
});
