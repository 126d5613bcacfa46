/**
 * checkShape value by value with exact messages (every leaf, list, record, enum, union, object, lazy shape), the
 * "did you mean" distance at its boundaries, and what counts as a value Pulumi resolves later. Pure, so the mutation
 * suite runs it.
 */
import { describe, expect, it } from "vitest";
import { arr, checkShape, lazy, obj, oneOf, rec, req, type Shape, suggest, values } from "../../core/shape";
import { formatIssue } from "../../core/validation";

const run = (v: unknown, s: Shape) => checkShape(v, s, "x").map(formatIssue);

describe("leaves", () => {
  it.each([
    ["string", "a", []],
    ["string", 1, ["x must be a string, got number 1"]],
    ["string", null, ["x must be a string, got null"]],
    ["string", [], ["x must be a string, got a list"]],
    ["string", {}, ["x must be a string, got an object"]],
    ["number", 1.5, []],
    ["number", Number.NaN, ["x must be a number, got number null"]],
    ["number", Number.POSITIVE_INFINITY, ["x must be a number, got number null"]],
    ["number", "1", ['x must be a number, got string "1"']],
    ["boolean", false, []],
    ["boolean", "true", ['x must be a boolean, got string "true"']],
    ["function", () => 1, []],
    ["function", undefined, ["x must be a function, got undefined undefined"]],
    ["unknown", Symbol.iterator, []],
    ["input", "a", []],
    ["input", 2, []],
    ["input", true, []],
    ["input", { apply: () => 1 }, []],
    ["input", { then: () => 1 }, []],
    ["input", { __pulumiOutput: true }, []],
    ["input", { __pulumiOutput: "yes" }, ["x must be a value or a Pulumi output, got an object"]],
    ["input", null, ["x must be a value or a Pulumi output, got null"]],
    ["input", [1], ["x must be a value or a Pulumi output, got a list"]],
    ["inputArray", [1], []],
    ["inputArray", { apply: () => 1 }, []],
    ["inputArray", "a", ['x must be a list or a Pulumi output, got string "a"']],
  ] as [Shape, unknown, string[]][])("%s ← %j", (shape, v, expected) => {
    expect(run(v, shape)).toEqual(expected);
  });
  it("quotes strings up to 40 characters whole, longer ones cut", () => {
    expect(run("a".repeat(40), "number")).toEqual([`x must be a number, got string "${"a".repeat(40)}"`]);
    expect(run("a".repeat(41), "number")).toEqual([`x must be a number, got string "${"a".repeat(40)}…"`]);
  });
});

describe("containers", () => {
  const o = obj<{ a: string; b?: number; c?: readonly string[] }>({ a: req("string"), b: "number", c: arr("string") });
  it.each([
    [arr("number"), [1, 2], []],
    [arr("number"), [1, "2"], ['x: [1] must be a number, got string "2"']],
    [arr("number"), "1", ['x must be a list, got string "1"']],
    [rec("number"), { a: 1, b: undefined }, []],
    [rec("number"), { a: "1" }, ['x: a must be a number, got string "1"']],
    [rec("number"), [], ["x must be an object, got a list"]],
    [rec("number"), null, ["x must be an object, got null"]],
    [rec("number"), 3, ["x must be an object, got number 3"]],
    [values("a", 1, true), 1, []],
    [values("a", 1, true), "b", ['x must be one of "a", 1, true, got string "b"']],
    [lazy(() => "string"), 1, ["x must be a string, got number 1"]],
    [o, { a: "s", b: 1, c: ["x"] }, []],
    [o, { a: "s", b: undefined, z: undefined }, []],
    [o, {}, ["x: a is required"]],
    [o, { a: undefined }, ["x: a is required"]],
    [o, { a: 1, c: [1] }, ["x: a must be a string, got number 1", "x: c[0] must be a string, got number 1"]],
    [o, { a: "s", bb: 1 }, ['x: bb is not a known field (did you mean "b"?); known: a, b, c']],
    [o, { a: "s", zzz: 1 }, ["x: zzz is not a known field; known: a, b, c"]],
    [o, [], ["x must be an object, got a list"]],
    [o, null, ["x must be an object, got null"]],
    [o, "s", ['x must be an object, got string "s"']],
    [o, { apply: () => 1 }, []],
    [obj<{ a?: string }>({ a: "string" }, { open: true }), { a: "s", extra: 1 }, []],
    [arr(o), [{ a: "s" }, { b: 1 }], ["x: [1].a is required"]],
    [rec(o), { k: { a: 1 } }, ["x: k.a must be a string, got number 1"]],
  ] as [Shape, unknown, string[]][])("%j ← %j", (shape, v, expected) => {
    expect(run(v, shape)).toEqual(expected);
  });

  it("unions: the first branch that fits, else the closest object branch's complaints, else the description", () => {
    const a = obj<{ kind: "a"; x: string }>({ kind: req(values("a")), x: req("string") });
    const b = obj<{ kind: "b"; y: number; z?: number }>({ kind: req(values("b")), y: req("number"), z: "number" });
    const u = oneOf("an a or a b", "string", a, b);
    expect(run("s", u)).toEqual([]);
    expect(run({ kind: "b", y: 1 }, u)).toEqual([]);
    expect(run({ kind: "b", y: "1" }, u)).toEqual(['x: y must be a number, got string "1"']);
    expect(run({ kind: "a" }, u)).toEqual(["x: x is required"]);
    expect(run(5, u)).toEqual(["x must be an a or a b, got number 5"]);
    expect(run([], u)).toEqual(["x must be an a or a b, got a list"]);
    expect(run(null, u)).toEqual(["x must be an a or a b, got null"]);
    // Both object branches complain equally: the first one is reported.
    expect(run({}, oneOf("a or b", obj<{ p: string }>({ p: req("string") }), obj<{ q: string }>({ q: req("string") })))).toEqual(["x: p is required"]);
  });

  it("names nested fields by path from the item", () => {
    const inner = obj<{ n: number }>({ n: req("number") });
    const outer = obj<{ list: readonly { n: number }[]; map?: Record<string, { n: number }> }>({ list: req(arr(inner)), map: rec(inner) });
    expect(checkShape({ list: [{ n: "1" }], map: { m: {} } }, outer, 'route "r"').map((i) => [i.item, i.field, i.message])).toEqual([
      ['route "r"', "list[0].n", 'must be a number, got string "1"'],
      ['route "r"', "map.m.n", "is required"],
    ]);
  });
});

describe("suggest", () => {
  it.each([
    ["fro", ["for", "labels"], ' (did you mean "for"?)'],
    ["lables", ["labels", "for"], ' (did you mean "labels"?)'],
    ["LABELS", ["labels"], ' (did you mean "labels"?)'],
    ["expresion", ["expr", "expression"], ' (did you mean "expression"?)'],
    ["ab", ["ba"], ' (did you mean "ba"?)'],
    ["abc", ["xyz"], ""],
    ["x", [], ""],
    ["receivr", ["receiver", "routes"], ' (did you mean "receiver"?)'],
    ["rcvr", ["receiver"], ""],
    ["abcdef", ["abcxyz"], ""],
    ["abcdef", ["abcdxy"], ' (did you mean "abcdxy"?)'],
    ["groupby", ["group_by", "groupBy"], ' (did you mean "groupBy"?)'],
    ["a", ["b", "a"], ' (did you mean "a"?)'],
  ] as [string, string[], string][])("%s in %j", (key, known, hint) => {
    expect(suggest(key, known)).toBe(hint);
  });
});
