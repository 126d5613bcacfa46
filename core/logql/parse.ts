/**
 * LogQL read with Grafana's own Lezer grammar (`@grafana/lezer-logql`, the parser Grafana's query editor uses):
 * syntax errors, whether a query is a log query (lines) or a metric query (samples), its stream selectors and the
 * label names it matches or groups by. The one LogQL reader of the project: the dashboard lint and the Loki rule
 * validation both use it, and neither ever reads LogQL as PromQL.
 */
import { compileRe2 } from "../alertmanager/label-matchers";

interface LezerNode {
  readonly type: { readonly name: string; readonly isError: boolean };
  readonly from: number;
  readonly to: number;
}
interface LezerTree {
  iterate(spec: { enter(n: LezerNode): boolean | void; leave?(n: LezerNode): void }): void;
}
let parserModule: { parse(text: string): LezerTree } | undefined;
function parser(): { parse(text: string): LezerTree } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  parserModule ??= (require("@grafana/lezer-logql") as { parser: { parse(text: string): LezerTree } }).parser;
  return parserModule;
}

/** The operator of a stream selector's label matcher: equal, not equal, regex match, regex non-match. */
export type LogqlMatchOp = "=" | "!=" | "=~" | "!~";

/** One label matcher of a stream selector, e.g. `service_name=~"api|web"`. */
export interface LogqlMatcher {
  readonly name: string;
  readonly op: LogqlMatchOp;
  /** The value as written between the quotes, unescaped. */
  readonly value: string;
}

/**
 * What `analyzeLogql` reads from one query: its syntax errors, whether it is a log or a metric query, the matchers of
 * its stream selectors and the labels it groups by.
 */
export interface LogqlAnalysis {
  /** Syntax errors with their position; empty when the query parses. */
  readonly errors: readonly string[];
  /** `log`: returns log lines (`{app="x"} |= "error"`); `metric`: returns samples (`rate(...)`, numbers). */
  readonly kind: "log" | "metric" | undefined;
  /** The matchers of every stream selector, in order. */
  readonly selectors: readonly (readonly LogqlMatcher[])[];
  /** Label names of `by (...)` / `without (...)` groupings and `on`/`ignoring` modifiers. */
  readonly groupingLabels: readonly string[];
  /**
   * The regular expressions, unescaped and in order: of `=~`/`!~` matchers (stream selectors and label filters) and
   * `|~`/`!~` line filters. Loki compiles each (Go RE2) when it parses the query and refuses the query if one fails.
   */
  readonly regexes: readonly string[];
}

const OPS: Readonly<Record<string, LogqlMatchOp>> = { Eq: "=", Neq: "!=", Re: "=~", Nre: "!~" };

function unquote(text: string): string {
  if (text.startsWith("`")) return text.slice(1, -1);
  try {
    return JSON.parse(text.startsWith("'") ? `"${text.slice(1, -1).replace(/"/g, '\\"')}"` : text) as string;
  } catch {
    return text.slice(1, -1);
  }
}

