/**
 * A schema of Loki's configuration file for the pinned release (grafana/loki 3.7.x), independent of the renderer:
 * the keys, types and defaults come from Loki's configuration reference (core/loki/reference.ts, transcribed from
 * `docs/sources/shared/configuration.md` at v3.7.6), the checks below from Loki's own validation code, quoted.
 * Loki loads its file with `yaml.UnmarshalStrict` (pkg/util/cfg/files.go: `return yaml.UnmarshalStrict(y, dst)`),
 * so an unknown key stops it at start-up: here it is an error naming the path. Keys renamed or removed in Loki 3
 * get the upgrade guide's words (docs/sources/setup/upgrade/_index.md, "## 3.0.0").
 */
import { analyzeLogql, regexProblems } from "../logql/parse";
import { finding, type ValidationIssue } from "../validation";
import { LOKI_REFERENCE, LOKI_REFERENCE_VERSION, type ReferenceKey } from "./reference";

/** Keys Loki 3 removed or moved, by path, with where they went (upgrade guide 3.0.0). */
export const LOKI3_REMOVED: Readonly<Record<string, string>> = {
  "storage_config.tsdb_shipper.shared_store": "was removed in Loki 3.0 (\"The `shared_store` config is removed\"): the period config's `object_store` names the index store",
  "storage_config.boltdb_shipper.shared_store": "was removed in Loki 3.0: the period config's `object_store` names the index store",
  "storage_config.tsdb_shipper.shared_store_key_prefix": "was removed in Loki 3.0: set `path_prefix` under the period config's `index`",
  "storage_config.boltdb_shipper.shared_store_key_prefix": "was removed in Loki 3.0: set `path_prefix` under the period config's `index`",
  "storage_config.tsdb_shipper.use_boltdb_shipper_as_backup": "was removed in Loki 3.0 (its old default, false, applies)",
  "compactor.shared_store": "was removed in Loki 3.0: the compactor runs on every object store of the tsdb/boltdb-shipper periods",
  "compactor.shared_store_key_prefix": "was removed in Loki 3.0",
  "compactor.deletion_mode": "moved in Loki 3.0 to `limits_config.deletion_mode`",
  "chunk_store_config.max_look_back_period": "was removed in Loki 3.0: use `limits_config.max_query_lookback`",
  "limits_config.enforce_metric_name": "was removed in Loki 3.0 (`validation.enforce-metric-name`)",
  "ingester.max_transfer_retries": "was removed in Loki 3.0 in favour of the write-ahead log",
  "query_range.split_queries_by_interval": "moved in Loki 3.0 to `limits_config.split_queries_by_interval`",
  "querier.query_timeout": "moved in Loki 3.0 to `limits_config.query_timeout`",
  "querier.engine.timeout": "was removed in Loki 3.0: use `limits_config.query_timeout`",
  "ruler.evaluation_delay_duration": "was removed in Loki 3.0",
};

/** Keys the reference hides (`doc:"hidden"` in pkg/loki/loki.go) but Loki still accepts at the top level. */
const HIDDEN_TOP = new Set(["http_prefix", "internal_server", "compactor_client", "legacy_read_target"]);

/** `list of StreamRetentions`: struct StreamRetention in pkg/validation/limits.go (period, priority, selector). */
const STREAM_RETENTION: Readonly<Record<string, ReferenceKey>> = { period: { type: "duration" }, priority: { type: "int" }, selector: { type: "string" } };

/** Go `time.Duration` text (`1h30m`, `10s`, `0`). */
const GO_DURATION = /^(?:0|[-+]?(?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h))+)$/;
/** Prometheus `model.Duration` text, which also has d, w, y (limits_config durations and schema periods). */
const MODEL_DURATION = /^(?:0|(?:\d+y)?(?:\d+w)?(?:\d+d)?(?:\d+h)?(?:\d+m)?(?:\d+s)?(?:\d+ms)?)$/;
/** Paths whose durations are `model.Duration` (pkg/validation/limits.go; schema_config.go reads index.period through it). */
const MODEL_DURATION_PATHS = [/^limits_config\./, /^schema_config\.configs\[\d+\]\.(index|chunks)\.period$/];

