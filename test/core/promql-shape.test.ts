/**
 * core/promql.ts checks one "shape" (the text with string contents replaced by `x`s) for all the expressions that
 * differ only in label values, and the dashboard lint walks the shape's tree with the expression's own text. Both
 * must give exactly what checking and parsing the expression itself gives: same errors in the same order, same
 * type, same selector facts.
 */
import { describe, expect, it } from "vitest";
import { generateEstate } from "../../bench/estate";
import { selectorFacts, substituteForWalk } from "../../core/grafana/promql-walk";
import { checkPromql, exprText, promqlShape } from "../../core/promql";
import { buildDashboards } from "../../dashboards";
import { buildRulePacks } from "../../rules";
import { checkPromqlReference } from "../helpers/promql-reference";

/** Contents a label value may take: empty, `__name__`, quotes of the other kinds, regex, spaces, non-ASCII. */
const CONTENTS = ["", "a", "__name__", "svc-0001", "5..", ".*", "it's", 'say "hi"', "a`b", "x y", "$job", "ünï", "xx", "#", "a\\b", "}", "{a=\"b\"}"];

function variants(expr: string): string[] {
  const out = new Set<string>([expr]);
  const lits = [...expr.matchAll(/"[^"\n]*"|'[^'\n]*'/g)];
  lits.forEach((m, li) => {
    for (const c of CONTENTS) {
      const q = m[0][0]!;
      if (c.includes(q) && !c.includes("\\")) continue;
      out.add(expr.slice(0, m.index) + q + c + q + expr.slice(m.index! + m[0].length));
      if (li === 0) out.add(expr.replace(/"[^"\n]*"/g, `"${c.replace(/"/g, "")}"`));
    }
  });
  return [...out];
}

function corpus(): string[] {
  const out = new Set<string>();
  const add = (e: string): void => variants(e).forEach((v) => out.add(v));
  for (const p of [...buildRulePacks(), ...generateEstate(3).rulePacks]) {
    for (const g of p.groups) for (const r of g.rules) add(exprText(r.expr));
    for (const t of p.tests) for (const s of t.series) add(s.series);
  }
  const targets = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(targets);
    else if (v && typeof v === "object") {
      const o = v as Record<string, unknown>;
      if (typeof o.expr === "string") add(substituteForWalk(o.expr));
      Object.values(o).forEach(targets);
    }
  };
  for (const d of [...buildDashboards(), ...generateEstate(2).dashboards]) targets(d.dashboard);
  for (const e of [
    'up{job=""}', 'up{job!=""}', 'up{job!="a"}', '{job!="a"}', '{job=~"a"}', '{job=""}', '{"up"}', '{"up", job="a"}', '{"__name__"="up"}',
    'up{__name__="up"}', '{__name__="a", __name__="b"}', '{"a", "b"}', 'up{"job"="a"}', 'up{"__name__"="a"}', 'up{job="a}',
    'up{job="a} + up{job="b"}', "up{job='a\"b'}", 'up{job=`a`}', 'up{job="a\nb"}', 'up{job="a"} # "c"', 'label_replace(up, "a", "$1", "b", "(.*)")',
    'count_values("x", up)', '"a string"', 'up{job="a"', 'sum(up{job="a"}) by', 'up{job="a",}', 'up{job="a"} offset', "up{job='a'} and up{job=\"b\"}",
    'up{job="a"} + on(job) group_left up{job="b"}', 'rate(up{job="a"}[5m])', 'up{job="\u00e9"}',
  ]) add(e);
  return [...out];
}

describe("PromQL checks by shape", () => {
  const all = corpus();

  it("report what checking each expression itself reports", () => {
    const differ = all.map((e) => ({ e, got: checkPromql(e), ref: checkPromqlReference(e) })).filter((x) => JSON.stringify(x.got) !== JSON.stringify(x.ref));
    expect(differ).toEqual([]);
    expect(all.length).toBeGreaterThan(1000);
    expect(all.filter((e) => promqlShape(e) !== undefined).length).toBeGreaterThan(500);
    expect(all.filter((e) => checkPromqlReference(e).errors.length > 0).length).toBeGreaterThan(50);
  });

  it("share one shape across label values and leave texts it cannot vouch for alone", () => {
    expect(promqlShape('up{job="svc-0001"}')).toBe('up{job="xxxxxxxx"}');
    expect(promqlShape('up{job="svc-0002"}')).toBe(promqlShape('up{job="svc-0001"}'));
    expect(promqlShape('up{job=""} + up{"__name__"="a"}')).toBe('up{job=""} + up{"__name__"="x"}');
    for (const e of ["up", 'up{job="xx"}', 'up{job="a\\"b"}', 'up{job="a"} # c', 'up{job="a}', 'up{job="a\nb"}', 'up{job="é"}', "up{job=`a\nb`}"]) {
      expect(promqlShape(e)).toBeUndefined();
    }
  });

  it("walk the shape's tree to the same selector facts as a fresh parse of the expression", () => {
    const exprs = all.filter((e) => promqlShape(e) !== undefined && checkPromql(e).errors.length === 0 && !e.includes("\n"));
    expect(exprs.length).toBeGreaterThan(300);
    for (const e of exprs) {
      // A trailing comment: no shape, so the expression's own tree; the facts do not depend on it.
      expect(selectorFacts(e)).toEqual(selectorFacts(`${e}\n# own tree`));
    }
  });
});
