/**
 * Alertmanager's matcher syntax and the RE2 → JavaScript translation, input by input with exact results: what parses
 * to what, and the exact reason for what does not. Pure, so the mutation suite runs it.
 */
import { describe, expect, it } from "vitest";
import {
  allMatch, checkMatcher, checkMatcherEntry, compileRe2, formatMatcher, matcherMatches, toMatchers, tryParseMatcher, tryParseMatchers,
} from "../../../core/alertmanager/label-matchers";
import type { Matcher } from "../../../core/alertmanager/model";

/** A result with a RegExp shown as /source/flags. */
const show = (r: unknown): unknown => JSON.parse(JSON.stringify(r, (_k, v: unknown) => (v instanceof RegExp ? `/${v.source}/${v.flags}` : v)));

describe("tryParseMatcher", () => {
  it.each([
    ["severity", {"ok": false, "error": "cannot parse matcher \"severity\" (expected label=\"value\", ops = != =~ !~)"}],
    [" a = \"x\" ", {"ok": true, "value": {"label": "a", "op": "=", "value": "x"}}],
    ["a=x", {"ok": true, "value": {"label": "a", "op": "=", "value": "x"}}],
    ["a=", {"ok": true, "value": {"label": "a", "op": "=", "value": ""}}],
    ["a=\"", {"ok": false, "error": "unterminated quoted value in matcher \"a=\\\"\""}],
    ["a=\"\"", {"ok": true, "value": {"label": "a", "op": "=", "value": ""}}],
    ["a=\"x\\ny\"", {"ok": true, "value": {"label": "a", "op": "=", "value": "x\ny"}}],
    ["a=\"x\\ty\"", {"ok": false, "error": "invalid escape in matcher \"a=\\\"x\\\\ty\\\"\""}],
    ["a=\"x\"y\"", {"ok": false, "error": "unescaped quote in matcher \"a=\\\"x\\\"y\\\"\""}],
    ["a=x\"y", {"ok": false, "error": "unbalanced quote in matcher \"a=x\\\"y\""}],
    ["1a=b", {"ok": false, "error": "cannot parse matcher \"1a=b\" (expected label=\"value\", ops = != =~ !~)"}],
    ["a.b=c", {"ok": false, "error": "cannot parse matcher \"a.b=c\" (expected label=\"value\", ops = != =~ !~)"}],
    ["a=~x|y", {"ok": true, "value": {"label": "a", "op": "=~", "value": "x|y"}}],
    ["a!~ y ", {"ok": true, "value": {"label": "a", "op": "!~", "value": "y"}}],
    ["a=\"x\\\"", {"ok": false, "error": "invalid escape in matcher \"a=\\\"x\\\\\\\"\""}],
    ["a=\"x\\\\\"", {"ok": true, "value": {"label": "a", "op": "=", "value": "x\\"}}],
  ] as [string, unknown][])("%j", (text, result) => {
    expect(tryParseMatcher(text)).toEqual(result);
  });
});

describe("tryParseMatchers (one list entry)", () => {
  it.each([
    ["", {"ok": false, "error": "empty matcher"}],
    [" ", {"ok": false, "error": "empty matcher"}],
    ["{}", {"ok": true, "value": []}],
    [" {} ", {"ok": true, "value": []}],
    ["{", {"ok": false, "error": "unbalanced braces in matchers \"{\""}],
    ["}", {"ok": false, "error": "unbalanced braces in matchers \"}\""}],
    ["a=\"1\",", {"ok": true, "value": [{"label": "a", "op": "=", "value": "1"}]}],
    ["a=\"1\",,", {"ok": false, "error": "cannot parse matcher \"\" (expected label=\"value\", ops = != =~ !~)"}],
    [",", {"ok": false, "error": "empty matcher"}],
    ["{,}", {"ok": true, "value": []}],
    ["a=\"1\" , b=\"2\"", {"ok": true, "value": [{"label": "a", "op": "=", "value": "1"}, {"label": "b", "op": "=", "value": "2"}]}],
    ["a=\"x\\\",y\"", {"ok": true, "value": [{"label": "a", "op": "=", "value": "x\",y"}]}],
    ["a=\"x\\\"", {"ok": false, "error": "unterminated quoted value in matchers \"a=\\\"x\\\\\\\"\""}],
    ["{a=\"1\"},", {"ok": false, "error": "unbalanced braces in matchers \"{a=\\\"1\\\"},\""}],
  ] as [string, unknown][])("%j", (text, result) => {
    expect(tryParseMatchers(text)).toEqual(result);
  });
});

