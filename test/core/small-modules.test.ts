/**
 * The small shared modules with exact results: label and metric names, label value problems, severity order, file
 * order, the lazy namespace, lint levels and their checks, and the detection-latency helpers' refusals. Pure, so the
 * mutation suite runs it.
 */
import { describe, expect, it } from "vitest";
import type { AlertmanagerConfig } from "../../core/alertmanager/model";
import { sortFiles } from "../../core/files";
import { isLabelName, isLabelNameOrReserved, isMetricName, labelValueProblem } from "../../core/labels";
import { detectionLatencies, effectiveScrape, formatMs, rangeWindowMs } from "../../core/latency";
import { lazyNamespace } from "../../core/lazy";
import { applyLevels, checkLintLevels, levelOf } from "../../core/lint";
import type { PrometheusConfig } from "../../core/prometheus/model";
import type { RulePack } from "../../core/rules/model";
import { isSeverity, orderSeverities } from "../../core/severity";

describe("labels", () => {
  it.each([["job", true, true], ["_x", true, true], ["__name__", false, true], ["__x", false, true], ["x__", true, true], ["1a", false, false], ["a-b", false, false], ["", false, false]] as const)("%s", (n, label, reserved) => {
    expect(isLabelName(n)).toBe(label);
    expect(isLabelNameOrReserved(n)).toBe(reserved);
  });
  it("metric names allow colons", () => {
    expect([isMetricName("job:up:sum"), isMetricName(":x"), isMetricName("1x"), isMetricName("a-b")]).toEqual([true, true, false, false]);
  });
  it("reports a line break, quoting up to 40 characters", () => {
    expect(labelValueProblem("one line")).toBeUndefined();
    expect(labelValueProblem("a\nb")).toBe('contains a line break ("a\\nb"): label values are one line');
    expect(labelValueProblem("a\rb")).toBe('contains a line break ("a\\rb"): label values are one line');
    const forty = `${"x".repeat(39)}\n`;
    expect(labelValueProblem(forty)).toBe(`contains a line break (${JSON.stringify(forty)}): label values are one line`);
    expect(labelValueProblem(`${forty}y`)).toBe(`contains a line break (${JSON.stringify(`${forty}…`)}): label values are one line`);
  });
});

describe("severities and files", () => {
  it("orders the known severities first, the others sorted after", () => {
    expect(orderSeverities(["page", "info", undefined, "critical", "aaa", "info"])).toEqual(["critical", "info", "aaa", "page"]);
    expect(orderSeverities([])).toEqual([]);
    expect([isSeverity("warning"), isSeverity("Warning")]).toEqual([true, false]);
  });
  it("sorts files by path, keeping the input", () => {
    const files = [{ path: "b", content: "1" }, { path: "a/z", content: "2" }, { path: "a", content: "3" }, { path: "b", content: "4" }];
    expect(sortFiles(files).map((f) => f.path + f.content)).toEqual(["a3", "a/z2", "b1", "b4"]);
    expect(files[0]!.path).toBe("b");
  });
  it("a lazy namespace loads once, on first use, and reads like the module", () => {
    let loads = 0;
    const ns = lazyNamespace(() => {
      loads++;
      return { a: 1, f: () => 2 };
    });
    expect(loads).toBe(0);
    expect(ns.a).toBe(1);
    expect(ns.f()).toBe(2);
    expect("a" in ns).toBe(true);
    expect("b" in ns).toBe(false);
    expect(Object.keys(ns)).toEqual(["a", "f"]);
    expect(Object.getOwnPropertyDescriptor(ns, "a")).toEqual({ value: 1, writable: true, enumerable: true, configurable: true });
    expect(Object.getOwnPropertyDescriptor(ns, "zz")).toBeUndefined();
    expect(loads).toBe(1);
  });
});

describe("lint levels", () => {
  it("levelOf: invalid rules always error, stack rules by profile, conventions warn, as configured", () => {
    expect(levelOf("rules/invalid", { levels: { "rules/invalid": "off" } as never })).toBe("error");
    expect(levelOf("rules/recording-collision")).toBe("error");
    expect(levelOf("rules/recording-collision", { profile: "lint" })).toBe("warn");
    expect(levelOf("rules/recording-collision", { profile: "lint", levels: { "rules/recording-collision": "error" } })).toBe("error");
    expect(levelOf("rules/group-empty")).toBe("warn");
    expect(levelOf("rules/group-empty", { levels: { "rules/group-empty": "off" } })).toBe("off");
  });
  it("applyLevels: the rule (or the fallback), the level's severity, off dropped, unchanged issues kept as they are", () => {
    const same = { severity: "warning" as const, rule: "rules/group-empty", item: "i", field: "f", message: "m" };
    const out = applyLevels([same, { severity: "warning", item: "j", field: "f", message: "m" }, { severity: "error", rule: "nope", item: "k", field: "f", message: "m" }, { ...same, item: "l", rule: "rules/severity-missing" }], "rules/invalid", { levels: { "rules/severity-missing": "off" } });
    expect(out[0]).toBe(same);
    expect(out.map((i) => [i.item, i.rule, i.severity])).toEqual([["i", "rules/group-empty", "warning"], ["j", "rules/invalid", "error"], ["k", "rules/invalid", "error"]]);
    expect(applyLevels([same], "rules/invalid", { levels: { "rules/group-empty": "error" } })).toEqual([{ ...same, severity: "error" }]);
  });
  it("checkLintLevels names unknown rules, fixed rules and bad levels", () => {
    expect(checkLintLevels({ "rules/group-empty": "off", "rules/tests-missing": "warn", "rules/severity-missing": "error" })).toEqual([]);
    expect(checkLintLevels({ "rules/nope": "off", "rules/invalid": "warn", "rules/group-empty": "warning" })).toEqual([
      '"rules/nope" is not a lint rule',
      '"rules/invalid" cannot be changed: the program refuses such content',
      '"rules/group-empty": level must be error, warn or off, got "warning"',
    ]);
  });
});

