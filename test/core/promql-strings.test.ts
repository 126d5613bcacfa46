/**
 * PromQL string literals unquoted as Prometheus's lexer does (every escape, each refusal's message), the selectors
 * of an expression, their string checks, and the outermost aggregation's grouping, with exact results. Pure, so the
 * mutation suite runs it.
 */
import { describe, expect, it } from "vitest";
import { checkSelectorStrings, outputGrouping, selectorsOf, unquotePromqlString } from "../../core/promql-selectors";

describe("unquotePromqlString", () => {
  it.each([
    ["\"a\"", {"value": "a"}],
    ["'a'", {"value": "a"}],
    ["`a\\n`", {"value": "a\\n"}],
    ["\"a\\n\\t\\\\\"", {"value": "a\n\t\\"}],
    ["\"\\a\\b\\f\\r\\v\"", {"value": "\u0007\b\f\r\u000b"}],
    ["'it\\'s'", {"value": "it's"}],
    ["\"\\\"\"", {"value": "\""}],
    ["\"\\141\"", {"value": "a"}],
    ["\"\\14\"", {"error": "invalid octal escape \"\\14\""}],
    ["\"\\1x1\"", {"error": "invalid octal escape \"\\1x1\""}],
    ["\"\\x41\"", {"value": "A"}],
    ["\"\\x4\"", {"error": "invalid escape \"\\x4\""}],
    ["\"\\u00e9\"", {"value": "é"}],
    ["\"\\u00g9\"", {"error": "invalid escape \"\\u00g9\""}],
    ["\"\\U0001F600\"", {"value": "😀"}],
    ["\"\\U0001F60\"", {"error": "invalid escape \"\\U0001F60\""}],
    ["\"\\.\"", {"error": "unknown escape sequence \"\\.\" (write \"\\\\.\" for a literal backslash)"}],
    ["\"a\\\"", {"error": "string ends in a backslash"}],
    ["'\\\"'", {"error": "unknown escape sequence \"\\\"\" (write \"\\\\\"\" for a literal backslash)"}],
  ] as [string, unknown][])("%s", (literal, result) => {
    expect(unquotePromqlString(literal)).toEqual(result);
  });
});

describe("selectorsOf", () => {
  it.each([
    ["up{job=\"a\"}", [{"metric": "up", "matchers": [{"label": "job", "op": "=", "value": "a", "literal": "\"a\""}]}]],
    ["{\"up\", job!=\"b\"}", [{"metric": "up", "matchers": [{"label": "__name__", "op": "=", "value": "up", "literal": "\"up\""}, {"label": "job", "op": "!=", "value": "b", "literal": "\"b\""}]}]],
    ["{__name__=\"x\", a=~\"1\"}", [{"metric": "x", "matchers": [{"label": "__name__", "op": "=", "value": "x", "literal": "\"x\""}, {"label": "a", "op": "=~", "value": "1", "literal": "\"1\""}]}]],
    ["up{\"q.l\"=\"v\"}", [{"metric": "up", "matchers": [{"label": "q.l", "op": "=", "value": "v", "literal": "\"v\""}]}]],
    ["rate(x[5m]) + y offset 1m", [{"metric": "x", "matchers": []}, {"metric": "y", "matchers": []}]],
    ["up{a=\"\\.\"}", [{"metric": "up", "matchers": [{"label": "a", "op": "=", "literal": "\"\\.\""}]}]],
  ] as [string, unknown][])("%s", (expr, selectors) => {
    expect(selectorsOf(expr)).toEqual(selectors);
  });
});

describe("checkSelectorStrings", () => {
  it.each([
    ["up{job=~\"a(\"}", {"invalid": [], "regex": ["job=~\"a(\" is not a valid RE2 regular expression: Unterminated group"]}],
    ["up{job!~\"a(\"}", {"invalid": [], "regex": ["job!~\"a(\" is not a valid RE2 regular expression: Unterminated group"]}],
    ["up{job=\"a(\"}", {"invalid": [], "regex": []}],
    ["up{job=~\"\\\\d\"}", {"invalid": [], "regex": []}],
    ["up{job=~\"\\d\"}", {"invalid": ["job=~\"\\d\": unknown escape sequence \"\\d\" (write \"\\\\d\" for a literal backslash)"], "regex": []}],
    ["up{job=\"a\\.b\"}", {"invalid": ["job=\"a\\.b\": unknown escape sequence \"\\.\" (write \"\\\\.\" for a literal backslash)"], "regex": []}],
    ["{\"up\", job=~\"(\"}", {"invalid": [], "regex": ["job=~\"(\" is not a valid RE2 regular expression: Unterminated group"]}],
    ["{\"up\"}", {"invalid": [], "regex": []}],
    ["up{\"job\"=~\"(\"}", {"invalid": [], "regex": ["job=~\"(\" is not a valid RE2 regular expression: Unterminated group"]}],
    ["up{job=~\"(?i)x\"}", {"invalid": [], "regex": []}],
    ["up{job=~\"\\\\pL\"}", {"invalid": [], "regex": []}],
    ["sum(rate(x{a=~\"[z\"}[5m])) by (a)", {"invalid": [], "regex": ["a=~\"[z\" is not a valid RE2 regular expression: missing closing ]"]}],
    ["up", {"invalid": [], "regex": []}],
    ["up{a=~\"ok\"} / on(a) down{b!~\"((\"}", {"invalid": [], "regex": ["b!~\"((\" is not a valid RE2 regular expression: Unterminated group"]}],
  ] as [string, unknown][])("%s", (expr, result) => {
    expect(checkSelectorStrings(expr)).toEqual(result);
  });
});

describe("outputGrouping", () => {
  it.each([
    ["sum by (a, b) (x)", {"kind": "by", "labels": ["a", "b"]}],
    ["sum without (a) (x)", {"kind": "without", "labels": ["a"]}],
    ["sum(x)", {"kind": "by", "labels": []}],
    ["(sum by (a) (x))", {"kind": "by", "labels": ["a"]}],
    ["# c\nsum by (a) (x)", {"kind": "by", "labels": ["a"]}],
    ["rate(x[5m])", {"kind": "none", "labels": []}],
    ["sum(x) by (c)", {"kind": "by", "labels": ["c"]}],
    ["x + sum by (a) (y)", {"kind": "none", "labels": []}],
    ["count_values by (a) (\"v\", x)", {"kind": "by", "labels": ["a"]}],
  ] as [string, unknown][])("%s", (expr, grouping) => {
    expect(outputGrouping(expr)).toEqual(grouping);
  });
});
