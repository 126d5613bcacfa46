/**
 * Prometheus alert templates (Go text/template) checked before deploy, and rendered for the common cases so unit
 * tests can predict annotations. Prometheus only finds a broken template when the alert fires, which is the worst
 * moment: an unbalanced `{{`, an unknown function or an undefined variable is reported here instead.
 */

/** Functions Prometheus 3 offers to alert templates, plus Go's text/template builtins. */
export const TEMPLATE_FUNCTIONS: ReadonlySet<string> = new Set([
  // Go builtins
  "and", "or", "not", "len", "index", "slice", "print", "printf", "println", "eq", "ne", "lt", "le", "gt", "ge",
  "html", "js", "urlquery", "call",
  // Prometheus
  "query", "first", "label", "value", "strvalue", "args", "reReplaceAll", "safeHtml", "match", "title", "toUpper",
  "toLower", "graphLink", "tableLink", "sortByLabel", "humanize", "humanize1024", "humanizeDuration",
  "humanizePercentage", "humanizeTimestamp", "pathPrefix", "externalURL", "stripPort", "stripDomain", "parseDuration",
  "toTime", "toDuration", "now", "urlQueryEscape", "tmpl",
]);

const KEYWORDS = new Set(["if", "else", "end", "range", "with", "define", "template", "block", "break", "continue", "nil", "true", "false"]);
const OPENERS = new Set(["if", "range", "with", "define", "block"]);
/** Variables Prometheus defines in every alert template. */
const PREDEFINED = ["$labels", "$externalLabels", "$externalURL", "$value", "$"];

interface Action {
  readonly body: string;
  readonly start: number;
}

type Scan = { actions: Action[]; errors: string[] };

function scan(text: string): Scan {
  const actions: Action[] = [];
  const errors: string[] = [];
  let i = 0;
  while (i < text.length) {
    const open = text.indexOf("{{", i);
    const close = text.indexOf("}}", i);
    if (close !== -1 && (open === -1 || close < open)) {
      errors.push(`has "}}" without a matching "{{" at position ${close}`);
      i = close + 2;
      continue;
    }
    if (open === -1) break;
    // A string literal inside an action may contain "}}": skip over quoted text while looking for the end.
    let j = open + 2;
    let end = -1;
    while (j < text.length) {
      const ch = text[j];
      if (ch === '"' || ch === "`") {
        const q = ch;
        j++;
        while (j < text.length && text[j] !== q) j += text[j] === "\\" && q === '"' ? 2 : 1;
        j++;
        continue;
      }
      if (text.startsWith("}}", j)) {
        end = j;
        break;
      }
      if (text.startsWith("{{", j)) break;
      j++;
    }
    if (end === -1) {
      errors.push(`has "{{" without a matching "}}" at position ${open}`);
      break;
    }
    let body = text.slice(open + 2, end);
    if (body.startsWith("-")) body = body.slice(1);
    if (body.endsWith("-")) body = body.slice(0, -1);
    actions.push({ body: body.trim(), start: open });
    i = end + 2;
  }
  return { actions, errors };
}

const TOKEN_RE = /"(?:[^"\\]|\\.)*"|`[^`]*`|'(?:[^'\\]|\\.)'|:=|[|(),=]|\$[A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*|(?:\.[A-Za-z0-9_]+)+|\.|[-+]?\d[\w.+-]*|[A-Za-z_][A-Za-z0-9_]*|\S/g;

function tokens(body: string): string[] {
  return body.match(TOKEN_RE) ?? [];
}

/** Errors in a Go template: balance of `{{ }}` and of if/range/with … end, unknown functions, undefined variables. */
export function checkTemplate(text: string): string[] {
  const { actions, errors } = scan(text);
  const declared = new Set(PREDEFINED);
  const stack: string[] = [];
  for (const a of actions) {
    if (a.body.startsWith("/*")) {
      if (!a.body.endsWith("*/")) errors.push(`has an unterminated comment at position ${a.start}`);
      continue;
    }
    const toks = tokens(a.body);
    if (toks.length === 0) {
      errors.push(`has an empty action "{{ }}" at position ${a.start}`);
      continue;
    }
    const first = toks[0]!;
    if (OPENERS.has(first)) stack.push(first);
    if (first === "end") {
      if (stack.pop() === undefined) errors.push(`has "{{ end }}" without an opening if/range/with at position ${a.start}`);
      continue;
    }
    for (let k = 0; k < toks.length; k++) {
      const t = toks[k]!;
      if (t.startsWith("$")) {
        const root = t.split(".")[0]!;
        const next = toks[k + 1];
        if (next === ":=" || next === "=" || (next === "," && first === "range")) declared.add(root);
        else if (!declared.has(root)) errors.push(`uses undefined variable "${root}"`);
      } else if (/^[A-Za-z_]/.test(t) && !KEYWORDS.has(t) && !TEMPLATE_FUNCTIONS.has(t)) {
        errors.push(`calls unknown function "${t}"`);
      } else if (t === "|" && (k === 0 || k === toks.length - 1)) {
        errors.push(`has a pipe "|" without a command on both sides in "{{ ${a.body} }}"`);
      }
    }
  }
  for (const open of stack) errors.push(`has "{{ ${open} }}" without a matching "{{ end }}"`);
  return errors;
}

