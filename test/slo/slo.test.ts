/**
 * SLOs as typed code: the burn factors per window, the rendered recording rules and alerts, the shipped SLOs and
 * their overrides, the threshold alerts they make opt-in, and every kind of bad input named by SLO and field.
 */
import { describe, expect, it } from "vitest";
import { exprText } from "../../core/promql";
import { type AlertRule, isAlertRule, isRecordingRule, packAlerts, packRecordings, type RulePack } from "../../core/rules/model";
import { renderRulePackFiles } from "../../core/rules/render";
import { validateRulePacks } from "../../core/rules/validate";
import { burnFactor, errorBudget, leValue, PAGE_CONDITIONS, type SloSpec, type SloWindow, TICKET_CONDITIONS } from "../../core/slo/model";
import { badRatioExpr, sloPack } from "../../core/slo/render";
import { scenarioBurns, sloScenarios } from "../../core/slo/unit-tests";
import { validateSlos } from "../../core/slo/validate";
import { formatIssue, ValidationError } from "../../core/validation";
import { alertNames, alertsByName, buildRulePacks, enabledSlos, REPLACED_BY_SLO, SLO_ALERTS } from "../../rules";
import { resolveContentConfig } from "../../rules/config";
import { apiErrors28d, batchFailures7d, CUSTOM_SLOS, weeklyUp, workerErrors } from "./fixtures";

const sloPacks = (packs: readonly RulePack[]): RulePack[] => packs.filter((p) => p.name.startsWith("slo-"));
const shipped = buildRulePacks();

describe("burn factors", () => {
  it.each([
    ["30d", [14.4, 6], [3, 1]],
    ["28d", [13.44, 5.6], [2.8, 1]],
    ["7d", [3.36, 1.4], [1, 1]],
  ] as const)("keep the workbook's budget shares over %s (never below 1x)", (window, page, ticket) => {
    expect(PAGE_CONDITIONS.map((c) => burnFactor(c, window as SloWindow))).toEqual(page);
    expect(TICKET_CONDITIONS.map((c) => burnFactor(c, window as SloWindow))).toEqual(ticket);
  });

  it("give the error budget without float noise", () => {
    expect([99.9, 95, 99.5, 99.99].map((o) => errorBudget({ objective: o }))).toEqual([0.001, 0.05, 0.005, 0.0001]);
  });

  it("leave room for the issue's 20x / 1.5x / 0.5x burns, or the widest gap the factors leave (7d)", () => {
    expect(scenarioBurns(workerErrors)).toEqual({ fast: 20, slow: 1.5, none: 0.5 });
    expect(scenarioBurns({ ...workerErrors, objective: 95 }).fast).toBe(20);
    expect(scenarioBurns(batchFailures7d).slow).toBeCloseTo(Math.sqrt(1.4), 10);
  });
});

