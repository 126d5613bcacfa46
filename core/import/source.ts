/**
 * Source files as the importer reads them: YAML (one or many documents) or JSON, with the line of every node, so a
 * message can say `rules.yml:12: rule group "api" > alert "ApiDown": for ...`.
 */
import { isMap, isSeq, LineCounter, parseAllDocuments, type Document } from "yaml";
import { formatIssue, type ValidationIssue } from "../validation";

export interface ImportInput {
  /** Shown in messages and used to name the generated module. */
  readonly path: string;
  readonly text: string;
}

/** An issue with the place in the source it is about. */
export interface LocatedIssue extends ValidationIssue {
  readonly file: string;
  readonly line?: number;
}

export function located(file: string, line: number | undefined, i: ValidationIssue): LocatedIssue {
  return { ...i, file, ...(line !== undefined ? { line } : {}) };
}

export function formatLocated(i: LocatedIssue): string {
  return `${i.file}${i.line !== undefined ? `:${i.line}` : ""}: ${formatIssue(i)}`;
}

export type Path = readonly (string | number)[];

/** One parsed document of a source file. */
export interface SourceDoc {
  readonly file: string;
  readonly index: number;
  readonly value: unknown;
  /** 1-based line of the node at `path` (or of its nearest ancestor that exists). */
  lineOf(path: Path): number | undefined;
}

/** Every document of a file; a syntax error becomes an issue naming the line. */
export function parseSource(input: ImportInput): { docs: SourceDoc[]; issues: LocatedIssue[] } {
  const trimmed = input.text.trimStart();
  // Large dashboards are JSON: JSON.parse is many times faster than a YAML parse and lines are rarely needed.
  if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
    try {
      const value = JSON.parse(input.text) as unknown;
      return { docs: [{ file: input.path, index: 0, value, lineOf: () => undefined }], issues: [] };
    } catch {
      // Not strict JSON (comments, trailing commas, or YAML flow style): read it as YAML below.
    }
  }
  const lc = new LineCounter();
  const parsed = parseAllDocuments(input.text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true }) as Document[] | { errors: unknown[] };
  const list: Document[] = Array.isArray(parsed) ? parsed : [];
  const issues: LocatedIssue[] = [];
  const docs: SourceDoc[] = [];
  list.forEach((doc, index) => {
    for (const e of doc.errors) {
      const line = e.linePos?.[0]?.line ?? (e.pos ? lc.linePos(e.pos[0]).line : undefined);
      issues.push(located(input.path, line, { severity: "error", item: `document ${index + 1}`, field: "", message: `is not valid YAML: ${e.message.split("\n")[0]}`, rule: "rules/invalid" }));
    }
    if (doc.errors.length > 0) return;
    const value = doc.toJS({ maxAliasCount: 1000 }) as unknown;
    if (value === null || value === undefined) return;
    docs.push({
      file: input.path,
      index,
      value,
      lineOf(path: Path) {
        for (let n = path.length; n >= 0; n--) {
          const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
          const range = (node as { range?: [number, number, number] } | undefined)?.range;
          if (range) return lc.linePos(range[0]).line;
          if (n > 0 && (isMap(node) || isSeq(node))) continue;
        }
        return undefined;
      },
    });
  });
  return { docs, issues };
}

export type Obj = Record<string, unknown>;
export const isObj = (v: unknown): v is Obj => v !== null && typeof v === "object" && !Array.isArray(v);

/** Collects errors of one document, each at the line of the field it names. */
export class Problems {
  readonly issues: LocatedIssue[] = [];
  constructor(private readonly doc: SourceDoc) {}
  add(path: Path, item: string, field: string, message: string, rule = "rules/invalid"): void {
    this.issues.push(located(this.doc.file, this.doc.lineOf(path), { severity: "error", item, field, message, rule }));
  }
  /**
   * Reports keys the importer does not know (the programs refuse unknown fields, or the model has no place for them).
   * `under` is where `o` lies within the item (`basic_auth`, `static_configs[0]`), so the field reads whole.
   */
  unknownKeys(path: Path, item: string, o: Obj, known: readonly string[], rule: string, opts: { readonly what?: string; readonly under?: string } = {}): void {
    const what = opts.what ?? "is not a field moncode can import here";
    for (const k of Object.keys(o)) if (!known.includes(k)) this.add([...path, k], item, opts.under ? `${opts.under}.${k}` : k, what, rule);
  }

  /**
   * A map of strings (labels, annotations, headers, `match`) at `path`: numbers and booleans read as text, null as
   * "", and a list or mapping where a string belongs is reported, as is a value that is no mapping (Prometheus and
   * Alertmanager refuse both): nothing is dropped unsaid.
   */
  strings(path: Path, item: string, field: string, v: unknown, rule?: string): Record<string, string> | undefined {
    if (v === undefined || v === null) return undefined;
    if (!isObj(v)) {
      this.add(path, item, field, "must be a mapping of names to strings", rule);
      return undefined;
    }
    const out: Record<string, string> = {};
    for (const [k, x] of Object.entries(v)) {
      const t = text(x);
      if (t !== undefined) out[k] = t;
      else if (x === null) out[k] = "";
      else this.add([...path, k], item, `${field}.${k}`, `must be a string, not a ${Array.isArray(x) ? "list" : "mapping"}`, rule);
    }
    return out;
  }
}

/** A string field; numbers and booleans read as text (YAML `for: 5` is the string "5" to Prometheus too). */
export function text(v: unknown): string | undefined {
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return undefined;
}
