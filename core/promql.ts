/**
 * PromQL checks before deploy: syntax with Prometheus's own Lezer grammar, types with Prometheus's own checker from
 * codemirror-promql (the one its web UI runs), used headless. The checker has no notion of "this will be an alert",
 * so callers pass the type they need: an alert or recording rule needs an instant vector (or scalar for records).
 */
import type { EditorState as EditorStateT } from "@codemirror/state";
// All CodeMirror modules come through require(): the type checker below is CommonJS-only, and mixing an ESM copy
// of @codemirror/state (what a bundler or vitest would pick for `import`) with its CJS copy breaks extensions
// ("Unrecognized extension value").
/* eslint-disable @typescript-eslint/no-require-imports */
const { EditorState } = require("@codemirror/state") as typeof import("@codemirror/state");
const { ensureSyntaxTree, syntaxTree, syntaxTreeAvailable } = require("@codemirror/language") as typeof import("@codemirror/language");
const { PromQLExtension } = require("@prometheus-io/codemirror-promql") as typeof import("@prometheus-io/codemirror-promql");
// The type checker is not exported from the package root; this is the path its own linter uses.
const { Parser } = require("@prometheus-io/codemirror-promql/dist/cjs/parser/parser.js") as {
  Parser: new (state: EditorStateT) => {
    analyze(): void;
    getDiagnostics(): { from: number; to: number; message: string }[];
    checkAST(node: unknown): string;
  };
};

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

// Only the language: the checker below reads the syntax tree, not the editor's completion or lint extensions, and
// a state without them is a third cheaper to create.
const extension = new PromQLExtension().activateCompletion(false).activateLinter(false).asExtension();
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

export function checkPromql(expr: string): PromqlCheck {
  const hit = cache.get(expr);
  if (hit) return hit;
  const errors: string[] = [];
  let type: PromqlValueType | undefined;
  if (expr.trim() === "") {
    errors.push("empty expression");
  } else {
    let state = EditorState.create({ doc: expr, extensions: extension });
    // CodeMirror parses a new state for at most 20 ms and keeps the partial tree when time runs out (a GC pause or
    // a cold JIT is enough), which would read as a syntax error. Finish the parse and take the whole tree into the
    // state, the way CodeMirror's own forceParsing does, so the result never depends on timing.
    if (!syntaxTreeAvailable(state)) {
      ensureSyntaxTree(state, state.doc.length, 60_000);
      state = state.update({}).state;
    }
    const tree = syntaxTree(state);
    tree.iterate({
      enter: (n) => {
        if (n.type.isError && errors.length < 3) {
          const near = expr.slice(Math.max(0, n.from - 10), n.to + 10).trim();
          errors.push(`syntax error at position ${n.from}${near ? ` near "${near}"` : ""}`);
        }
      },
    });
    if (errors.length === 0) {
      const parser = new Parser(state);
      parser.analyze();
      for (const d of parser.getDiagnostics()) errors.push(d.message);
      const top = tree.topNode.firstChild;
      type = top ? (parser.checkAST(top) as PromqlValueType) : undefined;
    }
  }
  const result: PromqlCheck = { errors, type };
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(expr, result);
  return result;
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
