/**
 * The comparison engine every area shares: parsed YAML/JSON is flattened to `path → display value`, so key order
 * and formatting never show, and two versions of one item compare field by field. Arrays of objects are keyed by
 * their natural identity (`name`, `job_name`, `refId`, …) when every element has a distinct one, so inserting an
 * element does not shift every later index into a change.
 */
import { parse } from "yaml";
import type { Change, FieldChange } from "./model";

export type Json = null | boolean | number | string | readonly Json[] | { readonly [k: string]: Json };
export type JsonObject = { readonly [k: string]: Json };

export function isObject(v: unknown): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export const asArray = (v: unknown): readonly Json[] => (Array.isArray(v) ? (v as Json[]) : []);
export const asObject = (v: unknown): JsonObject => (isObject(v) ? v : {});
export const asString = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

/** Parsed files per tree: every area reads the same few files, and a tree never changes once read. */
const parsed = new WeakMap<ReadonlyMap<string, string>, Map<string, Json>>();

/** A YAML or JSON file of the tree, parsed; undefined when the file is absent. */
export function readDoc(tree: ReadonlyMap<string, string>, path: string): Json | undefined {
  const text = tree.get(path);
  if (text === undefined) return undefined;
  let cache = parsed.get(tree);
  if (!cache) parsed.set(tree, (cache = new Map()));
  const hit = cache.get(path);
  if (hit !== undefined) return hit;
  let doc: Json;
  try {
    doc = (path.endsWith(".json") ? JSON.parse(text) : parse(text)) as Json;
  } catch (e) {
    throw new Error(`${path}: cannot parse (${e instanceof Error ? e.message : String(e)})`);
  }
  cache.set(path, doc);
  return doc;
}

/** Fields that identify an element of an array of objects, most specific first. */
const ARRAY_KEYS = ["job_name", "refId", "uid", "alert", "record", "name", "label", "file", "containerPath", "mountPath", "path", "url"];

function arrayKey(items: readonly Json[]): string | undefined {
  if (items.length === 0 || !items.every(isObject)) return undefined;
  for (const k of ARRAY_KEYS) {
    const values = items.map((i) => (i as JsonObject)[k]);
    if (values.every((v) => typeof v === "string" || typeof v === "number") && new Set(values).size === values.length) return k;
  }
  return undefined;
}

/** Quoting only where a bare value would be ambiguous: empty strings and strings with a leading/trailing space. */
export function display(v: Json | undefined): string {
  if (v === undefined) return "(unset)";
  if (typeof v === "string") return v === "" || v.trim() !== v ? JSON.stringify(v) : v;
  if (Array.isArray(v)) return `[${v.map((x) => display(x)).join(", ")}]`;
  if (isObject(v)) return JSON.stringify(canonical(v));
  return String(v);
}

/** The value with object keys sorted at every level, for identity and equality. */
export function canonical(v: Json): Json {
  if (Array.isArray(v)) return v.map(canonical);
  if (isObject(v)) return Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical(v[k]!)]));
  return v;
}

