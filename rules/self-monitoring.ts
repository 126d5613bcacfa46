/**
 * Monitoring the monitoring: Prometheus (config reload, rule evaluation, notification queue and delivery, TSDB
 * compaction and WAL, scrape-pool limits), Alertmanager (config reload, cluster members, notification delivery),
 * and the Watchdog.
 *
 * Watchdog is severity "info" by choice: it must never page through the normal severity routes. It always fires
 * (`vector(1)`); route `alertname="Watchdog"` to a dead man's switch, which pages when it stops arriving.
 */
import type { AlertRule, RulePack, RuleTest } from "../core/rules/model";
import { sel } from "./config";
import { counter, firingAt, forMinutes, gauge, HOLDS_FROM_SECOND_SAMPLE, HOLDS_FROM_START, labelsFor, type PackContext, pct, series, stepsFor } from "./kit";

export const SELF_MONITORING_ALERTS = [
  "PrometheusConfigReloadFailed", "PrometheusRuleEvaluationFailures", "PrometheusRuleEvaluationsMissed", "PrometheusNotificationQueueRunningFull",
  "PrometheusNotificationsFailing", "PrometheusNotConnectedToAlertmanagers", "PrometheusTsdbCompactionsFailing", "PrometheusTsdbWalFailing",
  "PrometheusTargetLimitHit", "PrometheusSampleLimitHit", "PrometheusTsdbRetentionSizeReached", "AlertmanagerConfigReloadFailed", "AlertmanagerClusterMembersMissing",
  "AlertmanagerNotificationsFailing", "Watchdog",
] as const;

/**
 * Blocks are cut every 2h, so a TSDB held by its size limit deletes at least one block every 2h: a 3h window keeps
 * the alert firing for as long as the limit, not the retention time, decides what is kept.
 */
const RETENTION_WINDOW = "3h";
const RETENTION_WINDOW_SECONDS = 3 * 3600;

