/**
 * Label matchers with Alertmanager's semantics: a missing label reads as "", regexes are anchored as
 * `^(?:re)$` and use Go's RE2 syntax. We translate the RE2 subset that JavaScript reads the same way and reject the
 * rest, so a regex never means one thing at synth time and another in Alertmanager.
 */
import { LABEL_NAME_RE } from "../labels";
import type { Labels, Matcher, MatcherInput, MatchOp } from "./model";

const OPS: readonly MatchOp[] = ["=~", "!~", "!=", "="];

/**
 * `unsupported`: the text is valid (e.g. a valid RE2 pattern) but cannot be evaluated here; the program itself
 * accepts it.
 */
export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string; readonly unsupported?: boolean };

/** Parses `severity="critical"`, `team=~"a|b"`, `env!=dev` (quotes optional, `\"` `\\` `\n` escapes). */
export function tryParseMatcher(text: string): Parsed<Matcher> {
  const m = /^\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*(.*?)\s*$/s.exec(text);
  if (!m) return { ok: false, error: `cannot parse matcher ${JSON.stringify(text)} (expected label="value", ops = != =~ !~)` };
  const [, label, op, raw] = m as unknown as [string, string, MatchOp, string];
  let value = raw;
  if (raw.startsWith('"')) {
    if (raw.length < 2 || !raw.endsWith('"')) return { ok: false, error: `unterminated quoted value in matcher ${JSON.stringify(text)}` };
    const body = raw.slice(1, -1);
    let out = "";
    for (let i = 0; i < body.length; i++) {
      const c = body[i]!;
      if (c === "\\") {
        const n = body[++i];
        if (n === "n") out += "\n";
        else if (n === '"' || n === "\\") out += n;
        else return { ok: false, error: `invalid escape in matcher ${JSON.stringify(text)}` };
      } else if (c === '"') {
        return { ok: false, error: `unescaped quote in matcher ${JSON.stringify(text)}` };
      } else out += c;
    }
    value = out;
  } else if (raw.includes('"')) {
    return { ok: false, error: `unbalanced quote in matcher ${JSON.stringify(text)}` };
  }
  return { ok: true, value: { label, op, value } };
}

/** Splits at commas outside double quotes; undefined when a quote is left open. */
function splitList(text: string): string[] | undefined {
  const out: string[] = [];
  let cur = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted && c === "\\") {
      cur += c + (text[i + 1] ?? "");
      i++;
      continue;
    }
    if (c === '"') quoted = !quoted;
    if (c === "," && !quoted) {
      out.push(cur);
      cur = "";
    } else cur += c;
  }
  if (quoted) return undefined;
  out.push(cur);
  return out;
}

/**
 * Parses one entry of a `matchers:` list the way Alertmanager does: an entry may hold several matchers, comma
 * separated, optionally in braces — `severity="critical"`, `a="1", b=~"x|y"`, `{owner="team-A"}`. A trailing comma
 * and an empty `{}` are allowed.
 */
export function tryParseMatchers(text: string): Parsed<Matcher[]> {
  let body = text.trim();
  if (body.startsWith("{")) {
    if (!body.endsWith("}")) return { ok: false, error: `unbalanced braces in matchers ${JSON.stringify(text)}` };
    body = body.slice(1, -1);
  } else if (body.endsWith("}")) return { ok: false, error: `unbalanced braces in matchers ${JSON.stringify(text)}` };
  const parts = splitList(body);
  if (!parts) return { ok: false, error: `unterminated quoted value in matchers ${JSON.stringify(text)}` };
  if (parts.length > 1 && parts[parts.length - 1]!.trim() === "") parts.pop();
  if (parts.length === 1 && parts[0]!.trim() === "") return text.trim().startsWith("{") ? { ok: true, value: [] } : { ok: false, error: "empty matcher" };
  const out: Matcher[] = [];
  for (const p of parts) {
    const r = tryParseMatcher(p);
    if (!r.ok) return r;
    out.push(r.value);
  }
  return { ok: true, value: out };
}

/** Every matcher of a list whose text entries may each hold several (see `tryParseMatchers`); throws on bad input. */
export function toMatchers(inputs: readonly MatcherInput[] | undefined): Matcher[] {
  const out: Matcher[] = [];
  for (const input of inputs ?? []) {
    if (typeof input !== "string") {
      out.push(input);
      continue;
    }
    const r = tryParseMatchers(input);
    if (!r.ok) throw new Error(r.error);
    out.push(...r.value);
  }
  return out;
}

