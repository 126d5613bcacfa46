/**
 * core/yaml.ts skips two YAML parses for strings it can tell are plain (the benchmark's hottest spot). The shortcut
 * must never disagree with the parses: checked here on tricky generated strings and on the benchmark's content.
 */
import { describe, expect, it } from "vitest";
import { generateEstate } from "../../bench/estate";
import { ruleFileObject } from "../../core/rules/render";
import { isPlainString, parsesAsNonString } from "../../core/yaml";

/** Deterministic strings starting with a letter, over an alphabet of YAML indicators and schema-word letters. */
function* generated(count: number): Generator<string> {
  const first = "abcxyzYNOTFnot_/";
  const rest = "aZyYnNoO01 9.-_:#:#: ,[]{}&*!|>'\"%@`?=~<;$()/\\+^\té";
  let seed = 42;
  const rnd = (n: number): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
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
    expect([...all].filter(isPlainString).length).toBeGreaterThan(all.size / 2);
  });
});
