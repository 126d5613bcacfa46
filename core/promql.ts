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
/* eslint-disable @typescript-eslint/no-require-imports */
const { parser: lezerParser } = require("@prometheus-io/lezer-promql") as { parser: LezerParser };
// The type checker is not exported from the package root; this is the path its own linter uses.
const { Parser } = require("@prometheus-io/codemirror-promql/dist/cjs/parser/parser.js") as { Parser: CheckerClass };

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

/** The grammar CodeMirror's PromQL language runs (`top: "PromQL"`, the default top rule), without the editor. */
const promqlParser = lezerParser.configure({ top: "PromQL" });
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
 * Prometheus's Lezer tree of an expression. The last tree is kept: the dashboard lint checks a query and then walks
 * the same text (core/grafana/promql-walk.ts), and a second parse would cost as much as the first.
 */
let last: { text: string; tree: PromqlTree } | undefined;
export function parsePromql(text: string): PromqlTree {
  if (last?.text === text) return last.tree;
  const tree = promqlParser.parse(text);
  last = { text, tree };
  return tree;
}

/** The check of core/promql-check.ts, on the tree `parsePromql` keeps for the dashboard lint's walk. */
const computeCheck = compileCheck(parsePromql, Parser);

function store(expr: string, result: PromqlCheck): void {
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(expr, result);
}

export function checkPromql(expr: string): PromqlCheck {
  const hit = cache.get(expr);
  if (hit) return hit;
  const result = computeCheck(expr);
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
  for (const e of exprs) if (!cache.has(e)) todo.add(e);
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