/** Parses a matcher string; throws on bad input. */
export function parseMatcher(text: string): Matcher {
  const r = tryParseMatcher(text);
  if (!r.ok) throw new Error(r.error);
  return r.value;
}

/** Shorthands: `eq("severity", "critical")`, `re("team", "api|db")`. */
export const eq = (label: string, value: string): Matcher => ({ label, op: "=", value });
/** Shorthand for a `!=` matcher: `ne("env", "dev")`. */
export const ne = (label: string, value: string): Matcher => ({ label, op: "!=", value });
/** Shorthand for a `=~` (anchored regex) matcher: `re("team", "api|db")`. */
export const re = (label: string, value: string): Matcher => ({ label, op: "=~", value });
/** Shorthand for a `!~` (anchored regex non-match) matcher: `nre("service", "test-.*")`. */
export const nre = (label: string, value: string): Matcher => ({ label, op: "!~", value });

/** `label="value"` with the value always quoted, which Alertmanager's UTF-8 and classic matcher parsers both accept. */
export function formatMatcher(m: Matcher): string {
  const v = m.value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
  return `${m.label}${m.op}"${v}"`;
}

/**
 * The typed form of a matcher: text such as `severity="critical"` is parsed (throws when it does not parse), a typed
 * matcher is returned as is.
 */
export function toMatcher(input: MatcherInput): Matcher {
  return typeof input === "string" ? parseMatcher(input) : input;
}

/** Checks one entry of a matchers list (a typed matcher, or text holding one or more): see `checkMatcher`. */
export function checkMatcherEntry(input: MatcherInput): Parsed<Matcher[]> {
  if (typeof input !== "string") {
    const r = checkMatcher(input);
    return r.ok ? { ok: true, value: [r.value] } : r;
  }
  const parsed = tryParseMatchers(input);
  if (!parsed.ok) return parsed;
  for (const m of parsed.value) {
    const r = checkMatcher(m);
    if (!r.ok) return r;
  }
  return parsed;
}

/** Checks a matcher: label name and, for regex ops, that RE2 and JavaScript agree on the pattern. */
export function checkMatcher(input: MatcherInput): Parsed<Matcher> {
  const parsed: Parsed<Matcher> = typeof input === "string" ? tryParseMatcher(input) : { ok: true, value: input };
  if (!parsed.ok) return parsed;
  const m = parsed.value;
  if (!OPS.includes(m.op)) return { ok: false, error: `matcher on "${m.label}" has unknown operator ${JSON.stringify(m.op)}` };
  if (!LABEL_NAME_RE.test(m.label)) return { ok: false, error: `matcher label ${JSON.stringify(m.label)} is not a valid label name` };
  if (m.op === "=~" || m.op === "!~") {
    const r = compileRe2(m.value);
    if (!r.ok) return { ok: false, error: `matcher ${formatMatcher(m)}: ${r.unsupported ? "regex cannot be evaluated here" : "invalid regex"}: ${r.error}`, ...(r.unsupported ? { unsupported: true } : {}) };
  }
  return parsed;
}

const reCache = new Map<string, RegExp>();

