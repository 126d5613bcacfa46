/** Infrastructure dashboards: hosts (node-exporter), containers (cAdvisor), endpoints (blackbox). */
import type { DashboardBuilder } from "@grafana/grafana-foundation-sdk/dashboard";
import { DASHBOARD_UIDS, RECORDING_RULES } from "../core/conventions";
import { containerLabels, sel, type ContentConfig } from "../rules/config";
import { Board } from "./board";
import { alertSteps, boolMapping, COLORS, JOB_INSTANCE, q, statPanel, stateTimelinePanel, thresholds, timeseriesPanel } from "./panels";

const RI = "[$__rate_interval]";
const DAY = 86_400;

export function hostDashboard(c: ContentConfig): DashboardBuilder {
  const h = c.host;
  const m = (metric: string, extra?: string): string => sel(metric, h.selector, extra ? `${JOB_INSTANCE},${extra}` : JOB_INSTANCE);
  const fs = 'fstype!~"tmpfs|overlay|squashfs|ramfs",mountpoint!~"/run.*|/boot.*"';
  const cores = `count without (cpu, mode) (${m("node_cpu_seconds_total", 'mode="idle"')})`;
  const cpuSteps = alertSteps(h.cpuWarning);
  const memSteps = alertSteps(h.memoryWarning);
  const diskFree = thresholds(COLORS.bad, [h.diskFreeWarning, COLORS.ok]);
  const b = new Board(
    { uid: DASHBOARD_UIDS.host, title: "Host", tags: ["infrastructure", "node-exporter"], description: "CPU, memory, disk, network and load of the hosts (node-exporter), with the host alert thresholds drawn." },
    { jobFrom: sel("node_uname_info", h.selector) },
  );
  b.row("Now").add(
    statPanel({ title: "CPU busy", unit: "percentunit", w: 4, h: 4, thresholds: cpuSteps, description: `Share of CPU time not idle (${RECORDING_RULES.nodeCpuUtilisation}); the alert warns at ${h.cpuWarning * 100}%.`, query: q(`max(${RECORDING_RULES.nodeCpuUtilisation}{instance=~"$instance"})`) }),
    statPanel({ title: "Memory used", unit: "percentunit", w: 4, h: 4, thresholds: memSteps, description: `1 - MemAvailable/MemTotal (${RECORDING_RULES.nodeMemoryUtilisation}); the alert warns at ${h.memoryWarning * 100}%.`, query: q(`max(${RECORDING_RULES.nodeMemoryUtilisation}{instance=~"$instance"})`) }),
    statPanel({ title: "Least free disk", unit: "percentunit", w: 4, h: 4, thresholds: diskFree, description: `Free share of the fullest filesystem; the alert warns under ${h.diskFreeWarning * 100}% free.`, query: q(`min(${m("node_filesystem_avail_bytes", fs)} / ${m("node_filesystem_size_bytes", fs)})`) }),
    statPanel({ title: "Load per core", unit: "short", w: 4, h: 4, decimals: 2, thresholds: alertSteps(h.loadPerCoreWarning), description: `5-minute load average per core; the alert warns at ${h.loadPerCoreWarning}.`, query: q(`max(${m("node_load5")} / ${cores})`) }),
    statPanel({ title: "Clock offset", unit: "s", w: 4, h: 4, thresholds: alertSteps(h.clockSkewSeconds), description: `Largest absolute clock offset (NTP); over ${h.clockSkewSeconds}s the clock-skew alert fires and rate() windows misalign.`, query: q(`max(abs(${m("node_timex_offset_seconds")}))`) }),
    statPanel({ title: "Uptime", unit: "s", w: 4, h: 4, sparkline: false, description: "Time since the most recently booted host started; a small value means a reboot.", query: q(`min(time() - ${m("node_boot_time_seconds")})`) }),
  );
  b.row("CPU and memory").add(
    timeseriesPanel({ title: "CPU busy", unit: "percentunit", w: 12, h: 8, min: 0, max: 1, drawThresholds: true, thresholds: cpuSteps, description: "Non-idle CPU share per host; dashed: the CPU alert line.", queries: [q(`1 - avg by (instance) (rate(${m("node_cpu_seconds_total", 'mode="idle"')}${RI}))`, "{{instance}}")] }),
    timeseriesPanel({ title: "Memory used", unit: "percentunit", w: 12, h: 8, min: 0, max: 1, drawThresholds: true, thresholds: memSteps, description: "1 - MemAvailable/MemTotal per host; dashed: the memory alert line.", queries: [q(`1 - ${m("node_memory_MemAvailable_bytes")} / ${m("node_memory_MemTotal_bytes")}`, "{{instance}}")] }),
    timeseriesPanel({ title: "Load per core", unit: "short", w: 12, h: 8, min: 0, drawThresholds: true, thresholds: alertSteps(h.loadPerCoreWarning), description: "1, 5 and 15-minute load average divided by the number of cores.", queries: [q(`${m("node_load1")} / ${cores}`, "1m {{instance}}"), q(`${m("node_load5")} / ${cores}`, "5m {{instance}}"), q(`${m("node_load15")} / ${cores}`, "15m {{instance}}")] }),
    timeseriesPanel({ title: "CPU by mode", unit: "percentunit", w: 12, h: 8, min: 0, stack: true, description: "Where CPU time goes (user, system, iowait, steal...), averaged over cores, idle left out.", queries: [q(`avg by (mode) (rate(${m("node_cpu_seconds_total", 'mode!="idle"')}${RI}))`, "{{mode}}")] }),
  );
  b.row("Disk and network").add(
    timeseriesPanel({ title: "Filesystem free", unit: "percentunit", w: 12, h: 8, min: 0, max: 1, drawThresholds: true, thresholds: diskFree, description: "Free share per mount point; dashed: the disk alert line.", queries: [q(`${m("node_filesystem_avail_bytes", fs)} / ${m("node_filesystem_size_bytes", fs)}`, "{{instance}} {{mountpoint}}")] }),
    timeseriesPanel({ title: "Disk throughput", unit: "Bps", w: 12, h: 8, description: "Bytes read (positive) and written (negative) per second per device.", queries: [q(`sum by (instance, device) (rate(${m("node_disk_read_bytes_total")}${RI}))`, "read {{instance}} {{device}}"), q(`-sum by (instance, device) (rate(${m("node_disk_written_bytes_total")}${RI}))`, "write {{instance}} {{device}}")] }),
    timeseriesPanel({ title: "Network traffic", unit: "bps", w: 12, h: 8, description: "Bits received (positive) and sent (negative) per second, loopback and virtual devices left out.", queries: [q(`sum by (instance) (rate(${m("node_network_receive_bytes_total", 'device!~"lo|veth.*|docker.*|br-.*"')}${RI})) * 8`, "rx {{instance}}"), q(`-sum by (instance) (rate(${m("node_network_transmit_bytes_total", 'device!~"lo|veth.*|docker.*|br-.*"')}${RI})) * 8`, "tx {{instance}}")] }),
    timeseriesPanel({ title: "Disk I/O time", unit: "percentunit", w: 12, h: 8, min: 0, description: "Share of time each device was busy; near 100% the disk is the bottleneck.", queries: [q(`rate(${m("node_disk_io_time_seconds_total")}${RI})`, "{{instance}} {{device}}")] }),
  );
  return b.builder;
}