describe("an SLO as a rule pack", () => {
  const errors = sloPacks(shipped).find((p) => p.name === "slo-api-errors")!;
  const group = errors.groups[0]!;

  it("records the bad-event share and the burn rate over every alert window and the SLO window, then the budget and objective", () => {
    const records = packRecordings(errors).map((r) => r.record);
    const windows = ["5m", "30m", "1h", "2h", "6h", "1d", "3d", "30d"];
    expect(records).toEqual([
      ...windows.map((w) => `slo:bad_events:ratio_rate${w}`),
      ...windows.map((w) => `slo:error_budget:burn_rate${w}`),
      "slo:error_budget:remaining_ratio",
      "slo:objective:ratio",
    ]);
    for (const r of packRecordings(errors)) expect(r.labels).toEqual({ service: "api", slo: "api-errors" });
    const byName = new Map(packRecordings(errors).map((r) => [r.record, exprText(r.expr)] as const));
    expect(byName.get("slo:bad_events:ratio_rate1h")).toBe(
      '(\n  sum(rate(http_requests_total{job="api",status=~"5.."}[1h]))\n  or\n  0 * sum(rate(http_requests_total{job="api"}[1h]))\n)\n/\nsum(rate(http_requests_total{job="api"}[1h]))',
    );
    expect(byName.get("slo:error_budget:burn_rate1h")).toBe('slo:bad_events:ratio_rate1h{slo="api-errors"} / 0.001');
    expect(byName.get("slo:error_budget:remaining_ratio")).toBe('1 - slo:error_budget:burn_rate30d{slo="api-errors"}');
    expect(byName.get("slo:objective:ratio")).toBe("vector(0.999)");
    // One group, recordings first: the alerts read this evaluation's burn rates.
    expect(errors.groups).toHaveLength(1);
    expect(group.rules.findIndex(isAlertRule)).toBe(group.rules.filter(isRecordingRule).length);
  });

  it("writes the latency and availability SLIs from the histogram and the probe samples", () => {
    expect(badRatioExpr({ kind: "latency", metric: "http_request_duration_seconds", selector: 'job="api"', threshold: 0.1 }, "5m")).toBe(
      '(\n  sum(rate(http_request_duration_seconds_count{job="api"}[5m]))\n  -\n  sum(rate(http_request_duration_seconds_bucket{job="api",le="0.1"}[5m]))\n)\n/\nsum(rate(http_request_duration_seconds_count{job="api"}[5m]))',
    );
    expect(badRatioExpr({ kind: "availability", metric: "probe_success", selector: 'job="blackbox-api-health"' }, "1h")).toBe(
      '1 - sum(sum_over_time(probe_success{job="blackbox-api-health"}[1h])) / sum(count_over_time(probe_success{job="blackbox-api-health"}[1h]))',
    );
    // Prometheus 3 scrapes classic-histogram bounds as floats: a 1s threshold is the series le="1.0".
    expect([leValue(1), leValue(0.25), leValue(10)]).toEqual(["1.0", "0.25", "10.0"]);
  });

  it("pages (critical) on 14.4x over 1h and 5m or 6x over 6h and 30m, tickets (warning) on 3x over 1d and 2h or 1x over 3d and 6h", () => {
    const [page, ticket] = packAlerts(errors) as [AlertRule, AlertRule];
    expect([page.alert, page.severity, page.for, ticket.alert, ticket.severity, ticket.for]).toEqual(["ApiErrorsBudgetBurnFast", "critical", "2m", "ApiErrorsBudgetBurnSlow", "warning", "15m"]);
    expect(exprText(page.expr)).toBe(
      '(\n  slo:error_budget:burn_rate1h{slo="api-errors"} > 14.4\n  and\n  slo:error_budget:burn_rate5m{slo="api-errors"} > 14.4\n)\nor\n(\n  slo:error_budget:burn_rate6h{slo="api-errors"} > 6\n  and\n  slo:error_budget:burn_rate30m{slo="api-errors"} > 6\n)',
    );
    expect(exprText(ticket.expr)).toContain('slo:error_budget:burn_rate1d{slo="api-errors"} > 3\n  and\n  slo:error_budget:burn_rate2h{slo="api-errors"} > 3');
    expect(exprText(ticket.expr)).toContain('slo:error_budget:burn_rate3d{slo="api-errors"} > 1\n  and\n  slo:error_budget:burn_rate6h{slo="api-errors"} > 1');
  });

  it("annotates the burn rate, the budget consumed and the SLO dashboard, with a runbook like every alert", () => {
    const page = packAlerts(errors)[0]!;
    expect(page.annotations.summary).toBe("{{ $labels.service }}: the {{ $labels.slo }} error budget burns at {{ $value | humanize }}x");
    expect(page.annotations.description).toContain("14.4x over both 1h and 5m (2% of the budget gone in 1h)");
    expect(page.annotations.budget_consumed).toBe('{{ with printf "1 - slo:error_budget:remaining_ratio{slo=%q}" $labels.slo | query }}{{ . | first | value | humanizePercentage }}{{ end }}');
    expect(page.annotations.dashboard).toBe("/d/moncode-slo");
    expect(page.annotations.runbookUrl).toBe("https://github.com/moncode/moncode/blob/main/docs/runbooks.md#apierrorsbudgetburnfast");
  });

  it("scales the factors for a 28d and a 7d window, and names alerts after alerting.name", () => {
    const text = (s: SloSpec) => packAlerts(sloPack(s)).map((a) => exprText(a.expr)).join("\n");
    expect(text(apiErrors28d)).toMatch(/burn_rate1h\{slo="api-errors-28d"\} > 13\.44[\s\S]*burn_rate6h\{slo="api-errors-28d"\} > 5\.6[\s\S]*burn_rate1d\{slo="api-errors-28d"\} > 2\.8[\s\S]*burn_rate3d\{slo="api-errors-28d"\} > 1\n/);
    expect(text(weeklyUp)).toMatch(/> 3\.36[\s\S]*> 1\.4\n[\s\S]*burn_rate1d\{slo="worker-up-7d"\} > 1\n/);
    expect(packAlerts(sloPack(weeklyUp)).map((a) => a.alert)).toEqual(["WorkerScrapesBudgetBurnFast", "WorkerScrapesBudgetBurnSlow"]);
    expect(packRecordings(sloPack(weeklyUp)).map((r) => r.record)).toContain("slo:error_budget:burn_rate7d");
  });

  it("with alerting off records the SLI and budget, raises nothing, and still tests the arithmetic", () => {
    const p = sloPack({ ...workerErrors, alerting: { enabled: false } });
    expect(packAlerts(p)).toEqual([]);
    expect(p.tests).toHaveLength(1);
    expect(p.tests[0]!.exprs!.length).toBe(18);
    expect(validateRulePacks([p])).toEqual([]);
  });

  it("generates the four unit tests the issue asks for, each SLO with its own inputs, all valid with full coverage", () => {
    expect(errors.tests.map((t) => t.name)).toEqual([
      "a 20x burn pages within an hour",
      "a 1.5x burn tickets but never pages",
      "a 0.5x burn never alerts and leaves 50% of the budget",
      "after a 20x burn stops the page clears, then the ticket",
    ]);
    const packs = CUSTOM_SLOS.map((s) => sloPack(s));
    expect(validateRulePacks(packs)).toEqual([]);
    for (const p of packs) expect(p.tests.map((t) => t.name)).toHaveLength(4);
  });

  it("samples probe SLIs finely enough that the burn is the one asked for (within 5%), and recovers from a full outage", () => {
    const availability = sloScenarios(enabledSlos()[0]!, { page: alertsByName(shipped).get("ApiAvailabilityBudgetBurnFast")!, ticket: alertsByName(shipped).get("ApiAvailabilityBudgetBurnSlow")! });
    const realized = availability.map((s) => s.input.realized[0]!);
    expect(realized[0]).toBeCloseTo(20, 6);
    expect(Math.abs(realized[1]! / 1.5 - 1)).toBeLessThan(0.05);
    expect(Math.abs(realized[2]! / 0.5 - 1)).toBeLessThan(0.05);
    expect(availability[3]!.test.name).toBe("after a full outage (1000x burn) stops the page clears, then the ticket");
    // promtool loads at most 10,000 samples per query; the SLI's two range selectors read every sample.
    for (const s of availability) expect(s.test.series.length * (s.test.series[0]!.values.split(" ").reduce((a, v) => a + (v.includes("x") ? Number(v.split("x")[1]) + 1 : 1), 0))).toBeLessThanOrEqual(5000);
  });

  it("renders one rule file per SLO that names its group after the SLO", () => {
    const files = renderRulePackFiles(sloPacks(shipped));
    expect(files.map((f) => f.path)).toEqual(["prometheus/rules/slo-api-availability.yml", "prometheus/rules/slo-api-latency.yml", "prometheus/rules/slo-api-errors.yml"]);
    expect(files[1]!.content).toContain('http_request_duration_seconds_bucket{job="api",le="0.1"}[30d]');
  });
});

