/**
 * SLO dashboards: one row per SLO (budget left, SLI over the window, burn rate per window against the alert
 * factors, SLI over time against the objective, alert state), and the SLO row of the service overview. Every
 * threshold comes from the SLO spec and the burn factors the alerts use, so a panel line is the alert line.
 */
import * as dash from "@grafana/grafana-foundation-sdk/dashboard";
import { DASHBOARD_UIDS } from "../core/conventions";
import { ALERT_WINDOWS, alertingEnabled, burnFactor, PAGE_CONDITIONS, SLO_RECORDS, type SloSpec, sloAlertNames, sloWindow, TICKET_CONDITIONS } from "../core/slo/model";
import { Board } from "./board";
import { COLORS, q, type Query, statPanel, stateTimelinePanel, thresholds, timeseriesPanel } from "./panels";

/** Budget left drawn amber below this share. Why: a quarter left is where error-budget policies usually freeze risky releases. */
export const BUDGET_LOW = 0.25;

const only = (s: SloSpec): string => `{slo="${s.name}"}`;

/** Red when the budget is spent, amber when low, green otherwise. */
function budgetSteps(): dash.ThresholdsConfigBuilder {
  return thresholds(COLORS.bad, [0, COLORS.warn], [BUDGET_LOW, COLORS.ok]);
}

/** The four alert factors as lines: amber at the ticket factors, red at the page factors. */
function burnSteps(s: SloSpec): dash.ThresholdsConfigBuilder {
  const w = sloWindow(s);
  const steps = new Map<number, string>();
  for (const c of TICKET_CONDITIONS) steps.set(burnFactor(c, w), COLORS.warn);
  for (const c of PAGE_CONDITIONS) steps.set(burnFactor(c, w), COLORS.bad);
  return thresholds(COLORS.ok, ...[...steps].sort(([a], [b]) => a - b));
}

function budgetPanel(s: SloSpec, title: string, w: number, h: number) {
  return statPanel({
    title, unit: "percentunit", w, h, decimals: 1, thresholds: budgetSteps(),
    description: `Share of the ${sloWindow(s)} error budget of ${s.name} still unspent (${SLO_RECORDS.budgetRemaining}); below 0 the objective of ${s.objective}% is missed. Amber under ${BUDGET_LOW * 100}%.`,
    query: q(`${SLO_RECORDS.budgetRemaining}${only(s)}`),
  });
}

function burnStat(s: SloSpec, title: string, w: number, h: number) {
  return statPanel({
    title, unit: "none", w, h, decimals: 2, thresholds: burnSteps(s),
    description: `How fast ${s.name} spends its budget over the last hour (1 = exactly the budget over ${sloWindow(s)}). Amber from the ticket factors, red from the page factors.`,
    query: q(`${SLO_RECORDS.burnRate("1h")}${only(s)}`),
  });
}

function alertState(s: SloSpec) {
  const names = sloAlertNames(s);
  const alerts = `ALERTS{alertname=~"${names.page}|${names.ticket}"`;
  const query: Query = q(`max by (alertname) (${alerts},alertstate="firing"}) * 2\nor\nmax by (alertname) (${alerts},alertstate="pending"})`, "{{alertname}}");
  return stateTimelinePanel({
    title: `${s.name}: alerts`, unit: "none", w: 12, h: 7,
    mappings: [{ type: dash.MappingType.ValueToText, options: { "1": { text: "pending", color: COLORS.warn, index: 0 }, "2": { text: "firing", color: COLORS.bad, index: 1 } } }],
    description: `${names.page} pages (critical) and ${names.ticket} tickets (warning): pending while their condition waits for its \`for\`, firing after.`,
    query,
  });
}

function sloRow(b: Board, s: SloSpec): void {
  const w = sloWindow(s);
  const windows = [...ALERT_WINDOWS, w];
  b.row(`${s.name}: ${s.description} (${s.objective}% over ${w})`).add(
    budgetPanel(s, `${s.name}: budget left`, 4, 6),
    statPanel({
      title: `${s.name}: SLI over ${w}`, unit: "percentunit", w: 4, h: 6, decimals: 3, thresholds: thresholds(COLORS.bad, [s.objective / 100, COLORS.ok]),
      description: `Share of good events over the whole ${w} window; green at or above the objective of ${s.objective}%.`,
      query: q(`1 - ${SLO_RECORDS.badRatio(w)}${only(s)}`),
    }),
    timeseriesPanel({
      title: `${s.name}: burn rate by window`, unit: "none", w: 16, h: 6, min: 0, drawThresholds: true, thresholds: burnSteps(s), legendTable: true,
      description: `Budget burn rate over each alert window. Dashed: the factors the alerts compare against (${[...TICKET_CONDITIONS, ...PAGE_CONDITIONS].map((c) => `${burnFactor(c, w)}x over ${c.long}`).join(", ")}); a page needs the long and the short window above its factor.`,
      queries: windows.map((win) => q(`${SLO_RECORDS.burnRate(win)}${only(s)}`, win)),
    }),
    timeseriesPanel({
      title: `${s.name}: SLI over time`, unit: "percentunit", w: alertingEnabled(s) ? 12 : 24, h: 7, drawThresholds: true, thresholds: thresholds(COLORS.bad, [s.objective / 100, COLORS.ok]),
      description: `Share of good events over 5m and 1h windows. Dashed: the objective (${s.objective}%); time below it spends budget.`,
      queries: [q(`1 - ${SLO_RECORDS.badRatio("5m")}${only(s)}`, "5m"), q(`1 - ${SLO_RECORDS.badRatio("1h")}${only(s)}`, "1h")],
    }),
    ...(alertingEnabled(s) ? [alertState(s)] : []),
  );
}

/** One row per SLO. Build it only when there are SLOs (an empty dashboard fails the lint). */
export function sloDashboard(slos: readonly SloSpec[]): dash.DashboardBuilder {
  const b = new Board(
    { uid: DASHBOARD_UIDS.slo, title: "Service level objectives", tags: ["slo", "service"], description: "Each SLO's error budget left, its burn rate over the alert windows against the factors the alerts use, the SLI against the objective, and the page and ticket alerts." },
    {},
  );
  for (const s of slos) sloRow(b, s);
  return b.builder;
}

/** The service overview's SLO row: budget left and the last hour's burn rate of each SLO of the service. */
export function addSloRow(b: Board, slos: readonly SloSpec[]): void {
  if (slos.length === 0) return;
  b.row("Service level objectives (details: the SLO dashboard)").add(...slos.flatMap((s) => [budgetPanel(s, `${s.name}: budget left`, 4, 4), burnStat(s, `${s.name}: burn rate (1h)`, 4, 4)]));
}
