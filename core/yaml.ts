/**
 * Deterministic YAML text for configs read by Go programs. Prometheus and Alertmanager parse YAML with
 * gopkg.in/yaml (YAML 1.1 rules: `on`, `No`, `y` are booleans) while editors and the `yaml` package speak 1.2, so
 * every string scalar that either version would read as something other than that string is double-quoted.
 * Key order is the order the caller built the object in; renderers build objects field by field, and maps with
 * user-chosen keys (labels, annotations) go through `sortedRecord`.
 */
import type * as YamlModule from "yaml";

let yamlModule: typeof YamlModule | undefined;
/** The `yaml` package, loaded on first use (the fast path below renders most configs without it). */
function yaml(): typeof YamlModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  yamlModule ??= require("yaml") as typeof YamlModule;
  return yamlModule;
}

const ambiguousCache = new Map<string, boolean>();

/**
 * Plain scalars every YAML 1.1 and 1.2 reader takes as exactly this string: a letter, `_` or `/` first (so no
 * indicator, number, date, sexagesimal or `.inf`), printable ASCII, no `: ` or trailing `:` (a mapping), no ` #`
 * (a comment), no trailing space, and none of the words the schemas give a meaning. Most strings in a config (names,
 * PromQL, URLs, sentences) are such; they skip the two parses below, which dominate rendering a large stack.
 * A digit first is fine too when the text holds a character no number, date or time of either version has (`2m`,
 * `5xx share`, `1% of requests`): the digits-and-letters forms are hex, octal, binary, exponents, sexagesimal and
 * timestamps, and none of them has a character outside the class NOT_NUMERIC_CHAR excludes. Anything else takes
 * the parses.
 * test/bench/yaml-fast-path.test.ts keeps the two in agreement.
 */
const PLAIN_STRING = /^[A-Za-z_/][\x20-\x7e]*$/;
const DIGIT_FIRST = /^[0-9][\x20-\x7e]*$/;
const NOT_NUMERIC_CHAR = /[^0-9a-fA-FxXoObBtTzZ_.:+\- ]/;
const NOT_PLAIN = /: | #|[: ]$/;
const SCHEMA_WORDS = /^(?:y|yes|n|no|true|false|on|off|null)$/i;

export function isPlainString(text: string): boolean {
  return (PLAIN_STRING.test(text) || (DIGIT_FIRST.test(text) && NOT_NUMERIC_CHAR.test(text))) && !NOT_PLAIN.test(text) && !SCHEMA_WORDS.test(text);
}

/**
 * Text starting with one of these indicators is never a plain scalar, so no reader takes it as that same string
 * (it is a flow collection, quoted or block scalar, anchor, alias, tag, directive, comment, or an error): it is
 * quoted without the parses. test/bench/yaml-fast-path.test.ts checks this against them too.
 */
