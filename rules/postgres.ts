/**
 * PostgreSQL via postgres_exporter: down, connections near max_connections (seeds: 80 of 100), long-running
 * queries, replication lag, deadlocks.
 */
import type { RulePack, RuleTest } from "../core/rules/model";
import { sel } from "./config";
import { counter, firingAt, gauge, HOLDS_FROM_START, labelsFor, pct, series, stepsFor, type PackContext } from "./kit";

export const POSTGRES_ALERTS = [
  "PostgresDown", "PostgresConnectionsNearLimit", "PostgresSlowQueries", "PostgresReplicationLagHigh", "PostgresDeadlocksDetected",
] as const;

export function postgresPack({ content, b }: PackContext): RulePack {
  const c = content.postgres;
  const m = (metric: string, extra?: string): string => sel(metric, c.selector, extra);
  const dashboard = b.dashboard("databaseInfra");
  const down = b.alert({
    alert: "PostgresDown",
    severity: "critical",
    for: "1m",
    expr: `${m("pg_up")} == 0`,
    annotations: {
      summary: "PostgreSQL {{ $labels.instance }} is down",
      description: "postgres_exporter {{ $labels.instance }} cannot connect to its database: the server is down or refuses connections.",
      dashboard,
    },
  });
  const conns = b.alert({
    alert: "PostgresConnectionsNearLimit",
    severity: "warning",
    for: "5m",
    threshold: c.connectionsRatioWarning,
    expr: (t) => `sum by (job, instance) (${m("pg_stat_activity_count")})\n/\nmax by (job, instance) (${m("pg_settings_max_connections")})\n> ${t}`,
    annotations: (t) => ({
      summary: "PostgreSQL {{ $labels.instance }} uses {{ $value | humanizePercentage }} of max_connections",
      description: `{{ $labels.instance }} has {{ $value | humanizePercentage }} of max_connections in use (warning above ${pct(t)}); new clients will be refused at 100%. Check for connection leaks or add a pooler.`,
      dashboard,
    }),
  });
  const slow = b.alert({
    alert: "PostgresSlowQueries",
    severity: "warning",
    for: "2m",
    threshold: c.slowQuerySeconds,
    expr: (t) => `max by (job, instance, datname) (${m("pg_stat_activity_max_tx_duration", 'state="active"')}) > ${t}`,
    annotations: (t) => ({
      summary: "PostgreSQL {{ $labels.datname }} has a transaction running {{ $value | humanizeDuration }}",
      description: `The longest active transaction in database {{ $labels.datname }} on {{ $labels.instance }} has run for {{ $value | humanizeDuration }} (warning above ${t}s); it may hold locks others wait for.`,
      dashboard,
    }),
  });
  const lag = b.alert({
    alert: "PostgresReplicationLagHigh",
    severity: "warning",
    for: "5m",
    threshold: c.replicationLagWarningSeconds,
    expr: (t) => `max by (job, instance) (${m(c.replicationLagMetric)}) > ${t}`,
    annotations: (t) => ({
      summary: "PostgreSQL replica {{ $labels.instance }} lags {{ $value | humanizeDuration }}",
      description: `Replica {{ $labels.instance }} replays WAL {{ $value | humanizeDuration }} behind its primary (warning above ${t}s); reads from it are stale and failover would lose data.`,
      dashboard,
    }),
  });
  const deadlocks = b.alert({
    alert: "PostgresDeadlocksDetected",
    severity: "warning",
    threshold: c.deadlocksWarning,
    expr: (t) => `sum by (job, instance, datname) (increase(${m("pg_stat_database_deadlocks")}[5m])) > ${t}`,
    annotations: (t) => ({
      summary: "PostgreSQL {{ $labels.datname }} had {{ $value | humanize }} deadlocks in 5 minutes",
      description: `Database {{ $labels.datname }} on {{ $labels.instance }} aborted {{ $value | humanize }} transactions as deadlocked in 5 minutes (warning above ${t}); the application takes locks in inconsistent order.`,
      dashboard,
    }),
  });

  const base = { job: "postgres", instance: "db-1:9187", ...labelsFor(c.selector) };
  const who = { job: base.job, instance: base.instance };
  const n = Math.max(...[down, conns, slow, lag, deadlocks].map((r) => stepsFor(r)));
  const ct = conns.threshold ?? 0.8;
  const maxConn = 100;
  const [st, lt] = [slow.threshold ?? 60, lag.threshold ?? 30];
  const healthy = (busyRatio: number, txSeconds: number, lagSeconds: number, deadlocksPerMin: number): RuleTest["series"] => [
    series("pg_up", base, gauge([1, n])),
    series("pg_settings_max_connections", base, gauge([maxConn, n])),
    series("pg_stat_activity_count", { ...base, datname: "app", state: "active" }, gauge([Math.round(maxConn * busyRatio), n])),
    series("pg_stat_activity_count", { ...base, datname: "app", state: "idle" }, gauge([0, n])),
    series("pg_stat_activity_max_tx_duration", { ...base, datname: "app", state: "active" }, gauge([txSeconds, n])),
    series(c.replicationLagMetric, base, gauge([lagSeconds, n])),
    series("pg_stat_database_deadlocks", { ...base, datname: "app" }, counter([deadlocksPerMin / 60, n])),
  ];
  const busy = Math.round(maxConn * ((ct + 1) / 2)) / maxConn;
  const deadlockRate = ((deadlocks.threshold ?? 0) + 1) * 2;
  const tests: RuleTest[] = [
    {
      name: "a healthy database raises nothing",
      series: healthy(ct / 2, st / 2, lt / 2, 0),
      alerts: [down, conns, slow, lag, deadlocks].map((r) => ({ evalTime: firingAt(r), alert: r.alert, expect: [] })),
    },
    {
      name: "a down database pages",
      series: [series("pg_up", base, gauge([0, n]))],
      alerts: [{ evalTime: firingAt(down), activeSince: HOLDS_FROM_START, alert: down.alert, expect: [{ labels: base }] }],
    },
    {
      name: "a busy, slow, lagging, deadlocking database warns on each",
      series: healthy(busy, st * 2, lt * 2, deadlockRate),
      alerts: [
        { evalTime: firingAt(conns), activeSince: HOLDS_FROM_START, alert: conns.alert, expect: [{ labels: who, value: busy }] },
        { evalTime: firingAt(slow), activeSince: HOLDS_FROM_START, alert: slow.alert, expect: [{ labels: { ...who, datname: "app" }, value: st * 2 }] },
        { evalTime: firingAt(lag), activeSince: HOLDS_FROM_START, alert: lag.alert, expect: [{ labels: who, value: lt * 2 }] },
        { evalTime: firingAt(deadlocks), alert: deadlocks.alert, expect: [{ labels: { ...who, datname: "app" }, value: deadlockRate * 5 }] },
      ],
    },
  ];
  return { name: "postgres", groups: [{ name: "postgres", rules: [down, conns, slow, lag, deadlocks] }], tests };
}
