import { describe, expect, it } from "vitest";
import type { AlertmanagerConfig } from "../../core/alertmanager/model";
import { detectionLatencies, effectiveScrape, latencyBound, rangeWindowMs } from "../../core/latency";
import type { PrometheusConfig } from "../../core/prometheus/model";
import type { RulePack } from "../../core/rules/model";

const base = { scrapeIntervalMs: 15_000, scrapeTimeoutMs: 10_000, evaluationIntervalMs: 15_000, forMs: 60_000, groupWaitMs: 30_000, groupIntervalMs: 300_000, deliveryMs: 1_000 };

describe("latencyBound", () => {
  it.each([
    ["the seeds' defaults: 15s scrape (10s timeout), 15s eval, for 1m, group_wait 30s", base, 15 + 10 + 15 + 60 + 30 + 1],
    ["a `for` that is not a multiple of the evaluation interval is rounded up to whole evaluations", { ...base, forMs: 20_000 }, 15 + 10 + 15 + 30 + 30 + 1],
    ["an alert without `for` waits for no extra evaluation", { ...base, forMs: 0 }, 15 + 10 + 15 + 0 + 30 + 1],
    ["the live test's timing: 1s everything, for 2s, critical group_wait 10s", { ...base, scrapeIntervalMs: 1_000, scrapeTimeoutMs: 1_000, evaluationIntervalMs: 1_000, forMs: 2_000, groupWaitMs: 10_000 }, 1 + 1 + 1 + 2 + 10 + 1],
  ])("%s", (_name, input, seconds) => {
    expect(latencyBound(input).boundMs).toBe(seconds * 1000);
  });

  it("an alert joining a group that already notified waits for group_interval instead of group_wait", () => {
    const b = latencyBound(base);
    expect(b.boundInExistingGroupMs - b.boundMs).toBe(base.groupIntervalMs - base.groupWaitMs);
    expect(latencyBound({ ...base, groupIntervalMs: 1_000 }).boundInExistingGroupMs).toBe(b.boundMs);
  });

  it("rejects negative stages and a zero evaluation interval", () => {
    expect(() => latencyBound({ ...base, forMs: -1 })).toThrow(/forMs/);
    expect(() => latencyBound({ ...base, evaluationIntervalMs: 0 })).toThrow(/evaluationIntervalMs/);
  });
});

describe("range windows", () => {
  it.each([
    ["an instant selector has none", "up == 0", 0],
    ["max_over_time over 5m: the last good sample ages out of the window", 'max_over_time(prometheus_config_last_reload_successful{job="prometheus"}[5m]) == 0', 300_000],
    ["the longest of several windows", "rate(a[5m]) / rate(b[1h]) > 0.1", 3_600_000],
    ["a subquery's range plus its step", "max_over_time(rate(a[1m])[10m:30s]) > 1", 630_000],
    ["a subquery without a step is evaluated at the evaluation interval", "max_over_time(rate(a[1m])[10m:]) > 1", 615_000],
    ["an offset delays what the expression sees", "up offset 2m == 0", 120_000],
    ["a window inside a label value is not a window", 'up{path="/x[5m]"} == 0  # not [1h] either', 0],
  ])("%s", (_n, expr, want) => {
    expect(rangeWindowMs(expr, 15_000)).toBe(want);
  });

  it("makes the scrape stage the longer of scrape+timeout and the window (a window shorter than a scrape adds nothing)", () => {
    expect(latencyBound({ ...base, windowMs: 300_000 }).boundMs).toBe((300 + 15 + 60 + 30 + 1) * 1000);
    expect(latencyBound({ ...base, windowMs: 5_000 }).boundMs).toBe(latencyBound(base).boundMs);
  });

  it("is part of every alert's bound: the shipped reload alert's 5m window is counted", () => {
    const prometheus: PrometheusConfig = { global: { scrapeInterval: "15s", scrapeTimeout: "10s", evaluationInterval: "15s" }, ruleFiles: [], scrapeJobs: [{ name: "prometheus" }], alertmanagers: [] };
    const packs: RulePack[] = [
      { name: "p", groups: [{ name: "g", rules: [{ alert: "ReloadFailed", expr: "max_over_time(prometheus_config_last_reload_successful[5m]) == 0", for: "10m", severity: "warning", annotations: { summary: "s", description: "d" } }] }], tests: [] },
    ];
    const [l] = detectionLatencies({ prometheus, rulePacks: packs, alertmanager: { route: { receiver: "r" }, receivers: [{ name: "r" }] }, alerts: ["ReloadFailed"] });
    expect(l!.breakdown.windowMs).toBe(300_000);
    // window 5m (> 15s + 10s) + eval 15s + for 10m + group_wait 30s (Alertmanager's default) + delivery 1s
    expect(l!.breakdown.boundMs).toBe((300 + 15 + 600 + 30 + 1) * 1000);
  });
});

