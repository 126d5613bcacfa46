/**
 * Runtime shapes of the public arguments, for callers the type checker does not see (JavaScript, `as` casts,
 * objects built from JSON): an unknown field (`fro: "5m"` for `for`) or a wrong type is an error naming the item and
 * the field, instead of being dropped silently at run time.
 *
 * A shape is declared next to its TypeScript type with `obj<T>({...})`, whose field map must name every key of `T`
 * (a missing or extra key is a compile error) and mark exactly the required ones with `req(...)`. Leaves check the
 * JavaScript type only; the validators check values.
 */
import { issue, type ValidationIssue } from "./validation";

export type Leaf = "string" | "number" | "boolean" | "function" | "unknown" | "input" | "inputArray";

export type Shape =
  | Leaf
  | { readonly kind: "object"; readonly fields: Readonly<Record<string, Shape | RequiredField>>; readonly open?: boolean }
  | { readonly kind: "array"; readonly of: Shape }
  | { readonly kind: "record"; readonly of: Shape }
  | { readonly kind: "union"; readonly of: readonly Shape[]; readonly describe: string }
  | { readonly kind: "enum"; readonly values: readonly (string | number | boolean)[] }
  | { readonly kind: "lazy"; readonly get: () => Shape };

export interface RequiredField {
  readonly kind: "required";
  readonly of: Shape;
}

/** Keys of T whose value may be undefined (optional fields, with exactOptionalPropertyTypes off). */
type Optional<T, K extends keyof T> = undefined extends T[K] ? true : false;

/** One entry per key of T; required keys need `req(...)`, optional ones must not have it. */
export type Fields<T> = { readonly [K in keyof Required_<T>]-?: Optional<T, K> extends true ? Shape : RequiredField };
type Required_<T> = { [K in keyof T]-?: T[K] };

export function req(of: Shape): RequiredField {
  return { kind: "required", of };
}

export function obj<T>(fields: Fields<T>, opts: { open?: boolean } = {}): Shape {
  return { kind: "object", fields: fields as Readonly<Record<string, Shape | RequiredField>>, ...(opts.open ? { open: true } : {}) };
}

export const arr = (of: Shape): Shape => ({ kind: "array", of });
export const rec = (of: Shape): Shape => ({ kind: "record", of });
export const oneOf = (describe: string, ...of: Shape[]): Shape => ({ kind: "union", of, describe });
export const values = (...v: (string | number | boolean)[]): Shape => ({ kind: "enum", values: v });
/** For recursive shapes (routes within routes). */
export const lazy = (get: () => Shape): Shape => ({ kind: "lazy", get });

/** A value Pulumi resolves later (Output, Promise): its content cannot be looked at before deploy. */
function isDeferred(v: unknown): boolean {
  if (typeof v !== "object" || v === null) return false;
  const o = v as Record<string, unknown>;
  return o.__pulumiOutput === true || typeof o.apply === "function" || typeof o.then === "function";
}

function typeName(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "string") return `string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  return typeof v === "object" ? "an object" : `${typeof v} ${JSON.stringify(v)}`;
}

/** Edit distance counting a swap of neighbours as one edit (`fro` → `for`), for "did you mean" on misspelt fields. */
function distance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  const d: number[][] = Array.from({ length: x.length + 1 }, (_, i) => Array.from({ length: y.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= x.length; i++) {
    for (let j = 1; j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[x.length]![y.length]!;
}

export function suggest(key: string, known: readonly string[]): string {
  let best: string | undefined;
  let bestD = Infinity;
  for (const k of known) {
    const dd = distance(key, k);
    if (dd < bestD) [best, bestD] = [k, dd];
  }
  return best !== undefined && bestD <= Math.max(1, Math.floor(best.length / 3)) ? ` (did you mean "${best}"?)` : "";
}

function check(v: unknown, shape: Shape, item: string, field: string, out: ValidationIssue[]): void {
  const at = (sub: string) => (field === "" ? sub : sub.startsWith("[") ? `${field}${sub}` : `${field}.${sub}`);
  if (typeof shape === "string") {
    const ok =
      shape === "unknown" ||
      (shape === "input" && (["string", "number", "boolean"].includes(typeof v) || isDeferred(v))) ||
      (shape === "inputArray" && (Array.isArray(v) || isDeferred(v))) ||
      (shape === "number" ? typeof v === "number" && Number.isFinite(v) : typeof v === shape);
    if (!ok) out.push(issue(item, field, `must be ${shape === "input" ? "a value or a Pulumi output" : shape === "inputArray" ? "a list or a Pulumi output" : `a ${shape}`}, got ${typeName(v)}`));
    return;
  }
  switch (shape.kind) {
    case "lazy":
      check(v, shape.get(), item, field, out);
      return;
    case "enum":
      if (!shape.values.includes(v as string)) out.push(issue(item, field, `must be one of ${shape.values.map((x) => JSON.stringify(x)).join(", ")}, got ${typeName(v)}`));
      return;
    case "array":
      if (!Array.isArray(v)) {
        out.push(issue(item, field, `must be a list, got ${typeName(v)}`));
        return;
      }
      v.forEach((x, i) => check(x, shape.of, item, at(`[${i}]`), out));
      return;
    case "record":
      if (typeof v !== "object" || v === null || Array.isArray(v)) {
        out.push(issue(item, field, `must be an object, got ${typeName(v)}`));
        return;
      }
      for (const [k, x] of Object.entries(v)) if (x !== undefined) check(x, shape.of, item, at(k), out);
      return;
    case "union": {
      let closest: ValidationIssue[] | undefined;
      for (const s of shape.of) {
        const trial: ValidationIssue[] = [];
        check(v, s, item, field, trial);
        if (trial.length === 0) return;
        // An object is reported against the object branch it resembles most (fewest complaints).
        const isObjectBranch = typeof s === "object" && s.kind === "object";
        if (isObjectBranch && typeof v === "object" && v !== null && !Array.isArray(v) && (closest === undefined || trial.length < closest.length)) closest = trial;
      }
      if (closest) out.push(...closest);
      else out.push(issue(item, field, `must be ${shape.describe}, got ${typeName(v)}`));
      return;
    }
    case "object": {
      if (isDeferred(v)) return;
      if (typeof v !== "object" || v === null || Array.isArray(v)) {
        out.push(issue(item, field, `must be an object, got ${typeName(v)}`));
        return;
      }
      const known = Object.keys(shape.fields);
      const o = v as Record<string, unknown>;
      for (const k of Object.keys(o)) {
        if (!(k in shape.fields) && !shape.open && o[k] !== undefined) out.push(issue(item, at(k), `is not a known field${suggest(k, known)}; known: ${known.join(", ")}`));
      }
      for (const [k, s] of Object.entries(shape.fields)) {
        const required = typeof s === "object" && s.kind === "required";
        const inner = required ? (s as RequiredField).of : (s as Shape);
        if (o[k] === undefined) {
          if (required) out.push(issue(item, at(k), "is required"));
          continue;
        }
        check(o[k], inner, item, at(k), out);
      }
      return;
    }
  }
}

/** Every mismatch between `value` and `shape`, each naming `item` and the field path. */
export function checkShape(value: unknown, shape: Shape, item: string): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  check(value, shape, item, "", out);
  return out;
}