const INDICATOR_FIRST = /^[,[\]{}#&*!|>'"%@`]/;

export function startsWithIndicator(text: string): boolean {
  return INDICATOR_FIRST.test(text);
}

function readsAsNonString(text: string): boolean {
  if (isPlainString(text)) return false;
  if (startsWithIndicator(text)) return true;
  return parsesAsNonString(text);
}

/** The reference check: parse the text alone under both versions' schemas. */
export function parsesAsNonString(text: string): boolean {
  const cached = ambiguousCache.get(text);
  if (cached !== undefined) return cached;
  let result = false;
  for (const version of ["1.1", "1.2"] as const) {
    try {
      // logLevel "error": still throws on errors, without printing warnings (an unknown tag) for a mere probe.
      const v: unknown = yaml().parse(text, { version, schema: version === "1.1" ? "yaml-1.1" : "core", logLevel: "error" });
      if (typeof v !== "string" || v !== text) result = true;
    } catch {
      result = true;
    }
  }
  // A large stack has tens of thousands of such strings (annotations starting with a number or a template); a
  // smaller cache would be cleared before its entries are reused by the next render.
  if (ambiguousCache.size > 200_000) ambiguousCache.clear();
  ambiguousCache.set(text, result);
  return result;
}

/**
 * Renders a plain object as YAML text: no anchors, no line folding, ambiguous strings quoted. Objects made of plain
 * maps, arrays, strings, finite numbers, booleans and null take `fastYaml`; anything else (and any string whose
 * rendering the fast path does not know for sure) takes `toYamlReference`. The two give the same bytes:
 * test/bench/yaml-fast-path.test.ts compares them on the shipped stacks and on generated tricky values.
 */
export function toYaml(value: unknown): string {
  return fastYaml(value) ?? toYamlReference(value);
}

/** The reference rendering: a `yaml` Document with every string's style decided as below, printed by `yaml`. */
export function toYamlReference(value: unknown): string {
  const { Document, isScalar, Scalar, visit } = yaml();
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

/*
 * The fast path: yaml's stringifier (stringifyDocument, stringifyCollection, stringifyPair, stringifyString of
 * yaml 2.9) restated for the one configuration `toYamlReference` uses — block collections, two-space indent,
 * sequences indented under their key, no comments, no anchors, line width 0 (no folding), and string styles chosen
 * as above. Each function says which case of the original it is; whatever falls outside returns undefined and the
 * whole document goes to the reference.
 */

/** Control characters and lone surrogates: yaml escapes them in double quotes (`\x07`, `\e`, ...); not handled here. */
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u{D800}-\u{DFFF}]/u;
/** plainString's test for text that cannot be a plain scalar. */
const NOT_PLAIN_SCALAR = /^[\n\t ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][ \t]|[\n:][ \t]|[ \t]\n|[\n\t ]#|[\n\t :]$/;
const DOCUMENT_MARKER = /^(%|---|\.\.\.)/m;
const STR_TAG = "tag:yaml.org,2002:str";
/** The YAML 1.2 core schema tags plainString checks a plain string against (a match would read as null, bool, number). */
let coreTags: readonly RegExp[] | undefined;
const CORE_TAGS = (): readonly RegExp[] => (coreTags ??= (() => {
  const schema = new (yaml().Document)(null, { version: "1.2" }).schema as unknown as { tags: readonly { default?: unknown; tag: string; test?: RegExp }[]; compat?: readonly { default?: unknown; tag: string; test?: RegExp }[] | null };
  return [...schema.tags, ...(schema.compat ?? [])].filter((t) => t.default && t.tag !== STR_TAG && t.test !== undefined).map((t) => t.test as RegExp);
})());
/** blockString's pattern for the newlines of trailing blank lines that get an indent. */
const BLOCK_END_NEWLINES = /(^|(?<!\n))\n+(?!\n|$)/g;
/** Deeper than any config; a cycle ends up here and the reference reports it. */
const MAX_DEPTH = 200;

/** quotedString with `singleQuote: null`, for a one-line string without control characters. */
function quoted(value: string): string {
  if (value.includes('"') && !value.includes("'")) return `'${value.replace(/'/g, "''")}'`;
  // doubleQuotedString: JSON's escapes, which yaml keeps as they are for this kind of text.
  return JSON.stringify(value);
}

/**
 * A one-line string scalar, as a key or a value (yaml treats both alike for one line without document markers);
 * undefined where the fast path does not decide.
 */
function lineScalar(value: string): string | undefined {
  if (value.includes("\n") || CONTROL.test(value)) return undefined;
  if (isPlainString(value)) return value;
  // Scalar.QUOTE_DOUBLE → doubleQuotedString, which for one line without control characters is JSON.
  if (readsAsNonString(value)) return JSON.stringify(value);
  // No style set → the default PLAIN → plainString.
  if (NOT_PLAIN_SCALAR.test(value)) return quoted(value);
  // A document marker (`---`, `...`) at the start: plainString's handling depends on the indent; leave it to yaml.
  if (DOCUMENT_MARKER.test(value)) return undefined;
  if (CORE_TAGS().some((t) => t.test(value))) return quoted(value);
  return value;
}

/** blockString with Scalar.BLOCK_LITERAL under a non-empty indent (never the document root here). */
function blockLiteral(text: string, indent: string): string | undefined {
  if (CONTROL.test(text) || /\n[\t ]+$/.test(text)) return undefined;
  let value = text;
  let endStart: number;
  for (endStart = value.length; endStart > 0; --endStart) {
    const ch = value[endStart - 1];
    if (ch !== "\n" && ch !== "\t" && ch !== " ") break;
  }
  let end = value.substring(endStart);
  const endNlPos = end.indexOf("\n");
  const chomp = endNlPos === -1 ? "-" : value === end || endNlPos !== end.length - 1 ? "+" : "";
  if (end) {
    value = value.slice(0, -end.length);
    if (end[end.length - 1] === "\n") end = end.slice(0, -1);
    end = end.replace(BLOCK_END_NEWLINES, `$&${indent}`);
  }
  let startWithSpace = false;
  let startEnd: number;
  let startNlPos = -1;
  for (startEnd = 0; startEnd < value.length; ++startEnd) {
    const ch = value[startEnd];
    if (ch === " ") startWithSpace = true;
    else if (ch === "\n") startNlPos = startEnd;
    else break;
  }
  let start = value.substring(0, startNlPos < startEnd ? startNlPos + 1 : startEnd);
  if (start) {
    value = value.substring(start.length);
    start = start.replace(/\n+/g, `$&${indent}`);
  }
  const header = (startWithSpace ? "2" : "") + chomp;
  value = value.replace(/\n+/g, `$&${indent}`);
  return `|${header}\n${indent}${start}${value}${end}`;
}

function isPlainObject(v: object): v is Record<string, unknown> {
  const proto = Object.getPrototypeOf(v) as unknown;
  return (proto === Object.prototype || proto === null) && !("toJSON" in v);
}

/** stringify(item, ctx) of a value node whose ctx.indent is `indent`. */
function node(v: unknown, indent: string, depth: number): string | undefined {
  switch (typeof v) {
    case "string":
      return v.includes("\n") ? blockLiteral(v, indent) : lineScalar(v);
    case "number":
      // stringifyNumber
      if (!Number.isFinite(v)) return Number.isNaN(v) ? ".nan" : v < 0 ? "-.inf" : ".inf";
      return Object.is(v, -0) ? "-0" : JSON.stringify(v);
    case "boolean":
      return v ? "true" : "false";
    case "object":
      if (v === null) return "null";
      if (depth > MAX_DEPTH) return undefined;
      if (Array.isArray(v)) return Object.getPrototypeOf(v) === Array.prototype ? seq(v, indent, depth) : undefined;
      return isPlainObject(v) ? map(v, indent, depth) : undefined;
    default:
      return undefined;
  }
}

/** YAMLSeq.toString → stringifyBlockCollection (`- ` items at indent + 2), or `[]` when empty. */
function seq(items: readonly unknown[], indent: string, depth: number): string | undefined {
  if (items.length === 0) return "[]";
  const itemIndent = `${indent}  `;
  let out = "";
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (item === undefined) return undefined;
    const s = node(item, itemIndent, depth + 1);
    if (s === undefined) return undefined;
    out += i === 0 ? `- ${s}` : `\n${indent}- ${s}`;
  }
  return out;
}

/** YAMLMap.toString → stringifyBlockCollection of stringifyPair, or `{}` when empty (undefined values dropped). */
function map(obj: Record<string, unknown>, indent: string, depth: number): string | undefined {
  const inner = `${indent}  `;
  let out = "";
  let first = true;
  for (const k of Object.keys(obj)) {
    const v = obj[k];
    if (v === undefined) continue;
    const key = lineScalar(k);
    if (key === undefined || key.length > 1024) return undefined;
    const value = node(v, inner, depth + 1);
    if (value === undefined) return undefined;
    // A non-empty collection starts on the next line at the pair's indent; scalars and `{}`/`[]` follow `key: `.
    const block = typeof v === "object" && v !== null && (Array.isArray(v) ? v.length > 0 : value !== "{}");
    const pair = block ? `${key}:\n${inner}${value}` : `${key}: ${value}`;
    out += first ? pair : `\n${indent}${pair}`;
    first = false;
  }
  return first ? "{}" : out;
}

/** The document: a map or sequence at the root, then a newline. Undefined: use the reference. */
export function fastYaml(value: unknown): string | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const body = node(value, "", 0);
  return body === undefined ? undefined : `${body}\n`;
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