/** Compiles a Go RE2 pattern to an anchored JavaScript RegExp, or explains why it cannot. */
export function compileRe2(pattern: string): Parsed<RegExp> {
  const cached = reCache.get(pattern);
  if (cached) return { ok: true, value: cached };
  let flags = "";
  let src = pattern;
  const lead = /^\(\?([is]+)\)/.exec(src);
  if (lead) {
    flags = [...new Set(lead[1]!)].join("");
    src = src.slice(lead[0].length);
  }
  let out = "";
  let inClass = false;
  // A construct RE2 has but JavaScript reads differently is replaced by a stand-in of the same shape, so the rest of
  // the pattern is still checked for what RE2 refuses (an unbalanced group stays an error after it).
  let unsupported: string | undefined;
  const differ = (why: string, standIn: string): void => {
    unsupported ??= why;
    out += standIn;
  };
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (c === "\\") {
      const n = src[i + 1];
      if (n === undefined) return { ok: false, error: "trailing backslash" };
      if (/[1-9]/.test(n)) return { ok: false, error: `backreference \\${n} is not supported by RE2` };
      // Go's regexp has \A \z \Q…\E and Unicode classes (\pL), which JavaScript reads differently; \k \Z \C it refuses.
      if ("kZCE".includes(n)) return { ok: false, error: `escape \\${n} is not valid RE2` };
      if (n === "Q") {
        const end = src.indexOf("\\E", i + 2);
        const lit = src.slice(i + 2, end < 0 ? undefined : end);
        differ("escape \\Q is not read the same way by RE2 and JavaScript", lit.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&"));
        i = end < 0 ? src.length : end + 1;
        continue;
      }
      if ((n === "p" || n === "P") && src[i + 2] === "{") {
        const end = src.indexOf("}", i + 3);
        if (end < 0) return { ok: false, error: "missing closing } in a Unicode class" };
        differ(`escape \\${n} is not read the same way by RE2 and JavaScript`, inClass ? "a" : "[a]");
        i = end;
        continue;
      }
      if ("AzpP".includes(n) || (inClass && (n === "b" || n === "B"))) {
        differ(`escape \\${n} is not read the same way by RE2 and JavaScript`, n === "A" ? "^" : n === "z" ? "$" : inClass ? "a" : "[a]");
        i += n === "p" || n === "P" ? 2 : 1;
        continue;
      }
      out += c + n;
      i++;
      continue;
    }
    if (inClass) {
      if (c === "[" && src[i + 1] === ":") {
        const end = src.indexOf(":]", i + 2);
        if (end < 0) return { ok: false, error: "missing closing :] in a POSIX class" };
        differ("POSIX classes like [[:alpha:]] are not supported here; use [a-zA-Z]", "a");
        i = end + 1;
        continue;
      }
      if (c === "]") inClass = false;
      out += c;
      continue;
    }
    if (c === "[") {
      inClass = true;
      out += c;
      if (src[i + 1] === "^") out += src[++i];
      // RE2 reads a "]" right after "[" or "[^" as a literal; JavaScript as the end of an empty class.
      if (src[i + 1] === "]") {
        out += "\\]";
        i++;
      }
      continue;
    }
    if (c === "(" && src[i + 1] === "?") {
      const rest = src.slice(i + 2);
      if (rest.startsWith(":")) {
        out += "(?:";
        i += 2;
        continue;
      }
      if (/^[=!]|^<[=!]/.test(rest)) return { ok: false, error: "lookaround assertions are not supported by RE2" };
      // Both (?P<name>…) and (?<name>…): Go's regexp accepts the second since Go 1.22.
      const named = /^P?<([A-Za-z_][A-Za-z0-9_]*)>/.exec(rest);
      if (named) {
        out += `(?<${named[1]!}>`;
        i += 1 + named[0].length;
        continue;
      }
      const flags = /^[imsU-]+([:)])/.exec(rest);
      if (flags) {
        differ("inline flags are only supported as a leading (?i) or (?s)", flags[1] === ":" ? "(?:" : "");
        i += 1 + flags[0].length;
        continue;
      }
      return { ok: false, error: `invalid group syntax "(?${rest.slice(0, 3)}"` };
    }
    // Go refuses repetition counts above 1000; JavaScript takes any.
    if (c === "{") {
      const rep = /^\{(\d+)(?:,(\d*))?\}/.exec(src.slice(i));
      if (rep && (Number(rep[1]) > 1000 || Number(rep[2] || 0) > 1000)) return { ok: false, error: `repeat count in "${rep[0]}" exceeds RE2's limit of 1000` };
    }
    out += c;
  }
  if (inClass) return { ok: false, error: "missing closing ]" };
  let rx: RegExp;
  try {
    rx = new RegExp(`^(?:${out})$`, flags);
  } catch (e) {
    return { ok: false, error: (e as Error).message.replace(/^Invalid regular expression: /, "").replace(/^\/.*\/[a-z]*: /, "") };
  }
  if (unsupported !== undefined) return { ok: false, error: unsupported, unsupported: true };
  if (reCache.size > 5000) reCache.clear();
  reCache.set(pattern, rx);
  return { ok: true, value: rx };
}

/** Whether one matcher matches a label set (missing label = ""). Throws on an invalid matcher. */
export function matcherMatches(input: MatcherInput, labels: Labels): boolean {
  const m = toMatcher(input);
  const v = Object.prototype.hasOwnProperty.call(labels, m.label) ? (labels[m.label] ?? "") : "";
  switch (m.op) {
    case "=":
      return v === m.value;
    case "!=":
      return v !== m.value;
    case "=~":
    case "!~": {
      const r = compileRe2(m.value);
      if (!r.ok) throw new Error(`invalid regex in ${formatMatcher(m)}: ${r.error}`);
      return r.value.test(v) === (m.op === "=~");
    }
  }
}

/**
 * Whether every matcher matches the label set, with Alertmanager's semantics (an unset label equals ""); no matchers
 * match everything.
 */
export function allMatch(matchers: readonly MatcherInput[] | undefined, labels: Labels): boolean {
  return toMatchers(matchers).every((m) => matcherMatches(m, labels));
}
