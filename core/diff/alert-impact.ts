/**
 * Alert impact: does a changed alert still fire where it fired? For every alert whose expression, `for` or
 * `keep_firing_for` changed, the promtool unit tests of either side that exercise it give the input series and
 * evaluation times; one probe file runs those cases with no expected alerts against each side's rules, so promtool
 * reports exactly what fires (`got:`), and the two answers are compared case by case.
 *
 * This module is pure: it writes the probe files' text and reads promtool's output; running promtool is the CLI's.
 */
import { stringify } from "yaml";
import { ARTIFACT_PATHS } from "../conventions";
import { parseDuration } from "../duration";
import type { AlertImpact, AlertImpactCase, SynthTree } from "./model";
import { alertsWithChangedFiring } from "./rules";
import { asArray, asObject, asString, canonical, readDoc, type Json, type JsonObject } from "./values";

interface ProbeCase {
  /** The probe group's name in the probe file (`p0`, `p1`…). */
  readonly group: string;
  readonly alert: string;
  readonly alertname: string;
  /** Set when the alert's identity includes its severity (one name at two severities). */
  readonly severity: string | undefined;
  readonly test: string;
  readonly evalTimes: readonly string[];
}

export interface ProbeFile {
  readonly evaluationInterval: string;
  readonly groups: readonly JsonObject[];
}

export interface ImpactPlan {
  readonly alerts: readonly { readonly id: string; readonly cases: readonly ProbeCase[] }[];
  readonly files: readonly ProbeFile[];
}

const TESTS_PREFIX = `${ARTIFACT_PATHS.prometheusTestsDir}/`;

interface TestCase {
  readonly file: JsonObject;
  readonly test: JsonObject;
}

function testCases(tree: SynthTree): TestCase[] {
  return [...tree.keys()]
    .filter((p) => p.startsWith(TESTS_PREFIX) && /\.ya?ml$/.test(p))
    .sort()
    .flatMap((p) => {
      const file = asObject(readDoc(tree, p));
      return asArray(file.tests).map((t) => ({ file, test: asObject(t) }));
    });
}

export function planAlertImpact(a: SynthTree, b: SynthTree): ImpactPlan {
  const changed = alertsWithChangedFiring(a, b);
  const cases = [...testCases(a), ...testCases(b)];
  const byInterval = new Map<string, JsonObject[]>();
  const alerts: { id: string; cases: ProbeCase[] }[] = [];
  let n = 0;
  for (const { before } of changed) {
    const seen = new Set<string>();
    const probes: ProbeCase[] = [];
    for (const c of cases) {
      const evalTimes = [...new Set(asArray(c.test.alert_rule_test).map(asObject).filter((t) => t.alertname === before.alert).map((t) => String(t.eval_time)))].sort();
      if (evalTimes.length === 0) continue;
      const interval = asString(c.file.evaluation_interval) ?? "1m";
      const body: JsonObject = { interval: c.test.interval ?? "1m", input_series: c.test.input_series ?? [], ...(c.test.external_labels ? { external_labels: c.test.external_labels } : {}) };
      // The same case in both sides' tests is evaluated once.
      const key = JSON.stringify(canonical({ interval, body, evalTimes } as Json));
      if (seen.has(key)) continue;
      seen.add(key);
      const group = `p${n++}`;
      const list = byInterval.get(interval) ?? [];
      list.push({ name: group, ...body, alert_rule_test: evalTimes.map((t) => ({ eval_time: t, alertname: before.alert })) });
      byInterval.set(interval, list);
      probes.push({ group, alert: before.id, alertname: before.alert, severity: before.id.includes("(severity=") ? before.severity : undefined, test: asString(c.test.name) ?? group, evalTimes });
    }
    alerts.push({ id: before.id, cases: probes });
  }
  const files = [...byInterval].sort(([x], [y]) => (x < y ? -1 : 1)).map(([evaluationInterval, groups]) => ({ evaluationInterval, groups }));
  return { alerts, files };
}

