/**
 * Structural facts about a dashboard query, read from Prometheus's Lezer grammar: the metric selectors (name and
 * which labels are matched against which template variables) and the range windows under each function. The
 * query is first made parseable: `$__rate_interval` becomes a marker duration, other variables become plain words.
 */
import { parsePromql, substituteGrafanaVariables } from "../promql";

/** The slice of Lezer's tree API used here (the tree comes from core/promql.ts, which loads the CommonJS build). */
interface LzNode {
  readonly name: string;
  readonly from: number;
  readonly to: number;
  readonly parent: LzNode | null;
  readonly firstChild: LzNode | null;
  readonly nextSibling: LzNode | null;
  getChild(name: string): LzNode | null;
}
interface LzCursor {
  readonly name: string;
  readonly node: LzNode;
  firstChild(): boolean;
  nextSibling(): boolean;
  parent(): boolean;
}

/** Stands in for `$__rate_interval` / `$__range` so they stay recognisable after substitution. */
const RATE_MARK = "1234567ms";
const RANGE_MARK = "7654321ms";

export interface SelectorFact {
  readonly metric: string | undefined;
  /** label -> the matcher's value text, with `$x`/`${x}` rewritten to `x_var`. */
  readonly matchers: ReadonlyMap<string, string>;
  /** The function directly applied to this selector's range, e.g. `rate`; undefined for an instant selector. */
  readonly rangeFunction: string | undefined;
  /** `rate_interval`, `range`, or the literal window text (`5m`) when the selector has a range. */
  readonly window: string | undefined;
  /**
   * Whether a counter here is used meaningfully: under rate()/increase()-like functions, or under aggregations that
   * only count series (`count`, `group`), or `absent`/`timestamp`.
   */
  readonly counterSafe: boolean;
}

/** `$__rate_interval` and `$__range` as marker durations, so the walk can tell them from literal windows. */
export function markMacros(expr: string): string {
  return expr.replace(/\$\{?__rate_interval\}?/g, RATE_MARK).replace(/\$\{?__range\}?(?![a-zA-Z0-9_])/g, RANGE_MARK);
}

export function substituteForWalk(expr: string): string {
  return substituteGrafanaVariables(markMacros(expr));
}

const COUNTER_SAFE = new Set([
  "rate", "irate", "increase", "resets", "changes", "delta", "idelta", "deriv",
  "count", "group", "count_values", "absent", "absent_over_time", "present_over_time", "timestamp",
]);

export function selectorFacts(expr: string): SelectorFact[] {
  const text = substituteForWalk(expr);
  // Usually the tree the lint's checkPromql of the same text just built.
  const tree = parsePromql(text) as unknown as { cursor(): LzCursor };
  const out: SelectorFact[] = [];
  const cursor = tree.cursor();
  const fnStack: string[] = [];
  const visit = (): void => {
    const name = cursor.name;
    let pushed = false;
    if (name === "FunctionCall") {
      const node: LzNode = cursor.node;
      const id = node.getChild("FunctionIdentifier");
      fnStack.push(id ? text.slice(id.from, id.to) : "");
      pushed = true;
    } else if (name === "AggregateExpr") {
      const op = cursor.node.getChild("AggregateOp");
      fnStack.push(op ? text.slice(op.from, op.to) : "");
      pushed = true;
    }
    if (name === "VectorSelector") {
      const node = cursor.node;
      const ident = node.getChild("Identifier");
      const matchers = new Map<string, string>();
      const lm = node.getChild("LabelMatchers");
      if (lm) {
        let m = lm.firstChild;
        while (m) {
          const ln = m.getChild("LabelName");
          const sl = m.getChild("StringLiteral");
          if (ln && sl) matchers.set(text.slice(ln.from, ln.to), text.slice(sl.from + 1, sl.to - 1));
          m = m.nextSibling;
        }
      }
      const parent = node.parent;
      let window: string | undefined;
      let rangeFunction: string | undefined;
      if (parent && (parent.name === "MatrixSelector" || parent.name === "SubqueryExpr")) {
        const d = parent.getChild("DurationExpr");
        const w = d ? text.slice(d.from, d.to) : "";
        window = w === RATE_MARK ? "rate_interval" : w === RANGE_MARK ? "range" : w;
        const fnBody = parent.parent;
        const fn = fnBody?.parent;
        if (fn && fn.name === "FunctionCall") {
          const id = fn.getChild("FunctionIdentifier");
          rangeFunction = id ? text.slice(id.from, id.to) : undefined;
        }
      }
      out.push({
        metric: ident ? text.slice(ident.from, ident.to) : matchers.get("__name__"),
        matchers,
        rangeFunction,
        window,
        counterSafe: fnStack.some((f) => COUNTER_SAFE.has(f)),
      });
    }
    if (cursor.firstChild()) {
      do visit();
      while (cursor.nextSibling());
      cursor.parent();
    }
    if (pushed) fnStack.pop();
  };
  visit();
  return out;
}

/** `job_var` etc.: how a template variable reads after substitution. */
export function variableWord(name: string): string {
  return `${name}_var`;
}