export function containersDashboard(c: ContentConfig): DashboardBuilder {
  const k = c.containers;
  const labels = containerLabels(k);
  // One series per container: Docker's `name`, or the kubelet's namespace/pod/container (a bare `container` would
  // add up every replica of a Deployment).
  const name = labels.identity.join(", ");
  const m = (metric: string, extra?: string): string => sel(metric, k.selector, `${JOB_INSTANCE},${labels.real}${extra ? `,${extra}` : ""}`);
  const memRatio = `${m("container_memory_working_set_bytes")} / (${m("container_spec_memory_limit_bytes")} > 0)`;
  const throttle = `sum by (${name}) (rate(${m("container_cpu_cfs_throttled_periods_total")}${RI})) / sum by (${name}) (rate(${m("container_cpu_cfs_periods_total")}${RI}))`;
  const memSteps = alertSteps(k.memoryLimitRatioWarning);
  const thrSteps = alertSteps(k.cpuThrottleRatioWarning);
  const b = new Board(
    { uid: DASHBOARD_UIDS.containers, title: "Containers", tags: ["infrastructure", "cadvisor"], description: "CPU, memory against limits, throttling and network per container (cAdvisor)." },
    { jobFrom: sel("container_last_seen", k.selector) },
  );
  const L = labels.legend;
  b.row("Now").add(
    statPanel({ title: "Containers", unit: "short", w: 6, h: 4, description: "Containers seen by cAdvisor in the last scrape.", query: q(`count(${m("container_last_seen")})`) }),
    statPanel({ title: "CPU cores used", unit: "short", w: 6, h: 4, decimals: 2, description: "CPU seconds per second over all containers (1 = one core).", query: q(`sum(rate(${m("container_cpu_usage_seconds_total")}${RI}))`) }),
    statPanel({ title: "Closest to memory limit", unit: "percentunit", w: 6, h: 4, thresholds: memSteps, description: `Highest working set over memory limit; at 100% the container is OOM-killed. The alert warns at ${k.memoryLimitRatioWarning * 100}%.`, query: q(`max(${memRatio})`) }),
    statPanel({ title: "Most throttled", unit: "percentunit", w: 6, h: 4, thresholds: thrSteps, description: `Highest share of CPU periods throttled; the alert warns at ${k.cpuThrottleRatioWarning * 100}%.`, query: q(`max(${throttle})`) }),
  );
  b.row("Per container").add(
    timeseriesPanel({ title: "CPU", unit: "short", w: 12, h: 8, min: 0, legendTable: true, description: "CPU cores used per container.", queries: [q(`sum by (${name}) (rate(${m("container_cpu_usage_seconds_total")}${RI}))`, L)] }),
    timeseriesPanel({ title: "Memory working set", unit: "bytes", w: 12, h: 8, min: 0, legendTable: true, description: "Working-set memory per container (what the OOM killer counts).", queries: [q(`sum by (${name}) (${m("container_memory_working_set_bytes")})`, L)] }),
    timeseriesPanel({ title: "Memory over limit", unit: "percentunit", w: 12, h: 8, min: 0, drawThresholds: true, thresholds: memSteps, description: "Working set over limit for containers that have a limit; dashed: the alert line.", queries: [q(`max by (${name}) (${memRatio})`, L)] }),
    timeseriesPanel({ title: "CPU throttling", unit: "percentunit", w: 12, h: 8, min: 0, drawThresholds: true, thresholds: thrSteps, description: "Share of CPU periods in which the container was throttled by its quota.", queries: [q(throttle, L)] }),
    timeseriesPanel({ title: "Network received", unit: "Bps", w: 12, h: 8, min: 0, description: "Bytes received per second per container.", queries: [q(`sum by (${name}) (rate(${m("container_network_receive_bytes_total")}${RI}))`, L)] }),
    timeseriesPanel({ title: "Network sent", unit: "Bps", w: 12, h: 8, min: 0, description: "Bytes sent per second per container.", queries: [q(`sum by (${name}) (rate(${m("container_network_transmit_bytes_total")}${RI}))`, L)] }),
  );
  return b.builder;
}

