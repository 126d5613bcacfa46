/**
 * Hosts via node_exporter (seeds: CPU > 90%, memory > 85%, disk < 20% free) plus disk predicted to fill, load,
 * clock skew and network errors after node-mixin; recording rules the host dashboard reads.
 */
import { RECORDING_RULES as R } from "../core/conventions";
import type { RulePack, RuleTest } from "../core/rules/model";
import { sel } from "./config";
import { counter, firingAt, gauge, HOLDS_FROM_SECOND_SAMPLE, HOLDS_FROM_START, labelsFor, pct, series, stepsFor, type PackContext } from "./kit";

export const HOST_ALERTS = ["HostCpuUsageHigh", "HostMemoryUsageHigh", "HostDiskSpaceLow", "HostDiskFillingUp", "HostLoadHigh", "HostClockSkewed", "HostNetworkErrors"] as const;

const FS = 'fstype!~"tmpfs|ramfs|squashfs|overlay|nsfs|fuse.*"';

export function hostPack({ content, b }: PackContext): RulePack {
  const c = content.host;
  const m = (metric: string, extra?: string): string => sel(metric, c.selector, extra);
  const dashboard = b.dashboard("host");
  const cpu = b.alert({
    alert: "HostCpuUsageHigh",
    severity: "warning",
    for: "10m",
    threshold: c.cpuWarning,
    expr: (t) => `${R.nodeCpuUtilisation} > ${t}`,
    annotations: (t) => ({
      summary: "{{ $labels.instance }} CPU is {{ $value | humanizePercentage }} busy",
      description: `{{ $labels.instance }} has used {{ $value | humanizePercentage }} of its CPU for 10 minutes (warning above ${pct(t)}); work queues up and latency grows.`,
      dashboard,
    }),
  });
  const mem = b.alert({
    alert: "HostMemoryUsageHigh",
    severity: "warning",
    for: "10m",
    threshold: c.memoryWarning,
    expr: (t) => `${R.nodeMemoryUtilisation} > ${t}`,
    annotations: (t) => ({
      summary: "{{ $labels.instance }} memory is {{ $value | humanizePercentage }} used",
      description: `{{ $labels.instance }} has {{ $value | humanizePercentage }} of its memory in use (warning above ${pct(t)}); the OOM killer is next.`,
      dashboard,
    }),
  });
  const avail = m("node_filesystem_avail_bytes", FS);
  const size = m("node_filesystem_size_bytes", FS);
  const writable = `${m("node_filesystem_readonly", FS)} == 0`;
  const disk = b.alert({
    alert: "HostDiskSpaceLow",
    severity: "warning",
    for: "10m",
    threshold: c.diskFreeWarning,
    expr: (t) => `${avail} / ${size} < ${t}\nand\n${writable}`,
    annotations: (t) => ({
      summary: "{{ $labels.instance }} {{ $labels.mountpoint }} has {{ $value | humanizePercentage }} free",
      description: `Filesystem {{ $labels.mountpoint }} on {{ $labels.instance }} has only {{ $value | humanizePercentage }} space left (warning below ${pct(t)}).`,
      dashboard,
    }),
  });
  const fill = b.alert({
    alert: "HostDiskFillingUp",
    severity: "warning",
    for: "1h",
    threshold: c.diskFillPredictHours,
    expr: (t) => `predict_linear(${avail}[6h], ${t} * 3600) < 0\nand\n${avail} / ${size} < 0.4\nand\n${writable}`,
    annotations: (t) => ({
      summary: `{{ $labels.instance }} {{ $labels.mountpoint }} will be full within ${t} hours`,
      description: `At the write rate of the last 6 hours, filesystem {{ $labels.mountpoint }} on {{ $labels.instance }} runs out of space within ${t} hours.`,
      dashboard,
    }),
  });
  const load = b.alert({
    alert: "HostLoadHigh",
    severity: "warning",
    for: "15m",
    threshold: c.loadPerCoreWarning,
    expr: (t) => `${m("node_load5")}\n/ on (job, instance)\ncount by (job, instance) (${m("node_cpu_seconds_total", 'mode="idle"')})\n> ${t}`,
    annotations: (t) => ({
      summary: "{{ $labels.instance }} load is {{ $value | humanize }} per core",
      description: `{{ $labels.instance }} has a 5-minute load of {{ $value | humanize }} per CPU core (warning above ${t}): runnable or I/O-blocked tasks wait.`,
      dashboard,
    }),
  });
  const off = m("node_timex_offset_seconds");
  const clock = b.alert({
    alert: "HostClockSkewed",
    severity: "warning",
    for: "10m",
    threshold: c.clockSkewSeconds,
    expr: (t) => `(${off} > ${t} and deriv(${off}[5m]) >= 0)\nor\n(${off} < -${t} and deriv(${off}[5m]) <= 0)`,
    annotations: (t) => ({
      summary: "{{ $labels.instance }} clock is {{ $value | humanizeDuration }} off",
      description: `The clock of {{ $labels.instance }} is {{ $value | humanizeDuration }} off and not converging (warning beyond ${t}s); check NTP. Skewed clocks break TLS, tokens and metrics.`,
      dashboard,
    }),
  });
  const errRatio = (dir: string) =>
    `rate(${m(`node_network_${dir}_errs_total`)}[5m]) / rate(${m(`node_network_${dir}_packets_total`)}[5m])`;
  const net = b.alert({
    alert: "HostNetworkErrors",
    severity: "warning",
    for: "30m",
    threshold: c.networkErrorRatioWarning,
    expr: (t) => `${errRatio("receive")} > ${t}\nor\n${errRatio("transmit")} > ${t}`,
    annotations: (t) => ({
      summary: "{{ $labels.instance }} {{ $labels.device }} has {{ $value | humanizePercentage }} packet errors",
      description: `Interface {{ $labels.device }} on {{ $labels.instance }} has errors on {{ $value | humanizePercentage }} of its packets (warning above ${pct(t)}): a bad cable, NIC or driver.`,
      dashboard,
    }),
  });
  const rules = [cpu, mem, disk, fill, load, clock, net];
  const groups = [
    {
      name: "host-recording",
      rules: [
        { record: R.nodeCpuUtilisation, expr: `1 - avg without (cpu) (sum without (mode) (rate(${m("node_cpu_seconds_total", 'mode=~"idle|iowait|steal"')}[5m])))` },
        { record: R.nodeMemoryUtilisation, expr: `1 - ${m("node_memory_MemAvailable_bytes")} / ${m("node_memory_MemTotal_bytes")}` },
      ],
    },
    { name: "host", rules },
  ];

  const base = { job: "node", instance: "host-1:9100", ...labelsFor(c.selector) };
  const who = { job: base.job, instance: base.instance };
  const n = Math.max(...rules.map((r) => stepsFor(r)));
  const gib = 1024 ** 3;
  const fs = { ...base, device: "/dev/sda1", fstype: "ext4", mountpoint: "/" };
  const nic = { ...base, device: "eth0" };
  const [ct, mt, dt, lt, st, nt] = [cpu.threshold ?? 0.9, mem.threshold ?? 0.85, disk.threshold ?? 0.2, load.threshold ?? 2, clock.threshold ?? 0.05, net.threshold ?? 0.01];
  const host = (busy: number, memUsed: number, freeRatio: number, loadPerCore: number, offset: number, errRatioV: number): RuleTest["series"] => [
    ...["0", "1"].flatMap((cpuId) => [
      series("node_cpu_seconds_total", { ...base, cpu: cpuId, mode: "idle" }, counter([1 - busy, n])),
      series("node_cpu_seconds_total", { ...base, cpu: cpuId, mode: "user" }, counter([busy, n])),
    ]),
    series("node_memory_MemTotal_bytes", base, gauge([16 * gib, n])),
    series("node_memory_MemAvailable_bytes", base, gauge([16 * gib * (1 - memUsed), n])),
    series("node_filesystem_size_bytes", fs, gauge([100 * gib, n])),
    series("node_filesystem_avail_bytes", fs, gauge([100 * gib * freeRatio, n])),
    series("node_filesystem_readonly", fs, gauge([0, n])),
    series("node_load5", base, gauge([2 * loadPerCore, n])),
    series("node_timex_offset_seconds", base, gauge([offset, n])),
    series("node_network_receive_packets_total", nic, counter([1000, n])),
    series("node_network_receive_errs_total", nic, counter([1000 * errRatioV, n])),
    series("node_network_transmit_packets_total", nic, counter([1000, n])),
    series("node_network_transmit_errs_total", nic, counter([0, n])),
  ];
  const [busy, used, free, perCore, offset, errs] = [(ct + 1) / 2, (mt + 1) / 2, dt / 2, lt * 2, st * 2, (nt + 1) / 2];
  const bytesPerMin = (100 * gib * 0.3) / ((fill.threshold ?? 24) * 60) * 2;
  const tests: RuleTest[] = [
    {
      name: "a healthy host raises nothing",
      series: host(ct / 2, mt / 2, Math.min(0.9, dt * 2 + 0.3), lt / 2, st / 2, 0),
      alerts: rules.map((r) => ({ evalTime: firingAt(r), alert: r.alert, expect: [] })),
      exprs: [
        { evalTime: "10m", expr: `round(${R.nodeCpuUtilisation}, 0.0001)`, expect: [{ labels: `{job="${base.job}", instance="${base.instance}"}`, value: Math.round((ct / 2) * 1e4) / 1e4 }] },
        { evalTime: "10m", expr: `round(${R.nodeMemoryUtilisation}, 0.0001)`, expect: [{ labels: `{job="${base.job}", instance="${base.instance}"}`, value: Math.round((mt / 2) * 1e4) / 1e4 }] },
      ],
    },
    {
      name: "a saturated host warns on CPU, memory, disk, load, clock and network",
      series: host(busy, used, free, perCore, offset, errs),
      alerts: [
        { evalTime: firingAt(cpu), activeSince: HOLDS_FROM_SECOND_SAMPLE, alert: cpu.alert, expect: [{ labels: who, value: busy }] },
        { evalTime: firingAt(mem), activeSince: HOLDS_FROM_START, alert: mem.alert, expect: [{ labels: who, value: used }] },
        { evalTime: firingAt(disk), activeSince: HOLDS_FROM_START, alert: disk.alert, expect: [{ labels: fs, value: free }] },
        { evalTime: firingAt(load), activeSince: HOLDS_FROM_START, alert: load.alert, expect: [{ labels: who, value: perCore }] },
        { evalTime: firingAt(clock), activeSince: HOLDS_FROM_SECOND_SAMPLE, alert: clock.alert, expect: [{ labels: base, value: offset }] },
        { evalTime: firingAt(net), activeSince: HOLDS_FROM_SECOND_SAMPLE, alert: net.alert, expect: [{ labels: nic, value: errs }] },
      ],
    },
    {
      name: "a filesystem written fast enough to fill within the horizon is flagged",
      series: [
        series("node_filesystem_size_bytes", fs, gauge([100 * gib, n])),
        series("node_filesystem_avail_bytes", fs, `${100 * gib * 0.3}-${Math.round(bytesPerMin)}x${n}`),
        series("node_filesystem_readonly", fs, gauge([0, n])),
      ],
      alerts: [{ evalTime: firingAt(fill), activeSince: HOLDS_FROM_SECOND_SAMPLE, alert: fill.alert, expect: [{ labels: fs }] }],
    },
  ];
  return { name: "host", groups, tests };
}
