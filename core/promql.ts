/**
 * PromQL checks before deploy: syntax with Prometheus's own Lezer grammar, types with Prometheus's own checker from
 * codemirror-promql (the one its web UI runs), used headless: on the parser's tree, without an editor state (see
 * core/promql-check.ts). The checker has no notion of "this will be an alert", so callers pass the type they need:
 * an alert or recording rule needs an instant vector (or scalar for records). Results are cached by text, and a
 * large set can be checked ahead on two threads (`precheckPromql`).
 */
import { type CheckerClass, compileCheck } from "./promql-check";
import { checkOnTwoThreads } from "./promql-pool";

// CommonJS through require(): the type checker below is CommonJS-only, and it must see the same (CJS) copies of
// the Lezer grammar and @codemirror/language that this module uses.
// Loaded on first use, not at import: a program that only declares resources never pays for the grammar.
/* eslint-disable @typescript-eslint/no-require-imports */
let grammar: LezerParser | undefined;
function promqlParser(): LezerParser {
  grammar ??= (require("@prometheus-io/lezer-promql") as { parser: LezerParser }).parser.configure({ top: "PromQL" });
  return grammar;
}
// The type checker is not exported from the package root; this is the path its own linter uses.
const checkerClass = (): CheckerClass => (require("@prometheus-io/codemirror-promql/dist/cjs/parser/parser.js") as { Parser: CheckerClass }).Parser;

/** The slice of Lezer's tree API used here (the package is ESM-typed; its CommonJS build is loaded with require). */
export interface PromqlTree {
  readonly topNode: { readonly firstChild: unknown };
  iterate(spec: { enter(node: { readonly type: { readonly isError: boolean }; readonly from: number; readonly to: number }): void }): void;
}
interface LezerParser {
  configure(config: { top: string }): LezerParser;
  parse(text: string): PromqlTree;
}

export type PromqlValueType = "vector" | "matrix" | "scalar" | "string" | "none";

export interface PromqlCheck {
  /** Syntax and type errors, each with the offending text when known. */
  readonly errors: readonly string[];
  /** The expression's result type, when it parsed. */
  readonly type: PromqlValueType | undefined;
}

/** Anything that prints as PromQL: a string or a @grafana/promql-builder expression. */
export type PromqlExpr = string | { toString(): string };

export function exprText(e: PromqlExpr): string {
  return typeof e === "string" ? e : e.toString();
}

// The grammar CodeMirror's PromQL language runs (`top: "PromQL"`, the default top rule), without the editor:
// promqlParser() above.
const cache = new Map<string, PromqlCheck>();
/**
 * Rules are checked more than once on the way to a file (pack validation, rendering, test files) and a stack of a
 * thousand services has tens of thousands of distinct expressions: the cache must hold them all to be of use
 * (an entry is the expression, already in memory, and a small result).
 */
const CACHE_LIMIT = 200_000;

/**
 * Grafana dashboards use macros (`$__rate_interval`) and template variables (`$job`, `${instance}`); they are
 * replaced by values of the right type before checking so the rest of the expression is still checked.
 */
export function substituteGrafanaVariables(expr: string): string {
  return expr
    .replace(/\$__(rate_interval|interval|range)\b/g, "5m")
    .replace(/\[\$\{?[a-zA-Z_][a-zA-Z0-9_]*\}?\]/g, "[5m]")
    .replace(/\$\{([a-zA-Z_][a-zA-Z0-9_]*)(:[a-z]+)?\}/g, "$1_var")
    .replace(/\$([a-zA-Z_][a-zA-Z0-9_]*)/g, "$1_var");
}

/**
 * The shape of an expression: the same text with the content of every string literal replaced by as many `x`s, or
 * undefined when that could change anything the check sees. A fleet's rules and panels differ mostly in label
 * values (`job="svc-0042"`), so thousands of expressions share a handful of shapes, and a shape is parsed and
 * checked once.
 *
 * Why the check of a clean shape is the check of the expression: the shape has the same length and the same
 * characters outside string contents. Without `\\` and `#` anywhere, and with every quote character inside one of
 * the literals found here (contents of printable ASCII, no newline), Lezer reads exactly these literals as
 * StringLiteral tokens — a quote can start no other token, and a literal ends at the next quote of its kind — so
 * both texts give the same tokens at the same positions and the same tree. On that tree the checker reads string
 * text only as matcher values and quoted label names: a value's emptiness decides `matchesEmpty` (empty contents
 * are kept) and a name matters only when it is `__name__` (kept); everything else it reads only into the wording
 * of a diagnostic. So a shape without any error or diagnostic means the same of the expression, with the same
 * type; a shape with one tells nothing, and the expression is then checked itself (messages quote its own text).
 */