export function selfMonitoringPack({ content, b }: PackContext): RulePack {
  const c = content.selfMonitoring;
  const p = (metric: string): string => sel(metric, c.prometheusSelector);
  const a = (metric: string): string => sel(metric, c.alertmanagerSelector);
  const dashboard = b.dashboard("selfHealth");
  const simple = (alert: string, severity: AlertRule["severity"], forD: string, expr: string, summary: string, description: string): AlertRule =>
    b.alert({ alert, severity, for: forD, expr, annotations: { summary, description, dashboard } });
  const prom = [
    simple("PrometheusConfigReloadFailed", "warning", "10m", `max_over_time(${p("prometheus_config_last_reload_successful")}[${c.reloadWindow}]) == 0`,
      "Prometheus {{ $labels.instance }} failed to reload its config",
      "Prometheus {{ $labels.instance }} rejected its latest configuration and keeps running the previous one; changes (targets, rules) are not in effect."),
    simple("PrometheusRuleEvaluationFailures", "critical", "15m", `increase(${p("prometheus_rule_evaluation_failures_total")}[5m]) > 0`,
      "Prometheus {{ $labels.instance }} fails to evaluate rules in {{ $labels.rule_group }}",
      "Rules of group {{ $labels.rule_group }} fail to evaluate on {{ $labels.instance }}: their alerts cannot fire. Check the rule's query (many-to-many matching, range vector as result)."),
    simple("PrometheusRuleEvaluationsMissed", "warning", "15m", `increase(${p("prometheus_rule_group_iterations_missed_total")}[5m]) > 0`,
      "Prometheus {{ $labels.instance }} misses evaluations of {{ $labels.rule_group }}",
      "Rule group {{ $labels.rule_group }} on {{ $labels.instance }} takes longer than its interval, so iterations are skipped and alerts fire late."),
    simple("PrometheusNotificationQueueRunningFull", "warning", "15m",
      `predict_linear(${p("prometheus_notifications_queue_length")}[5m], 60 * 30)\n>\nmin_over_time(${p("prometheus_notifications_queue_capacity")}[5m])`,
      "Prometheus {{ $labels.instance }} alert queue will be full within 30 minutes",
      "The queue of alerts Prometheus {{ $labels.instance }} sends to Alertmanager grows and will overflow within 30 minutes; alerts will then be dropped."),
  ];
  const notif = b.alert({
    alert: "PrometheusNotificationsFailing",
    severity: "warning",
    for: "15m",
    threshold: c.notificationErrorRatioWarning,
    expr: (t) => `rate(${p("prometheus_notifications_errors_total")}[5m])\n/\nrate(${p("prometheus_notifications_sent_total")}[5m])\n> ${t}`,
    annotations: (t) => ({
      summary: "Prometheus {{ $labels.instance }} fails to send {{ $value | humanizePercentage }} of alerts",
      description: `Prometheus {{ $labels.instance }} failed to send {{ $value | humanizePercentage }} of alerts to Alertmanager {{ $labels.alertmanager }} (warning above ${pct(t)}).`,
      dashboard,
    }),
  });
  const prom2 = [
    simple("PrometheusNotConnectedToAlertmanagers", "warning", "10m", `max_over_time(${p("prometheus_notifications_alertmanagers_discovered")}[5m]) < 1`,
      "Prometheus {{ $labels.instance }} has no Alertmanager",
      "Prometheus {{ $labels.instance }} has discovered no Alertmanager to send alerts to: every alert is lost."),
    simple("PrometheusTsdbCompactionsFailing", "warning", "15m", `increase(${p("prometheus_tsdb_compactions_failed_total")}[3h]) > 0`,
      "Prometheus {{ $labels.instance }} fails to compact its TSDB",
      "Prometheus {{ $labels.instance }} failed block compactions in the last 3 hours; disk use grows and queries slow down. Check free disk space and the log."),
    simple("PrometheusTsdbWalFailing", "warning", "15m",
      `increase(${p("prometheus_tsdb_wal_corruptions_total")}[3h]) > 0\nor\nincrease(${p("prometheus_tsdb_wal_truncations_failed_total")}[3h]) > 0`,
      "Prometheus {{ $labels.instance }} has WAL corruptions or failed truncations",
      "The write-ahead log of Prometheus {{ $labels.instance }} was corrupted or could not be truncated in the last 3 hours; recent samples may be lost on restart."),
    simple("PrometheusTargetLimitHit", "warning", "15m", `increase(${p("prometheus_target_scrape_pool_exceeded_target_limit_total")}[5m]) > 0`,
      "Prometheus {{ $labels.instance }} dropped targets over a scrape pool's target_limit",
      "A scrape pool on {{ $labels.instance }} has more targets than its target_limit, so none of its targets are scraped. Raise the limit or split the job."),
    simple("PrometheusSampleLimitHit", "warning", "15m", `increase(${p("prometheus_target_scrapes_exceeded_sample_limit_total")}[5m]) > 0`,
      "Prometheus {{ $labels.instance }} rejects scrapes over sample_limit",
      "Scrapes on {{ $labels.instance }} return more samples than the job's sample_limit and are rejected whole: those targets look down. Find the cardinality explosion."),
    // Size-based retention deletes the oldest blocks once blocks + WAL exceed retentionSize. A deletion at start-up
    // (a lowered limit rolled out, a restart on a full volume) is in the counter's first sample, where increase()
    // sees nothing: the second branch catches it while the process is younger than the window.
    simple("PrometheusTsdbRetentionSizeReached", "warning", "15m",
      `increase(${p("prometheus_tsdb_size_retentions_total")}[${RETENTION_WINDOW}]) > 0\nor\n(\n  ${p("prometheus_tsdb_size_retentions_total")} > 0\nand on (job, instance)\n  time() - ${p("process_start_time_seconds")} < ${RETENTION_WINDOW_SECONDS}\n)`,
      "Prometheus {{ $labels.instance }} deletes its oldest data to stay under its size limit",
      "Prometheus {{ $labels.instance }} reached its retention size (storage.retentionSize) and deleted its oldest blocks in the last 3 hours: it keeps less history than its retention time says, and dashboards or SLO windows reaching further back show gaps. Raise retentionSize together with the volume, or lower the retention time or the number of series."),
  ];
  const amReload = simple("AlertmanagerConfigReloadFailed", "critical", "10m", `max_over_time(${a("alertmanager_config_last_reload_successful")}[${c.reloadWindow}]) == 0`,
    "Alertmanager {{ $labels.instance }} failed to reload its config",
    "Alertmanager {{ $labels.instance }} rejected its latest configuration and routes with the previous one.");
  const members = `max_over_time(${a("alertmanager_cluster_members")}[5m])`;
  const amCluster = simple("AlertmanagerClusterMembersMissing", "critical", "15m",
    `${members}\n< on (job) group_left ()\ncount by (job) (${members})`,
    "Alertmanager {{ $labels.instance }} sees only {{ $value }} cluster members",
    "Alertmanager {{ $labels.instance }} sees {{ $value }} members although job {{ $labels.job }} runs more; the cluster is split and may send duplicate or no notifications.");
  const amNotif = b.alert({
    alert: "AlertmanagerNotificationsFailing",
    severity: "critical",
    for: "5m",
    threshold: c.notificationErrorRatioWarning,
    expr: (t) => `sum without (reason) (rate(${a("alertmanager_notifications_failed_total")}[5m]))\n/\nsum without (reason) (rate(${a("alertmanager_notifications_total")}[5m]))\n> ${t}`,
    annotations: (t) => ({
      summary: "Alertmanager {{ $labels.instance }} fails {{ $value | humanizePercentage }} of {{ $labels.integration }} notifications",
      description: `Alertmanager {{ $labels.instance }} failed to deliver {{ $value | humanizePercentage }} of notifications via {{ $labels.integration }} (above ${pct(t)}): people are not told. Check the receiver's credentials and endpoint.`,
      dashboard,
    }),
  });
  const watchdog = b.alert({
    alert: "Watchdog",
    severity: "info",
    expr: "vector(1)",
    annotations: {
      summary: "Alerting pipeline heartbeat (always firing)",
      description: "This alert always fires. It proves that Prometheus evaluates rules and Alertmanager delivers notifications. Route it to a dead man's switch, which pages when the heartbeat stops.",
    },
  });
  const promRules = [...prom, notif, ...prom2];
  const groups = [
    { name: "prometheus", rules: promRules },
    { name: "alertmanager", rules: [amReload, amCluster, amNotif] },
    { name: "watchdog", rules: [watchdog] },
  ];

  const P = { job: "prometheus", instance: "localhost:9090", ...labelsFor(c.prometheusSelector) };
  const A = { job: "alertmanager", instance: "am-1:9093", ...labelsFor(c.alertmanagerSelector) };
  const A2 = { ...A, instance: "am-2:9093" };
  const group = { ...P, rule_group: "/etc/prometheus/rules/http.yml;http" };
  const am = { ...P, alertmanager: "http://am-1:9093/api/v2/alerts" };
  const hook = { ...A, integration: "webhook" };
  const all = [...promRules, amReload, amCluster, amNotif];
  const n = Math.max(...all.map((r) => stepsFor(r)));
  const t = notif.threshold ?? 0.01;
  const bad = Math.min(1, (t + 1) / 2);
  const state = (broken: boolean): RuleTest["series"] => {
    const flag = gauge([broken ? 0 : 1, n]);
    const grows = counter([broken ? 1 / 60 : 0, n]);
    return [
      series("prometheus_config_last_reload_successful", P, flag),
      series("prometheus_rule_evaluation_failures_total", group, grows),
      series("prometheus_rule_group_iterations_missed_total", group, grows),
      series("prometheus_notifications_queue_length", P, broken ? `0+500x${n}` : gauge([0, n])),
      series("prometheus_notifications_queue_capacity", P, gauge([10_000, n])),
      series("prometheus_notifications_sent_total", am, counter([1, n])),
      series("prometheus_notifications_errors_total", am, counter([broken ? bad : 0, n])),
      series("prometheus_notifications_alertmanagers_discovered", P, flag),
      series("prometheus_tsdb_compactions_failed_total", P, grows),
      series("prometheus_tsdb_wal_corruptions_total", P, grows),
      series("prometheus_tsdb_wal_truncations_failed_total", P, gauge([0, n])),
      series("prometheus_target_scrape_pool_exceeded_target_limit_total", P, grows),
      series("prometheus_target_scrapes_exceeded_sample_limit_total", P, grows),
      series("prometheus_tsdb_size_retentions_total", P, grows),
      // Started at the test's time 0: young enough for the start-up branch, which needs a deletion too.
      series("process_start_time_seconds", P, gauge([0, n])),
      series("alertmanager_config_last_reload_successful", A, flag),
      series("alertmanager_cluster_members", A, gauge([broken ? 1 : 2, n])),
      series("alertmanager_cluster_members", A2, gauge([2, n])),
      series("alertmanager_notifications_total", hook, counter([1, n])),
      series("alertmanager_notifications_failed_total", { ...hook, reason: "other" }, counter([broken ? bad : 0, n])),
    ];
  };
  const labelsOf: Record<string, Record<string, string>> = {
    PrometheusRuleEvaluationFailures: group,
    PrometheusRuleEvaluationsMissed: group,
    PrometheusNotificationsFailing: am,
    AlertmanagerConfigReloadFailed: A,
    AlertmanagerClusterMembersMissing: A,
    AlertmanagerNotificationsFailing: hook,
  };
  // Alerts on a counter's increase (or a queue's growth) hold from the second sample; flags and gauges from the first.
  const fromCounter = new Set([
    "PrometheusRuleEvaluationFailures", "PrometheusRuleEvaluationsMissed", "PrometheusNotificationQueueRunningFull", "PrometheusNotificationsFailing",
    "PrometheusTsdbCompactionsFailing", "PrometheusTsdbWalFailing", "PrometheusTargetLimitHit", "PrometheusSampleLimitHit", "AlertmanagerNotificationsFailing",
    "PrometheusTsdbRetentionSizeReached",
  ]);
  const valueOf: Record<string, number> = { PrometheusNotificationsFailing: bad, AlertmanagerClusterMembersMissing: 1, AlertmanagerNotificationsFailing: bad };
  const tests: RuleTest[] = [
    {
      name: "a healthy Prometheus and Alertmanager raise nothing but the Watchdog",
      series: state(false),
      alerts: [
        ...all.map((r) => ({ evalTime: firingAt(r), alert: r.alert, expect: [] })),
        { evalTime: "1m", alert: watchdog.alert, expect: [{}] },
      ],
    },
    {
      name: "a broken Prometheus and Alertmanager raise every self-monitoring alert",
      series: state(true),
      alerts: all.map((r) => ({ evalTime: firingAt(r), activeSince: fromCounter.has(r.alert) ? HOLDS_FROM_SECOND_SAMPLE : HOLDS_FROM_START, alert: r.alert, expect: [{ labels: labelsOf[r.alert] ?? P, value: valueOf[r.alert] }] })),
    },
    restartAfterSizeDeletion(promRules.find((r) => r.alert === "PrometheusTsdbRetentionSizeReached")!, P),
  ];
  return { name: "self-monitoring", groups, tests };
}

/**
 * A Prometheus that deleted blocks by size while starting (its counter's first sample is already 2, so increase()
 * sees nothing): the alert fires while the process is younger than the window, and clears once it is older.
 */
function restartAfterSizeDeletion(rule: AlertRule, P: Record<string, string>): RuleTest {
  const forMin = forMinutes(rule);
  const steps = RETENTION_WINDOW_SECONDS / 60 + forMin + 30;
  return {
    name: "a start-up that deleted blocks by size raises PrometheusTsdbRetentionSizeReached until the process is older than the window",
    series: [
      series("prometheus_tsdb_size_retentions_total", P, gauge([2, steps])),
      series("process_start_time_seconds", P, gauge([0, steps])),
    ],
    alerts: [
      { evalTime: firingAt(rule), activeSince: HOLDS_FROM_START, alert: rule.alert, expect: [{ labels: P }] },
      { evalTime: `${RETENTION_WINDOW_SECONDS / 60 + forMin + 10}m`, alert: rule.alert, expect: [] },
    ],
  };
}