// ---- Rendering the common subset, to predict annotations in unit tests --------------------------------------

/**
 * Go rounds an exact decimal tie to even (`%.1f` of 2.25 is "2.2"); JavaScript rounds it up. Both see the same
 * exact binary value, so compare against the full expansion and round a true tie to even.
 */
function roundEven(v: number, digits: number, format: (x: number, d: number) => string): string {
  const [mant = "", tail] = format(Math.abs(v), 100).split("e");
  const point = mant.indexOf(".");
  const all = mant.replace(".", "");
  const keep = point + digits;
  if (/^50*$/.test(all.slice(keep)) && Number(all[keep - 1]) % 2 === 0) {
    const kept = `${all.slice(0, point)}${digits > 0 ? `.${all.slice(point, keep)}` : ""}`;
    return `${v < 0 ? "-" : ""}${kept}${tail !== undefined ? `e${tail}` : ""}`;
  }
  return format(v, digits);
}
const toExp = (x: number, d: number): string => x.toExponential(d);
const toFix = (x: number, d: number): string => x.toFixed(d);

/** Go's `%.<digits>f`. */
export function goFixed(v: number, digits: number): string {
  // Go writes the infinities with a sign (fmt's %f of +Inf is "+Inf"); NaN is "NaN" in both.
  if (v === Infinity || v === -Infinity) return v > 0 ? "+Inf" : "-Inf";
  // From 1e21 JavaScript's toFixed switches to exponent notation; such a double is an integer, printed in full by Go.
  if (Number.isFinite(v) && Math.abs(v) >= 1e21) return `${BigInt(v).toString()}${digits > 0 ? `.${"0".repeat(digits)}` : ""}`;
  return roundEven(v, digits, toFix);
}

/** Go's `%.4g` (strconv 'g' with precision 4): 4 significant digits, trailing zeros removed. */
export function goG4(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (!Number.isFinite(v)) return v > 0 ? "+Inf" : "-Inf";
  if (v === 0) return "0";
  const [mant, expText] = roundEven(v, 3, toExp).split("e") as [string, string];
  const exp = Number(expText);
  if (exp < -4 || exp >= 4) {
    const m = mant.includes(".") ? mant.replace(/0+$/, "").replace(/\.$/, "") : mant;
    return `${m}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
  }
  const fixed = goFixed(v, Math.max(0, 3 - exp));
  return fixed.includes(".") ? fixed.replace(/0+$/, "").replace(/\.$/, "") : fixed;
}

/**
 * Go's `%v` for a float64, which Prometheus prints `{{ $value }}` with: the shortest representation, in exponent form
 * when the decimal exponent is below -4 or at least 6 (strconv's 'g' with the shortest precision: 1e+06, 1.234567e+06).
 */
export function goFloat(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (!Number.isFinite(v)) return v > 0 ? "+Inf" : "-Inf";
  const [m, e] = v.toExponential().split("e") as [string, string];
  const exp = Number(e);
  if (v !== 0 && (exp < -4 || exp >= 6)) {
    return `${m}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
  }
  return String(v);
}

function humanize(v: number): string {
  if (v === 0 || !Number.isFinite(v)) return goG4(v);
  let prefix = "";
  if (Math.abs(v) >= 1) {
    for (const p of ["k", "M", "G", "T", "P", "E", "Z", "Y"]) {
      if (Math.abs(v) < 1000) break;
      prefix = p;
      v /= 1000;
    }
  } else {
    for (const p of ["m", "u", "n", "p", "f", "a", "z", "y"]) {
      if (Math.abs(v) >= 1) break;
      prefix = p;
      v *= 1000;
    }
  }
  return `${goG4(v)}${prefix}`;
}

/** Prometheus converts to int64 first: from 2^63 seconds on Go's conversion is undefined, so no prediction. */
const INT64_LIMIT = 2 ** 63;

