/**
 * What the checks need to know about an expression's selectors beyond types, read from Prometheus's Lezer tree:
 * every vector selector with its matchers (operator and unquoted value), and the grouping of the outermost
 * aggregation. Used to compile selector regexes as RE2 (Prometheus refuses a rule whose regex does not compile; the
 * type checker never looks at them) and to decide whether two recording rules of one name can write the same series.
 */
import { compileRe2 } from "./alertmanager/label-matchers";
import { parsePromql } from "./promql";

export type SelectorOp = "=" | "!=" | "=~" | "!~";

export interface SelectorMatcher {
  readonly label: string;
  readonly op: SelectorOp;
  /** The value as Prometheus reads it (escapes resolved); undefined when the literal has an invalid escape. */
  readonly value: string | undefined;
  /** The literal as written, quotes included. */
  readonly literal: string;
}

export interface Selector {
  readonly metric: string | undefined;
  readonly matchers: readonly SelectorMatcher[];
}

interface LzNode {
  readonly name: string;
  readonly from: number;
  readonly to: number;
  readonly firstChild: LzNode | null;
  readonly nextSibling: LzNode | null;
  getChild(name: string): LzNode | null;
  getChildren(name: string): LzNode[];
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = { a: "\x07", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v", "\\": "\\" };

/**
 * A PromQL string literal's value, as Prometheus's lexer reads it: backtick strings are raw; in quoted ones the
 * escapes are Go's (`\a \b \f \n \r \t \v \\`, the string's own quote, octal `\NNN`, `\xHH`, `\uHHHH`, `\UHHHHHHHH`).
 * Returns an error for any other escape (`"\."` is a classic: Prometheus refuses it).
 */
export function unquotePromqlString(literal: string): { value: string } | { error: string } {
  const q = literal[0];
  const body = literal.slice(1, -1);
  if (q === "`") return { value: body };
  let out = "";
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== "\\") {
      out += c;
      continue;
    }
    const n = body[++i];
    if (n === undefined) return { error: "string ends in a backslash" };
    if (SIMPLE_ESCAPES[n] !== undefined) out += SIMPLE_ESCAPES[n];
    else if (n === q) out += n;
    else if (/[0-7]/.test(n)) {
      const oct = body.slice(i, i + 3);
      if (!/^[0-7]{3}$/.test(oct)) return { error: `invalid octal escape "\\${oct}"` };
      out += String.fromCharCode(parseInt(oct, 8));
      i += 2;
    } else if (n === "x" || n === "u" || n === "U") {
      const len = n === "x" ? 2 : n === "u" ? 4 : 8;
      const hex = body.slice(i + 1, i + 1 + len);
      if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(hex)) return { error: `invalid escape "\\${n}${hex}"` };
      out += String.fromCodePoint(parseInt(hex, 16));
      i += len;
    } else return { error: `unknown escape sequence "\\${n}" (write "\\\\${n}" for a literal backslash)` };
  }
  return { value: out };
}

const OPS: Readonly<Record<string, SelectorOp>> = { EqlSingle: "=", Neq: "!=", EqlRegex: "=~", NeqRegex: "!~" };

function walk(node: LzNode, visit: (n: LzNode) => void): void {
  visit(node);
  for (let c = node.firstChild; c; c = c.nextSibling) walk(c, visit);
}

const selectorCache = new Map<string, readonly Selector[]>();

/** Every vector selector of a (parseable) expression, in text order. */
export function selectorsOf(expr: string): readonly Selector[] {
  const hit = selectorCache.get(expr);
  if (hit) return hit;
  const tree = parsePromql(expr) as unknown as { topNode: LzNode };
  const out: Selector[] = [];
  walk(tree.topNode, (n) => {
    if (n.name !== "VectorSelector") return;
    const ident = n.getChild("Identifier");
    const matchers: SelectorMatcher[] = [];
    const list = n.getChild("LabelMatchers");
    for (let m = list?.firstChild ?? null; m; m = m.nextSibling) {
      const lit = m.name === "QuotedLabelName" ? m.getChild("StringLiteral") : m.getChildren("StringLiteral").at(-1);
      if (!lit) continue;
      const literal = expr.slice(lit.from, lit.to);
      const u = unquotePromqlString(literal);
      const value = "value" in u ? u.value : undefined;
      if (m.name === "QuotedLabelName") {
        matchers.push({ label: "__name__", op: "=", value, literal });
        continue;
      }
      const opNode = m.getChild("MatchOp")?.firstChild;
      const op = opNode ? OPS[opNode.name] : undefined;
      let label: string | undefined;
      if (m.name === "UnquotedLabelMatcher") {
        const ln = m.getChild("LabelName");
        label = ln ? expr.slice(ln.from, ln.to) : undefined;
      } else if (m.name === "QuotedLabelMatcher") {
        const qn = m.getChild("QuotedLabelName")?.getChild("StringLiteral");
        const u2 = qn ? unquotePromqlString(expr.slice(qn.from, qn.to)) : undefined;
        label = u2 && "value" in u2 ? u2.value : undefined;
      }
      if (label !== undefined && op !== undefined) matchers.push({ label, op, value, literal });
    }
    const named = matchers.find((m) => m.label === "__name__" && m.op === "=");
    out.push({ metric: ident ? expr.slice(ident.from, ident.to) : named?.value, matchers });
  });
  if (selectorCache.size >= 20_000) selectorCache.clear();
  selectorCache.set(expr, out);
  return out;
}

/**
 * What Prometheus would refuse in the selectors' string literals: an invalid escape, or a regex (`=~`, `!~`) that
 * RE2 does not compile. A regex RE2 accepts but this library cannot translate to JavaScript is not reported: only
 * its own evaluation (Alertmanager routing tests) needs the translation. Call on expressions that parse.
 */
export function checkSelectorStrings(expr: string): { invalid: string[]; regex: string[] } {
  const invalid: string[] = [];
  const regex: string[] = [];
  // Only a regex matcher or an escape can be wrong here; most expressions have neither and need no walk.
  if (!/[=!]~/.test(expr) && !expr.includes("\\")) return { invalid, regex };
  for (const s of selectorsOf(expr)) {
    for (const m of s.matchers) {
      if (m.value === undefined) {
        const u = unquotePromqlString(m.literal);
        invalid.push(`${m.label}${m.op}${m.literal}: ${"error" in u ? u.error : "invalid string"}`);
        continue;
      }
      if (m.op !== "=~" && m.op !== "!~") continue;
      const r = compileRe2(m.value);
      if (!r.ok && !r.unsupported) regex.push(`${m.label}${m.op}${m.literal} is not a valid RE2 regular expression: ${r.error}`);
    }
  }
  return { invalid, regex };
}

/** How the outermost aggregation groups its result: `by (labels)`, `without (labels)`, or none. */
export interface OutputGrouping {
  readonly kind: "by" | "without" | "none";
  readonly labels: readonly string[];
}

export function outputGrouping(expr: string): OutputGrouping {
  const tree = parsePromql(expr) as unknown as { topNode: LzNode };
  let top = tree.topNode.firstChild;
  while (top && (top.name === "ParenExpr" || top.name === "LineComment")) top = top.name === "ParenExpr" ? top.firstChild : top.nextSibling;
  if (!top || top.name !== "AggregateExpr") return { kind: "none", labels: [] };
  const mod = top.getChild("AggregateModifier");
  if (!mod) return { kind: "by", labels: [] };
  const labels = (mod.getChild("GroupingLabels")?.getChildren("LabelName") ?? []).map((l) => expr.slice(l.from, l.to));
  return { kind: mod.getChild("Without") ? "without" : "by", labels };
}
