/**
 * Loki 3.7's own checks of a config (checkLokiConfig: the reference's keys, then the semantics quoted from Loki's
 * source) case by case on the rendered config, named stores and the S3 keys of storage_config.aws, durations, and
 * validateLokiConfig's checks of the typed options, each with its exact issues. Pure, so the mutation suite runs it.
 * Loki itself is AGPL and not built here: these are our reading of its rules, not a run of Loki.
 */
import { describe, expect, it } from "vitest";
import { checkLokiConfig, lokiConfigObject, validateLokiConfig, type LokiConfig } from "../../../core/loki";
import { durationMs } from "../../../core/loki/schema";
import { formatIssue } from "../../../core/validation";

const base: LokiConfig = { alertmanagerUrls: ["http://alertmanager:9093"] };
const r = (): Record<string, any> => JSON.parse(JSON.stringify(lokiConfigObject(base)));
const run = (change: (c: Record<string, any>) => void): string[] => {
  const c = r();
  change(c);
  return checkLokiConfig(c).map(formatIssue);
};

const cases: [name: string, change: (c: any) => void, all: string[]][] = [
  ["no schema periods", (c) => { c.schema_config.configs = []; }, ['loki config: schema_config.configs must specify at least one schema configuration [loki/invalid]']],
  ["two periods out of order", (c) => { c.schema_config.configs.push({ ...c.schema_config.configs[0], from: "2023-01-01" }); }, ['loki config: schema_config.configs[1].from from time in schemas must be distinct and in increasing order [loki/invalid]']],
  ["two periods on one day", (c) => { c.schema_config.configs.push({ ...c.schema_config.configs[0] }); }, ['loki config: schema_config.configs[1].from from time in schemas must be distinct and in increasing order [loki/invalid]']],
  ["a later v13 period after a v12 one", (c) => { c.schema_config.configs = [{ ...c.schema_config.configs[0], schema: "v12" }, { ...c.schema_config.configs[0], from: "2025-01-01" }]; }, []],
  ["boltdb index", (c) => { c.schema_config.configs[0].store = "boltdb"; }, ['loki config: schema_config.configs[0].store "boltdb" is not an index type Loki 3 supports (tsdb, boltdb-shipper) [loki/invalid]', 'loki config: schema_config.configs[0].store `tsdb` index type is required to store Structured Metadata and use native OTLP ingestion [loki/invalid]']],
  ["boltdb-shipper without structured metadata", (c) => { c.schema_config.configs[0].store = "boltdb-shipper"; c.limits_config.allow_structured_metadata = false; }, []],
  ["unknown object store", (c) => { c.schema_config.configs[0].object_store = "minio"; }, ['loki config: schema_config.configs[0].object_store unrecognized `object_store` type `minio`, which also does not match any named_stores [loki/invalid]']],
  ["named store", (c) => { c.schema_config.configs[0].object_store = "minio"; c.storage_config = { ...(c.storage_config ?? {}), named_stores: { aws: { minio: { s3: "s3://x" } } } }; }, []],
  ["schema v8", (c) => { c.schema_config.configs[0].schema = "v8"; c.limits_config.allow_structured_metadata = false; }, ['loki config: schema_config.configs[0].schema invalid schema version (v9 to v13) [loki/invalid]']],
  ["schema v14", (c) => { c.schema_config.configs[0].schema = "v14"; }, ['loki config: schema_config.configs[0].schema invalid schema version (v9 to v13) [loki/invalid]', 'loki config: schema_config.configs[0].schema schema v13 is required to store Structured Metadata and use native OTLP ingestion (or set limits_config.allow_structured_metadata: false) [loki/invalid]']],
  ["schema 13", (c) => { c.schema_config.configs[0].schema = "13"; }, ['loki config: schema_config.configs[0].schema invalid schema version (v9 to v13) [loki/invalid]', 'loki config: schema_config.configs[0].schema schema v13 is required to store Structured Metadata and use native OTLP ingestion (or set limits_config.allow_structured_metadata: false) [loki/invalid]']],
  ["schema v9 without SM", (c) => { c.schema_config.configs[0].schema = "v9"; c.limits_config.allow_structured_metadata = false; }, []],
  ["tsdb 48h period", (c) => { c.schema_config.configs[0].index.period = "48h"; }, ['loki config: schema_config.configs[0].index.period tsdb must always have periodic config for index set to 24h [loki/invalid]']],
  ["boltdb-shipper 36h", (c) => { c.schema_config.configs[0].store = "boltdb-shipper"; c.schema_config.configs[0].index.period = "36h"; c.limits_config.allow_structured_metadata = false; }, ['loki config: schema_config.configs[0].index.period the table period must be a multiple of 24h [loki/invalid]']],
  ["boltdb-shipper 48h", (c) => { c.schema_config.configs[0].store = "boltdb-shipper"; c.schema_config.configs[0].index.period = "48h"; c.limits_config.allow_structured_metadata = false; }, []],
  ["no path prefix", (c) => { delete c.common.path_prefix; }, ['loki config: storage_config.tsdb_shipper.active_index_directory is not set, and common.path_prefix is not either (Loki: "please set this directly or set `path_prefix:` in the `common:` section") [loki/invalid]', 'loki config: storage_config.tsdb_shipper.cache_location is not set, and common.path_prefix is not either [loki/invalid]']],
  ["no path prefix, directories set", (c) => { delete c.common.path_prefix; c.storage_config = { ...(c.storage_config ?? {}), tsdb_shipper: { active_index_directory: "/a", cache_location: "/b" } }; c.compactor.working_directory = "/c"; }, []],
  ["retention without delete store", (c) => { delete c.compactor.delete_request_store; }, ['loki config: compactor.delete_request_store should be configured when retention is enabled (compactor.delete-request-store) [loki/invalid]']],
  ["stream retention 23h", (c) => { c.limits_config.retention_stream = [{ selector: '{a="b"}', priority: 1, period: "23h" }]; }, ['loki config: limits_config.retention_stream[0].period retention period must be >= 24h was 23h [loki/invalid]']],
  ["stream retention 24h bad selector", (c) => { c.limits_config.retention_stream = [{ selector: 'a="b"', priority: 1, period: "24h" }]; }, ['loki config: limits_config.retention_stream[0].selector invalid labels matchers: a stream selector such as {namespace="dev"} [loki/invalid]']],
  ["global retention 12h", (c) => { c.limits_config.retention_period = "12h"; }, ['loki config: limits_config.retention_period 12h is shorter than the 24h index period or not a whole number of days: retention deletes whole index tables (0 disables it) [loki/invalid]']],
  ["global retention 36h", (c) => { c.limits_config.retention_period = "36h"; }, ['loki config: limits_config.retention_period 36h is shorter than the 24h index period or not a whole number of days: retention deletes whole index tables (0 disables it) [loki/invalid]']],
  ["global retention 0", (c) => { c.limits_config.retention_period = "0"; }, []],
  ["global retention 0s", (c) => { c.limits_config.retention_period = "0s"; }, []],
  ["global retention 2w", (c) => { c.limits_config.retention_period = "2w"; }, []],
  ["two storage backends", (c) => { c.common.storage.s3 = { bucketnames: "x" }; }, ['loki config: common.storage too many storage configs provided in the common config, please only define one storage backend [loki/invalid]']],
  ["persist tokens without prefix", (c) => { c.common.persist_tokens = true; delete c.common.path_prefix; c.storage_config = { ...(c.storage_config ?? {}), tsdb_shipper: { active_index_directory: "/a", cache_location: "/b" } }; c.compactor.working_directory = "/c"; }, ['loki config: common.persist_tokens if persist_tokens is true, path_prefix MUST be defined [loki/invalid]']],
  ["unknown key", (c) => { c.limits_config.retention = "1d"; }, ["loki config: limits_config.retention is not a key of Loki v3.7.6's configuration (Loki refuses unknown keys at start-up) [loki/invalid]"]],
  ["removed key", (c) => { c.chunk_store_config = { max_look_back_period: "1h" }; }, ['loki config: chunk_store_config.max_look_back_period was removed in Loki 3.0: use `limits_config.max_query_lookback` [loki/invalid]']],
  ["wrong type", (c) => { c.server.http_listen_port = "3100"; }, []],
];