describe("latency helpers", () => {
  it("reads windows outside strings and comments, subquery steps, positive offsets", () => {
    expect(rangeWindowMs('rate(x{a="[1h]"}[5m])')).toBe(300_000);
    expect(rangeWindowMs("rate(x{a='[1h]'}[5m])")).toBe(300_000);
    expect(rangeWindowMs("rate(x{a=`[1h]`}[5m])")).toBe(300_000);
    expect(rangeWindowMs('rate(x{a="\\"[1h]"}[5m])')).toBe(300_000);
    expect(rangeWindowMs("rate(x[5m]) # over [1h]")).toBe(300_000);
    expect(rangeWindowMs("max_over_time(rate(x[1m])[10m:30s])")).toBe(630_000);
    expect(rangeWindowMs("max_over_time(rate(x[1m])[10m:])", 15_000)).toBe(615_000);
    expect(rangeWindowMs("x offset 5m + y offset -1h + z offset 1m")).toBe(300_000);
    expect(rangeWindowMs("up")).toBe(0);
  });
  it("scrape timing: the job's own, else the global timeout capped at the interval", () => {
    const g = { scrapeInterval: "15s", evaluationInterval: "15s" } as PrometheusConfig["global"];
    expect(effectiveScrape(g, { name: "a", scrapeTimeout: "3s" } as never)).toEqual({ intervalMs: 15_000, timeoutMs: 3_000 });
    expect(effectiveScrape(g, { name: "a", scrapeInterval: "5s" } as never)).toEqual({ intervalMs: 5_000, timeoutMs: 5_000 });
    expect(effectiveScrape({ ...g, scrapeTimeout: "2s" }, { name: "a" } as never)).toEqual({ intervalMs: 15_000, timeoutMs: 2_000 });
    expect(() => effectiveScrape(g, { name: "a", scrapeInterval: "x" } as never)).toThrow('scrape job "a" scrape_interval: "x" is not a duration');
    expect(() => effectiveScrape(g, { name: "a", scrapeTimeout: "y" } as never)).toThrow('scrape job "a" scrape_timeout: "y" is not a duration');
    expect(() => effectiveScrape({ ...g, scrapeTimeout: "z" }, { name: "a" } as never)).toThrow('global scrape_timeout: "z" is not a duration');
  });
  it("refuses unknown jobs and alerts, and bad durations, naming them", () => {
    const prometheus = { global: { scrapeInterval: "15s", evaluationInterval: "15s" }, scrapeJobs: [{ name: "api" }] } as unknown as PrometheusConfig;
    const alertmanager: AlertmanagerConfig = { route: { receiver: "r", groupWait: "30s", groupInterval: "5m" }, receivers: [{ name: "r" }] };
    const pack = (extra: object = {}, group: object = {}): RulePack => ({ name: "p", groups: [{ name: "g", ...group, rules: [{ alert: "A", expr: "up == 0", severity: "warning", annotations: { summary: "s", description: "d" }, ...extra }] }], tests: [] });
    expect(detectionLatencies({ prometheus, alertmanager, rulePacks: [pack()] }).map((l) => [l.alert, l.receiver, l.job, l.breakdown.boundMs])).toEqual([["A", "r", "(slowest job)", 71_000]]);
    expect(() => detectionLatencies({ prometheus, alertmanager, rulePacks: [pack()], labels: { A: { job: "web" } } })).toThrow('alert "A": no scrape job "web" (jobs: api)');
    expect(() => detectionLatencies({ prometheus, alertmanager, rulePacks: [pack()], alerts: ["B"] })).toThrow('alert "B" is not defined by any rule pack');
    expect(() => detectionLatencies({ prometheus, alertmanager, rulePacks: [pack({ for: "1 m" })] })).toThrow('alert "A" for: "1 m" is not a duration');
    expect(() => detectionLatencies({ prometheus, alertmanager, rulePacks: [pack({}, { interval: "x" })] })).toThrow('rule group "g" interval: "x" is not a duration');
    expect(() => detectionLatencies({ prometheus, alertmanager, rulePacks: [pack({ expr: "rate(x[5q])" })] })).not.toThrow();
    expect(() => detectionLatencies({ prometheus: { ...prometheus, global: { scrapeInterval: "15s", evaluationInterval: "e" } } as never, alertmanager, rulePacks: [] })).toThrow('global evaluation_interval: "e" is not a duration');
    expect(() => detectionLatencies({ prometheus, alertmanager: { ...alertmanager, route: { receiver: "r", groupWait: "w" } }, rulePacks: [pack()] })).toThrow('route route group_wait: "w" is not a duration');
  });
  it("formats milliseconds as seconds", () => {
    expect([formatMs(12_000), formatMs(12_500), formatMs(250), formatMs(0)]).toEqual(["12s", "12.5s", "0.3s", "0s"]);
  });
});
