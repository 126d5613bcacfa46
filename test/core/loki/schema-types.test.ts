/**
 * The Loki schema's type checks and structure (checkLokiConfig) and the typed model's checks (validateLokiConfig),
 * case by case with every issue in full: each reference type (boolean, int and its size texts, float, string, url,
 * Regexp, daytime, Go and model durations, lists, maps), mappings and lists where blocks are expected, keys Loki
 * hides or that are null, named stores, the semantic checks' edges, and the typed URLs, ports and selectors.
 * Loki itself is AGPL and not built here: these are our reading of its rules (core/loki/schema.ts), not a run of Loki.
 */
import { describe, expect, it } from "vitest";
import { checkLokiConfig, lokiConfigObject, validateLokiConfig, type LokiConfig } from "../../../core/loki";
import { formatIssue } from "../../../core/validation";

const base: LokiConfig = { alertmanagerUrls: ["http://alertmanager:9093"] };
const run = (change: (c: any) => void): string[] => {
  const c = JSON.parse(JSON.stringify(lokiConfigObject(base))) as Record<string, any>;
  change(c);
  return checkLokiConfig(c).map(formatIssue);
};

const schemaCases: [name: string, change: (c: any) => void, all: string[]][] = [
  ["bool ok", (c) => { c.server.log_request_headers = true; }, []],
  ["bool string", (c) => { c.analytics.reporting_enabled = "no"; }, ["loki config: analytics.reporting_enabled must be a boolean, got \"no\" (reference: <boolean>, default true) [loki/invalid]"]],
  ["int float", (c) => { c.server.http_listen_port = 3100.5; }, ["loki config: server.http_listen_port must be an integer, got 3100.5 (reference: <int>, default 3100) [loki/invalid]"]],
  ["int bool", (c) => { c.server.http_listen_port = true; }, ["loki config: server.http_listen_port must be an integer, got true (reference: <int>, default 3100) [loki/invalid]"]],
  ["int size", (c) => { c.limits_config.max_line_size = "256KB"; }, []],
  ["int size 1.5MiB", (c) => { c.limits_config.max_line_size = "1.5MiB"; }, []],
  ["int size 1.25 MB", (c) => { c.limits_config.max_line_size = "1.25 MB"; }, []],
  ["int size 12B", (c) => { c.limits_config.max_line_size = "12b"; }, []],
  ["int size x12", (c) => { c.limits_config.max_line_size = "x12"; }, ["loki config: limits_config.max_line_size must be an integer, got \"x12\" (reference: <int>, default 256KB) [loki/invalid]"]],
  ["int size 12X", (c) => { c.limits_config.max_line_size = "12X"; }, ["loki config: limits_config.max_line_size must be an integer, got \"12X\" (reference: <int>, default 256KB) [loki/invalid]"]],
  ["int size 1.KB", (c) => { c.limits_config.max_line_size = "1.KB"; }, ["loki config: limits_config.max_line_size must be an integer, got \"1.KB\" (reference: <int>, default 256KB) [loki/invalid]"]],
  ["int size 1.xKB", (c) => { c.limits_config.max_line_size = "1.aKB"; }, ["loki config: limits_config.max_line_size must be an integer, got \"1.aKB\" (reference: <int>, default 256KB) [loki/invalid]"]],
  ["int size 12 xKB", (c) => { c.limits_config.max_line_size = "12-KB"; }, ["loki config: limits_config.max_line_size must be an integer, got \"12-KB\" (reference: <int>, default 256KB) [loki/invalid]"]],
  ["float", (c) => { c.limits_config.ingestion_rate_mb = 2.5; }, []],
  ["float str", (c) => { c.limits_config.ingestion_rate_mb = "4"; }, ["loki config: limits_config.ingestion_rate_mb must be a number, got \"4\" (reference: <float>, default 4) [loki/invalid]"]],
  ["string num", (c) => { c.server.log_level = 3; }, ["loki config: server.log_level must be a string, got 3 (reference: <string>, default \"info\") [loki/invalid]"]],
  ["regexp num", (c) => { c.limits_config.otlp_config = { resource_attributes: { attributes_config: [{ action: "index_label", regex: 1 }] } }; }, ["loki config: limits_config.otlp_config.resource_attributes.attributes_config[0].regex must be a string, got 1 (reference: <Regexp>) [loki/invalid]"]],
  ["url num", (c) => { c.storage_config = { aws: { dynamodb: { dynamodb_url: 5 } } }; }, ["loki config: storage_config.aws.dynamodb.dynamodb_url must be a string, got 5 (reference: <url>) [loki/invalid]"]],
  ["daytime", (c) => { c.schema_config.configs[0].from = "x2024-01-01"; }, ["loki config: schema_config.configs[0].from must be a date written YYYY-MM-DD (parsed with time.Parse(\"2006-01-02\")), got \"x2024-01-01\" (reference: <daytime>) [loki/invalid]"]],
  ["daytime2", (c) => { c.schema_config.configs[0].from = "2024-01-01x"; }, ["loki config: schema_config.configs[0].from must be a date written YYYY-MM-DD (parsed with time.Parse(\"2006-01-02\")), got \"2024-01-01x\" (reference: <daytime>) [loki/invalid]"]],
  ["daytime num", (c) => { c.schema_config.configs[0].from = 20240101; }, ["loki config: schema_config.configs[0].from must be a date written YYYY-MM-DD (parsed with time.Parse(\"2006-01-02\")), got 20240101 (reference: <daytime>) [loki/invalid]"]],
  ["go dur 5", (c) => { c.compactor.compaction_interval = 5; }, ["loki config: compactor.compaction_interval must be a duration, got 5 (reference: <duration>, default 10m) [loki/invalid]"]],
  ["go dur 0", (c) => { c.compactor.compaction_interval = 0; }, []],
  ["go dur 1d", (c) => { c.compactor.compaction_interval = "1d"; }, ["loki config: compactor.compaction_interval is not a Go duration (h, m, s; this field has no d or w), got \"1d\" (reference: <duration>, default 10m) [loki/invalid]"]],
  ["model dur empty", (c) => { c.limits_config.reject_old_samples_max_age = ""; }, ["loki config: limits_config.reject_old_samples_max_age is not a duration (e.g. 24h, 7d), got \"\" (reference: <duration>, default 1w) [loki/invalid]"]],
  ["model dur 1h30m", (c) => { c.limits_config.reject_old_samples_max_age = "1h30m"; }, []],
  ["model dur 1.5h", (c) => { c.limits_config.reject_old_samples_max_age = "1.5h"; }, ["loki config: limits_config.reject_old_samples_max_age is not a duration (e.g. 24h, 7d), got \"1.5h\" (reference: <duration>, default 1w) [loki/invalid]"]],
  ["model dur 0 num", (c) => { c.limits_config.reject_old_samples_max_age = 0; }, []],
  ["list strings ok", (c) => { c.common.instance_interface_names = ["eth0"]; }, []],
  ["list strings str", (c) => { c.common.instance_interface_names = "eth0"; }, ["loki config: common.instance_interface_names must be a list of strings, got \"eth0\" (reference: <list of strings>, default [<private network interfaces>]) [loki/invalid]"]],
  ["list strings mixed", (c) => { c.common.instance_interface_names = ["eth0", 1]; }, ["loki config: common.instance_interface_names must be a list of strings, got [\"eth0\",1] (reference: <list of strings>, default [<private network interfaces>]) [loki/invalid]"]],
  ["list strings nums", (c) => { c.common.instance_interface_names = [1]; }, ["loki config: common.instance_interface_names must be a list of strings, got [1] (reference: <list of strings>, default [<private network interfaces>]) [loki/invalid]"]],
  ["map ok", (c) => { c.limits_config.policy_enforced_labels = { p: ["a"] }; }, []],
  ["map list", (c) => { c.limits_config.policy_enforced_labels = ["a"]; }, ["loki config: limits_config.policy_enforced_labels must be a map, got [\"a\"] (reference: <map of string to list of strings>) [loki/invalid]"]],
  ["map str", (c) => { c.limits_config.policy_enforced_labels = "a"; }, ["loki config: limits_config.policy_enforced_labels must be a map, got \"a\" (reference: <map of string to list of strings>) [loki/invalid]"]],
  ["time type", (c) => { c.limits_config.block_ingestion_until = 5; }, []],
  ["block not mapping", (c) => { c.server = "x"; }, ["loki config: server must be a mapping [loki/invalid]"]],
  ["block list", (c) => { c.server = []; }, ["loki config: server must be a mapping [loki/invalid]"]],
  ["null value", (c) => { c.server.log_level = null; c.ruler = null; }, []],
  ["hidden top", (c) => { c.http_prefix = "/loki"; c.legacy_read_target = false; }, []],
  ["hidden nested", (c) => { c.server.http_prefix = "/loki"; }, ["loki config: server.http_prefix is not a key of Loki v3.7.6's configuration (Loki refuses unknown keys at start-up) [loki/invalid]"]],
  ["list not list", (c) => { c.limits_config.retention_stream = { selector: '{a="b"}' }; }, ["loki config: limits_config.retention_stream must be a list (list of StreamRetentions) [loki/invalid]"]],
  ["stream priority str", (c) => { c.limits_config.retention_stream = [{ selector: '{a="b"}', priority: "high", period: "48h" }]; }, ["loki config: limits_config.retention_stream[0].priority must be an integer, got \"high\" (reference: <int>) [loki/invalid]"]],
  ["stream not mapping", (c) => { c.limits_config.retention_stream = ["x"]; }, ["loki config: limits_config.retention_stream[0] must be a mapping [loki/invalid]"]],
  ["stream sel spaces", (c) => { c.limits_config.retention_stream = [{ selector: ' {a="b"} ', period: "48h" }]; }, []],
  ["stream sel prefix", (c) => { c.limits_config.retention_stream = [{ selector: 'x{a="b"}', period: "48h" }]; }, ["loki config: limits_config.retention_stream[0].selector invalid labels matchers: a stream selector such as {namespace=\"dev\"} [loki/invalid]"]],
  ["stream sel suffix", (c) => { c.limits_config.retention_stream = [{ selector: '{a="b"}x', period: "48h" }]; }, ["loki config: limits_config.retention_stream[0].selector invalid labels matchers: a stream selector such as {namespace=\"dev\"} [loki/invalid]"]],
  ["stream sel multiline", (c) => { c.limits_config.retention_stream = [{ selector: '{a="b",\nc="d"}', period: "48h" }]; }, []],
  ["stream no sel", (c) => { c.limits_config.retention_stream = [{ period: "48h" }]; }, ["loki config: limits_config.retention_stream[0].selector invalid labels matchers: a stream selector such as {namespace=\"dev\"} [loki/invalid]"]],
  ["stream 1.5d", (c) => { c.limits_config.retention_stream = [{ selector: '{a="b"}', period: "36h" }]; }, []],
  ["named null", (c) => { c.storage_config = { named_stores: null }; }, []],
  ["named kind null", (c) => { c.storage_config = { named_stores: { aws: null } }; }, []],
  ["named kind str", (c) => { c.storage_config = { named_stores: { aws: "x" } }; }, ["loki config: storage_config.named_stores.aws must map store names to their configuration [loki/invalid]"]],
  ["named store null", (c) => { c.storage_config = { named_stores: { aws: { minio: null } } }; c.schema_config.configs[0].object_store = "minio"; }, []],
  ["named str", (c) => { c.storage_config = { named_stores: "x" }; }, ["loki config: storage_config.named_stores must be a mapping [loki/invalid]"]],
  ["named ok filesystem", (c) => { c.storage_config = { named_stores: { filesystem: { disk2: { directory: "/d" } } } }; c.schema_config.configs[0].object_store = "disk2"; }, []],
  ["named wrong fs key", (c) => { c.storage_config = { named_stores: { filesystem: { disk2: { bucketnames: "x" } } } }; }, ["loki config: storage_config.named_stores.filesystem.disk2.bucketnames is not a key of Loki v3.7.6's configuration (Loki refuses unknown keys at start-up) [loki/invalid]"]],
  ["period from not string", (c) => { delete c.schema_config.configs[0].from; }, []],
  ["period no index", (c) => { delete c.schema_config.configs[0].index; }, ["loki config: schema_config.configs[0].index.period tsdb must always have periodic config for index set to 24h [loki/invalid]"]],
  ["schema xv13", (c) => { c.schema_config.configs[0].schema = "xv13"; }, ["loki config: schema_config.configs[0].schema invalid schema version (v9 to v13) [loki/invalid]", "loki config: schema_config.configs[0].schema schema v13 is required to store Structured Metadata and use native OTLP ingestion (or set limits_config.allow_structured_metadata: false) [loki/invalid]"]],
  ["schema v13x", (c) => { c.schema_config.configs[0].schema = "v13x"; }, ["loki config: schema_config.configs[0].schema invalid schema version (v9 to v13) [loki/invalid]", "loki config: schema_config.configs[0].schema schema v13 is required to store Structured Metadata and use native OTLP ingestion (or set limits_config.allow_structured_metadata: false) [loki/invalid]"]],
  ["schema v9 SM", (c) => { c.schema_config.configs[0].schema = "v9"; }, ["loki config: schema_config.configs[0].schema schema v13 is required to store Structured Metadata and use native OTLP ingestion (or set limits_config.allow_structured_metadata: false) [loki/invalid]"]],
  ["schema v12 then v13 SM", (c) => { c.schema_config.configs = [{ ...c.schema_config.configs[0], schema: "v12", store: "boltdb-shipper" }, { ...c.schema_config.configs[0], from: "2025-01-01" }]; }, []],
  ["three periods", (c) => { const p = c.schema_config.configs[0]; c.schema_config.configs = [p, { ...p, from: "2025-01-01" }, { ...p, from: "2024-06-01" }]; }, ["loki config: schema_config.configs[2].from from time in schemas must be distinct and in increasing order [loki/invalid]"]],
  ["prefix empty", (c) => { c.common.path_prefix = ""; }, ["loki config: storage_config.tsdb_shipper.active_index_directory is not set, and common.path_prefix is not either (Loki: \"please set this directly or set `path_prefix:` in the `common:` section\") [loki/invalid]", "loki config: storage_config.tsdb_shipper.cache_location is not set, and common.path_prefix is not either [loki/invalid]"]],
  ["no prefix boltdb then tsdb", (c) => { delete c.common.path_prefix; const p = c.schema_config.configs[0]; c.schema_config.configs = [{ ...p, store: "boltdb-shipper", schema: "v12" }, { ...p, from: "2025-01-01" }]; }, ["loki config: storage_config.tsdb_shipper.active_index_directory is not set, and common.path_prefix is not either (Loki: \"please set this directly or set `path_prefix:` in the `common:` section\") [loki/invalid]", "loki config: storage_config.tsdb_shipper.cache_location is not set, and common.path_prefix is not either [loki/invalid]"]],
  ["no prefix boltdb only", (c) => { delete c.common.path_prefix; c.limits_config.allow_structured_metadata = false; c.schema_config.configs[0].store = "boltdb-shipper"; }, []],
  ["no prefix no workdir", (c) => { delete c.common.path_prefix; delete c.compactor.working_directory; c.storage_config = { tsdb_shipper: { active_index_directory: "/a", cache_location: "/b" } }; }, ["loki config: compactor.working_directory is empty, please set a valid directory or set `path_prefix:` in the `common:` section [loki/invalid]"]],
  ["no retention no delete store", (c) => { c.compactor.retention_enabled = false; delete c.compactor.delete_request_store; }, []],
  ["storage with hedging", (c) => { c.common.storage.hedging = { at: "250ms" }; c.common.storage.congestion_control = { enabled: false }; }, []],
  ["global 1.5d", (c) => { c.limits_config.retention_period = "2d"; }, []],
  ["global 23h", (c) => { c.limits_config.retention_period = "23h"; }, ["loki config: limits_config.retention_period 23h is shorter than the 24h index period or not a whole number of days: retention deletes whole index tables (0 disables it) [loki/invalid]"]],
  ["persist tokens prefix", (c) => { c.common.persist_tokens = true; }, []],
];

