/**
 * The checks Prometheus makes that the type checker does not: comments before an expression, string escapes and
 * RE2 regexes in selectors, `__name__` matched twice; and the selector facts the recording-rule collision check
 * reads. Each case is a minimal expression of our own.
 */
import { describe, expect, it } from "vitest";
import { compileRe2 } from "../../core/alertmanager/label-matchers";
import { blankComments, checkPromql } from "../../core/promql";
import { checkSelectorStrings, outputGrouping, selectorsOf, unquotePromqlString } from "../../core/promql-selectors";
import { provablyApart } from "../../core/rules/collisions";

describe("comments", () => {
  it("are blanked to spaces, keeping positions, never inside strings", () => {
    expect(blankComments('# why\nup{a="#x"} # tail')).toBe('     \nup{a="#x"}       ');
    expect(blankComments("up")).toBe("up");
  });
  it("no longer hide the expression from the type checker", () => {
    expect(checkPromql("# a note\nrate(up)").errors).toEqual(['expected type matrix in call to function "rate", got vector']);
    expect(checkPromql("# a note\nup == 0")).toEqual({ errors: [], type: "vector" });
    expect(checkPromql("sum(\n  # inside\n  rate(up[5m])\n)")).toEqual({ errors: [], type: "vector" });
  });
});

describe("__name__ matched twice", () => {
  it("is accepted without a name outside the braces, as Prometheus does", () => {
    expect(checkPromql('{__name__=~"pg_.*", __name__!="pg_up"}').errors).toEqual([]);
  });
  it("is refused next to a name outside the braces, or as two bare names", () => {
    expect(checkPromql('up{__name__="x"}').errors).toEqual(["metric name must not be set twice: up or x"]);
    expect(checkPromql('{"a", "b"}').errors).toEqual(["metric name must not be set twice: a or b"]);
  });
});

describe("selector strings", () => {
  it.each([
    ['"a\\\\.b"', "a\\.b"],
    ["'it\\'s'", "it's"],
    ["`raw\\d`", "raw\\d"],
    ['"\\u00e9\\x41\\101"', "éAA"],
  ])("unquotes %s as Prometheus's lexer does", (lit, value) => {
    expect(unquotePromqlString(lit)).toEqual({ value });
  });
  it("refuses escapes Prometheus does not know, naming them", () => {
    expect(unquotePromqlString('"a\\.b"')).toEqual({ error: expect.stringContaining('unknown escape sequence "\\."') });
    expect(unquotePromqlString('"it\\\'s"')).toEqual({ error: expect.stringContaining("unknown escape sequence") });
  });
  it("compiles every selector regex as RE2 and names the invalid one", () => {
    expect(checkSelectorStrings('up{job=~"api|web", instance!~"10\\\\..*"}')).toEqual({ invalid: [], regex: [] });
    expect(checkSelectorStrings('up{job=~"(api"}').regex).toEqual(['job=~"(api" is not a valid RE2 regular expression: Unterminated group']);
    expect(checkSelectorStrings('up{job=~"x(?=y)"}').regex[0]).toContain("lookaround");
  });
  it("does not report valid RE2 that JavaScript reads differently (\\pL, (?i) inside, [[:alpha:]]): Prometheus accepts it", () => {
    expect(checkSelectorStrings('up{job=~"\\\\pL+", pod=~"a(?i)b", ns=~"[[:alpha:]]+"}')).toEqual({ invalid: [], regex: [] });
  });
});

describe("RE2 translation", () => {
  it.each([
    ["(?i)api", true, false],
    ["a(?i)b", false, true],
    ["\\p{Greek}+", false, true],
    ["\\Qa.b\\E", false, true],
    ["((?i).*tail.*", false, false],
    ["a{1001}", false, false],
    ["\\1", false, false],
    ["x(?!y)", false, false],
  ])("%s → ok %s, unsupported %s", (pattern, ok, unsupported) => {
    const r = compileRe2(pattern);
    expect(r.ok).toBe(ok);
    if (!r.ok) expect(r.unsupported === true).toBe(unsupported);
  });
});

describe("selector facts", () => {
  it("lists every selector with its matchers, operators and unquoted values", () => {
    expect(selectorsOf('sum by (code) (rate(x{code=~"5..", "q.x"!="1"}[5m])) / {__name__="y"}')).toEqual([
      { metric: "x", matchers: [{ label: "code", op: "=~", value: "5..", literal: '"5.."' }, { label: "q.x", op: "!=", value: "1", literal: '"1"' }] },
      { metric: "y", matchers: [{ label: "__name__", op: "=", value: "y", literal: '"y"' }] },
    ]);
  });
  it("reads the outermost grouping", () => {
    expect(outputGrouping("sum by (a, b) (x)")).toEqual({ kind: "by", labels: ["a", "b"] });
    expect(outputGrouping("(sum without (a) (x))")).toEqual({ kind: "without", labels: ["a"] });
    expect(outputGrouping("rate(x[5m])")).toEqual({ kind: "none", labels: [] });
  });
  it("proves two recording expressions apart only by a label both keep and match disjointly", () => {
    expect(provablyApart('sum by (code) (x{code=~"2.."})', 'sum by (code) (x{code=~"5.."})')).toBe(true);
    expect(provablyApart('sum by (verb) (x{verb=~"LIST|GET"})', 'sum by (verb) (x{verb=~"POST|PUT"})')).toBe(true);
    expect(provablyApart('x{verb="read"}', 'x{verb!="read"}')).toBe(true);
    expect(provablyApart('sum (x{code=~"2.."})', 'sum (x{code=~"5.."})')).toBe(false);
    expect(provablyApart('sum by (code) (x{code=~"2.."} or vector(0))', 'sum by (code) (x{code=~"5.."})')).toBe(false);
    expect(provablyApart('sum by (code) (x{code=~".*"})', 'sum by (code) (x{code=~"5.."})')).toBe(false);
  });
});