/** Parses one LogQL query (no Grafana variables: substitute them first). */
export function analyzeLogql(text: string): LogqlAnalysis {
  const errors: string[] = [];
  const selectors: LogqlMatcher[][] = [];
  const groupingLabels: string[] = [];
  let kind: LogqlAnalysis["kind"];
  // The Matcher nodes directly inside a stream Selector (label filters after `|` are matchers of parsed labels).
  let inSelector = 0;
  let current: LogqlMatcher[] | undefined;
  let matcher: { name?: string; op?: LogqlMatchOp; value?: string } | undefined;
  let inGrouping = 0;
  const regexes: string[] = [];
  // After a regex operator (=~, !~, |~) every string up to the end of its matcher or line filter is a regex
  // (`|~ "a" or "b"` has two).
  let regexOp = false;
  if (text.trim() === "") return { errors: ["is empty"], kind: undefined, selectors: [], groupingLabels: [], regexes };
  parser().parse(text).iterate({
    enter: (n) => {
      const name = n.type.name;
      if (n.type.isError) {
        if (errors.length < 3) {
          const near = text.slice(Math.max(0, n.from - 10), n.from + 10).trim();
          errors.push(`syntax error at position ${n.from}${near ? ` near "${near}"` : ""}`);
        }
        return;
      }
      if (kind === undefined && (name === "MetricExpr" || name === "LogExpr")) kind = name === "MetricExpr" ? "metric" : "log";
      if (name === "Re" || name === "Nre" || name === "PipeMatch") regexOp = true;
      else if (name === "String" && regexOp) regexes.push(unquote(text.slice(n.from, n.to)));
      if (name === "Selector") {
        inSelector++;
        current = [];
        selectors.push(current);
      } else if (name === "Matcher" && inSelector > 0 && current) {
        matcher = {};
      } else if (matcher && name === "Identifier" && matcher.name === undefined) {
        matcher.name = text.slice(n.from, n.to);
      } else if (matcher && OPS[name] !== undefined) {
        matcher.op = OPS[name];
      } else if (matcher && name === "String") {
        matcher.value = unquote(text.slice(n.from, n.to));
      } else if (name === "Grouping" || name === "OnOrIgnoringModifier") {
        inGrouping++;
      } else if (inGrouping > 0 && (name === "Identifier" || name === "LabelName")) {
        groupingLabels.push(text.slice(n.from, n.to));
      }
      return undefined;
    },
    leave: (n) => {
      const name = n.type.name;
      if (name === "Matcher" || name === "LineFilter") regexOp = false;
      if (name === "Selector") inSelector--;
      else if (name === "Matcher" && matcher) {
        if (matcher.name !== undefined && matcher.op !== undefined && matcher.value !== undefined) current?.push(matcher as LogqlMatcher);
        matcher = undefined;
      } else if (name === "Grouping" || name === "OnOrIgnoringModifier") inGrouping--;
    },
  });
  return { errors, kind, selectors, groupingLabels: [...new Set(groupingLabels)], regexes };
}

/**
 * The regexes of a query that Go's RE2 does not compile, each as `regex "(" is not valid RE2: …`: Loki refuses the
 * query when it parses it. A regex RE2 accepts that JavaScript cannot stand in for is not reported.
 */
export function regexProblems(a: LogqlAnalysis): string[] {
  const out: string[] = [];
  for (const re of a.regexes) {
    const r = compileRe2(re);
    if (!r.ok && r.unsupported !== true) out.push(`regex ${JSON.stringify(re)} is not valid RE2: ${r.error}`);
  }
  return out;
}

/** Syntax errors only (what the dashboard lint needs). */
export function logqlSyntaxErrors(text: string): string[] {
  return [...analyzeLogql(text).errors];
}

/**
 * Whether a regex matches the empty string, as Loki asks of a selector (Go RE2 and JavaScript agree on the
 * constructs that decide this: alternation, `*`, `?`, `.*`). A regex JavaScript cannot compile counts as not.
 */
export function regexMatchesEmpty(re: string): boolean {
  try {
    return new RegExp(`^(?:${re})$`, "s").test("");
  } catch {
    return false;
  }
}

/**
 * Loki refuses a selector none of whose matchers needs a non-empty value ("queries require at least one regexp or
 * equality matcher that does not have an empty-compatible value"): `{}`, `{a=~".*"}`, `{a!="x"}`. Returns the
 * problem, or undefined when the selector has such a matcher.
 */
export function selectorProblem(matchers: readonly LogqlMatcher[]): string | undefined {
  if (matchers.length === 0) return "has no matcher";
  const narrowing = matchers.some((m) => (m.op === "=" && m.value !== "") || (m.op === "=~" && !regexMatchesEmpty(m.value)));
  if (!narrowing) return "has no = or =~ matcher that needs a non-empty value, which Loki requires of every stream selector";
  return undefined;
}
