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
import { type OutputGrouping, outputGrouping, type Selector, type SelectorMatcher, selectorsOf } from "../promql-selectors";

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
    // A + after it keeps this one character in the prefix; the + itself ends the prefix on the next round.
  }
  return out;
}

const isLiteral = (branch: string): boolean => !/[\\.[\]()*+?{}|^$]/.test(branch);

function matches(re: string, value: string): boolean | undefined {
  const r = compileRe2(re);
  return r.ok ? r.value.test(value) : undefined;
}

const OP_ORDER: Readonly<Record<SelectorMatcher["op"], number>> = { "=": 0, "!=": 1, "=~": 2, "!~": 3 };

/** True only when no label value can satisfy both matchers. */
function disjoint(a: SelectorMatcher, b: SelectorMatcher): boolean {
  if (a.value === undefined || b.value === undefined) return false;
  // One order per pair of operators: x's operator comes first in "=", "!=", "=~", "!~".
  const [x, y] = OP_ORDER[a.op] <= OP_ORDER[b.op] ? [a, b] : [b, a];
  const [xv, yv] = [x.value!, y.value!];
  switch (`${x.op} ${y.op}`) {
    case "= =":
      return xv !== yv;
    case "= !=":
    case "=~ !~":
      return xv === yv;
    case "= =~":
      return matches(yv, xv) === false;
    case "= !~":
      return matches(yv, xv) === true;
    case "!= =~": {
      // The regex admits only the one value the other side excludes.
      const alts = alternatives(yv);
      return alts !== undefined && alts.every((v) => v === xv);
    }
    case "=~ =~": {
      const xa = alternatives(xv);
      const xb = alternatives(yv);
      if (!xa || !xb) return false;
      // Finite sets: every literal of one side fails the other regex.
      if (xa.every(isLiteral)) return xa.every((v) => matches(yv, v) === false);
      if (xb.every(isLiteral)) return xb.every((v) => matches(xv, v) === false);
      // Otherwise fixed prefixes that cannot both start one string ("" starts every string).
      return xa.every((p) => xb.every((q) => {
        const pa = literalPrefix(p);
        const pb = literalPrefix(q);
        return !pa.startsWith(pb) && !pb.startsWith(pa);
      }));
    }
    default:
      // != or !~ against != or !~: each side excludes a few values and admits the rest.
      return false;
  }
}

/** Functions that make series of their own (no selector constrains their labels) or rewrite labels. */
const UNCONSTRAINED = /\b(?:vector|absent|absent_over_time|label_replace|label_join|info)\s*\(/;

/** What the proof reads of one expression, computed once per rule (a fleet records one name per service). */
export interface RecordingFacts {
  /** The expression does not parse: the expression checks report it, the collision check says nothing. */
  readonly broken: boolean;
  /** Whether the expression can be reasoned about at all: it parses, and only selectors make its series. */
  readonly usable: boolean;
  readonly grouping: OutputGrouping;
  readonly selectors: readonly Selector[];
}

export function recordingFacts(expr: string): RecordingFacts {
  const broken = checkPromql(expr).errors.length > 0;
  if (broken || UNCONSTRAINED.test(expr)) return { broken, usable: false, grouping: { kind: "none", labels: [] }, selectors: [] };
  const selectors = selectorsOf(expr);
  return { broken, usable: selectors.length > 0, grouping: outputGrouping(expr), selectors };
}

function keeps(g: OutputGrouping, label: string): boolean {
  if (label === "__name__") return false;
  if (g.kind === "by") return g.labels.includes(label);
  if (g.kind === "without") return !g.labels.includes(label);
  return true;
}

/** Whether two recording rules (same name, same static labels) provably write different series. */
export function factsApart(a: RecordingFacts, b: RecordingFacts): boolean {
  if (a.broken || b.broken) return true;
  if (!a.usable || !b.usable) return false;
  const labels = new Set(a.selectors.flatMap((s) => s.matchers.map((m) => m.label)));
  for (const label of labels) {
    if (!keeps(a.grouping, label) || !keeps(b.grouping, label)) continue;
    const apart = a.selectors.every((x) => b.selectors.every((y) => {
      const mx = x.matchers.filter((m) => m.label === label);
      const my = y.matchers.filter((m) => m.label === label);
      return mx.some((p) => my.some((q) => disjoint(p, q)));
    }));
    if (apart) return true;
  }
  return false;
}

export function provablyApart(exprA: string, exprB: string): boolean {
  return factsApart(recordingFacts(exprA), recordingFacts(exprB));
}

/** The one value a kept label has in every selector of the expression (`job="api"` everywhere), if it has one. */
function pinned(f: RecordingFacts, label: string): string | undefined {
  if (!f.usable || !keeps(f.grouping, label)) return undefined;
  let value: string | undefined;
  for (const s of f.selectors) {
    const eq = s.matchers.find((m) => m.label === label && m.op === "=");
    if (eq?.value === undefined || (value !== undefined && eq.value !== value)) return undefined;
    value = eq.value;
  }
  return value;
}

/**
 * For each rule of one name and labels (in order), the index of an earlier one it may collide with, or -1. Rules
 * whose series a kept label pins to different values (`job="svc-1"` vs `job="svc-2"`) are told apart by bucket, so a
 * fleet of a thousand services is not a million comparisons; within a bucket, pairs are compared.
 */
export function collidingWith(facts: readonly RecordingFacts[]): number[] {
  const first = facts[0];
  const candidates = first?.usable ? [...new Set(first.selectors.flatMap((s) => s.matchers.filter((m) => m.op === "=").map((m) => m.label)))] : [];
  const label = candidates.find((l) => facts.every((f) => pinned(f, l) !== undefined));
  const buckets = new Map<string, number[]>();
  return facts.map((f, j) => {
    const key = label !== undefined ? pinned(f, label)! : "";
    const earlier = buckets.get(key) ?? [];
    const hit = earlier.find((i) => !factsApart(facts[i]!, f));
    earlier.push(j);
    buckets.set(key, earlier);
    return hit ?? -1;
  });
}
