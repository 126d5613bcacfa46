/**
 * PromQL expressions compared as tokens, not text: reformatting (line breaks, spaces, comments) is no change, and
 * when only literals differ the change is named by what they are — a number after a comparison is a threshold
 * (`threshold 0.05 → 0.02`), a duration a window (`window 5m → 10m`).
 */
import type { FieldChange } from "./model";

interface Token {
  readonly kind: "string" | "number" | "duration" | "word" | "op";
  readonly text: string;
}

const TOKEN = /\s+|#[^\n]*|"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`|(?:\d+(?:ms|[smhdwy]))+|0x[0-9a-fA-F]+|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|[A-Za-z_:][A-Za-z0-9_:.]*|==|!=|>=|<=|=~|!~|\S/g;

export function tokenize(expr: string): Token[] {
  const out: Token[] = [];
  for (const m of expr.matchAll(TOKEN)) {
    const t = m[0];
    if (/^\s/.test(t) || t.startsWith("#")) continue;
    const kind = /^["'`]/.test(t) ? "string" : /^\d+(?:ms|[smhdwy])/.test(t) ? "duration" : /^(?:\d|\.\d|0x)/.test(t) ? "number" : /^[A-Za-z_:]/.test(t) ? "word" : "op";
    out.push({ kind, text: t });
  }
  return out;
}

const COMPARISON = new Set([">", "<", ">=", "<=", "==", "!="]);

/** The normalized text (tokens joined by one space): equal for expressions that differ only in layout. */
export function normalizeExpr(expr: string): string {
  return tokenize(expr).map((t) => t.text).join(" ");
}

/** The change of an expression field, or undefined when the two differ only in layout. */
export function exprChange(field: string, a: string, b: string): FieldChange | undefined {
  const ta = tokenize(a);
  const tb = tokenize(b);
  if (ta.map((t) => t.text).join(" ") === tb.map((t) => t.text).join(" ")) return undefined;
  const oneLine = (e: string) => e.replace(/\s*\n\s*/g, " ").trim();
  const base = { field, old: oneLine(a), new: oneLine(b) };
  if (ta.length !== tb.length) return base;
  const literals: string[] = [];
  for (let i = 0; i < ta.length; i++) {
    const x = ta[i]!;
    const y = tb[i]!;
    if (x.text === y.text) continue;
    if (x.kind !== y.kind || (x.kind !== "number" && x.kind !== "duration")) return base;
    const before = ta[i - 1]?.text ?? "";
    const what = x.kind === "duration" ? (before === "offset" ? "offset" : "window") : COMPARISON.has(before) ? "threshold" : "value";
    literals.push(`${what} ${x.text} → ${y.text}`);
  }
  return { ...base, note: literals.join(", ") };
}
