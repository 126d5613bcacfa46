/**
 * Small typed wrappers over the foundation SDK's panel builders, so every panel gets the house conventions by
 * construction: the `${datasource}` variable, a unit, a description, refIds, legends that show, thresholds that are
 * the alert's thresholds. Each call returns a new builder.
 */
import * as common from "@grafana/grafana-foundation-sdk/common";
import * as dash from "@grafana/grafana-foundation-sdk/dashboard";
import * as prom from "@grafana/grafana-foundation-sdk/prometheus";
import * as bargauge from "@grafana/grafana-foundation-sdk/bargauge";
import * as gauge from "@grafana/grafana-foundation-sdk/gauge";
import * as stat from "@grafana/grafana-foundation-sdk/stat";
import * as statetimeline from "@grafana/grafana-foundation-sdk/statetimeline";
import * as table from "@grafana/grafana-foundation-sdk/table";
import * as timeseries from "@grafana/grafana-foundation-sdk/timeseries";

/** Every panel and query reaches Prometheus through the dashboard's datasource variable. */
export const PROM_DS = { type: "prometheus", uid: "${datasource}" };
/** The job/instance filter every raw selector carries, so the variables filter every panel. */
export const JOB_INSTANCE = 'job=~"$job",instance=~"$instance"';

export const COLORS = { ok: "green", warn: "#EAB839", bad: "red", info: "blue", neutral: "text" } as const;

export interface Query {
  readonly expr: string;
  readonly legend?: string;
  readonly instant?: boolean;
  readonly table?: boolean;
}

export function q(expr: string, legend?: string): Query {
  return legend === undefined ? { expr } : { expr, legend };
}

function target(query: Query, i: number): prom.DataqueryBuilder {
  const b = new prom.DataqueryBuilder().expr(query.expr).refId(String.fromCharCode(65 + i)).datasource(PROM_DS);
  b.legendFormat(query.legend ?? "__auto");
  if (query.instant) b.instant();
  if (query.table) b.format(prom.PromQueryFormat.Table);
  return b;
}

export type Step = readonly [number, string];

/** Absolute thresholds: `base` below the first step, then each `[value, color]` from that value up. */
export function thresholds(base: string, ...steps: readonly Step[]): dash.ThresholdsConfigBuilder {
  return new dash.ThresholdsConfigBuilder().mode(dash.ThresholdsMode.Absolute).steps([
    { value: null, color: base },
    ...steps.map(([value, color]) => ({ value, color })),
  ]);
}

/** Green, amber from `warning`, red from `critical`: the common shape of "higher is worse" alert thresholds. */
export function alertSteps(warning: number, critical?: number): dash.ThresholdsConfigBuilder {
  return critical === undefined ? thresholds(COLORS.ok, [warning, COLORS.warn]) : thresholds(COLORS.ok, [warning, COLORS.warn], [critical, COLORS.bad]);
}

export interface PanelBase {
  readonly title: string;
  readonly description: string;
  readonly unit: string;
  readonly w: number;
  readonly h: number;
  readonly decimals?: number;
  readonly min?: number;
  readonly max?: number;
  readonly thresholds?: dash.ThresholdsConfigBuilder;
  readonly mappings?: dash.ValueMapping[];
}

interface Common {
  title(t: string): unknown; description(d: string): unknown; unit(u: string): unknown; span(w: number): unknown; height(h: number): unknown;
  datasource(d: { type: string; uid: string }): unknown; decimals(n: number): unknown; min(n: number): unknown; max(n: number): unknown;
  thresholds(t: dash.ThresholdsConfigBuilder): unknown; mappings(m: dash.ValueMapping[]): unknown; withTarget(t: prom.DataqueryBuilder): unknown;
}

function apply<B extends Common>(b: B, o: PanelBase, queries: readonly Query[]): B {
  b.title(o.title);
  b.description(o.description);
  b.unit(o.unit);
  b.span(o.w);
  b.height(o.h);
  b.datasource(PROM_DS);
  if (o.decimals !== undefined) b.decimals(o.decimals);
  if (o.min !== undefined) b.min(o.min);
  if (o.max !== undefined) b.max(o.max);
  if (o.thresholds) b.thresholds(o.thresholds);
  if (o.mappings) b.mappings(o.mappings);
  queries.forEach((qq, i) => b.withTarget(target(qq, i)));
  return b;
}

export interface TimeseriesOpts extends PanelBase {
  readonly queries: readonly Query[];
  /** Draw the thresholds on the graph (the alert lines). */
  readonly drawThresholds?: boolean;
  readonly stack?: boolean;
  readonly bars?: boolean;
  /** Legend as a table with mean/max/last, for panels with many series. */
  readonly legendTable?: boolean;
}