describe("effectiveScrape", () => {
  const global = { scrapeInterval: "15s", scrapeTimeout: "10s", evaluationInterval: "15s" };
  it.each([
    ["a job without its own values takes the global ones", { name: "a" }, 15_000, 10_000],
    ["an unset job timeout is the global one capped at the job's interval (Prometheus's rule)", { name: "a", scrapeInterval: "5s" }, 5_000, 5_000],
    ["a job's own timeout wins", { name: "a", scrapeInterval: "30s", scrapeTimeout: "20s" }, 30_000, 20_000],
  ])("%s", (_name, job, interval, timeout) => {
    expect(effectiveScrape(global, job)).toEqual({ intervalMs: interval, timeoutMs: timeout });
  });
});

describe("detectionLatencies", () => {
  const prometheus: PrometheusConfig = {
    global: { scrapeInterval: "15s", scrapeTimeout: "10s", evaluationInterval: "15s", externalLabels: { environment: "prod" } },
    ruleFiles: [],
    scrapeJobs: [{ name: "api", scrapeInterval: "10s" }, { name: "batch", scrapeInterval: "1m", scrapeTimeout: "30s" }],
    alertmanagers: [],
  };
  const alert = (name: string, severity: "critical" | "warning", forD?: string) => ({ alert: name, expr: "up == 0", severity, ...(forD ? { for: forD } : {}), annotations: { summary: "s", description: "d" } });
  const packs: RulePack[] = [
    { name: "p", groups: [{ name: "g", rules: [alert("ServiceDown", "critical", "1m"), alert("Slow", "warning", "5m")] }, { name: "fast", interval: "5s", rules: [alert("Fast", "critical")] }], tests: [] },
  ];
  const am: AlertmanagerConfig = {
    route: {
      receiver: "default",
      routes: [
        { receiver: "pager", matchers: [{ label: "severity", op: "=", value: "critical" }], groupWait: "10s", continue: true },
        { receiver: "prod-team", matchers: [{ label: "environment", op: "=", value: "prod" }] },
      ],
    },
    receivers: [{ name: "default" }, { name: "pager" }, { name: "prod-team" }],
  };

  it("gives one bound per receiver the route reaches, with the route's own group_wait", () => {
    const out = detectionLatencies({ prometheus, rulePacks: packs, alertmanager: am, labels: { ServiceDown: { job: "api" } }, alerts: ["ServiceDown"] });
    expect(out.map((o) => [o.receiver, o.breakdown.groupWaitMs, o.breakdown.boundMs])).toEqual([
      ["pager", 10_000, (10 + 10 + 15 + 60 + 10 + 1) * 1000],
      ["prod-team", 30_000, (10 + 10 + 15 + 60 + 30 + 1) * 1000],
    ]);
    // External labels take part in routing, as they do when Prometheus sends the alert.
    expect(out[1]!.labels.environment).toBe("prod");
  });

  it("assumes the slowest scrape job when the alert names none, and uses the group's own interval", () => {
    const [fast] = detectionLatencies({ prometheus, rulePacks: packs, alertmanager: am, alerts: ["Fast"] });
    expect(fast!.job).toBe("(slowest job)");
    expect(fast!.breakdown).toMatchObject({ scrapeIntervalMs: 60_000, scrapeTimeoutMs: 30_000, evaluationIntervalMs: 5_000, forRoundedMs: 0 });
  });

  it("names an unknown alert or job", () => {
    expect(() => detectionLatencies({ prometheus, rulePacks: packs, alertmanager: am, alerts: ["Nope"] })).toThrow(/"Nope" is not defined/);
    expect(() => detectionLatencies({ prometheus, rulePacks: packs, alertmanager: am, alerts: ["Slow"], labels: { Slow: { job: "web" } } })).toThrow(/no scrape job "web"/);
  });
});
