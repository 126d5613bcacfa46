/**
 * Deterministic YAML text for configs read by Go programs. Prometheus and Alertmanager parse YAML with
 * gopkg.in/yaml (YAML 1.1 rules: `on`, `No`, `y` are booleans) while editors and the `yaml` package speak 1.2, so
 * every string scalar that either version would read as something other than that string is double-quoted.
 * Key order is the order the caller built the object in; renderers build objects field by field, and maps with
 * user-chosen keys (labels, annotations) go through `sortedRecord`.
 */
import { Document, isScalar, parse, Scalar, visit } from "yaml";

const ambiguousCache = new Map<string, boolean>();

/**
 * Plain scalars every YAML 1.1 and 1.2 reader takes as exactly this string: a letter, `_` or `/` first (so no
 * indicator, number, date, sexagesimal or `.inf`), printable ASCII, no `: ` or trailing `:` (a mapping), no ` #`
 * (a comment), no trailing space, and none of the words the schemas give a meaning. Most strings in a config (names,
 * PromQL, URLs, sentences) are such; they skip the two parses below, which dominate rendering a large stack.
 * Anything else takes the parses. test/bench/yaml-fast-path.test.ts keeps the two in agreement.
 */
const PLAIN_STRING = /^[A-Za-z_/][\x20-\x7e]*$/;
const NOT_PLAIN = /: | #|[: ]$/;
const SCHEMA_WORDS = /^(?:y|yes|n|no|true|false|on|off|null)$/i;

export function isPlainString(text: string): boolean {
  return PLAIN_STRING.test(text) && !NOT_PLAIN.test(text) && !SCHEMA_WORDS.test(text);
}

function readsAsNonString(text: string): boolean {
  if (isPlainString(text)) return false;
  return parsesAsNonString(text);
}

/** The reference check: parse the text alone under both versions' schemas. */
export function parsesAsNonString(text: string): boolean {
  const cached = ambiguousCache.get(text);
  if (cached !== undefined) return cached;
  let result = false;
  for (const version of ["1.1", "1.2"] as const) {
    try {
      const v: unknown = parse(text, { version, schema: version === "1.1" ? "yaml-1.1" : "core" });
      if (typeof v !== "string" || v !== text) result = true;
    } catch {
      result = true;
    }
  }
  if (ambiguousCache.size > 10_000) ambiguousCache.clear();
  ambiguousCache.set(text, result);
  return result;
}

/** Renders a plain object as YAML text: no anchors, no line folding, ambiguous strings quoted. */
export function toYaml(value: unknown): string {
  const doc = new Document(value, { version: "1.2", aliasDuplicateObjects: false });
  visit(doc, {
    Scalar(_key, node) {
      if (isScalar(node) && typeof node.value === "string" && node.type !== Scalar.BLOCK_LITERAL) {
        if (node.value.includes("\n")) node.type = Scalar.BLOCK_LITERAL;
        else if (readsAsNonString(node.value)) node.type = Scalar.QUOTE_DOUBLE;
      }
    },
  });
  return doc.toString({ lineWidth: 0, minContentWidth: 0, indentSeq: true });
}

/** Canonical JSON text (2-space indent, trailing newline); key order as built. */
export function toJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** A copy of a string map with keys sorted, so user-supplied maps render in a stable order. */
export function sortedRecord<V>(rec: Readonly<Record<string, V>> | undefined): Record<string, V> | undefined {
  if (rec === undefined) return undefined;
  const out: Record<string, V> = {};
  for (const k of Object.keys(rec).sort()) out[k] = rec[k] as V;
  return out;
}

/** Drops keys whose value is undefined, keeping order, so optional fields vanish from the output. */
export function compact<T extends Record<string, unknown>>(obj: T): Partial<T> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    if (v === undefined) continue;
    if (Array.isArray(v) && v.length === 0) continue;
    out[k] = v;
  }
  return out as Partial<T>;
}
