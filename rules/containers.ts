/**
 * Containers via cAdvisor: memory near the limit, CPU throttling, restarts and OOM kills. Docker's cAdvisor and the
 * kubelet's label containers differently (`containers.cadvisorLabels`); queries and texts follow the setting.
 */
import type { RulePack, RuleTest } from "../core/rules/model";
import { containerLabels, sel } from "./config";
import { counter, firingAt, gauge, HOLDS_FROM_SECOND_SAMPLE, HOLDS_FROM_START, labelsFor, pct, series, stepsFor, type PackContext } from "./kit";

export const CONTAINER_ALERTS = ["ContainerMemoryNearLimit", "ContainerCpuThrottled", "ContainerRestarting", "ContainerOomKilled"] as const;

export function containersPack({ content, b }: PackContext): RulePack {
  const c = content.containers;
  const L = containerLabels(c);
  const who = L.text;
  const m = (metric: string): string => sel(metric, c.selector, L.real);
  const dashboard = b.dashboard("containers");
  const memory = b.alert({
    alert: "ContainerMemoryNearLimit",
    severity: "warning",
    for: "5m",
    threshold: c.memoryLimitRatioWarning,
    expr: (t) => `${m("container_memory_working_set_bytes")}\n/\n(${m("container_spec_memory_limit_bytes")} > 0)\n> ${t}`,
    annotations: (t) => ({
      summary: `Container ${who} uses {{ $value | humanizePercentage }} of its memory limit`,
      description: `Container ${who} ({{ $labels.image }}) on {{ $labels.instance }} uses {{ $value | humanizePercentage }} of its memory limit (warning above ${pct(t)}); at 100% it is OOM-killed.`,
      dashboard,
    }),
  });
  const throttled = b.alert({
    alert: "ContainerCpuThrottled",
    severity: "warning",
    for: "15m",
    threshold: c.cpuThrottleRatioWarning,
    expr: (t) => `rate(${m("container_cpu_cfs_throttled_periods_total")}[5m])\n/\nrate(${m("container_cpu_cfs_periods_total")}[5m])\n> ${t}`,
    annotations: (t) => ({
      summary: `Container ${who} is CPU-throttled {{ $value | humanizePercentage }} of the time`,
      description: `Container ${who} on {{ $labels.instance }} was throttled in {{ $value | humanizePercentage }} of its CPU periods (warning above ${pct(t)}); raise its CPU limit or reduce its work.`,
      dashboard,
    }),
  });
  const restarting = b.alert({
    alert: "ContainerRestarting",
    severity: "warning",
    threshold: c.restartsWarning,
    expr: (t) => `changes(${m("container_start_time_seconds")}[15m]) >= ${t}`,
    annotations: (t) => ({
      summary: `Container ${who} restarted {{ $value }} times in 15 minutes`,
      description: `Container ${who} ({{ $labels.image }}) on {{ $labels.instance }} restarted {{ $value }} times in 15 minutes (warning from ${t}): it is crash-looping; read its logs.`,
      dashboard,
    }),
  });
  const oom = b.alert({
    alert: "ContainerOomKilled",
    severity: "warning",
    expr: `increase(${m("container_oom_events_total")}[15m]) > 0`,
    annotations: {
      summary: `Container ${who} was OOM-killed`,
      description: `Container ${who} ({{ $labels.image }}) on {{ $labels.instance }} ran out of memory and the kernel killed a process in it within the last 15 minutes.`,
      dashboard,
    },
  });
  const rules = [memory, throttled, restarting, oom];

  const id: Record<string, string> = c.cadvisorLabels === "docker" ? { name: "api" } : { namespace: "shop", pod: "api-7d9f8c-x2v4q", container: "api" };
  const ctr = { job: "cadvisor", instance: "host-1:8080", image: "example/api:1.0", ...id, ...labelsFor(c.selector) };
  const n = Math.max(...rules.map((r) => stepsFor(r, 10)));
  const gib = 1024 ** 3;
  const [mt, tt, rt] = [memory.threshold ?? 0.9, throttled.threshold ?? 0.25, restarting.threshold ?? 2];
  const container = (memRatio: number, throttleRatio: number, restarts: number, ooms: number): RuleTest["series"] => {
    // Restarts: the start time changes `restarts` times in the last few minutes before the eval time.
    const s = n - restarts - 4;
    const starts = Array.from({ length: n }, (_, i) => String(1000 + 60 * Math.min(restarts, Math.max(0, i - s)))).join(" ");
    return [
      series("container_spec_memory_limit_bytes", ctr, gauge([gib, n])),
      series("container_memory_working_set_bytes", ctr, gauge([gib * memRatio, n])),
      series("container_cpu_cfs_periods_total", ctr, counter([10, n])),
      series("container_cpu_cfs_throttled_periods_total", ctr, counter([10 * throttleRatio, n])),
      series("container_start_time_seconds", ctr, starts),
      series("container_oom_events_total", ctr, ooms > 0 ? `0x${n - 6} ${ooms}x5` : gauge([0, n])),
    ];
  };
  const evalAt = `${n - 1}m`;
  const [memHigh, thrHigh, restarts] = [(mt + 1) / 2, (tt + 1) / 2, Math.max(1, Math.ceil(rt))];
  const tests: RuleTest[] = [
    {
      name: "a well-sized, stable container raises nothing",
      series: container(mt / 2, tt / 2, 0, 0),
      alerts: rules.map((r) => ({ evalTime: evalAt, alert: r.alert, expect: [] })),
    },
    {
      name: "a container at its limits, crash-looping and OOM-killed warns on each",
      series: container(memHigh, thrHigh, restarts, 1),
      alerts: [
        { evalTime: firingAt(memory), activeSince: HOLDS_FROM_START, alert: memory.alert, expect: [{ labels: ctr, value: memHigh }] },
        { evalTime: firingAt(throttled), activeSince: HOLDS_FROM_SECOND_SAMPLE, alert: throttled.alert, expect: [{ labels: ctr, value: thrHigh }] },
        { evalTime: evalAt, alert: restarting.alert, expect: [{ labels: ctr, value: restarts }] },
        { evalTime: evalAt, alert: oom.alert, expect: [{ labels: ctr }] },
      ],
    },
  ];
  return { name: "containers", groups: [{ name: "containers", rules }], tests };
}
