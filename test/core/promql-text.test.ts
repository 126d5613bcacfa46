/**
 * The text-level parts of the PromQL check: comments blanked to spaces (strings kept), the instant-vector check's
 * exact messages, the shape that stands for an expression, Grafana variables substituted. Pure, so the mutation
 * suite runs it.
 */
import { describe, expect, it } from "vitest";
import { blankComments, checkInstantExpr, checkPromql, precheckPromql, promqlShape, substituteGrafanaVariables } from "../../core/promql";

describe("blankComments keeps positions and strings", () => {
  it.each([
    ["up # c", "up    "],
    ["up # c\n+ 1", "up    \n+ 1"],
    ["\"a#b\" # c", "\"a#b\"    "],
    ["'a#b' # c", "'a#b'    "],
    ["`a#b` # c", "`a#b`    "],
    ["\"a\\\"#\" # c", "\"a\\\"#\"    "],
    ["`a\\`#", "`a\\` "],
    ["\"x\\", "\"x\\"],
    ["#only", "     "],
    ["a\n#b\nc", "a\n  \nc"],
    ["up", "up"],
  ])("%j → %j", (expr, blanked) => {
    expect(blankComments(expr)).toBe(blanked);
    expect(blankComments(expr)).toHaveLength(expr.length);
  });
  it("checks the expression after a leading comment", () => {
    expect(checkPromql("# why\nrate(up)").errors).toEqual(['expected type matrix in call to function "rate", got vector']);
  });
});

describe("checkInstantExpr", () => {
  it.each([
    ["up", [], []],
    ["up[5m]", ["evaluates to a range vector; an instant vector is needed (drop the [range] or wrap it in a function)"], ["evaluates to a range vector; an instant vector is needed (drop the [range] or wrap it in a function)"]],
    ["\"s\"", ["evaluates to a string; an instant vector is needed"], ["evaluates to a string; an instant vector is needed"]],
    ["1", ["evaluates to a scalar; an instant vector is needed (wrap it in vector())"], []],
    ["vector(1)", [], []],
    ["sum(", ["syntax error at position 4 near \"sum(\""], ["syntax error at position 4 near \"sum(\""]],
    ["up + ", ["syntax error at position 5 near \"up +\""], ["syntax error at position 5 near \"up +\""]],
  ])("%j", (expr, strict, allowScalar) => {
    expect(checkInstantExpr(expr)).toEqual(strict);
    expect(checkInstantExpr(expr, { allowScalar: true })).toEqual(allowScalar);
  });
});

describe("promqlShape", () => {
  it.each([
    ["up{job=\"api\"}", "up{job=\"xxx\"}"],
    ["up{job=\"\"}", undefined],
    ["up{__name__=\"x\"}", undefined],
    ["up", undefined],
    ["up{job=\"xxx\"}", undefined],
    ["up{job=\"a\\\"b\"}", undefined],
    ["up{job=\"a\"} # c", undefined],
    ["up{job=\"\u00e9\"}", undefined],
    ["up{job='a'}", "up{job='x'}"],
    ["up{job=\"a\"} + \"", undefined],
    ["up{job=`a`}", "up{job=`x`}"],
  ] as [string, string | undefined][])("%j → %j", (expr, shape) => {
    expect(promqlShape(expr)).toBe(shape);
  });
  it("a shape with errors does not stand for the expression: its own messages are reported", () => {
    expect(checkPromql('rate(up{job="api"})').errors).toEqual(['expected type matrix in call to function "rate", got vector']);
    expect(checkPromql('sum(up{job="api"}').errors).toEqual(['syntax error at position 17 near "job=\"api\"}"']);
  });
});

describe("substituteGrafanaVariables", () => {
  it.each([
    ["rate(x[$__rate_interval])", "rate(x[5m])"],
    ["x[$__range]", "x[5m]"],
    ["x[$w]", "x[5m]"],
    ["x[${w}]", "x[5m]"],
    ["${a:raw}", "a_var"],
    ["$a_b", "a_b_var"],
    ["$__interval_ms", "__interval_ms_var"],
  ])("%j → %j", (expr, text) => {
    expect(substituteGrafanaVariables(expr)).toBe(text);
  });
});

describe("precheckPromql", () => {
  it("checks nothing ahead below the parallel threshold, or what the cache already has", () => {
    expect(precheckPromql(["up", "up"], { parallelMin: 5 })).toBe(0);
    expect(precheckPromql([])).toBe(0);
  });
});
