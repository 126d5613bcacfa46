/**
 * KPI panels whose thresholds are the target: green when the goal is met, amber inside an optional tolerance,
 * red (or amber, for soft goals) when missed. One declaration gives the colour bands, the description line stating
 * the target, and the min/max of a gauge, so a KPI board can never show a colour that disagrees with its goal.
 */
import type * as bargauge from "@grafana/grafana-foundation-sdk/bargauge";
import type * as dash from "@grafana/grafana-foundation-sdk/dashboard";
import type * as gauge from "@grafana/grafana-foundation-sdk/gauge";
import type * as stat from "@grafana/grafana-foundation-sdk/stat";
import { barGaugePanel, COLORS, gaugePanel, statPanel, thresholds } from "./panels";

export interface KpiTarget {
  readonly title: string;
  /** What the number is; the target sentence is appended. */
  readonly description: string;
  /** PromQL returning the KPI (one series, or one per group for `bargauge`). */
  readonly expr: string;
  /** Grafana unit of the value and the goal. */
  readonly unit: string;
  /** The target value. */
  readonly goal: number;
  /** `higher`: met at or above the goal; `lower`: met below it. */
  readonly better: "higher" | "lower";
  /**
   * Where "missed" turns from amber to red, on the far side of the goal (below it for `higher`, above for `lower`).
   * Without it, a miss is one colour (see `miss`).
   */
  readonly limit?: number;
  /** Colour of a miss when there is no `limit`: `critical` red, `warning` amber (soft goals). @default "critical" */
  readonly miss?: "critical" | "warning";
  /** @default "stat" */
  readonly display?: "stat" | "gauge" | "bargauge";
  /** Legend of each series (bargauge), e.g. `{{company_name}}`. */
  readonly legend?: string;
  readonly min?: number;
  readonly max?: number;
  readonly decimals?: number;
  /** Grid size. @default 6 x 4 (bargauge 12 x 8) */
  readonly w?: number;
  readonly h?: number;
}

export type KpiPanel = stat.PanelBuilder | gauge.PanelBuilder | bargauge.PanelBuilder;

/** Problems in a KPI declaration; empty when fine. */
export function checkKpiTarget(k: KpiTarget): string[] {
  const out: string[] = [];
  if (!Number.isFinite(k.goal)) out.push(`goal must be a finite number, got ${k.goal}`);
  if (k.limit !== undefined) {
    if (k.better === "higher" && !(k.limit < k.goal)) out.push(`limit ${k.limit} must be below the goal ${k.goal} when higher is better`);
    if (k.better === "lower" && !(k.limit > k.goal)) out.push(`limit ${k.limit} must be above the goal ${k.goal} when lower is better`);
  }
  if (k.min !== undefined && k.max !== undefined && k.min >= k.max) out.push(`min ${k.min} must be below max ${k.max}`);
  if (!k.title.trim()) out.push("title is empty");
  return out;
}

/** The threshold steps that encode the target. */
export function kpiThresholds(k: KpiTarget): dash.ThresholdsConfigBuilder {
  const missColor = k.miss === "warning" ? COLORS.warn : COLORS.bad;
  if (k.better === "higher") {
    return k.limit === undefined
      ? thresholds(missColor, [k.goal, COLORS.ok])
      : thresholds(COLORS.bad, [k.limit, COLORS.warn], [k.goal, COLORS.ok]);
  }
  return k.limit === undefined
    ? thresholds(COLORS.ok, [k.goal, missColor])
    : thresholds(COLORS.ok, [k.goal, COLORS.warn], [k.limit, COLORS.bad]);
}

function targetSentence(k: KpiTarget): string {
  const fmt = (n: number): string => (k.unit === "percentunit" ? `${+(n * 100).toFixed(4)}%` : k.unit === "percent" ? `${n}%` : `${n} (${k.unit})`);
  const cmp = k.better === "higher" ? "at least" : "below";
  const tol = k.limit === undefined ? "" : `; amber up to ${fmt(k.limit)}, red beyond`;
  return `Target: ${cmp} ${fmt(k.goal)}${tol}.`;
}

/** A new stat, gauge or bar gauge panel whose thresholds are the target. Throws on an inconsistent declaration. */
export function target(k: KpiTarget): KpiPanel {
  const problems = checkKpiTarget(k);
  if (problems.length > 0) throw new Error(`KPI "${k.title}": ${problems.join("; ")}`);
  const display = k.display ?? "stat";
  const base = {
    title: k.title,
    description: `${k.description.trim()} ${targetSentence(k)}`,
    unit: k.unit,
    w: k.w ?? (display === "bargauge" ? 12 : 6),
    h: k.h ?? (display === "bargauge" ? 8 : 4),
    thresholds: kpiThresholds(k),
    ...(k.decimals !== undefined ? { decimals: k.decimals } : {}),
    ...(k.min !== undefined ? { min: k.min } : {}),
    ...(k.max !== undefined ? { max: k.max } : {}),
  };
  const query = k.legend === undefined ? { expr: k.expr } : { expr: k.expr, legend: k.legend };
  if (display === "gauge") return gaugePanel({ ...base, query });
  if (display === "bargauge") return barGaugePanel({ ...base, query });
  return statPanel({ ...base, query });
}
