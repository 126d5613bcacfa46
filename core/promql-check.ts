/**
 * The PromQL check itself, as source text. Both the main thread (core/promql.ts) and the checking worker
 * (core/promql-pool.ts) compile this same text, so a check can never depend on the thread it ran on. It gets the
 * parse function and the checker class from its caller: Prometheus's Lezer grammar and codemirror-promql's type
 * checker, which reads from an editor state only the syntax tree (`state.field(Language.state).tree`, through
 * @codemirror/language's `syntaxTree`) and slices of the text — a real EditorState per expression costs more than
 * the parse and the check together.
 *
 * Syntax errors: the first three error nodes of the tree, with the text around them. Then, on a tree without
 * errors, what the checker's `analyze()` does — checkAST of the top node, then diagnoseAllErrorNodes — keeping the
 * type checkAST returns rather than checking the tree a second time for it.
 */
import type { PromqlCheck } from "./promql";

export const CHECK_SOURCE = `
  const BARE_NAMES = /(?:^\\{|,)\\s*(?:"(?:[^"\\\\]|\\\\.)*"|'(?:[^'\\\\]|\\\\.)*'|\`[^\`]*\`)\\s*(?=[,}])/;
  const errors = [];
  let type;
  if (expr.trim() === "") {
    errors.push("empty expression");
    return { errors, type };
  }
  const tree = parse(expr);
  tree.iterate({
    enter: (n) => {
      if (n.type.isError && errors.length < 3) {
        const near = expr.slice(Math.max(0, n.from - 10), n.to + 10).trim();
        errors.push("syntax error at position " + n.from + (near ? ' near "' + near + '"' : ""));
      }
    },
  });
  if (errors.length === 0) {
    const checker = new Checker({ field: () => ({ tree }), sliceDoc: (from, to) => expr.slice(from, to) });
    const top = tree.topNode.firstChild;
    const topType = checker.checkAST(top);
    checker.diagnoseAllErrorNodes();
    for (const d of checker.getDiagnostics()) {
      // Prometheus refuses a second metric name only next to a name outside the braces (\`up{__name__="x"}\`) or two
      // bare quoted names; \`{__name__=~"a.*", __name__!="ab"}\` is valid, the checker's own rule is stricter.
      if (d.message.startsWith("metric name must not be set twice")) {
        const sel = expr.slice(d.from, d.to).trim();
        if (sel.startsWith("{") && !BARE_NAMES.test(sel)) continue;
      }
      errors.push(d.message);
    }
    type = top ? topType : undefined;
  }
  return { errors, type };
`;

/** codemirror-promql's checker (`dist/cjs/parser/parser.js`), typed to what CHECK_SOURCE uses. */
export type CheckerClass = new (state: { field(field: unknown, require?: boolean): { readonly tree: unknown }; sliceDoc(from: number, to: number): string }) => {
  getDiagnostics(): { from: number; to: number; message: string }[];
  checkAST(node: unknown): string;
  diagnoseAllErrorNodes(): void;
};

export type CheckFn = (expr: string) => PromqlCheck;

export function compileCheck(parse: (text: string) => unknown, Checker: CheckerClass): CheckFn {
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  const fn = new Function("parse", "Checker", "expr", CHECK_SOURCE) as (p: typeof parse, c: CheckerClass, expr: string) => PromqlCheck;
  return (expr) => fn(parse, Checker, expr);
}
