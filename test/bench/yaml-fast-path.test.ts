/**
 * core/yaml.ts has two shortcuts on the benchmark's hottest spot, and neither may change a byte:
 * - strings it can tell are plain (or certainly not plain) skip the two YAML parses that decide quoting;
 * - `fastYaml` prints plain objects itself instead of building and printing a `yaml` Document.
 * Both are checked here against the reference (the parses; `toYamlReference`) on tricky generated values, on the
 * benchmark's content, and (./yaml-fast-path-stacks.test.ts) on every YAML file the dev and prod stacks synthesize.
 */
import { describe, expect, it, vi } from "vitest";
import { generateEstate } from "../../bench/estate";
import { ruleFileObject } from "../../core/rules/render";
import { renderRuleTestFiles } from "../../core/rules/unit-tests";
import * as yamlModule from "../../core/yaml";
import { fastYaml, isPlainString, parsesAsNonString, startsWithIndicator, toYamlReference } from "../../core/yaml";

function random(seed: number): (n: number) => number {
  return (n) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
}

/** Deterministic strings starting with a letter, over an alphabet of YAML indicators and schema-word letters. */
function* generated(count: number, first = "abcxyzYNOTFnot_/"): Generator<string> {
  const rest = "aZyYnNoO01 9.-_:#:#: ,[]{}&*!|>'\"%@`?=~<;$()/\\+^\té";
  const rnd = random(42);
  for (let i = 0; i < count; i++) {
    let s = first[rnd(first.length)]!;
    const len = rnd(10);
    for (let j = 0; j < len; j++) s += rest[rnd(rest.length)]!;
    yield s;
  }
}

function strings(v: unknown, out: Set<string>): Set<string> {
  if (typeof v === "string") out.add(v);
  else if (Array.isArray(v)) for (const x of v) strings(x, out);
  else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) strings(x, out.add(k));
  return out;
}

describe("the plain-string shortcut of toYaml", () => {
  it("takes no string the YAML 1.1 or 1.2 parse would read as something else", () => {
    const wrong = [...generated(40_000)].filter((s) => isPlainString(s) && parsesAsNonString(s));
    expect(wrong).toEqual([]);
  });

  it("takes a digit first only where the parses agree (numbers, dates, times and sexagesimals stay with the parse)", () => {
    const rnd = random(3);
    const alphabet = "0123456789012345678901234567890123456789+-._:eExXoObBaftTzZ  %smhdwyn,#{}[]'\"";
    const all: string[] = [];
    for (let i = 0; i < 60_000; i++) {
      let s = String(rnd(10));
      const len = rnd(14);
      for (let j = 0; j < len; j++) s += alphabet[rnd(alphabet.length)]!;
      all.push(s);
    }
    for (const s of ["2001-12-14t21:59:43.10-05:00", "2001-12-14 21:59:43.10 -5", "1:30:00", "190:20:30.15", "0b1010", "0o17", "0x1F", "1_000", "1e3", "6.8523015e+5", "685.230_15e+03", "0755", "12e03"]) all.push(s);
    const wrong = all.filter((s) => isPlainString(s) && parsesAsNonString(s));
    expect(wrong).toEqual([]);
    expect(all.filter(isPlainString).length).toBeGreaterThan(10_000);
    for (const s of ["2m", "5xx share of api", "1% of requests", "30s", "1h30m"]) expect(isPlainString(s)).toBe(true);
    for (const s of ["1", "1e3", "0x1F", "1:30", "2001-12-14", "2001-12-14 21:59:43.10 -5", "12e03", "1_000", "0b1"]) expect(isPlainString(s)).toBe(false);
  });

  it("quotes without parsing only strings the parse reads as something else (an indicator first)", () => {
    const all = [...generated(40_000, ",[]{}#&*!|>'\"%@`")];
    expect(all.every(startsWithIndicator)).toBe(true);
    expect(all.filter((s) => !parsesAsNonString(s))).toEqual([]);
    for (const s of ["-a", "?a", ":a", "a{", "1{", "-", "", " {"]) expect(startsWithIndicator(s)).toBe(false);
  });

  it("leaves schema words, mappings, comments and surrounding space to the parse", () => {
    for (const s of ["yes", "No", "ON", "off", "y", "N", "true", "Null", "a: b", "a:", "a #b", "a ", "1e3", ".inf", "{x}", "-a"]) expect(isPlainString(s)).toBe(false);
    for (const s of ["api", "job:http_requests:rate5m", "https://example.com/runbooks#a", "/d/moncode-host", 'sum(rate(x{job="a"}[5m])) > 0.5', "Yes please"]) expect(isPlainString(s)).toBe(true);
  });

  it("agrees with the parse on every string of the benchmark's rule files and dashboards", () => {
    const e = generateEstate(20);
    const all = new Set<string>();
    for (const p of e.rulePacks) strings(ruleFileObject(p.groups), all);
    for (const d of e.dashboards) strings(d.dashboard, all);
    expect([...all].filter((s) => isPlainString(s) && parsesAsNonString(s))).toEqual([]);
    expect([...all].filter((s) => startsWithIndicator(s) && !parsesAsNonString(s))).toEqual([]);
    expect([...all].filter(isPlainString).length).toBeGreaterThan(all.size / 2);
  });
});