export function endpointsDashboard(c: ContentConfig): DashboardBuilder {
  const p = c.probes;
  const m = (metric: string, extra?: string): string => sel(metric, p.selector, extra ? `${JOB_INSTANCE},${extra}` : JOB_INSTANCE);
  const expiry = thresholds(COLORS.bad, [p.certExpiryCriticalDays * DAY, COLORS.warn], [p.certExpiryWarningDays * DAY, COLORS.ok]);
  const b = new Board(
    { uid: DASHBOARD_UIDS.endpoints, title: "Endpoints", tags: ["infrastructure", "blackbox"], description: "Blackbox probes: which endpoints answer, how fast, and when their TLS certificates expire." },
    { jobFrom: sel("probe_success", p.selector) },
  );
  b.row("Now").add(
    statPanel({ title: "Endpoints down", unit: "short", w: 6, h: 4, thresholds: thresholds(COLORS.ok, [1, COLORS.bad]), description: "Probes failing right now.", query: q(`count(${m("probe_success")} == 0) or vector(0)`) }),
    statPanel({ title: "Probe success", unit: "percentunit", w: 6, h: 4, decimals: 2, thresholds: thresholds(COLORS.bad, [1, COLORS.ok]), description: "Share of probes that succeeded over the time range.", query: q(`avg(avg_over_time(${m("probe_success")}[$__range]))`) }),
    statPanel({ title: "Slowest probe", unit: "s", w: 6, h: 4, thresholds: alertSteps(p.slowSeconds), description: `Longest probe duration; over ${p.slowSeconds}s counts as slow (alert).`, query: q(`max(${m("probe_duration_seconds")})`) }),
    statPanel({ title: "Next certificate expiry", unit: "s", w: 6, h: 4, sparkline: false, thresholds: expiry, description: `Time until the first TLS certificate expires. Amber under ${p.certExpiryWarningDays} days, red under ${p.certExpiryCriticalDays} (the expiry alerts).`, query: q(`min(${m("probe_ssl_earliest_cert_expiry")} - time())`) }),
  );
  b.row("Probes").add(
    stateTimelinePanel({ title: "Up or down", unit: "none", w: 24, h: 6, mappings: boolMapping("down", "up"), thresholds: thresholds(COLORS.bad, [1, COLORS.ok]), description: "Probe result over time per endpoint.", query: q(`max by (instance) (${m("probe_success")})`, "{{instance}}") }),
    timeseriesPanel({ title: "Probe duration", unit: "s", w: 12, h: 8, min: 0, drawThresholds: true, thresholds: alertSteps(p.slowSeconds), description: "Total probe time per endpoint; dashed: the slow-probe line.", queries: [q(`max by (instance) (${m("probe_duration_seconds")})`, "{{instance}}")] }),
    timeseriesPanel({ title: "HTTP phases", unit: "s", w: 12, h: 8, min: 0, stack: true, description: "Where an HTTP probe spends its time: resolve, connect, tls, processing, transfer.", queries: [q(`max by (phase) (${m("probe_http_duration_seconds")})`, "{{phase}}")] }),
    timeseriesPanel({ title: "Certificate expiry", unit: "s", w: 12, h: 8, min: 0, drawThresholds: true, thresholds: expiry, description: "Time left on each endpoint's earliest-expiring certificate; dashed: the expiry alert lines.", queries: [q(`min by (instance) (${m("probe_ssl_earliest_cert_expiry")}) - time()`, "{{instance}}")] }),
    timeseriesPanel({ title: "HTTP status code", unit: "none", w: 12, h: 8, description: "Status code each HTTP probe received (0: no response).", queries: [q(`max by (instance) (${m("probe_http_status_code")})`, "{{instance}}")] }),
  );
  return b.builder;
}
