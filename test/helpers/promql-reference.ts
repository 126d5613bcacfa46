/**
 * The PromQL check as it was before the fast path in core/promql.ts: a CodeMirror EditorState per expression, then
 * the checker from codemirror-promql reading the editor's syntax tree. Kept (uncached) only so tests can show the
 * fast path returns exactly the same errors and types.
 */
import type { EditorState as EditorStateT } from "@codemirror/state";
import { blankComments, type PromqlCheck, type PromqlValueType } from "../../core/promql";
/* eslint-disable @typescript-eslint/no-require-imports */
const { EditorState } = require("@codemirror/state") as typeof import("@codemirror/state");
const { ensureSyntaxTree, syntaxTree, syntaxTreeAvailable } = require("@codemirror/language") as typeof import("@codemirror/language");
const { PromQLExtension } = require("@prometheus-io/codemirror-promql") as typeof import("@prometheus-io/codemirror-promql");
const { Parser } = require("@prometheus-io/codemirror-promql/dist/cjs/parser/parser.js") as {
  Parser: new (state: EditorStateT) => {
    analyze(): void;
    getDiagnostics(): { from: number; to: number; message: string }[];
    checkAST(node: unknown): string;
  };
};

const extension = new PromQLExtension().activateCompletion(false).activateLinter(false).asExtension();

/**
 * The two corrections core/promql makes on top of codemirror-promql's checker, applied the same way here so the
 * comparison stays about the fast path: comments are blanked before checking (a leading `# comment` node hid the
 * expression from the checker), and "metric name must not be set twice" is dropped for a selector without a name
 * outside the braces and without two bare quoted names (Prometheus accepts `{__name__=~"a.*", __name__!="ab"}`).
 */
const BARE_NAMES = /(?:^\{|,)\s*(?:"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`)\s*(?=[,}])/;

export function checkPromqlReference(source: string): PromqlCheck {
  const expr = blankComments(source);
  const errors: string[] = [];
  let type: PromqlValueType | undefined;
  if (expr.trim() === "") {
    errors.push("empty expression");
  } else {
    let state = EditorState.create({ doc: expr, extensions: extension });
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
      for (const d of parser.getDiagnostics()) {
        const sel = expr.slice(d.from, d.to).trim();
        if (d.message.startsWith("metric name must not be set twice") && sel.startsWith("{") && !BARE_NAMES.test(sel)) continue;
        errors.push(d.message);
      }
      const top = tree.topNode.firstChild;
      type = top ? (parser.checkAST(top) as PromqlValueType) : undefined;
    }
  }
  return { errors, type };
}