describe("the shipped SLOs", () => {
  it("are the seeds' three API SLOs, with exactly the alerts SLO_ALERTS lists", () => {
    expect(enabledSlos().map((s) => [s.name, s.objective, s.window ?? "30d", s.sli.kind])).toEqual([
      ["api-availability", 99.9, "30d", "availability"],
      ["api-latency", 95, "30d", "latency"],
      ["api-errors", 99.9, "30d", "eventRatio"],
    ]);
    expect(sloPacks(shipped).flatMap(packAlerts).map((a) => a.alert)).toEqual([...SLO_ALERTS]);
  });

  it("switch the threshold alerts they replace off; an override opts one back in", () => {
    const replaced = Object.values(REPLACED_BY_SLO).flat();
    expect(replaced).toEqual(["HttpLatencyHigh", "HttpLatencyCritical", "HttpErrorRateHigh", "HttpErrorRateCritical"]);
    for (const a of replaced) expect(alertNames(shipped)).not.toContain(a);
    const optIn = buildRulePacks({ overrides: { HttpErrorRateCritical: { disabled: false } } });
    expect(alertNames(optIn)).toContain("HttpErrorRateCritical");
    expect(alertNames(optIn)).not.toContain("HttpErrorRateHigh");
    expect(validateRulePacks(optIn)).toEqual([]);
  });

  it("bring a threshold alert back when the SLO that replaces it is off, and all four when the shipped SLOs are", () => {
    const noErrors = buildRulePacks({ slos: { overrides: { "api-errors": { disabled: true } } } });
    expect(sloPacks(noErrors).map((p) => p.name)).toEqual(["slo-api-availability", "slo-api-latency"]);
    expect(alertNames(noErrors)).toEqual(expect.arrayContaining(["HttpErrorRateHigh", "HttpErrorRateCritical"]));
    expect(alertNames(noErrors)).not.toContain("HttpLatencyHigh");
    const none = buildRulePacks({ slos: { shipped: false } });
    expect(sloPacks(none)).toEqual([]);
    expect(alertNames(none)).toEqual(expect.arrayContaining(Object.values(REPLACED_BY_SLO).flat()));
  });

  it("take typed overrides by name: objective, window, threshold, buckets, selector, labels, alerting", () => {
    const packs = buildRulePacks({
      slos: {
        overrides: {
          "api-latency": { objective: 99, threshold: 0.25, window: "28d" },
          "api-availability": { selector: 'job="blackbox-api-probe"', labels: { team: "web" } },
          "api-errors": { alerting: false },
        },
      },
    });
    const specs = enabledSlos(undefined, { overrides: { "api-latency": { objective: 99, threshold: 0.25, window: "28d" } } });
    expect(specs[1]).toMatchObject({ objective: 99, window: "28d", sli: { threshold: 0.25 }, description: "API requests are answered within 0.25s" });
    const text = (name: string) => renderRulePackFiles(sloPacks(packs).filter((p) => p.name === name))[0]!.content;
    expect(text("slo-api-latency")).toContain('le="0.25"');
    expect(text("slo-api-latency")).toContain("> 13.44");
    expect(text("slo-api-availability")).toContain('probe_success{job="blackbox-api-probe"}');
    expect(text("slo-api-availability")).toContain("team: web");
    expect(packAlerts(sloPacks(packs).find((p) => p.name === "slo-api-errors")!)).toEqual([]);
    expect(validateRulePacks(packs)).toEqual([]);
  });

  it("follow the content config's API job and metrics", () => {
    const specs = enabledSlos(resolveContentConfig({ http: { selector: 'job="web"', requestsMetric: "requests_total" } }));
    expect(specs.map((s) => s.service)).toEqual(["web", "web", "web"]);
    expect(specs[2]!.sli).toEqual({ kind: "eventRatio", total: { metric: "requests_total", selector: 'job="web"' }, bad: { metric: "requests_total", selector: 'job="web",status=~"5.."' } });
  });

  it("let alert overrides change an SLO alert like any other (for, severity, labels), and the generated tests follow", () => {
    const packs = buildRulePacks({ overrides: { ApiErrorsBudgetBurnFast: { for: "5m", labels: { team: "web" } }, ApiLatencyBudgetBurnSlow: { disabled: true } } });
    const page = alertsByName(packs).get("ApiErrorsBudgetBurnFast")!;
    expect([page.for, page.labels]).toEqual(["5m", { team: "web" }]);
    expect(alertNames(packs)).not.toContain("ApiLatencyBudgetBurnSlow");
    expect(validateRulePacks(packs).filter((i) => i.severity === "error")).toEqual([]);
  });

  it("accept custom SLOs beside the shipped ones", () => {
    const packs = buildRulePacks({ slos: { custom: CUSTOM_SLOS } });
    expect(sloPacks(packs).map((p) => p.name)).toEqual(["slo-api-availability", "slo-api-latency", "slo-api-errors", ...CUSTOM_SLOS.map((s) => `slo-${s.name}`)]);
    expect(validateRulePacks(packs)).toEqual([]);
  });
});