function typeProblem(path: string, type: string, v: unknown): string | undefined {
  switch (type) {
    case "boolean":
      return typeof v === "boolean" ? undefined : "must be a boolean";
    case "int":
      // flagext.ByteSize fields are documented as <int> with defaults like 256KB: a size text is fine there.
      return (typeof v === "number" && Number.isInteger(v)) || (typeof v === "string" && /^\d+(?:\.\d+)?\s*(?:[KMGT]i?B|B)?$/i.test(v)) ? undefined : "must be an integer";
    case "float":
      return typeof v === "number" ? undefined : "must be a number";
    case "string":
    case "url":
    case "Regexp":
      return typeof v === "string" ? undefined : "must be a string";
    case "daytime":
      return typeof v === "string" && /^\d{4}-\d{2}-\d{2}$/.test(v) ? undefined : "must be a date written YYYY-MM-DD (parsed with time.Parse(\"2006-01-02\"))";
    case "duration": {
      if (typeof v !== "string" && v !== 0) return "must be a duration";
      const text = String(v);
      const model = MODEL_DURATION_PATHS.some((re) => re.test(path));
      if (model ? MODEL_DURATION.test(text) && text !== "" : GO_DURATION.test(text)) return undefined;
      return model ? "is not a duration (e.g. 24h, 7d)" : "is not a Go duration (h, m, s; this field has no d or w)";
    }
    case "list of strings":
      return Array.isArray(v) && v.every((x) => typeof x === "string") ? undefined : "must be a list of strings";
    default:
      if (type.startsWith("map of string to")) return typeof v === "object" && v !== null && !Array.isArray(v) ? undefined : "must be a map";
      return undefined;
  }
}

function check(out: ValidationIssue[], item: string, path: string, keys: Readonly<Record<string, ReferenceKey>>, v: unknown, top = false): void {
  if (typeof v !== "object" || v === null || Array.isArray(v)) {
    out.push(finding("loki/invalid", item, path || "(file)", "must be a mapping"));
    return;
  }
  for (const [k, val] of Object.entries(v as Record<string, unknown>)) {
    const p = path ? `${path}.${k}` : k;
    const ref = keys[k];
    if (ref === undefined) {
      if (top && HIDDEN_TOP.has(k)) continue;
      // No removed key lies under a list, so the path itself is the key of LOKI3_REMOVED.
      const removed = LOKI3_REMOVED[p];
      out.push(finding("loki/invalid", item, p, removed ?? `is not a key of Loki ${LOKI_REFERENCE_VERSION}'s configuration (Loki refuses unknown keys at start-up)`));
      continue;
    }
    if (val === null || val === undefined) continue;
    checkValue(out, item, p, ref, val);
  }
}

/**
 * Blocks the reference embeds in another without a key (a `[<s3_storage_config>]` line: Go's `yaml:",inline"`),
 * which the transcription leaves out: `storage_config.aws` takes DynamoDB's keys and S3's (`s3`, `bucketnames`…).
 */
const INLINE_BLOCKS: Readonly<Record<string, readonly string[]>> = { aws_storage_config: ["s3_storage_config"] };

/** A block's keys, with the blocks it embeds inline. */
function blockKeys(name: string): Readonly<Record<string, ReferenceKey>> | undefined {
  const own = LOKI_REFERENCE[name];
  const inline = INLINE_BLOCKS[name];
  if (inline === undefined) return own;
  return Object.assign({}, ...inline.map((b) => LOKI_REFERENCE[b] ?? {}), own) as Record<string, ReferenceKey>;
}

/**
 * `storage_config.named_stores`: per backend, stores by name, each configured like that backend
 * (pkg/storage/config NamedStores). The reference shows it only by an example, so it is read here.
 */
const NAMED_STORE_BLOCKS: Readonly<Record<string, string>> = {
  alibabacloud: "alibabacloud_storage_config", aws: "aws_storage_config", azure: "azure_storage_config", bos: "bos_storage_config",
  cos: "cos_storage_config", filesystem: "local_storage_config", gcs: "gcs_storage_config", swift: "swift_storage_config",
};

function checkNamedStores(out: ValidationIssue[], item: string, p: string, val: unknown): void {
  if (typeof val !== "object" || val === null || Array.isArray(val)) {
    out.push(finding("loki/invalid", item, p, "must be a mapping"));
    return;
  }
  for (const [kind, stores] of Object.entries(val as Record<string, unknown>)) {
    const block = NAMED_STORE_BLOCKS[kind];
    if (block === undefined) {
      out.push(finding("loki/invalid", item, `${p}.${kind}`, `is not a backend of named_stores (${Object.keys(NAMED_STORE_BLOCKS).join(", ")})`));
      continue;
    }
    if (stores === null || stores === undefined) continue;
    if (typeof stores !== "object" || Array.isArray(stores)) {
      out.push(finding("loki/invalid", item, `${p}.${kind}`, "must map store names to their configuration"));
      continue;
    }
    for (const [name, cfg] of Object.entries(stores as Record<string, unknown>)) {
      if (cfg !== null && cfg !== undefined) check(out, item, `${p}.${kind}.${name}`, blockKeys(block)!, cfg);
    }
  }
}