const STRING_LITERAL_RE = /"[^"]*"|'[^']*'|`[^`]*`/g;
const PLAIN_CONTENT_RE = /^[\x20-\x7e]*$/;
const QUOTE_RE = /["'`]/;

export function promqlShape(expr: string): string | undefined {
  if (expr.includes("\\") || expr.includes("#") || !QUOTE_RE.test(expr)) return undefined;
  let plain = true;
  let changed = false;
  const shape = expr.replace(STRING_LITERAL_RE, (lit) => {
    const body = lit.slice(1, -1);
    if (!PLAIN_CONTENT_RE.test(body)) plain = false;
    if (!plain || body === "" || body === "__name__") return lit;
    const x = "x".repeat(body.length);
    if (x === body) return lit;
    changed = true;
    return lit[0]! + x + lit[0]!;
  });
  if (!plain || !changed || QUOTE_RE.test(expr.replace(STRING_LITERAL_RE, ""))) return undefined;
  return shape;
}

/**
 * Prometheus's Lezer tree of an expression. The last tree is kept: the dashboard lint checks a query and then walks
 * the same text (core/grafana/promql-walk.ts), and a second parse would cost as much as the first. An expression
 * whose shape checks clean gets the shape's tree, which is the expression's own (see `promqlShape`): read its
 * string contents from the expression's text, never from the tree's.
 */
let last: { text: string; tree: PromqlTree } | undefined;
const shapeTrees = new Map<string, PromqlTree>();
const SHAPE_TREE_LIMIT = 2000;

export function parsePromql(source: string): PromqlTree {
  const text = blankComments(source);
  if (last?.text === text) return last.tree;
  const shape = promqlShape(text);
  if (shape !== undefined && checkPromql(shape).errors.length === 0) {
    let tree = shapeTrees.get(shape);
    if (tree === undefined) {
      tree = last?.text === shape ? last.tree : promqlParser().parse(shape);
      if (shapeTrees.size >= SHAPE_TREE_LIMIT) shapeTrees.clear();
      shapeTrees.set(shape, tree);
    }
    return tree;
  }
  const tree = promqlParser().parse(text);
  last = { text, tree };
  return tree;
}

/** The check of core/promql-check.ts, on the tree `parsePromql` keeps for the dashboard lint's walk. */
let compiled: ((expr: string) => PromqlCheck) | undefined;
const computeCheck = (expr: string): PromqlCheck => (compiled ??= compileCheck(parsePromql, checkerClass()))(expr);

function store(expr: string, result: PromqlCheck): void {
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(expr, result);
}

/**
 * The expression with every `# comment` replaced by spaces (same length, so positions in messages and trees stay
 * true). Lezer keeps comments as nodes — a leading one used to be the node the type checker looked at, so
 * `# why\nrate(x)` was never checked — and the checker reads node children by position in places.
 */
export function blankComments(expr: string): string {
  if (!expr.includes("#")) return expr;
  let out = "";
  let quote: string | undefined;
  for (let i = 0; i < expr.length; i++) {
    const c = expr[i]!;
    if (quote !== undefined) {
      out += c;
      if (c === "\\" && quote !== "`" && i + 1 < expr.length) out += expr[++i];
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'" || c === "`") {
      quote = c;
      out += c;
    } else if (c === "#") {
      while (i < expr.length && expr[i] !== "\n") {
        out += " ";
        i++;
      }
      if (i < expr.length) out += "\n";
    } else out += c;
  }
  return out;
}

/** Parses and type-checks a PromQL expression: the syntax and type errors, and the result type when it parses. */
export function checkPromql(expr: string): PromqlCheck {
  const hit = cache.get(expr);
  if (hit) return hit;
  const blanked = blankComments(expr);
  if (blanked !== expr) {
    const r = checkPromql(blanked);
    store(expr, r);
    return r;
  }
  const shape = promqlShape(expr);
  let result: PromqlCheck | undefined;
  if (shape !== undefined) {
    const s = checkPromql(shape);
    if (s.errors.length === 0) result = s;
  }
  result ??= computeCheck(expr);
  store(expr, result);
  return result;
}

/** Below this many unchecked expressions a second thread costs more than it saves. */
const PARALLEL_MIN = 2000;

/**
 * Checks many expressions ahead of the calls to `checkPromql` that will ask for them (validation of a large set of
 * rule packs), on two threads when there are enough of them; the later calls read the cache. Results and the order
 * of any issues are the same as without it. Returns how many the second thread checked.
 */
export function precheckPromql(exprs: Iterable<string>, opts: { parallelMin?: number } = {}): number {
  const todo = new Set<string>();
  for (const e of exprs) {
    if (cache.has(e)) continue;
    // The shape's check stands for the expression's when clean; a shape with errors sends the expression itself
    // to `checkPromql` later, on this thread (rare: a pack with errors fails anyway).
    const text = blankComments(e);
    const key = promqlShape(text) ?? text;
    if (!cache.has(key)) todo.add(key);
  }
  const min = opts.parallelMin ?? PARALLEL_MIN;
  if (todo.size < min || todo.size > CACHE_LIMIT / 2) return 0;
  return checkOnTwoThreads([...todo], computeCheck, store) ?? 0;
}

/**
 * Checks an expression that must evaluate to an instant vector (alert, recording rule, panel instant query) or a
 * scalar where `allowScalar`. Returns error strings; empty means fine.
 */
export function checkInstantExpr(expr: string, opts: { allowScalar?: boolean } = {}): string[] {
  const r = checkPromql(expr);
  if (r.errors.length > 0) return [...r.errors];
  if (r.type === "matrix") return ["evaluates to a range vector; an instant vector is needed (drop the [range] or wrap it in a function)"];
  if (r.type === "string") return ["evaluates to a string; an instant vector is needed"];
  if (r.type === "scalar" && !opts.allowScalar) return ["evaluates to a scalar; an instant vector is needed (wrap it in vector())"];
  return [];
}