describe("bad SLOs are rejected, naming the SLO and the field, before any rule is built", () => {
  const base = workerErrors;
  const cases: [string, readonly SloSpec[], string][] = [
    ["an objective of 100%", [{ ...base, objective: 100 }], 'SLO "worker-errors": objective must be a percentage above 0 and below 100, got 100 (100% leaves no error budget'],
    ["an objective of 0%", [{ ...base, objective: 0 }], 'SLO "worker-errors": objective must be a percentage above 0 and below 100, got 0'],
    ["a negative objective", [{ ...base, objective: -5 }], 'SLO "worker-errors": objective must be a percentage above 0 and below 100, got -5'],
    ["an objective so low the page can hardly fire", [{ ...base, objective: 80 }], 'SLO "worker-errors": objective 80% leaves so large a budget that the page alert needs over 80% of events bad (6x over 6h)'],
    ["a latency threshold that is not a bucket boundary", [{ ...base, sli: { kind: "latency", metric: "http_request_duration_seconds", selector: 'job="api"', threshold: 0.2, buckets: [0.1, 0.25, 0.5] } }], 'SLO "worker-errors": sli.threshold 0.2s is not a bucket boundary of http_request_duration_seconds (0.1, 0.25, 0.5)'],
    ["a numerator that selects series the denominator does not", [{ ...base, sli: { kind: "eventRatio", total: { metric: "worker_events_processed_total", selector: 'job="worker"' }, bad: { metric: "worker_events_processed_total", selector: 'job="api",status="error"' } } }], 'SLO "worker-errors": sli.bad.selector selects series the denominator does not: it lacks job="worker" of sli.total.selector'],
    ["a numerator equal to the denominator", [{ ...base, sli: { kind: "eventRatio", total: { metric: "worker_events_processed_total", selector: 'job="worker"' }, bad: { metric: "worker_events_processed_total", selector: 'job="worker"' } } }], 'SLO "worker-errors": sli.bad.selector selects exactly the series of sli.total'],
    ["a window shorter than the longest alert window", [{ ...base, window: "2d" as SloWindow }], 'SLO "worker-errors": window "2d" is shorter than the longest alert window (3d)'],
    ["a window that is not 7d, 28d or 30d", [{ ...base, window: "14d" as SloWindow }], 'SLO "worker-errors": window "14d" is not one of 7d, 28d, 30d'],
    ["duplicate SLO names", [base, { ...base, description: "again" }], 'SLO "worker-errors": name is used by more than one SLO'],
    ["a reserved label", [{ ...base, labels: { slo: "x" } }], 'SLO "worker-errors": labels.slo is reserved'],
    ["a selector that is not label matchers", [{ ...base, sli: { kind: "availability", metric: "up", selector: "job=worker" } }], 'SLO "worker-errors": sli.selector "job=worker" is not a list of label matchers'],
    ["an unknown SLI kind", [{ ...base, sli: { kind: "quantile" } as unknown as SloSpec["sli"] }], 'SLO "worker-errors": sli.kind "quantile" is not one of eventRatio, latency, availability'],
    ["a name that is not kebab-case", [{ ...base, name: "Worker_Errors" }], 'SLO "Worker_Errors": name "Worker_Errors" must be kebab-case'],
  ];

  it.each(cases)("%s", (_name, specs, message) => {
    expect(validateSlos(specs).map(formatIssue)).toContainEqual(expect.stringContaining(message));
    expect(() => buildRulePacks({ slos: { shipped: false, custom: specs } })).toThrow(ValidationError);
    expect(() => buildRulePacks({ slos: { shipped: false, custom: specs } })).toThrow(message);
  });

  it("warns (does not fail) when a latency SLI declares no buckets: the threshold cannot be checked", () => {
    const issues = validateSlos([{ ...base, sli: { kind: "latency", metric: "http_request_duration_seconds", selector: 'job="api"', threshold: 0.3 } }]);
    expect(issues.map(formatIssue)).toEqual(['warning: SLO "worker-errors": sli.buckets are not declared, so threshold 0.3s cannot be checked against the histogram\'s bucket boundaries; declare the buckets the service\'s histogram uses']);
  });

  it.each([
    ["an SLO no one ships", { "api-speed": { objective: 99 } }, 'SLO override "api-speed" names SLO "api-speed", which is not shipped'],
    ["a threshold on the availability SLO", { "api-availability": { threshold: 1 } }, 'SLO override "api-availability": threshold applies to the latency SLO (api-latency) only'],
    ["an objective of 100% on a shipped SLO", { "api-errors": { objective: 100 } }, 'SLO "api-errors": objective must be a percentage above 0 and below 100, got 100'],
  ])("overrides: %s", (_name, overrides, message) => {
    expect(() => buildRulePacks({ slos: { overrides: overrides as never } })).toThrow(message);
  });

  it("lists every problem at once", () => {
    const issues = validateSlos([{ ...base, objective: 100, window: "1d" as SloWindow }]);
    expect(issues.map((i) => i.field)).toEqual(["objective", "window"]);
  });
});