describe("checkLokiConfig: types, structure and the semantic checks' edges, on the rendered config changed in one place", () => {
  it.each(schemaCases)("%s", (_name, change, all) => {
    expect(run(change)).toEqual(all);
  });
  it("a file that is not a mapping is one issue on (file), under the item given", () => {
    expect(checkLokiConfig("x").map(formatIssue)).toEqual(["loki config: (file) must be a mapping [loki/invalid]"]);
    expect(checkLokiConfig([]).map(formatIssue)).toEqual(["loki config: (file) must be a mapping [loki/invalid]"]);
    expect(checkLokiConfig(null, "loki.yaml").map(formatIssue)).toEqual(["loki.yaml: (file) must be a mapping [loki/invalid]"]);
  });
});

const typedCases: [name: string, config: LokiConfig, all: string[]][] = [
  ["ports 1 and 65535", { httpPort: 1, grpcPort: 65535 }, []],
  ["port 3100.5", { httpPort: 3100.5 }, ["loki: httpPort 3100.5 is not a TCP port [loki/invalid]"]],
  ["retention 0", { retention: "0s" }, []],
  ["retention 0 bare", { retention: "0" }, []],
  ["stream period 0", { streamRetention: [{ selector: '{a="b"}', period: "0s" }] }, ["loki: streamRetention[0].period 0s is shorter than the 24h index period: the compactor deletes whole daily index tables, and Loki refuses stream retention under 24h [loki/invalid]"]],
  ["stream period x", { streamRetention: [{ selector: '{a="b"}', period: "soon" }] }, ["loki: streamRetention[0].period \"soon\" is not a duration (e.g. 744h, 31d) [loki/invalid]"]],
  ["stream period 36h", { streamRetention: [{ selector: '{a="b"}', period: "36h" }] }, ["loki: streamRetention[0].period 36h is not a whole number of days (the index period is 24h) [loki/invalid]"]],
  ["stream pipeline", { streamRetention: [{ selector: '{a="b"} |= "x"', period: "48h" }] }, ["loki: streamRetention[0].selector \"{a=\"b\"} |= \"x\"\" is not a stream selector such as {service_name=\"api\"} [loki/invalid]"]],
  ["stream metric", { streamRetention: [{ selector: 'count_over_time({a="b"}[5m])', period: "48h" }] }, ["loki: streamRetention[0].selector \"count_over_time({a=\"b\"}[5m])\" is not a stream selector such as {service_name=\"api\"} [loki/invalid]"]],
  ["stream syntax", { streamRetention: [{ selector: '{a="b"', period: "48h" }] }, ["loki: streamRetention[0].selector \"{a=\"b\"\" is not a stream selector such as {service_name=\"api\"} [loki/invalid]"]],
  ["stream spaces", { streamRetention: [{ selector: '  {a="b"}  ', period: "48h" }] }, []],
  ["stream empty matcher", { streamRetention: [{ selector: '{a=""}', period: "48h" }] }, ["loki: streamRetention[0].selector \"{a=\"\"}\" has no = or =~ matcher that needs a non-empty value, which Loki requires of every stream selector [loki/invalid]"]],
  ["stream two", { streamRetention: [{ selector: '{a="b"}', period: "48h" }, { selector: "x", period: "1h" }] }, ["loki: streamRetention[1].period 1h is shorter than the 24h index period: the compactor deletes whole daily index tables, and Loki refuses stream retention under 24h [loki/invalid]", "loki: streamRetention[1].selector \"x\" is not a stream selector such as {service_name=\"api\"} [loki/invalid]"]],
  ["schemaFrom prefix", { schemaFrom: "x2024-01-01" }, ["loki: schemaFrom \"x2024-01-01\" must be a date YYYY-MM-DD [loki/invalid]"]],
  ["schemaFrom suffix", { schemaFrom: "2024-01-01x" }, ["loki: schemaFrom \"2024-01-01x\" must be a date YYYY-MM-DD [loki/invalid]"]],
  ["am https path", { alertmanagerUrls: ["https://am.example:9093/prefix/path"] }, []],
  ["am prefix", { alertmanagerUrls: ["xhttp://am:9093"] }, ["loki: alertmanagerUrls \"xhttp://am:9093\" is not an http(s) URL of an Alertmanager [loki/invalid]"]],
  ["am suffix space", { alertmanagerUrls: ["http://am:9093/a b"] }, ["loki: alertmanagerUrls \"http://am:9093/a b\" is not an http(s) URL of an Alertmanager [loki/invalid]"]],
  ["am comma", { alertmanagerUrls: ["http://a:9093,http://b:9093"] }, ["loki: alertmanagerUrls \"http://a:9093,http://b:9093\" is not an http(s) URL of an Alertmanager [loki/invalid]"]],
  ["am two", { alertmanagerUrls: ["http://a:9093", "http://b:9093"] }, []],
  ["rw prefix", { remoteWriteUrl: "xhttp://p:9090/api/v1/write" }, ["loki: remoteWriteUrl \"xhttp://p:9090/api/v1/write\" is not an http(s) URL of a remote-write endpoint (e.g. http://prometheus:9090/api/v1/write) [loki/invalid]"]],
  ["rw no path", { remoteWriteUrl: "http://p:9090" }, ["loki: remoteWriteUrl \"http://p:9090\" is not an http(s) URL of a remote-write endpoint (e.g. http://prometheus:9090/api/v1/write) [loki/invalid]"]],
  ["rw space", { remoteWriteUrl: "http://p:9090/api/v1/write now" }, ["loki: remoteWriteUrl \"http://p:9090/api/v1/write now\" is not an http(s) URL of a remote-write endpoint (e.g. http://prometheus:9090/api/v1/write) [loki/invalid]"]],
  ["otlp suffix", { otlpIndexLabels: ["a b"] }, ["loki: otlpIndexLabels \"a b\" is not an OTLP attribute name [loki/invalid]"]],
  ["otlp ok", { otlpIndexLabels: ["_x-1.y"] }, []],
  ["schema after typed ok", { limits: { maxLineSize: "lots" } }, ["loki.yaml: limits_config.max_line_size must be an integer, got \"lots\" (reference: <int>, default 256KB) [loki/invalid]"]],
  ["schema after typed ok rate", { limits: { perStreamRateLimit: "fast" } }, ["loki.yaml: limits_config.per_stream_rate_limit must be an integer, got \"fast\" (reference: <int>, default 3MB) [loki/invalid]"]],
  ["typed error hides schema", { httpPort: 0, limits: { maxLineSize: "lots" } }, ["loki: httpPort 0 is not a TCP port [loki/invalid]"]],
];

describe("validateLokiConfig: the typed checks' edges, then the schema on the rendered file", () => {
  it.each(typedCases)("%s", (_name, config, all) => {
    expect(validateLokiConfig(config).map(formatIssue)).toEqual(all);
  });
});
