/**
 * Recording rules of one name and the same static labels write into one metric. That is normal (kube-prometheus
 * records `code_verb:apiserver_request_total:increase1h` four times, once per status class) as long as their series
 * can never have the same labels; when they can, Prometheus gets two samples for one series at each evaluation and
 * drops one as a duplicate. This module proves the series apart where it can, from the selectors alone:
 * a label the result keeps (in `by`, or not in `without`) is matched in every selector of both rules, to values no
 * string can satisfy on both sides (`code=~"2.."` vs `code=~"5.."`, `verb="read"` vs `verb="write"`). What it cannot
 * prove is reported as a possible collision.
 */
import { compileRe2 } from "../alertmanager/label-matchers";
import { checkPromql } from "../promql";
import { outputGrouping, type SelectorMatcher, selectorsOf } from "../promql-selectors";

/** Top-level alternatives of a regex (`a|b(c|d)` → `a`, `b(c|d)`), or undefined when it is not well nested. */
function alternatives(re: string): string[] | undefined {
  const out: string[] = [];
  let depth = 0;
  let inClass = false;
  let start = 0;
  for (let i = 0; i < re.length; i++) {
    const c = re[i]!;
    if (c === "\\") {
      i++;
      continue;
    }
    if (inClass) {
      if (c === "]") inClass = false;
      continue;
    }
    if (c === "[") {
      inClass = true;
      if (re[i + 1] === "^") i++;
      if (re[i + 1] === "]") i++;
    } else if (c === "(") depth++;
    else if (c === ")") depth--;
    else if (c === "|" && depth === 0) {
      out.push(re.slice(start, i));
      start = i + 1;
    }
    if (depth < 0) return undefined;
  }
  out.push(re.slice(start));
  return depth === 0 && !inClass ? out : undefined;
}

/** The literal text every match of an (anchored) branch starts with; "" when it may start with anything. */
function literalPrefix(branch: string): string {
  let out = "";
  for (let i = 0; i < branch.length; i++) {
    const c = branch[i]!;
    let lit: string | undefined;
    let width = 1;
    if (c === "\\") {
      const n = branch[i + 1];
      if (n === undefined || /[a-zA-Z0-9]/.test(n)) break; // a class like \d, or an escape we do not read
      lit = n;
      width = 2;
    } else if (!/[.[\]()*+?{}|^$]/.test(c)) lit = c;
    if (lit === undefined) break;
    // A quantifier after the character makes it optional or repeated: it is not part of the fixed prefix.
    if (/^[*?{]/.test(branch.slice(i + width))) break;
    out += lit;
    i += width - 1;
    if (branch[i + 1] === "+") break;
  }
  return out;
}

const isLiteral = (branch: string): boolean => !/[\\.[\]()*+?{}|^$]/.test(branch);

function matches(re: string, value: string): boolean | undefined {
  const r = compileRe2(re);
  return r.ok ? r.value.test(value) : undefined;
}

/** True only when no label value can satisfy both matchers. */
function disjoint(a: SelectorMatcher, b: SelectorMatcher): boolean {
  if (a.value === undefined || b.value === undefined) return false;
  if (a.op === "=" && b.op === "=") return a.value !== b.value;
  if ((a.op === "=" && b.op === "!=") || (a.op === "!=" && b.op === "=")) return a.value === b.value;
  if ((a.op === "=~" && b.op === "!~") || (a.op === "!~" && b.op === "=~")) return a.value === b.value;
  if (a.op === "=" && b.op === "=~") return matches(b.value, a.value) === false;
  if (a.op === "=~" && b.op === "=") return matches(a.value, b.value) === false;
  if (a.op === "=~" && b.op === "=~") {
    const xa = alternatives(a.value);
    const xb = alternatives(b.value);
    if (!xa || !xb) return false;
    // Finite sets: every literal of one side fails the other regex.
    if (xa.every(isLiteral)) return xa.every((v) => matches(b.value!, v) === false);
    if (xb.every(isLiteral)) return xb.every((v) => matches(a.value!, v) === false);
    // Otherwise fixed prefixes that cannot both start one string.
    return xa.every((p) => xb.every((q) => {
      const pa = literalPrefix(p);
      const pb = literalPrefix(q);
      return pa !== "" && pb !== "" && !pa.startsWith(pb) && !pb.startsWith(pa);
    }));
  }
  return false;
}

/** Functions that make series of their own (no selector constrains their labels) or rewrite labels. */
const UNCONSTRAINED = /\b(?:vector|absent|absent_over_time|label_replace|label_join|info)\s*\(/;

/** Whether two recording expressions (same name, same static labels) provably write different series. */
export function provablyApart(exprA: string, exprB: string): boolean {
  if (checkPromql(exprA).errors.length > 0 || checkPromql(exprB).errors.length > 0) return true; // reported elsewhere
  if (UNCONSTRAINED.test(exprA) || UNCONSTRAINED.test(exprB)) return false;
  const ga = outputGrouping(exprA);
  const gb = outputGrouping(exprB);
  const sa = selectorsOf(exprA);
  const sb = selectorsOf(exprB);
  if (sa.length === 0 || sb.length === 0) return false;
  const kept = (label: string): boolean => {
    for (const g of [ga, gb]) {
      if (g.kind === "by" && !g.labels.includes(label)) return false;
      if (g.kind === "without" && g.labels.includes(label)) return false;
    }
    return label !== "__name__";
  };
  const labels = new Set(sa.flatMap((s) => s.matchers.map((m) => m.label)));
  for (const label of labels) {
    if (!kept(label)) continue;
    const apart = sa.every((x) => sb.every((y) => {
      const mx = x.matchers.filter((m) => m.label === label);
      const my = y.matchers.filter((m) => m.label === label);
      return mx.some((p) => my.some((q) => disjoint(p, q)));
    }));
    if (apart) return true;
  }
  return false;
}
