/** Redis via redis_exporter: down, memory near maxmemory, evictions, rejected connections, low hit rate. */
import type { RulePack, RuleTest } from "../core/rules/model";
import { sel } from "./config";
import { counter, firingAt, gauge, HOLDS_FROM_SECOND_SAMPLE, HOLDS_FROM_START, labelsFor, pct, series, stepsFor, type PackContext } from "./kit";

export const REDIS_ALERTS = ["RedisDown", "RedisMemoryNearLimit", "RedisEvictingKeys", "RedisRejectingConnections", "RedisCacheHitRateLow"] as const;

export function redisPack({ content, b }: PackContext): RulePack {
  const c = content.redis;
  const m = (metric: string): string => sel(metric, c.selector);
  const dashboard = b.dashboard("databaseInfra");
  const down = b.alert({
    alert: "RedisDown",
    severity: "critical",
    for: "1m",
    expr: `${m("redis_up")} == 0`,
    annotations: { summary: "Redis {{ $labels.instance }} is down", description: "redis_exporter {{ $labels.instance }} cannot reach its Redis server.", dashboard },
  });
  const memory = b.alert({
    alert: "RedisMemoryNearLimit",
    severity: "warning",
    for: "5m",
    threshold: c.memoryRatioWarning,
    expr: (t) => `${m("redis_memory_used_bytes")} / (${m("redis_memory_max_bytes")} > 0) > ${t}`,
    annotations: (t) => ({
      summary: "Redis {{ $labels.instance }} uses {{ $value | humanizePercentage }} of maxmemory",
      description: `Redis {{ $labels.instance }} uses {{ $value | humanizePercentage }} of maxmemory (warning above ${pct(t)}); at the limit it evicts keys or rejects writes, depending on its policy.`,
      dashboard,
    }),
  });
  const evictions = b.alert({
    alert: "RedisEvictingKeys",
    severity: "warning",
    for: "5m",
    threshold: c.evictionsPerSecondWarning,
    expr: (t) => `rate(${m("redis_evicted_keys_total")}[5m]) > ${t}`,
    annotations: (t) => ({
      summary: "Redis {{ $labels.instance }} evicts {{ $value | humanize }} keys/s",
      description: `Redis {{ $labels.instance }} evicts {{ $value | humanize }} keys per second (warning above ${t}): it is full, so cached data is dropped early.`,
      dashboard,
    }),
  });
  const rejected = b.alert({
    alert: "RedisRejectingConnections",
    severity: "warning",
    expr: `increase(${m("redis_rejected_connections_total")}[5m]) > 0`,
    annotations: {
      summary: "Redis {{ $labels.instance }} rejected {{ $value | humanize }} connections",
      description: "Redis {{ $labels.instance }} rejected {{ $value | humanize }} connections in 5 minutes because maxclients was reached.",
      dashboard,
    },
  });
  const hits = `rate(${m("redis_keyspace_hits_total")}[5m])`;
  const misses = `rate(${m("redis_keyspace_misses_total")}[5m])`;
  const hitRate = b.alert({
    alert: "RedisCacheHitRateLow",
    severity: "warning",
    for: "15m",
    threshold: c.hitRateWarning,
    expr: (t) => `${hits} / (${hits} + ${misses} > 0) < ${t}`,
    annotations: (t) => ({
      summary: "Redis {{ $labels.instance }} hit rate is {{ $value | humanizePercentage }}",
      description: `Only {{ $value | humanizePercentage }} of lookups on Redis {{ $labels.instance }} hit over 5 minutes (warning below ${pct(t)}); the database behind it takes the misses.`,
      dashboard,
    }),
  });

  const base = { job: "redis", instance: "cache-1:9121", ...labelsFor(c.selector) };
  const rules = [down, memory, evictions, rejected, hitRate];
  const n = Math.max(...rules.map((r) => stepsFor(r)));
  const gib = 1024 ** 3;
  const [mt, ht, et] = [memory.threshold ?? 0.9, hitRate.threshold ?? 0.8, evictions.threshold ?? 0];
  const redis = (memRatio: number, evictPerSec: number, rejectedPerMin: number, hitRatio: number): RuleTest["series"] => [
    series("redis_up", base, gauge([1, n])),
    series("redis_memory_max_bytes", base, gauge([gib, n])),
    series("redis_memory_used_bytes", base, gauge([gib * memRatio, n])),
    series("redis_evicted_keys_total", base, counter([evictPerSec, n])),
    series("redis_rejected_connections_total", base, counter([rejectedPerMin / 60, n])),
    series("redis_keyspace_hits_total", base, counter([100 * hitRatio, n])),
    series("redis_keyspace_misses_total", base, counter([100 * (1 - hitRatio), n])),
  ];
  const [memHigh, hitLow, evict] = [(mt + 1) / 2, ht / 2, et * 2 + 1];
  const tests: RuleTest[] = [
    {
      name: "a healthy cache raises nothing",
      series: redis(mt / 2, 0, 0, (ht + 1) / 2),
      alerts: rules.map((r) => ({ evalTime: firingAt(r), alert: r.alert, expect: [] })),
    },
    {
      name: "a down Redis pages",
      series: [series("redis_up", base, gauge([0, n]))],
      alerts: [{ evalTime: firingAt(down), activeSince: HOLDS_FROM_START, alert: down.alert, expect: [{ labels: base }] }],
    },
    {
      name: "a full, evicting, rejecting, missing cache warns on each",
      series: redis(memHigh, evict, 6, hitLow),
      alerts: [
        { evalTime: firingAt(memory), activeSince: HOLDS_FROM_START, alert: memory.alert, expect: [{ labels: base, value: memHigh }] },
        { evalTime: firingAt(evictions), activeSince: HOLDS_FROM_SECOND_SAMPLE, alert: evictions.alert, expect: [{ labels: base, value: evict }] },
        { evalTime: firingAt(rejected), alert: rejected.alert, expect: [{ labels: base, value: 30 }] },
        { evalTime: firingAt(hitRate), activeSince: HOLDS_FROM_SECOND_SAMPLE, alert: hitRate.alert, expect: [{ labels: base, value: hitLow }] },
      ],
    },
  ];
  return { name: "redis", groups: [{ name: "redis", rules }], tests };
}