export function timeseriesPanel(o: TimeseriesOpts): timeseries.PanelBuilder {
  const b = apply(new timeseries.PanelBuilder(), o, o.queries);
  b.lineWidth(1).fillOpacity(o.stack ? 30 : 10).showPoints(common.VisibilityMode.Never).spanNulls(false);
  if (o.bars) b.drawStyle(common.GraphDrawStyle.Bars).fillOpacity(80);
  if (o.stack) b.stacking(new common.StackingConfigBuilder().mode(common.StackingMode.Normal));
  if (o.drawThresholds) b.thresholdsStyle(new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.Dashed));
  const legend = new common.VizLegendOptionsBuilder().showLegend(true).placement(common.LegendPlacement.Bottom);
  if (o.legendTable) legend.displayMode(common.LegendDisplayMode.Table).calcs(["mean", "max", "lastNotNull"]).sortBy("Max").sortDesc(true);
  else legend.displayMode(common.LegendDisplayMode.List).calcs([]);
  b.legend(legend);
  b.tooltip(new common.VizTooltipOptionsBuilder().mode(common.TooltipDisplayMode.Multi).sort(common.SortOrder.Descending));
  return b;
}

export interface StatOpts extends PanelBase {
  readonly query: Query;
  /** Sparkline under the value. @default true */
  readonly sparkline?: boolean;
  /** Reducer over the range. @default "lastNotNull" */
  readonly calc?: "lastNotNull" | "mean" | "max" | "min" | "sum";
}

function reduce(calc: string): common.ReduceDataOptionsBuilder {
  return new common.ReduceDataOptionsBuilder().calcs([calc]).values(false);
}

export function statPanel(o: StatOpts): stat.PanelBuilder {
  const b = apply(new stat.PanelBuilder(), o, [o.query]);
  b.graphMode(o.sparkline === false ? common.BigValueGraphMode.None : common.BigValueGraphMode.Area)
    .colorMode(common.BigValueColorMode.Value)
    .textMode(common.BigValueTextMode.Auto)
    .reduceOptions(reduce(o.calc ?? "lastNotNull"));
  if (o.thresholds) b.colorScheme(new dash.FieldColorBuilder().mode(dash.FieldColorModeId.Thresholds));
  return b;
}

export function gaugePanel(o: StatOpts): gauge.PanelBuilder {
  const b = apply(new gauge.PanelBuilder(), o, [o.query]);
  b.reduceOptions(reduce(o.calc ?? "lastNotNull")).showThresholdMarkers(true).showThresholdLabels(false);
  return b;
}

export interface BarGaugeOpts extends PanelBase {
  readonly query: Query;
}

/** Horizontal bars, one per series (e.g. per customer or phase), coloured by the thresholds. */
export function barGaugePanel(o: BarGaugeOpts): bargauge.PanelBuilder {
  const b = apply(new bargauge.PanelBuilder(), o, [{ ...o.query, instant: true }]);
  b.reduceOptions(reduce("lastNotNull"))
    .orientation(common.VizOrientation.Horizontal)
    .displayMode(common.BarGaugeDisplayMode.Gradient)
    .showUnfilled(true);
  return b;
}

export interface TableOpts extends PanelBase {
  readonly query: Query;
  /** Columns to hide, e.g. `Time`, `__name__`. */
  readonly hide?: readonly string[];
}

export function tablePanel(o: TableOpts): table.PanelBuilder {
  const b = apply(new table.PanelBuilder(), o, [{ ...o.query, instant: true, table: true }]);
  const excludeByName: Record<string, boolean> = {};
  for (const h of o.hide ?? []) excludeByName[h] = true;
  b.withTransformation({ id: "organize", options: { excludeByName } });
  return b;
}

/** A row of coloured states over time (e.g. probe up/down), values mapped to words. */
export function stateTimelinePanel(o: PanelBase & { readonly query: Query }): statetimeline.PanelBuilder {
  return apply(new statetimeline.PanelBuilder(), o, [o.query]);
}

/** Value mappings for 0/1 series: `0` -> `zero` (red), `1` -> `one` (green). */
export function boolMapping(zero: string, one: string): dash.ValueMapping[] {
  return [{
    type: dash.MappingType.ValueToText,
    options: { "0": { text: zero, color: COLORS.bad, index: 0 }, "1": { text: one, color: COLORS.ok, index: 1 } },
  }];
}