describe("compileRe2: the anchored JavaScript regex, or why not", () => {
  it.each([
    ["(?i)a", {"ok": true, "value": "/^(?:a)$/i"}],
    ["(?is)a", {"ok": true, "value": "/^(?:a)$/is"}],
    ["(?si)a", {"ok": true, "value": "/^(?:a)$/is"}],
    ["(?ii)a", {"ok": true, "value": "/^(?:a)$/i"}],
    ["a\\", {"ok": false, "error": "trailing backslash"}],
    ["(a)\\1", {"ok": false, "error": "backreference \\1 is not supported by RE2"}],
    ["\\k", {"ok": false, "error": "escape \\k is not valid RE2"}],
    ["\\Z", {"ok": false, "error": "escape \\Z is not valid RE2"}],
    ["\\C", {"ok": false, "error": "escape \\C is not valid RE2"}],
    ["\\E", {"ok": false, "error": "escape \\E is not valid RE2"}],
    ["\\Qa.b\\E", {"ok": false, "error": "escape \\Q is not read the same way by RE2 and JavaScript", "unsupported": true}],
    ["\\Qa.b", {"ok": false, "error": "escape \\Q is not read the same way by RE2 and JavaScript", "unsupported": true}],
    ["\\p{L}", {"ok": false, "error": "escape \\p is not read the same way by RE2 and JavaScript", "unsupported": true}],
    ["\\p{L", {"ok": false, "error": "missing closing } in a Unicode class"}],
    ["[\\p{L}]", {"ok": false, "error": "escape \\p is not read the same way by RE2 and JavaScript", "unsupported": true}],
    ["\\pL", {"ok": false, "error": "escape \\p is not read the same way by RE2 and JavaScript", "unsupported": true}],
    ["\\PL", {"ok": false, "error": "escape \\P is not read the same way by RE2 and JavaScript", "unsupported": true}],
    ["\\A", {"ok": false, "error": "escape \\A is not read the same way by RE2 and JavaScript", "unsupported": true}],
    ["\\z", {"ok": false, "error": "escape \\z is not read the same way by RE2 and JavaScript", "unsupported": true}],
    ["[\\b]", {"ok": false, "error": "escape \\b is not read the same way by RE2 and JavaScript", "unsupported": true}],
    ["[\\B]", {"ok": false, "error": "escape \\B is not read the same way by RE2 and JavaScript", "unsupported": true}],
    ["\\bword\\b", {"ok": true, "value": "/^(?:\\bword\\b)$/"}],
    ["[[:alpha:]]", {"ok": false, "error": "POSIX classes like [[:alpha:]] are not supported here; use [a-zA-Z]", "unsupported": true}],
    ["[[:alpha]", {"ok": false, "error": "missing closing :] in a POSIX class"}],
    ["[^]a]", {"ok": true, "value": "/^(?:[^\\]a])$/"}],
    ["[]a]", {"ok": true, "value": "/^(?:[\\]a])$/"}],
    ["[a", {"ok": false, "error": "missing closing ]"}],
    ["(?:a)", {"ok": true, "value": "/^(?:(?:a))$/"}],
    ["(?=a)", {"ok": false, "error": "lookaround assertions are not supported by RE2"}],
    ["(?!a)", {"ok": false, "error": "lookaround assertions are not supported by RE2"}],
    ["(?<=a)", {"ok": false, "error": "lookaround assertions are not supported by RE2"}],
    ["(?<!a)", {"ok": false, "error": "lookaround assertions are not supported by RE2"}],
    ["(?P<n>a)", {"ok": true, "value": "/^(?:(?<n>a))$/"}],
    ["(?<n>a)", {"ok": true, "value": "/^(?:(?<n>a))$/"}],
    ["(?i:a)", {"ok": false, "error": "inline flags are only supported as a leading (?i) or (?s)", "unsupported": true}],
    ["a(?i)b", {"ok": false, "error": "inline flags are only supported as a leading (?i) or (?s)", "unsupported": true}],
    ["(?U)a", {"ok": false, "error": "inline flags are only supported as a leading (?i) or (?s)", "unsupported": true}],
    ["(?x)a", {"ok": false, "error": "invalid group syntax \"(?x)a\""}],
    ["a{1000}", {"ok": true, "value": "/^(?:a{1000})$/"}],
    ["a{1001}", {"ok": false, "error": "repeat count in \"{1001}\" exceeds RE2's limit of 1000"}],
    ["a{1,1001}", {"ok": false, "error": "repeat count in \"{1,1001}\" exceeds RE2's limit of 1000"}],
    ["a{2,}", {"ok": true, "value": "/^(?:a{2,})$/"}],
    ["(a", {"ok": false, "error": "Unterminated group"}],
    ["a)", {"ok": false, "error": "Unmatched ')'"}],
    ["a|b", {"ok": true, "value": "/^(?:a|b)$/"}],
    ["\\d+", {"ok": true, "value": "/^(?:\\d+)$/"}],
    ["[a-z]+\\.", {"ok": true, "value": "/^(?:[a-z]+\\.)$/"}],
    ["(?s).", {"ok": true, "value": "/^(?:.)$/s"}],
    ["a(?P<1>b)", {"ok": false, "error": "invalid group syntax \"(?P<1\""}],
  ] as [string, unknown][])("%j", (pattern, result) => {
    expect(show(compileRe2(pattern))).toEqual(result);
  });

  // Checked against Go's regexp: a "]" right after "[" or "[^" is a literal.
  it.each([["[]a]", "a", true], ["[]a]", "]", true], ["[^]a]", "b", true], ["[^]a]", "]", false], ["[^]a]", "a", false]] as const)("%s on %s is %s, as in Go", (p, s, want) => {
    const r = compileRe2(p);
    expect(r.ok && r.value.test(s)).toBe(want);
  });

  it("returns the same compiled regex for a pattern seen before", () => {
    const a = compileRe2("x+y");
    const b = compileRe2("x+y");
    expect(a.ok && b.ok && a.value === b.value).toBe(true);
  });
});