describe("checkLokiConfig on the rendered config, changed in one place", () => {
  it("the rendered config has no issue", () => {
    expect(run(() => {})).toEqual([]);
  });
  it.each(cases)("%s", (_name, change, all) => {
    expect(run(change)).toEqual(all);
  });
});

const named: [name: string, stores: unknown, all: string[]][] = [
  ["named ok", { aws: { minio: { s3: "s3://x", s3forcepathstyle: true } }, filesystem: { local: { directory: "/d" } } }, []],
  ["named bad kind", { s3: { x: {} } }, ['loki config: storage_config.named_stores.s3 is not a backend of named_stores (alibabacloud, aws, azure, bos, cos, filesystem, gcs, swift) [loki/invalid]']],
  ["named bad key", { aws: { minio: { bucket: "x" } } }, ["loki config: storage_config.named_stores.aws.minio.bucket is not a key of Loki v3.7.6's configuration (Loki refuses unknown keys at start-up) [loki/invalid]"]],
  ["named not map", { aws: ["x"] }, ['loki config: storage_config.named_stores.aws must map store names to their configuration [loki/invalid]']],
  ["named list", [], ['loki config: storage_config.named_stores must be a mapping [loki/invalid]']],
];

describe("named stores (the schema's object_store names one)", () => {
  it.each(named)("%s", (_name, stores, all) => {
    expect(run((c) => {
      c.storage_config = { ...(c.storage_config ?? {}), named_stores: stores };
      c.schema_config.configs[0].object_store = "minio";
    })).toEqual(all);
  });
  it("storage_config.aws takes S3's keys (the reference embeds s3_storage_config inline)", () => {
    expect(run((c) => { c.storage_config = { ...(c.storage_config ?? {}), aws: { s3: "s3://r/b", bucketnames: "b", region: "r", s3forcepathstyle: true } }; })).toEqual([]);
    expect(run((c) => { c.storage_config = { ...(c.storage_config ?? {}), aws: { bucket: "b" } }; })).toEqual([
      "loki config: storage_config.aws.bucket is not a key of Loki v3.7.6's configuration (Loki refuses unknown keys at start-up) [loki/invalid]",
    ]);
  });
});

