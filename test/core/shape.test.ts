/** The runtime shape checker behind every public entry: what it accepts, what it names, and how. */
import { describe, expect, it } from "vitest";
import { arr, checkShape, lazy, obj, oneOf, rec, req, suggest, values, type Shape } from "../../core/shape";

interface Job { readonly name: string; readonly interval?: string; readonly targets?: readonly string[]; readonly labels?: Readonly<Record<string, string>>; readonly mode?: "a" | "b"; readonly nested?: Job }
const job: Shape = obj<Job>({ name: req("string"), interval: "string", targets: arr("string"), labels: rec("string"), mode: values("a", "b"), nested: lazy(() => job) });
const text = (v: unknown, s: Shape = job) => checkShape(v, s, "thing").map((i) => `${i.field} ${i.message}`);

describe("checkShape", () => {
  it.each([
    ["a complete value", { name: "api", interval: "15s", targets: ["a:1"], labels: { team: "x" }, mode: "a" }],
    ["only the required field", { name: "api" }],
    ["undefined optional fields (as spreads leave them)", { name: "api", interval: undefined }],
    ["a recursive value", { name: "api", nested: { name: "inner" } }],
  ])("accepts %s", (_n, v) => {
    expect(text(v)).toEqual([]);
  });

  it.each([
    ["a misspelt field, with the suggestion", { name: "api", intervall: "15s" }, ['intervall is not a known field (did you mean "interval"?); known: name, interval, targets, labels, mode, nested']],
    ["a swapped-letters typo", { name: "api", mdoe: "a" }, ['mdoe is not a known field (did you mean "mode"?); known: name, interval, targets, labels, mode, nested']],
    ["a missing required field", { interval: "15s" }, ["name is required"]],
    ["a wrong type", { name: 3 }, ["name must be a string, got number 3"]],
    ["a value outside an enum", { name: "a", mode: "c" }, ['mode must be one of "a", "b", got string "c"']],
    ["a list element of the wrong type, by index", { name: "a", targets: ["x", 2] }, ["targets[1] must be a string, got number 2"]],
    ["a record value, by key", { name: "a", labels: { team: 1 } }, ["labels.team must be a string, got number 1"]],
    ["a deep field", { name: "a", nested: { name: "b", fro: 1 } }, ["nested.fro is not a known field; known: name, interval, targets, labels, mode, nested"]],
    ["a list where an object belongs", [], [" must be an object, got a list"]],
  ])("names %s", (_n, v, want) => {
    expect(text(v)).toEqual(want);
  });

  it("accepts Pulumi outputs and promises where a value or a list may come from another resource", () => {
    const output = { __pulumiOutput: true, apply: () => undefined };
    const s = obj<{ a: string; b: string[]; c?: string }>({ a: req("input"), b: req("inputArray"), c: "input" });
    expect(text({ a: output, b: output, c: Promise.resolve("x") }, s)).toEqual([]);
    expect(text({ a: "x", b: ["y"] }, s)).toEqual([]);
    expect(text({ a: {}, b: "y" }, s)).toEqual(["a must be a value or a Pulumi output, got an object", "b must be a list or a Pulumi output, got string \"y\""]);
  });

  it("reports an object against the union branch it resembles most, a primitive with the union's description", () => {
    const u = oneOf("a matcher", "string", obj<{ label: string; value: string }>({ label: req("string"), value: req("string") }));
    expect(text({ label: "a", valeu: "b" }, u)).toEqual(['valeu is not a known field (did you mean "value"?); known: label, value', "value is required"]);
    expect(text(3, u)).toEqual([" must be a matcher, got number 3"]);
  });

  it("shortens long strings in messages (a pasted credential is never printed whole)", () => {
    expect(text({ name: "a", mode: "x".repeat(100) })[0]).toMatch(/got string "x{40}…"$/);
  });

  it("suggests only close names", () => {
    expect(suggest("fro", ["for", "expr"])).toBe(' (did you mean "for"?)');
    expect(suggest("zzz", ["for", "expr"])).toBe("");
  });
});
