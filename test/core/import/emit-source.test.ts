/**
 * The import's TypeScript emitter (keys, strings, layout at the width limit, identifiers, file stems) and its source
 * reading (documents, YAML errors with their lines, the line of a field), with exact results. Pure, so the mutation
 * suite runs it.
 */
import { describe, expect, it } from "vitest";
import { Call, code, identifier, kebab, Names, propertyKey, stringLiteral, tsValue } from "../../../core/import/emit";
import { formatLocated, located, parseSource, Problems, text } from "../../../core/import/source";

describe("emit", () => {
  it.each([["job", "job"], ["_a$1", "_a$1"], ["a-b", '"a-b"'], ["1a", '"1a"'], ["__proto__", '"__proto__"'], ["", '""']])("propertyKey(%j) is %s", (k, out) => {
    expect(propertyKey(k)).toBe(out);
  });
  it("writes multi-line strings over 20 characters as template literals, escaping what a template would read", () => {
    expect(stringLiteral("one line")).toBe('"one line"');
    expect(stringLiteral("a\nb")).toBe('"a\\nb"');
    expect(stringLiteral("sum(rate(x[5m]))\n# a ${note} `q` \\d")).toBe("`sum(rate(x[5m]))\n# a \\${note} \\`q\\` \\\\d`");
    expect(stringLiteral("twenty characters!!\nx")).toBe("`twenty characters!!\nx`");
    expect(stringLiteral("twenty characters!\nx")).toBe('"twenty characters!\\nx"');
    expect(stringLiteral("nineteen chars....\n")).toBe('"nineteen chars....\\n"');
    expect(stringLiteral("with a CR over twenty\r\nchars")).toBe('"with a CR over twenty\\r\\nchars"');
  });
  it("writes short values on one line and breaks long ones at each element", () => {
    expect(tsValue({ a: 1, b: [true, null, "x"], c: undefined, d: {}, e: [], f: Number.NaN })).toBe('{ a: 1, b: [true, null, "x"], d: {}, e: [], f: Number.NaN }');
    expect(tsValue(code("Severity.Critical"))).toBe("Severity.Critical");
    expect(tsValue(new Call("sum", [1, "a"]))).toBe('sum(1, "a")');
    const long = { first: "x".repeat(50), second: "y".repeat(50) };
    expect(tsValue(long)).toBe(`{\n  first: "${"x".repeat(50)}",\n  second: "${"y".repeat(50)}",\n}`);
    expect(tsValue([long], "  ")).toBe(`[\n    {\n      first: "${"x".repeat(50)}",\n      second: "${"y".repeat(50)}",\n    },\n  ]`);
    expect(tsValue(new Call("f", [long]))).toBe(`f(\n  {\n    first: "${"x".repeat(50)}",\n    second: "${"y".repeat(50)}",\n  },\n)`);
    expect(tsValue({ a: "multi\nline text over twenty" })).toBe("{\n  a: `multi\nline text over twenty`,\n}");
  });
  it("fits exactly the width on one line", () => {
    // ["…"] is the string's length + 4: 106 characters fit the 110 columns, 107 do not.
    const s = "z".repeat(107);
    expect(tsValue([s.slice(0, 106)])).toBe(`["${s.slice(0, 106)}"]`);
    expect(tsValue([s])).toBe(`[\n  "${s}",\n]`);
    expect(tsValue([s.slice(0, 104)], "  ")).toBe(`["${s.slice(0, 104)}"]`);
    expect(tsValue([s.slice(0, 105)], "  ")).toBe(`[\n    "${s.slice(0, 105)}",\n  ]`);
  });
  it.each([
    ["alertmanager-main-rules", "alertmanagerMainRules"],
    ["node.rules.yaml", "nodeRules"],
    ["Kube_State", "kubeState"],
    ["2fa", "_2fa"],
    ["---", "imported"],
    ["class", "class_"],
    ["default.yml", "default_"],
  ])("identifier(%j) is %s", (name, id) => {
    expect(identifier(name)).toBe(id);
  });
  it("takes a fallback and makes names unique", () => {
    expect(identifier("", "pack")).toBe("pack");
    const n = new Names();
    expect([n.take("a"), n.take("a"), n.take("a"), n.take("b")]).toEqual(["a", "a2", "a3", "b"]);
  });
  it.each([["alertmanager-prometheusRule.yaml", "alertmanager-prometheus-rule"], ["Node Exporter.json", "node-exporter"], ["--x--", "x"], [".yaml", "imported"], ["ABC", "abc"], ["a1B", "a1-b"]])("kebab(%j) is %s", (name, stem) => {
    expect(kebab(name)).toBe(stem);
  });
});

