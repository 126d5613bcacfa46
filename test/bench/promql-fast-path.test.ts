/**
 * core/promql.ts checks an expression on Prometheus's Lezer tree without building a CodeMirror EditorState (the
 * benchmark's hottest spot). It must report exactly what the editor-state check reports — the same errors in the
 * same order and the same type — on good and bad expressions alike.
 */
import { describe, expect, it } from "vitest";
import { generateEstate } from "../../bench/estate";
import { buildDashboards } from "../../dashboards";
import { selectorFacts, substituteForWalk } from "../../core/grafana/promql-walk";
import { checkPromql, exprText, parsePromql, precheckPromql, substituteGrafanaVariables } from "../../core/promql";
import { buildRulePacks } from "../../rules";
import { checkPromqlReference } from "../helpers/promql-reference";

const BAD = [
  "", "   ", "rate(http_requests_total{status=\"500\"}[5m] > 1", "rate(http_requests_total) > 1", "histogram_quantile(0.95) > 1",
  "up[5m]", "1 > 0", "holt_winters(up[1h], 0.5, 0.5) > 1", "sum(", "sum by (job) (up", "up{job=}", "up{job=\"a\"", "foo bar",
  "up offset", "up @ start()", "rate(up[5m:1m])", "rate(up[5m])[10m:1m]", "sum(rate(x[5m])) by", "a and on(job) group_left b",
  "up == bool 1", "up == on(job) group_left(x) up", "count_values(up, \"x\")", "topk(up, 3)", "topk(3, up)", "quantile(0.9, up)",
  "absent(up)", "vector(1)", "time()", "\"a string\"", "label_replace(up, \"a\", \"$1\", \"b\", \"(.*)\")", "up + on() ignoring() up",
  "sum without (job) (up) by (x)", "{job=\"a\"}", "{}", "up{}", "1 + ", "-up", "--1", "up[5m] offset 1w", "up offset -5m",
  "abs(1, 2)", "scalar(up) > vector(1)", "up{__name__=\"x\"}", "histogram_quantile(0.9, rate(x_bucket[5m])) unless on(le) up",
  "sum(up) / ignoring(job) group_right count(up)", "max_over_time(up[5m:])", "rate(up[$__rate_interval])", "x{a=~\"$job\"}",
  "up and", "and up", "(up", "up)", "up{job=\"a\",}", "up{,}", "@", "1e3", "0x1F", "Inf", "NaN", "-Inf > 1", "sort(up)",
];

function corpus(): string[] {
  const out = new Set<string>(BAD);
  const add = (e: string): void => void out.add(e);
  for (const p of [...buildRulePacks(), ...generateEstate(5).rulePacks]) {
    for (const g of p.groups) for (const r of g.rules) add(exprText(r.expr));
    for (const t of p.tests) {
      for (const s of t.series) add(s.series);
      for (const x of t.exprs ?? []) {
        add(exprText(x.expr));
        for (const s of x.expect) add(s.labels);
      }
    }
  }
  const targets = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(targets);
    else if (v && typeof v === "object") {
      const o = v as Record<string, unknown>;
      if (typeof o.expr === "string") {
        add(substituteForWalk(o.expr));
        add(substituteGrafanaVariables(o.expr));
      }
      Object.values(o).forEach(targets);
    }
  };
  for (const d of [...buildDashboards(), ...generateEstate(5).dashboards]) targets(d.dashboard);
  // Every prefix of a few real expressions: half-typed text is where parsers and checkers differ most.
  for (const e of ['sum by (job) (rate(http_requests_total{job="a",status=~"5.."}[5m])) / on(job) group_left sum by (job) (rate(http_requests_total[5m])) > 0.05', "histogram_quantile(0.99, sum by (le) (rate(x_bucket{job=\"a\"}[5m]))) > 1 and on() vector(1)"]) {
    for (let i = 0; i <= e.length; i++) add(e.slice(0, i));
  }
  return [...out];
}

describe("the PromQL check without an editor state", () => {
  const all = corpus();

  it("reports the same errors and type as the EditorState check on every expression", () => {
    const differ = all.map((e) => ({ e, fast: checkPromql(e), ref: checkPromqlReference(e) })).filter((x) => JSON.stringify(x.fast) !== JSON.stringify(x.ref));
    expect(differ).toEqual([]);
    expect(all.length).toBeGreaterThan(500);
    expect(all.filter((e) => checkPromqlReference(e).errors.length > 0).length).toBeGreaterThan(100);
  });

  it("walks the same tree the check parsed, and a fresh parse when the text differs", () => {
    const a = 'sum(rate(http_requests_total{job=~"$job"}[$__rate_interval]))';
    checkPromql(substituteForWalk(a));
    const reused = selectorFacts(a);
    parsePromql("up");
    expect(selectorFacts(a)).toEqual(reused);
    expect(reused).toEqual([{ metric: "http_requests_total", matchers: new Map([["job", "job_var"]]), rangeFunction: "rate", window: "rate_interval", counterSafe: true }]);
  });
});

describe("the PromQL precheck on two threads", () => {
  it("fills the cache with exactly what the EditorState check reports, whichever thread checked an expression", () => {
    const e = generateEstate(40);
    // Each expression of its own shape (a distinct number), so the batch is not one handful of shapes.
    const texts = [...BAD.map((b) => `${b} `), ...e.rulePacks.flatMap((p) => p.groups.flatMap((g) => g.rules.map((r) => `(${exprText(r.expr)})`))).map((t, i) => `${t} * ${i}`)];
    precheckPromql(texts, { parallelMin: 1 });
    // The worker is started by the first batch; how much of a later batch it takes depends on scheduling (on a
    // loaded 2-core machine the main thread may finish a batch alone), so offer fresh batches until it took some.
    const checked: string[] = [...texts];
    let byWorker = 0;
    for (let round = 1; round <= 30 && byWorker === 0; round++) {
      const more = texts.map((t) => `${t}${" ".repeat(round + 1)}`);
      checked.push(...more);
      byWorker = precheckPromql(more, { parallelMin: 1 });
    }
    expect(byWorker).toBeGreaterThan(0);
    const differ = checked.filter((t) => JSON.stringify(checkPromql(t)) !== JSON.stringify(checkPromqlReference(t)));
    expect(differ).toEqual([]);
  });
});
