import { describe, expect, it } from "vitest";
import { checkKpiTarget, target, type KpiTarget } from "../../dashboards";

const base: KpiTarget = { title: "Throughput", description: "Events per second.", expr: "sum(rate(x_total[$__rate_interval]))", unit: "ops", goal: 100, better: "higher" };
const steps = (k: KpiTarget) => (target(k).build() as any).fieldConfig.defaults.thresholds.steps;

describe("target(): KPI panels whose thresholds are the target", () => {
  it.each<[string, Partial<KpiTarget>, unknown[]]>([
    ["higher is better: red below the goal, green from it", {}, [{ value: null, color: "red" }, { value: 100, color: "green" }]],
    ["a soft goal misses in amber", { miss: "warning" }, [{ value: null, color: "#EAB839" }, { value: 100, color: "green" }]],
    ["higher with a limit: red, amber from the limit, green from the goal", { limit: 80 }, [{ value: null, color: "red" }, { value: 80, color: "#EAB839" }, { value: 100, color: "green" }]],
    ["lower is better: green below the goal, red from it", { better: "lower" }, [{ value: null, color: "green" }, { value: 100, color: "red" }]],
    ["lower with a limit: green, amber from the goal, red from the limit", { better: "lower", limit: 150 }, [{ value: null, color: "green" }, { value: 100, color: "#EAB839" }, { value: 150, color: "red" }]],
  ])("%s", (_name, over, expected) => {
    expect(steps({ ...base, ...over })).toEqual(expected);
  });

  it("states the target in the description", () => {
    const p = target({ ...base, unit: "percentunit", goal: 0.999 }).build() as any;
    expect(p.description).toBe("Events per second. Target: at least 99.9%.");
  });

  it.each<[string, Partial<KpiTarget>, string]>([
    ["a limit on the wrong side (higher)", { limit: 120 }, "must be below the goal"],
    ["a limit on the wrong side (lower)", { better: "lower", limit: 50 }, "must be above the goal"],
    ["min above max", { min: 10, max: 5 }, "min 10 must be below max 5"],
  ])("refuses %s", (_name, over, message) => {
    expect(checkKpiTarget({ ...base, ...over }).join()).toContain(message);
    expect(() => target({ ...base, ...over })).toThrow(message);
  });

  it("builds stat, gauge and bar gauge panels", () => {
    expect((target(base).build() as any).type).toBe("stat");
    expect((target({ ...base, display: "gauge" }).build() as any).type).toBe("gauge");
    expect((target({ ...base, display: "bargauge" }).build() as any).type).toBe("bargauge");
  });
});