describe("durationMs", () => {
  it.each([
    ["1h", 3600000],
    ["1h30m", 5400000],
    ["1.5h", 5400000],
    ["24h", 86400000],
    ["0", 0],
    ["0s", 0],
    ["1d", 86400000],
    ["1w", 604800000],
    ["1y", 31536000000],
    ["10ms", 10],
    ["5us", 0.005],
    ["5µs", 0.005],
    ["3ns", 3e-06],
    ["", 0],
    ["1", undefined],
    ["h", undefined],
    ["1hx", undefined],
    ["-1h", undefined],
    [0, 0],
    [5, undefined],
    [null, undefined],
  ] as [unknown, number | undefined][])("%j → %s", (text, ms) => {
    expect(durationMs(text)).toBe(ms);
  });
});

describe("validateLokiConfig", () => {
  it.each([
    ["ports", {"httpPort": 0, "grpcPort": 65536}, ['loki: httpPort 0 is not a TCP port [loki/invalid]', 'loki: grpcPort 65536 is not a TCP port [loki/invalid]']],
    ["same port", {"httpPort": 3100, "grpcPort": 3100}, ['loki: grpcPort is the same port as httpPort (3100) [loki/invalid]']],
    ["dirs", {"dataDir": "loki", "rulesDir": "rules"}, ['loki: dataDir "loki" must be an absolute path [loki/invalid]', 'loki: rulesDir "rules" must be an absolute path [loki/invalid]']],
    ["schemaFrom", {"schemaFrom": "2024-1-1"}, ['loki: schemaFrom "2024-1-1" must be a date YYYY-MM-DD [loki/invalid]']],
    ["retention 1 day", {"retention": "1d"}, []],
    ["retention 12h", {"retention": "12h"}, ['loki: retention 12h is shorter than the 24h index period: the compactor deletes whole daily index tables, and Loki refuses stream retention under 24h [loki/invalid]']],
    ["retention 36h", {"retention": "36h"}, ['loki: retention 36h is not a whole number of days (the index period is 24h) [loki/invalid]']],
    ["retention x", {"retention": "x"}, ['loki: retention "x" is not a duration (e.g. 744h, 31d) [loki/invalid]']],
    ["stream", {"streamRetention": [{"selector": "app", "period": "48h", "priority": 1}]}, ['loki: streamRetention[0].selector "app" is not a stream selector such as {service_name="api"} [loki/invalid]']],
    ["stream bad matcher", {"streamRetention": [{"selector": "{app=~\"(\"}", "period": "48h", "priority": 1}]}, ['loki: streamRetention[0].selector "{app=~"("}": regex "(" is not valid RE2: Unterminated group (Loki refuses to start) [loki/invalid]']],
    ["am url", {"alertmanagerUrls": ["alertmanager:9093"]}, ['loki: alertmanagerUrls "alertmanager:9093" is not an http(s) URL of an Alertmanager [loki/invalid]']],
    ["rw url", {"remoteWriteUrl": "prom/api"}, ['loki: remoteWriteUrl "prom/api" is not an http(s) URL of a remote-write endpoint (e.g. http://prometheus:9090/api/v1/write) [loki/invalid]']],
    ["otlp label", {"otlpIndexLabels": ["1bad"]}, ['loki: otlpIndexLabels "1bad" is not an OTLP attribute name [loki/invalid]']],
    ["good", {"httpPort": 3101, "grpcPort": 9096, "dataDir": "/d", "rulesDir": "/r", "schemaFrom": "2025-02-03", "retention": "14d", "otlpIndexLabels": ["k8s.namespace.name"], "remoteWriteUrl": "http://p:9090/api/v1/write"}, []],
  ] as [string, LokiConfig, string[]][])("%s", (_name, config, all) => {
    expect(validateLokiConfig(config).map(formatIssue)).toEqual(all);
  });
});
