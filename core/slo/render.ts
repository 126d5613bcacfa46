/**
 * An SLO as a rule pack (`slo-<name>`), in the same model as every other pack so it renders, validates, gets
 * promtool unit tests and runbooks the same way. One group, evaluated in order: the share of bad events over each
 * window, the burn rate over each window (that share over the error budget), the budget left and the objective,
 * then the page and ticket alerts that read them.
 */
import type { Duration } from "../duration";
import type { AlertRule, RecordingRule, RulePack } from "../rules/model";
import { RuleBuilder } from "../rules/overrides";
import { alertingEnabled, burnFactor, type BurnCondition, errorBudget, leValue, PAGE_CONDITIONS, recordedWindows, type SeriesOf, type Sli, SLO_RECORDS, type SloSpec, sloAlertNames, sloLabels, sloPackName, sloWindow, TICKET_CONDITIONS } from "./model";
import { sloUnitTests } from "./unit-tests";

/** Page alerts wait this long; the 5m short window already debounces, this only swallows a one-evaluation spike. */
export const PAGE_FOR: Duration = "2m";
/** Ticket alerts wait longer: nobody is woken, and a ticket that clears within minutes is noise. */
export const TICKET_FOR: Duration = "15m";

const sel = (s: SeriesOf, extra?: string): string => {
  const parts = [s.selector, extra].filter((p): p is string => p !== undefined && p !== "");
  return parts.length === 0 ? s.metric : `${s.metric}{${parts.join(",")}}`;
};

/** The share of bad events over window `w`, as one expression without labels. */
export function badRatioExpr(sli: Sli, w: Duration): string {
  switch (sli.kind) {
    case "eventRatio": {
      const total = `sum(rate(${sel(sli.total)}[${w}]))`;
      // No bad series yet (no 5xx ever answered) must read as 0% bad, not as no data.
      return `(\n  sum(rate(${sel(sli.bad)}[${w}]))\n  or\n  0 * ${total}\n)\n/\n${total}`;
    }
    case "latency": {
      const h = { metric: sli.metric, selector: sli.selector };
      const count = `sum(rate(${sel({ ...h, metric: `${sli.metric}_count` })}[${w}]))`;
      const fast = `sum(rate(${sel({ ...h, metric: `${sli.metric}_bucket` }, `le="${leValue(sli.threshold)}"`)}[${w}]))`;
      return `(\n  ${count}\n  -\n  ${fast}\n)\n/\n${count}`;
    }
    case "availability": {
      const s = sel({ metric: sli.metric, selector: sli.selector });
      return `1 - sum(sum_over_time(${s}[${w}])) / sum(count_over_time(${s}[${w}]))`;
    }
  }
}

function recordings(spec: SloSpec): RecordingRule[] {
  const labels = sloLabels(spec);
  const only = `{slo="${spec.name}"}`;
  const windows = recordedWindows(spec);
  return [
    ...windows.map((w) => ({ record: SLO_RECORDS.badRatio(w), expr: badRatioExpr(spec.sli, w), labels })),
    ...windows.map((w) => ({ record: SLO_RECORDS.burnRate(w), expr: `${SLO_RECORDS.badRatio(w)}${only} / ${errorBudget(spec)}`, labels })),
    { record: SLO_RECORDS.budgetRemaining, expr: `1 - ${SLO_RECORDS.burnRate(sloWindow(spec))}${only}`, labels },
    { record: SLO_RECORDS.objective, expr: `vector(${Number((spec.objective / 100).toPrecision(12))})`, labels },
  ];
}

function conditionExpr(spec: SloSpec, conditions: readonly BurnCondition[]): string {
  const only = `{slo="${spec.name}"}`;
  return conditions
    .map((c) => {
      const f = burnFactor(c, sloWindow(spec));
      return `(\n  ${SLO_RECORDS.burnRate(c.long)}${only} > ${f}\n  and\n  ${SLO_RECORDS.burnRate(c.short)}${only} > ${f}\n)`;
    })
    .join("\nor\n");
}

const pct = (ratio: number): string => `${Number((ratio * 100).toPrecision(6))}%`;

function conditionText(spec: SloSpec, conditions: readonly BurnCondition[]): string {
  return conditions
    .map((c) => `${burnFactor(c, sloWindow(spec))}x over both ${c.long} and ${c.short} (${pct(c.budgetShare)} of the budget gone in ${c.long})`)
    .join(", or above ");
}

/** The query behind the `budget_consumed` annotation: what share of the window's budget is gone. */
export function budgetConsumedTemplate(): string {
  return `{{ with printf "1 - ${SLO_RECORDS.budgetRemaining}{slo=%q}" $labels.slo | query }}{{ . | first | value | humanizePercentage }}{{ end }}`;
}

function alerts(spec: SloSpec, b: RuleBuilder): AlertRule[] {
  const names = sloAlertNames(spec);
  const window = sloWindow(spec);
  const dashboard = b.dashboard("slo");
  const what = `${spec.description} (objective ${spec.objective}% over ${window}; error budget ${pct(errorBudget(spec))} of events)`;
  const alert = (name: string, severity: "critical" | "warning", forD: Duration, conditions: readonly BurnCondition[], urgency: string) =>
    b.alert({
      alert: name,
      severity,
      for: forD,
      expr: conditionExpr(spec, conditions),
      annotations: {
        summary: `{{ $labels.service }}: the {{ $labels.slo }} error budget burns at {{ $value | humanize }}x`,
        description: `${what}. The budget burns at {{ $value | humanize }}x the rate that spends exactly all of it in ${window}; this alert fires above ${conditionText(spec, conditions)}. ${urgency}`,
        dashboard,
        budget_consumed: budgetConsumedTemplate(),
      },
    });
  return [
    alert(names.page, "critical", PAGE_FOR, PAGE_CONDITIONS, "At this rate the budget is gone within days: page."),
    alert(names.ticket, "warning", TICKET_FOR, TICKET_CONDITIONS, "A slow burn: the budget runs out before the window ends unless it is fixed; a ticket, not a page."),
  ];
}

/** Options of `sloPack`: the rule builder that applies alert overrides. */
export interface SloPackOptions {
  /** Builds the alerts with overrides applied (share one across packs so overrides are checked once). */
  readonly builder?: RuleBuilder;
}

/**
 * The rule pack of one SLO: recording rules, the page (`severity: critical`) and ticket (`severity: warning`)
 * alerts unless alerting is off, and promtool unit tests generated from the spec. Validate the spec first
 * (`validateSlos`); a pack of an invalid spec may not render.
 */
export function sloPack(spec: SloSpec, opts: SloPackOptions = {}): RulePack {
  const b = opts.builder ?? new RuleBuilder();
  const rules = [...recordings(spec), ...(alertingEnabled(spec) ? alerts(spec, b) : [])];
  const [page, ticket] = rules.filter((r): r is AlertRule => "alert" in r);
  return {
    name: sloPackName(spec),
    groups: [{ name: sloPackName(spec), rules }],
    tests: sloUnitTests(spec, page && ticket ? { page, ticket } : undefined),
  };
}