/** The names of the stores `named_stores` defines. */
function namedStoreNames(storageConfig: Record<string, unknown>): Set<string> {
  const named = storageConfig.named_stores;
  const out = new Set<string>();
  if (typeof named !== "object" || named === null) return out;
  for (const stores of Object.values(named as Record<string, unknown>)) {
    if (typeof stores === "object" && stores !== null) for (const n of Object.keys(stores)) out.add(n);
  }
  return out;
}

function checkValue(out: ValidationIssue[], item: string, p: string, ref: ReferenceKey, val: unknown): void {
  if (p === "storage_config.named_stores") return checkNamedStores(out, item, p, val);
  if (ref.keys) return check(out, item, p, ref.keys, val);
  const list = ref.type.startsWith("list of ") && ref.type !== "list of strings";
  const block = ref.ref !== undefined ? blockKeys(ref.ref) : ref.type === "list of StreamRetentions" ? STREAM_RETENTION : undefined;
  if (list) {
    if (!Array.isArray(val)) {
      out.push(finding("loki/invalid", item, p, `must be a list (${ref.type})`));
      return;
    }
    if (block) val.forEach((x, i) => check(out, item, `${p}[${i}]`, block, x));
    return;
  }
  if (block) return check(out, item, p, block, val);
  const problem = typeProblem(p, ref.type, val);
  if (problem) out.push(finding("loki/invalid", item, p, `${problem}, got ${JSON.stringify(val)} (reference: <${ref.type}>${ref.default !== undefined ? `, default ${ref.default}` : ""})`));
}

const INDEX_TYPES = ["tsdb", "boltdb-shipper"];
/** pkg/storage/types/types.go SupportedStorageTypes. */
const OBJECT_STORES = ["filesystem", "aws", "alibabacloud", "azure", "bos", "cos", "gcs", "s3", "swift", "noop"];
const DAY_MS = 24 * 3600_000;

export function durationMs(text: unknown): number | undefined {
  if (typeof text !== "string") return text === 0 ? 0 : undefined;
  if (text === "0") return 0;
  const units: Record<string, number> = { y: 365 * DAY_MS, w: 7 * DAY_MS, d: DAY_MS, h: 3600_000, m: 60_000, s: 1000, ms: 1, us: 1e-3, µs: 1e-3, ns: 1e-6 };
  let total = 0;
  let rest = text;
  while (rest !== "") {
    const m = /^(\d+(?:\.\d+)?)(ms|us|µs|ns|y|w|d|h|m|s)/.exec(rest);
    if (!m) return undefined;
    total += Number(m[1]) * units[m[2]!]!;
    rest = rest.slice(m[0].length);
  }
  return total;
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Obj) : {});

