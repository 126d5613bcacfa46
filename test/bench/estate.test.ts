/**
 * The benchmark's generated estate must stay valid content (or the benchmark measures error paths) and must not
 * add resources (the stack registers one resource per workload, never one per rule or dashboard). No timings here:
 * `npm run bench` prints those.
 */
import { describe, expect, it } from "vitest";
import { generateEstate, serviceName } from "../../bench/estate";
import { estateStackArgs, loadBenchConfig } from "../../bench/stack";
import { runUnderMocks } from "../../cli/mock-runtime";
import { lintDashboards } from "../../core/grafana/lint";
import { validateRulePacks } from "../../core/rules/validate";
import { MonitoringStack } from "../../stacks/monitoring-stack";

const errors = <T extends { severity?: string }>(issues: readonly T[]): T[] => issues.filter((i) => i.severity !== "warning");

describe("the generated estate", () => {
  const estate = generateEstate(3);

  it("gives each service a scrape job, a pack of ten alerts and two recording rules, and a dashboard", () => {
    expect(estate.scrapeJobs.map((j) => j.name)).toEqual([serviceName(0), serviceName(1), serviceName(2)]);
    for (const p of estate.rulePacks) {
      const rules = p.groups.flatMap((g) => g.rules);
      expect(rules.filter((r) => "alert" in r)).toHaveLength(10);
      expect(rules.filter((r) => "record" in r)).toHaveLength(2);
      // Every expression selects its own service's job.
      for (const r of rules) expect(String(r.expr)).toContain(`job="${p.name}"`);
    }
    expect(estate.dashboards.map((d) => d.uid)).toEqual(["estate-svc-0000", "estate-svc-0001", "estate-svc-0002"]);
  });

  it("passes rule validation and the dashboard lint without errors", () => {
    expect(errors(validateRulePacks(estate.rulePacks))).toEqual([]);
    expect(errors(lintDashboards(estate.dashboards, { recordingRules: estate.recordingRules, knownMetrics: estate.metrics }))).toEqual([]);
  });

  it("synthesizes under mocks with the same resources as the stack without it", async () => {
    const { project, config } = loadBenchConfig();
    const synth = async (n: number) => {
      const e = generateEstate(n);
      const { resources } = await runUnderMocks({ project, stack: "bench", config: {}, secretKeys: [], program: () => new MonitoringStack("bench", estateStackArgs(config, e)) });
      return resources.map((r) => `${r.type} ${r.name}`);
    };
    const without = await synth(0);
    expect(without.length).toBeGreaterThan(5);
    expect(await synth(5)).toEqual(without);
  });
});