function humanizeDuration(v: number): string | undefined {
  if (!Number.isFinite(v)) return goG4(v);
  if (v === 0) return "0s";
  if (Math.abs(v) >= INT64_LIMIT) return undefined;
  if (Math.abs(v) >= 1) {
    const sign = v < 0 ? "-" : "";
    const a = Math.abs(v);
    // Go's int64 arithmetic, exact beyond 2^53 where doubles are not.
    const d = BigInt(Math.trunc(a));
    const [s, m, h, days] = [d % 60n, (d / 60n) % 60n, (d / 3600n) % 24n, d / 86400n];
    if (days !== 0n) return `${sign}${days}d ${h}h ${m}m ${s}s`;
    if (h !== 0n) return `${sign}${h}h ${m}m ${s}s`;
    if (m !== 0n) return `${sign}${m}m ${s}s`;
    return `${sign}${goG4(a)}s`;
  }
  let prefix = "";
  for (const p of ["m", "u", "n", "p", "f", "a", "z", "y"]) {
    if (Math.abs(v) >= 1) break;
    prefix = p;
    v *= 1000;
  }
  return `${goG4(v)}${prefix}s`;
}

const FORMATTERS: Readonly<Record<string, (v: number) => string | undefined>> = {
  humanize,
  humanizeDuration,
  humanizePercentage: (v) => `${goG4(v * 100)}%`,
};

export interface TemplateData {
  readonly labels: Readonly<Record<string, string>>;
  readonly externalLabels?: Readonly<Record<string, string>>;
  readonly value?: number;
}

/**
 * Renders the subset of templates the shipped packs use: `$labels.x`, `$externalLabels.x`, `$value`, piped into
 * or called with humanize / humanizeDuration / humanizePercentage / `printf "%.Nf"`. Returns undefined when the
 * template needs more (the test must then state the expected text) or needs `$value` and none is given.
 */
export function renderTemplate(text: string, data: TemplateData): string | undefined {
  const { actions, errors } = scan(text);
  if (errors.length > 0) return undefined;
  let out = "";
  let pos = 0;
  for (const a of actions) {
    const open = a.start;
    const closeAt = text.indexOf("}}", open) + 2;
    let before = text.slice(pos, open);
    if (text.startsWith("{{-", open)) before = before.replace(/\s+$/, "");
    out += before;
    const piece = renderAction(tokens(a.body), data);
    if (piece === undefined) return undefined;
    out += piece;
    pos = closeAt;
    if (text.slice(0, closeAt).endsWith("-}}")) while (pos < text.length && /\s/.test(text[pos]!)) pos++;
  }
  return out + text.slice(pos);
}

function operand(tok: string, data: TemplateData): string | number | undefined {
  if (tok === "$value") return data.value;
  const m = /^\$(labels|externalLabels)\.([A-Za-z0-9_]+)$/.exec(tok);
  if (m) return ((m[1] === "labels" ? data.labels : data.externalLabels) ?? {})[m[2]!] ?? "";
  if (/^"[^"\\]*"$/.test(tok)) return tok.slice(1, -1);
  return undefined;
}

function apply(fn: string, args: readonly (string | number)[]): string | undefined {
  const f = FORMATTERS[fn];
  if (f && args.length === 1 && typeof args[0] === "number") return f(args[0]);
  if (fn === "printf" && args.length === 2 && typeof args[0] === "string" && typeof args[1] === "number") {
    const p = /^%\.(\d)f$/.exec(args[0]);
    if (p) return goFixed(args[1], Number(p[1]));
  }
  if (fn === "toUpper" && args.length === 1 && typeof args[0] === "string") return args[0].toUpperCase();
  if (fn === "toLower" && args.length === 1 && typeof args[0] === "string") return args[0].toLowerCase();
  return undefined;
}

function renderAction(toks: readonly string[], data: TemplateData): string | undefined {
  const stages: string[][] = [[]];
  for (const t of toks) {
    if (t === "|") stages.push([]);
    else stages[stages.length - 1]!.push(t);
  }
  let acc: string | number | undefined;
  for (let s = 0; s < stages.length; s++) {
    const st = stages[s]!;
    if (st.length === 0) return undefined;
    const [head, ...rest] = st as [string, ...string[]];
    if (head.startsWith("$") || head.startsWith('"')) {
      if (s > 0 || rest.length > 0) return undefined;
      acc = operand(head, data);
      if (acc === undefined) return undefined;
      continue;
    }
    const args: (string | number)[] = [];
    for (const r of rest) {
      const v = operand(r, data);
      if (v === undefined) return undefined;
      args.push(v);
    }
    if (s > 0) {
      if (acc === undefined) return undefined;
      args.push(acc);
    }
    acc = apply(head, args);
    if (acc === undefined) return undefined;
  }
  if (acc === undefined) return undefined;
  return typeof acc === "number" ? goFloat(acc) : acc;
}