/** Loki's own semantic checks of the pieces a single-binary config uses, each quoted from its source. */
function semantics(out: ValidationIssue[], item: string, c: Obj): void {
  const bad = (field: string, message: string) => out.push(finding("loki/invalid", item, field, message));
  const periods = Array.isArray(obj(c.schema_config).configs) ? (obj(c.schema_config).configs as unknown[]).map(obj) : [];
  // pkg/storage/config/schema_config.go: "must specify at least one schema configuration"
  if (periods.length === 0) bad("schema_config.configs", "must specify at least one schema configuration");
  let prev = "";
  const limits = obj(c.limits_config);
  const structured = limits.allow_structured_metadata !== false;
  periods.forEach((p, i) => {
    const f = `schema_config.configs[${i}]`;
    if (typeof p.from === "string") {
      // "from time in schemas must be distinct and in increasing order"
      // (a from that passed the schema is a YYYY-MM-DD text, never "", so the first period compares false)
      if (p.from <= prev) bad(`${f}.from`, "from time in schemas must be distinct and in increasing order");
      prev = p.from;
    }
    if (!INDEX_TYPES.includes(String(p.store))) bad(`${f}.store`, `"${String(p.store)}" is not an index type Loki 3 supports (tsdb, boltdb-shipper)`);
    if (!OBJECT_STORES.includes(String(p.object_store)) && !namedStoreNames(obj(c.storage_config)).has(String(p.object_store))) {
      bad(`${f}.object_store`, `unrecognized \`object_store\` type \`${String(p.object_store)}\`, which also does not match any named_stores`);
    }
    const schema = /^v(\d+)$/.exec(String(p.schema));
    if (!schema || Number(schema[1]) < 9 || Number(schema[1]) > 13) bad(`${f}.schema`, "invalid schema version (v9 to v13)");
    const period = durationMs(obj(p.index).period);
    // "tsdb must always have periodic config for index set to 24h"
    if (p.store === "tsdb" && period !== DAY_MS) bad(`${f}.index.period`, "tsdb must always have periodic config for index set to 24h");
    else if (period !== undefined && period % DAY_MS !== 0) bad(`${f}.index.period`, "the table period must be a multiple of 24h");
    // pkg/loki/validation.go: structured metadata (on by default) needs v13 and tsdb.
    if (structured && i === periods.length - 1) {
      if (p.schema !== "v13") bad(`${f}.schema`, "schema v13 is required to store Structured Metadata and use native OTLP ingestion (or set limits_config.allow_structured_metadata: false)");
      if (p.store !== "tsdb") bad(`${f}.store`, "`tsdb` index type is required to store Structured Metadata and use native OTLP ingestion");
    }
  });
  const common = obj(c.common);
  const compactor = obj(c.compactor);
  const prefix = typeof common.path_prefix === "string" && common.path_prefix !== "";
  const tsdb = obj(obj(c.storage_config).tsdb_shipper);
  if (periods.some((p) => p.store === "tsdb") && !prefix) {
    if (!tsdb.active_index_directory) bad("storage_config.tsdb_shipper.active_index_directory", "is not set, and common.path_prefix is not either (Loki: \"please set this directly or set `path_prefix:` in the `common:` section\")");
    if (!tsdb.cache_location) bad("storage_config.tsdb_shipper.cache_location", "is not set, and common.path_prefix is not either");
  }
  if (!prefix && !compactor.working_directory) bad("compactor.working_directory", "is empty, please set a valid directory or set `path_prefix:` in the `common:` section");
  // pkg/compactor/config.go: "compactor.delete-request-store should be configured when retention is enabled"
  if (compactor.retention_enabled === true && !compactor.delete_request_store) bad("compactor.delete_request_store", "should be configured when retention is enabled (compactor.delete-request-store)");
  // pkg/validation/limits.go Validate: "retention period must be >= 24h was %s"
  const streams = Array.isArray(limits.retention_stream) ? (limits.retention_stream as unknown[]).map(obj) : [];
  streams.forEach((s, i) => {
    const ms = durationMs(s.period);
    if (ms !== undefined && ms < DAY_MS) bad(`limits_config.retention_stream[${i}].period`, `retention period must be >= 24h was ${String(s.period)}`);
    if (typeof s.selector !== "string" || !/^\{.*\}$/s.test(s.selector.trim())) bad(`limits_config.retention_stream[${i}].selector`, "invalid labels matchers: a stream selector such as {namespace=\"dev\"}");
    else for (const p of regexProblems(analyzeLogql(s.selector))) bad(`limits_config.retention_stream[${i}].selector`, `invalid labels matchers: ${p}`);
  });
  // The docs' rule (operations/storage/retention.md: "The minimum retention period is 24h", and the index period
  // 24h): Loki does not check the global period in code; this schema holds it to 0 or whole days, at least one.
  const global = durationMs(limits.retention_period);
  // (a positive period under 24h is never a whole number of days)
  if (global !== undefined && global % DAY_MS !== 0) {
    bad("limits_config.retention_period", `${String(limits.retention_period)} is shorter than the 24h index period or not a whole number of days: retention deletes whole index tables (0 disables it)`);
  }
  const storage = obj(common.storage);
  const backends = Object.keys(storage).filter((k) => !["hedging", "congestion_control", "object_store"].includes(k));
  if (backends.length > 1) bad("common.storage", "too many storage configs provided in the common config, please only define one storage backend");
  if (common.persist_tokens === true && !prefix) bad("common.persist_tokens", "if persist_tokens is true, path_prefix MUST be defined");
}

/** Every problem Loki 3.7 would have with the config object (as parsed from its YAML). */
export function checkLokiConfig(config: unknown, item = "loki config"): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  check(out, item, "", LOKI_REFERENCE["(top)"]!, config, true);
  if (out.length === 0) semantics(out, item, obj(config));
  return out;
}