/** A probe file's text for one side: the same cases, that side's rule files. */
export function probeFileText(file: ProbeFile, ruleFiles: readonly string[]): string {
  return stringify({ rule_files: [...ruleFiles], evaluation_interval: file.evaluationInterval, tests: file.groups });
}

/** `group\0alertname\0time` → the firing alerts' label sets, from `promtool test rules` output (probe groups only). */
export type Firing = Map<string, Record<string, string>[]>;

/** promtool prints eval times in its own form (`420s` in a file prints `7m`): keys use milliseconds. */
const probeKey = (group: string, alertname: string, time: string) => `${group}\0${alertname}\0${parseDuration(time) ?? time}`;

const FAILURE = /name: (p\d+),\s*\n\s*alertname: (\S+), time: (\S+),\s*\n\s*exp:[\s\S]*?got:(\[\]|\[[\s\S]*?\n\s*\])/g;
const LABEL = /([A-Za-z_][A-Za-z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

export function parsePromtoolFirings(output: string): Firing {
  const out: Firing = new Map();
  for (const m of output.matchAll(FAILURE)) {
    const got = m[4]!;
    const sets = [...got.matchAll(/Labels:\{(.*)\}\s*\n/g)].map((l) => Object.fromEntries([...l[1]!.matchAll(LABEL)].map((x) => [x[1]!, JSON.parse(`"${x[2]!}"`) as string])));
    out.set(probeKey(m[1]!, m[2]!, m[3]!), sets);
  }
  return out;
}

/** promtool answers for one side: its exit status and output. Exit 0 means nothing fired anywhere. */
export interface ProbeRun {
  readonly ok: boolean;
  readonly output: string;
}

function firingText(sets: readonly Record<string, string>[] | undefined, severity: string | undefined): string[] {
  return (sets ?? [])
    .filter((l) => severity === undefined || l.severity === severity)
    .map((l) =>
      Object.keys(l)
        .filter((k) => k !== "alertname" && k !== "severity")
        .sort()
        .map((k) => `${k}=${l[k]}`)
        .join(" ") || "(no labels)",
    )
    .sort();
}

/** A run that failed without a single probe failure line could not evaluate (a rule file did not load). */
function runProblem(run: ProbeRun): string | undefined {
  if (run.ok || parsePromtoolFirings(run.output).size > 0) return undefined;
  return run.output.split("\n").map((l) => l.trim()).find((l) => l !== "" && !l.startsWith("Processing test file")) ?? "promtool failed";
}

export function alertImpactFrom(plan: ImpactPlan, base: readonly ProbeRun[] | string, head: readonly ProbeRun[] | string): AlertImpact[] {
  const problem = (runs: readonly ProbeRun[] | string, side: string) => {
    if (typeof runs === "string") return runs;
    const p = runs.map(runProblem).find((x) => x !== undefined);
    return p === undefined ? undefined : `promtool failed on the ${side} rules: ${p}`;
  };
  const notEvaluated = problem(base, "base") ?? problem(head, "head");
  const merged = (runs: readonly ProbeRun[] | string): Firing => new Map(typeof runs === "string" ? [] : runs.flatMap((r) => [...parsePromtoolFirings(r.output)]));
  const fa = merged(base);
  const fb = merged(head);
  return plan.alerts.map((a) => {
    const total = a.cases.reduce((s, c) => s + c.evalTimes.length, 0);
    if (a.cases.length === 0) return { alert: a.id, status: "no test series", changed: [], cases: 0 };
    if (notEvaluated !== undefined) return { alert: a.id, status: "not evaluated", changed: [], cases: total, note: notEvaluated };
    const changed: AlertImpactCase[] = [];
    for (const c of a.cases) {
      for (const t of c.evalTimes) {
        const k = probeKey(c.group, c.alertname, t);
        const old = firingText(fa.get(k), c.severity);
        const now = firingText(fb.get(k), c.severity);
        if (old.join("\n") !== now.join("\n")) changed.push({ test: c.test, evalTime: t, old, new: now });
      }
    }
    return { alert: a.id, status: changed.length > 0 ? "firing changed" : "firing unchanged", changed, cases: total };
  });
}