describe("checkMatcher and checkMatcherEntry", () => {
  it.each([
    [{"label": "a", "op": "==", "value": "x"}, {"ok": false, "error": "matcher on \"a\" has unknown operator \"==\""}],
    [{"label": "a-b", "op": "=", "value": "x"}, {"ok": false, "error": "matcher label \"a-b\" is not a valid label name"}],
    [{"label": "a", "op": "=~", "value": "("}, {"ok": false, "error": "matcher a=~\"(\": invalid regex: Unterminated group"}],
    [{"label": "a", "op": "=~", "value": "\\pL"}, {"ok": false, "error": "matcher a=~\"\\\\pL\": regex cannot be evaluated here: escape \\p is not read the same way by RE2 and JavaScript", "unsupported": true}],
    ["a=~\"(\"", {"ok": false, "error": "matcher a=~\"(\": invalid regex: Unterminated group"}],
    ["bad", {"ok": false, "error": "cannot parse matcher \"bad\" (expected label=\"value\", ops = != =~ !~)"}],
  ] as [Matcher | string, unknown][])("%j", (m, result) => {
    expect(checkMatcher(m)).toEqual(result);
    expect(checkMatcherEntry(m)).toEqual(result);
  });
  it("an entry of several matchers: every one is checked, the first failure returned", () => {
    expect(checkMatcherEntry('a="1", b=~"x|y"')).toEqual({ ok: true, value: [{ label: "a", op: "=", value: "1" }, { label: "b", op: "=~", value: "x|y" }] });
    expect(checkMatcherEntry('a="1", b=~"("')).toEqual({ ok: false, error: 'matcher b=~"(": invalid regex: Unterminated group' });
    // In a quoted value a backslash escapes only ", \\ and n: \p is refused before the regex is looked at.
    expect(checkMatcherEntry('a="1", b=~"\\pL"')).toEqual({ ok: false, error: 'invalid escape in matcher " b=~\\"\\\\pL\\""' });
    expect(checkMatcherEntry("{")).toEqual({ ok: false, error: 'unbalanced braces in matchers "{"' });
    expect(checkMatcherEntry({ label: "ok", op: "=", value: "" })).toEqual({ ok: true, value: [{ label: "ok", op: "=", value: "" }] });
  });
});

describe("formatMatcher, toMatchers, matcherMatches, allMatch", () => {
  it("quotes and escapes every value", () => {
    expect(formatMatcher({ label: "a", op: "!~", value: 'x"y\\z\nw' })).toBe('a!~"x\\"y\\\\z\\nw"');
    expect(formatMatcher({ label: "a", op: "=", value: "" })).toBe('a=""');
  });
  it("flattens entries, typed ones kept as they are; throws the parse error", () => {
    const typed: Matcher = { label: "t", op: "!=", value: "x" };
    expect(toMatchers(['a="1", b="2"', typed, "{}"])).toEqual([{ label: "a", op: "=", value: "1" }, { label: "b", op: "=", value: "2" }, typed]);
    expect(toMatchers(undefined)).toEqual([]);
    expect(() => toMatchers(["nope"])).toThrow('cannot parse matcher "nope" (expected label="value", ops = != =~ !~)');
  });
  it("matches with Alertmanager's semantics: missing labels read as empty, regexes anchored", () => {
    expect(matcherMatches('a!="x"', {})).toBe(true);
    expect(matcherMatches('a="x"', { a: "x" })).toBe(true);
    expect(matcherMatches('a!~"x|y"', { a: "y" })).toBe(false);
    expect(matcherMatches('a=~"x|y"', { a: "xy" })).toBe(false);
    expect(matcherMatches('toString=""', {})).toBe(true);
    expect(() => matcherMatches('a=~"("', {})).toThrow('invalid regex in a=~"(": Unterminated group');
  });
  it("allMatch: every matcher, none matches everything", () => {
    expect(allMatch(undefined, { a: "1" })).toBe(true);
    expect(allMatch([], {})).toBe(true);
    expect(allMatch(['a="1"', 'b!="2"'], { a: "1" })).toBe(true);
    expect(allMatch(['a="1"', 'b!="2"'], { a: "1", b: "2" })).toBe(false);
  });
});