export function sameValue(a: Json | undefined, b: Json | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

/**
 * `path → value` for every leaf. Leaves are scalars and arrays of scalars (an argument or target list reads best
 * whole); `skip(path)` leaves a subtree out.
 */
export function flatten(v: Json | undefined, opts: { skip?: (path: string) => boolean } = {}, prefix = ""): Map<string, Json> {
  const out = new Map<string, Json>();
  const rec = (x: Json | undefined, path: string) => {
    if (x === undefined || (path !== "" && opts.skip?.(path))) return;
    if (Array.isArray(x)) {
      const key = arrayKey(x);
      if (key === undefined && x.every((e) => !isObject(e) && !Array.isArray(e))) {
        out.set(path, x);
        return;
      }
      x.forEach((e, i) => rec(e, `${path}[${key === undefined ? i : String((e as JsonObject)[key])}]`));
      return;
    }
    if (isObject(x)) {
      const keys = Object.keys(x).sort();
      // An empty mapping inside a document is a value (`emptyDir: {}`); an empty document has no fields.
      if (keys.length === 0 && path !== "") out.set(path, {});
      for (const k of keys) rec(x[k], path === "" ? k : `${path}.${k}`);
      return;
    }
    out.set(path, x);
  };
  rec(v, prefix);
  return out;
}

/** Words of context kept on each side of a long text's differing span. */
const CONTEXT_WORDS = 2;

/** Long texts (descriptions, templates) shown as the differing span only, widened to whole words and some context. */
export function changedSpan(a: string, b: string, max = 80): { old: string; new: string } {
  if (a.length <= max && b.length <= max) return { old: a, new: b };
  let p = 0;
  while (p < a.length && p < b.length && a[p] === b[p]) p++;
  let s = 0;
  while (s < a.length - p && s < b.length - p && a[a.length - 1 - s] === b[b.length - 1 - s]) s++;
  // The common prefix and suffix are the same text on both sides, so one start and one suffix length serve both.
  let start = p;
  for (let words = 0; start > 0; start--) {
    if (a[start - 1] === " " && /\S/.test(a[start] ?? "") && ++words > CONTEXT_WORDS) break;
  }
  let tail = s;
  for (let words = 0; tail > 0; tail--) {
    const i = a.length - tail;
    if (a[i] === " " && /\S/.test(a[i - 1] ?? "") && ++words > CONTEXT_WORDS) break;
  }
  const cut = (t: string) => `${start > 0 ? "…" : ""}${t.slice(start, t.length - tail)}${tail > 0 ? "…" : ""}`;
  return { old: cut(a), new: cut(b) };
}

/** Lists longer than this show only the elements that differ. */
const WHOLE_LIST_MAX = 3;

/**
 * One field's change, with long strings cut to their differing span and long lists (arguments, targets) cut to
 * the elements that left and arrived.
 */
export function fieldChange(field: string, a: Json | undefined, b: Json | undefined, note?: string): FieldChange {
  if (Array.isArray(a) && Array.isArray(b) && Math.max(a.length, b.length) > WHOLE_LIST_MAX) {
    const key = (x: Json) => JSON.stringify(x);
    const inB = new Set(b.map(key));
    const inA = new Set(a.map(key));
    const gone = a.filter((x) => !inB.has(key(x)));
    const came = b.filter((x) => !inA.has(key(x)));
    if (gone.length > 0 || came.length > 0) {
      const joined = ["other elements unchanged", note].filter(Boolean).join("; ");
      return { field, old: display(gone.length === 1 ? gone[0] : gone), new: display(came.length === 1 ? came[0] : came), note: joined };
    }
    note = ["order changed", note].filter(Boolean).join("; ");
  }
  const base = { field, ...(note !== undefined ? { note } : {}) };
  // The text "1" and the number 1 look alike bare: a changed type shows its quotes.
  if (a !== undefined && b !== undefined && typeof a !== typeof b && display(a) === display(b)) {
    const typed = (v: Json) => (typeof v === "string" ? JSON.stringify(v) : display(v));
    return { ...base, old: typed(a), new: typed(b) };
  }
  if (typeof a === "string" && typeof b === "string") {
    const span = changedSpan(a, b);
    return { ...base, old: display(span.old), new: display(span.new) };
  }
  return { ...base, ...(a !== undefined ? { old: display(a) } : {}), ...(b !== undefined ? { new: display(b) } : {}) };
}

/** Field-by-field changes of two versions of one item, sorted by path. */
export function diffFields(a: Json | undefined, b: Json | undefined, opts: { skip?: (path: string) => boolean; note?: (path: string, a: Json | undefined, b: Json | undefined) => string | undefined } = {}): FieldChange[] {
  const fa = flatten(a, opts);
  const fb = flatten(b, opts);
  const paths = [...new Set([...fa.keys(), ...fb.keys()])].sort();
  const out: FieldChange[] = [];
  for (const p of paths) {
    const x = fa.get(p);
    const y = fb.get(p);
    if (sameValue(x, y)) continue;
    out.push(fieldChange(p, x, y, opts.note?.(p, x, y)));
  }
  return out;
}

/**
 * Added, removed and changed items of two keyed collections, sorted by id. `compare` returns the field changes of
 * one item (empty = unchanged).
 */
export function diffKeyed<T>(
  a: ReadonlyMap<string, T>,
  b: ReadonlyMap<string, T>,
  compare: (x: T, y: T, id: string) => FieldChange[],
  describe: (x: T, id: string) => FieldChange[] = () => [],
): Change[] {
  const ids = [...new Set([...a.keys(), ...b.keys()])].sort();
  const out: Change[] = [];
  for (const id of ids) {
    const x = a.get(id);
    const y = b.get(id);
    if (x === undefined && y !== undefined) out.push({ kind: "added", id, fields: describe(y, id) });
    else if (x !== undefined && y === undefined) out.push({ kind: "removed", id, fields: describe(x, id) });
    else if (x !== undefined && y !== undefined) {
      const fields = compare(x, y, id);
      if (fields.length > 0) out.push({ kind: "changed", id, fields });
    }
  }
  return out;
}

/** Removed items list what they had: the describing fields move from `new` to `old`. */
export function asRemoved(c: Change): Change {
  return c.kind === "removed" ? { ...c, fields: c.fields.map((f) => ({ field: f.field, ...(f.new !== undefined ? { old: f.new } : {}) })) } : c;
}

/** Keys made unique by occurrence (`title`, `title #2`), for items whose natural identity can repeat. */
export function uniqueKeys<T>(items: readonly T[], key: (x: T) => string): Map<string, T> {
  const seen = new Map<string, number>();
  const out = new Map<string, T>();
  for (const item of items) {
    const k = key(item);
    const n = (seen.get(k) ?? 0) + 1;
    seen.set(k, n);
    out.set(n === 1 ? k : `${k} #${n}`, item);
  }
  return out;
}