describe("source", () => {
  it("reads JSON fast, without lines, and YAML documents with the line of a field", () => {
    const json = parseSource({ path: "d.json", text: ' {"a": [1]}' });
    expect(json.issues).toEqual([]);
    expect(json.docs.map((d) => [d.file, d.index, d.value, d.lineOf(["a"])])).toEqual([["d.json", 0, { a: [1] }, undefined]]);
    const yaml = parseSource({ path: "r.yml", text: "groups:\n  - name: g\n    rules:\n      - alert: A\n---\n---\nb: 2\n" });
    expect(yaml.docs.map((d) => [d.index, d.value])).toEqual([[0, { groups: [{ name: "g", rules: [{ alert: "A" }] }] }], [2, { b: 2 }]]);
    const d = yaml.docs[0]!;
    expect([d.lineOf([]), d.lineOf(["groups"]), d.lineOf(["groups", 0, "rules", 0, "alert"]), d.lineOf(["groups", 0, "nope"]), d.lineOf(["groups", 5])]).toEqual([1, 2, 4, 2, 2]);
  });
  it("reads not-quite-JSON as YAML", () => {
    expect(parseSource({ path: "d.json", text: "{a: 1,}" }).docs.map((x) => x.value)).toEqual([{ a: 1 }]);
  });
  it("reports a YAML error at its line, and skips that document", () => {
    const r = parseSource({ path: "bad.yml", text: "a: 1\nb: [\n" });
    expect(r.docs).toEqual([]);
    expect(r.issues.map(formatLocated)[0]).toMatch(/^bad\.yml:\d+: document 1 is not valid YAML: /);
    const dup = parseSource({ path: "dup.yml", text: "a: 1\na: 2\n" });
    expect(dup.issues.map((i) => [i.line, i.message])).toEqual([[2, "is not valid YAML: Map keys must be unique"]]);
  });
  it("formats located issues with and without a line", () => {
    const i = { severity: "error" as const, item: "rule group \"g\"", field: "name", message: "is required" };
    expect(formatLocated(located("f.yml", 3, i))).toBe('f.yml:3: rule group "g": name is required');
    expect(formatLocated(located("f.yml", undefined, i))).toBe('f.yml: rule group "g": name is required');
    expect("line" in located("f.yml", undefined, i)).toBe(false);
  });
  it("collects problems at the line of their field, and unknown keys", () => {
    const [doc] = parseSource({ path: "p.yml", text: "global:\n  scrape_interval: 15s\n  oops: 1\n" }).docs;
    const p = new Problems(doc!);
    p.add(["global", "scrape_interval"], "global", "scrape_interval", "is wrong");
    p.unknownKeys(["global"], "global", { scrape_interval: "15s", oops: 1 }, ["scrape_interval"], "prometheus/invalid");
    expect(p.issues.map(formatLocated)).toEqual(["p.yml:2: global: scrape_interval is wrong [rules/invalid]", "p.yml:3: global: oops is not a field moncode can import here [prometheus/invalid]"]);
  });
  it("names a nested unknown key by its place in the item", () => {
    const [doc] = parseSource({ path: "p.yml", text: "scrape_configs:\n  - job_name: a\n    basic_auth:\n      realm: r\n" }).docs;
    const p = new Problems(doc!);
    p.unknownKeys(["scrape_configs", 0, "basic_auth"], 'scrape job "a"', { realm: "r" }, ["username"], "prometheus/invalid", { under: "basic_auth", what: "is unknown" });
    expect(p.issues.map(formatLocated)).toEqual(['p.yml:4: scrape job "a": basic_auth.realm is unknown [prometheus/invalid]']);
  });
  it("reads scalars as text and maps of them, reporting what is no string and a value that is no mapping", () => {
    expect([text("a"), text(5), text(false), text(null), text([1])]).toEqual(["a", "5", "false", undefined, undefined]);
    const [doc] = parseSource({ path: "r.yml", text: "labels:\n  a: x\n  b: 1\n  c: true\n  d:\n  e: [1]\n  f: {g: 1}\nbad: [1]\n" }).docs;
    const p = new Problems(doc!);
    expect(p.strings(["labels"], "alert \"A\"", "labels", (doc!.value as { labels: unknown }).labels)).toEqual({ a: "x", b: "1", c: "true", d: "" });
    expect(p.strings(["bad"], "alert \"A\"", "bad", [1], "x/invalid")).toBeUndefined();
    expect(p.strings(["none"], "alert \"A\"", "none", undefined)).toBeUndefined();
    expect(p.strings(["none"], "alert \"A\"", "none", null)).toBeUndefined();
    expect(p.issues.map(formatLocated)).toEqual([
      'r.yml:6: alert "A": labels.e must be a string, not a list [rules/invalid]',
      'r.yml:7: alert "A": labels.f must be a string, not a mapping [rules/invalid]',
      'r.yml:8: alert "A": bad must be a mapping of names to strings [x/invalid]',
    ]);
  });
});
