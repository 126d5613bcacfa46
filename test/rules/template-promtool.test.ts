/**
 * The real tool on the formatting table (test/core/rules/format-cases.ts): every case becomes an alert of a rule
 * file whose annotation is the template, evaluated by `promtool test rules` on a series holding the value, with the
 * table's text as the expected annotation. promtool failing means our prediction of an annotation (the text the
 * generated unit tests expect) differs from what Prometheus writes. Fails (does not skip) when promtool is missing.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { afterAll, describe, expect, it } from "vitest";
import { FORMAT_CASES } from "../core/rules/format-cases";
import { tool } from "../helpers/tools";

const PROMTOOL = tool("promtool");
const dir = mkdtempSync(join(tmpdir(), "moncode-format-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A value as promtool's series notation writes it. */
const seriesValue = (v: number): string => (Number.isNaN(v) ? "NaN" : v === Infinity ? "Inf" : v === -Infinity ? "-Inf" : String(v));

function promtoolTest(cases: typeof FORMAT_CASES): { status: number | null; out: string } {
  const rules = {
    groups: [{ name: "formats", rules: cases.map(([template], t) => ({ alert: `Format${t}`, expr: `format_case{t="${t}"}`, annotations: { text: template } })) }],
  };
  const tests = {
    rule_files: ["rules.yml"],
    evaluation_interval: "1m",
    tests: [{
      interval: "1m",
      // A declined case (null) has no expected text: no series either, or its alert would fire unexpected.
      input_series: cases.flatMap(([, values], t) => values.flatMap(([v, text], i) => (text === null ? [] : [{ series: `format_case{t="${t}", i="${i}"}`, values: seriesValue(v) }]))),
      alert_rule_test: cases.map(([, values], t) => ({
        eval_time: "0m",
        alertname: `Format${t}`,
        exp_alerts: values.flatMap(([, text], i) => (text === null ? [] : [{ exp_labels: { t: String(t), i: String(i) }, exp_annotations: { text } }])),
      })),
    }],
  };
  writeFileSync(join(dir, "rules.yml"), stringify(rules));
  writeFileSync(join(dir, "tests.yml"), stringify(tests));
  const r = spawnSync(PROMTOOL, ["test", "rules", "tests.yml"], { cwd: dir, encoding: "utf8", timeout: 60_000 });
  if (r.error) throw new Error(`promtool could not run (${r.error.message}); build it with npm run -s tools`);
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

describe("promtool writes the formatting table's texts", () => {
  it(`for all ${FORMAT_CASES.reduce((n, [, c]) => n + c.filter(([, t]) => t !== null).length, 0)} cases ($value, humanize, humanizeDuration, humanizePercentage, printf)`, () => {
    const r = promtoolTest(FORMAT_CASES);
    expect(r.out).toMatch(/SUCCESS/);
    expect(r.status).toBe(0);
  });

  it("and fails when one expected text is off by a digit (the check can fail)", () => {
    const [template, values] = FORMAT_CASES.find(([t]) => t.includes("humanize }}"))!;
    const wrong = values.map(([v, text]): readonly [number, string | null] => (v === 1234 ? [v, "1.235k"] : [v, text]));
    const r = promtoolTest([[template, wrong]]);
    expect(r.status).toBe(1);
    expect(r.out).toContain("1.235k");
    expect(r.out).toContain("1.234k");
  });
});