/** Strings where quoting, block scalars and escapes get hard. */
const TRICKY = [
  "", " ", "  ", "a", "-", "?", ":", "- a", "? a", ": a", "-a", "?a", ":a", "a:", "a: b", "a:b", "a #b", "a#b", "#a", "a ", " a",
  "yes", "No", "ON", "off", "y", "n", "true", "False", "null", "Null", "NULL", "~", "1", "-1", "+1", "0.5", ".5", "5.", "1e3", "1E-3",
  "0x1F", "0o17", "0755", "1_000", "1:30", "2001-12-14", "2001-12-14 21:59:43.10 -5", ".inf", "-.Inf", ".nan", "NaN", "Infinity",
  "%YAML", "%x", "---", "--- a", "...", "... a", "---a", "...a", "a\n---", "'", "''", "\"", "\"\"", "it's", "say \"hi\"", "'a' \"b\"",
  "a\\b", "a\\nb", "a \\n", "tab\there", "tab\t", "\ttab", "é", "naïve ≥ 5 — ok", "∑", "emoji 🙂", "\u00a0nbsp", "a\u2028b",
  "bell\u0007", "nul\u0000", "esc\u001b", "del\u007f", "c1\u0085", "lone\ud800", "cr\rlf",
  "{{ $value | humanizePercentage }} of x", "1% of x", "95% of requests", "5xx share", "[a]", "{a}", "*a", "&a", "!a", "|", ">", "@a", "`a`",
  "line1\nline2", "line1\nline2\n", "line1\nline2\n\n", "line1\n\nline2", "\nleading", "\n\nleading2", " lead\nspace", "  two\nlead",
  "trail \nspace", "x\n ", "x\n\t", "x\n  \n", "a\n\n\n", "\n", "\n\n", " \n", "a\n b", "a\n#b", "a\n- b", "a\n---\nb", "a\n...\nb",
  "a\n%b", "sum(rate(x[5m]))\nand\nsum(y) > 1", "quote\"\nnewline", "it's\nmulti", "ctl\u0007\nmulti", "x".repeat(1100), `k${"y".repeat(1100)}`,
];

function randomValue(rnd: (n: number) => number, depth: number): unknown {
  const k = rnd(depth > 3 ? 6 : 9);
  switch (k) {
    case 0:
    case 1:
    case 2:
      return TRICKY[rnd(TRICKY.length)]!;
    case 3:
      return [0, 1, -1, 0.5, 1e21, 1e-7, -0, Number.NaN, Infinity, -Infinity, 42, 3.14159, 2 ** 53][rnd(13)];
    case 4:
      return [true, false, null][rnd(3)];
    case 5:
      return `plain-${rnd(100)}`;
    case 6:
    case 7: {
      const o: Record<string, unknown> = {};
      const n = rnd(4);
      for (let i = 0; i < n; i++) o[rnd(3) === 0 ? TRICKY[rnd(TRICKY.length)]! : `key${rnd(10)}`] = rnd(8) === 0 ? undefined : randomValue(rnd, depth + 1);
      return o;
    }
    default:
      return Array.from({ length: rnd(4) }, () => randomValue(rnd, depth + 1));
  }
}

describe("fastYaml", () => {
  it("prints every tricky string exactly like the reference, as a value, a key and a list item, at every depth", () => {
    const differ: unknown[] = [];
    for (const s of TRICKY) {
      for (const v of [{ v: s }, { [s]: 1 }, [s], { a: { b: [s, { c: s }] } }, [[s]], [{ [s]: [s] }], { l: [[s, s]] }]) {
        const fast = fastYaml(v);
        if (fast !== undefined && fast !== toYamlReference(v)) differ.push({ v, fast, ref: toYamlReference(v) });
      }
    }
    expect(differ).toEqual([]);
  });

  it("prints generated nested values exactly like the reference", () => {
    const rnd = random(7);
    const differ: unknown[] = [];
    let fast = 0;
    for (let i = 0; i < 3000; i++) {
      const v = rnd(2) === 0 ? randomValue(rnd, 0) : { root: randomValue(rnd, 0), list: [randomValue(rnd, 1), randomValue(rnd, 1)] };
      if (typeof v !== "object" || v === null) continue;
      const out = fastYaml(v);
      if (out === undefined) continue;
      fast++;
      if (out !== toYamlReference(v)) differ.push({ v, out, ref: toYamlReference(v) });
    }
    expect(differ).toEqual([]);
    expect(fast).toBeGreaterThan(1000);
  });

  it("leaves to the reference what it does not print itself", () => {
    class Thing {
      readonly a = 1;
    }
    for (const v of [null, "text", 1, { d: new Date(0) }, { m: new Map() }, { t: new Thing() }, [undefined], { j: { toJSON: () => "x" } }, { b: 10n }, { c: "bell\u0007" }]) {
      expect(fastYaml(v)).toBeUndefined();
    }
    expect(yamlModule.toYaml({ d: new Date(0) })).toBe(toYamlReference({ d: new Date(0) }));
  });

  it("prints the benchmark's rule files and promtool test files exactly like the reference, without falling back", () => {
    const e = generateEstate(20);
    for (const p of e.rulePacks) {
      const o = ruleFileObject(p.groups);
      expect(fastYaml(o)).toBe(toYamlReference(o));
    }
    const spy = vi.spyOn(yamlModule, "toYaml");
    renderRuleTestFiles(e.rulePacks);
    for (const [v] of spy.mock.calls) expect(fastYaml(v)).toBe(toYamlReference(v));
    spy.mockRestore();
  });
});
