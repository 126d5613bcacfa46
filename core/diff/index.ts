/**
 * The semantic monitoring diff of two synth trees (`out/<stack>/` of a base and a head): one section per area, the
 * routing and inhibition impact, and — once the CLI has run promtool on the probes planned by alert-impact.ts — the
 * alert impact. Pure: the same two trees give the same report, in the same order.
 */
import type { AlertImpact, Area, Change, DiffReport, FailOn, Section, SynthTree } from "./model";
import { AREAS, FAIL_ON } from "./model";
import { readAlertmanager } from "./alertmanager-read";
import { diffDashboards, diffDatasources, diffPanels } from "./dashboards";
import { inhibitionImpact, routingImpact } from "./impact";
import { diffPlatform } from "./platform";
import { diffInhibition, diffReceivers, diffTimeIntervals } from "./receivers";
import { diffRoutes } from "./routes";
import { diffAlerts, diffGroups, diffRecords } from "./rules";
import { diffScrape } from "./scrape";
import { asObject, sameValue } from "./values";
import { diffExporters, diffImages, diffStorage } from "./workload-areas";

export * from "./model";
export { planAlertImpact, probeFileText, alertImpactFrom, parsePromtoolFirings, type ImpactPlan, type ProbeFile, type ProbeRun } from "./alert-impact";
export { renderMarkdown } from "./markdown";

export interface DiffSides {
  readonly stack: string;
  readonly base: string;
  readonly head: string;
}

export function diffSynth(a: SynthTree, b: SynthTree, sides: DiffSides): DiffReport {
  const am = [readAlertmanager(a), readAlertmanager(b)] as const;
  const by: Record<Area, () => Change[]> = {
    scrape: () => diffScrape(a, b),
    alerts: () => diffAlerts(a, b),
    records: () => diffRecords(a, b),
    groups: () => diffGroups(a, b),
    routes: () => diffRoutes(am[0] ? asObject(am[0].raw.route) : undefined, am[1] ? asObject(am[1].raw.route) : undefined),
    receivers: () => diffReceivers(am[0], am[1]),
    inhibition: () => diffInhibition(am[0], am[1]),
    timeIntervals: () => diffTimeIntervals(am[0], am[1]),
    dashboards: () => diffDashboards(a, b),
    panels: () => diffPanels(a, b),
    datasources: () => diffDatasources(a, b),
    exporters: () => diffExporters(a, b),
    storage: () => diffStorage(a, b),
    images: () => diffImages(a, b),
    platform: () => diffPlatform(a, b),
  };
  const sections: Section[] = AREAS.map(([area, title]) => ({ area, title, changes: by[area]() })).filter((s) => s.changes.length > 0);
  // Impact needs both trees; an unchanged tree or rule set cannot route or inhibit differently.
  const routesSame = sameValue(am[0]?.raw.route, am[1]?.raw.route);
  const inhibitSame = sameValue(am[0]?.raw.inhibit_rules, am[1]?.raw.inhibit_rules);
  const report = {
    ...sides,
    sections,
    routingImpact: routesSame ? [] : routingImpact([a, b], am),
    inhibitionImpact: inhibitSame ? [] : inhibitionImpact([a, b], am),
    alertImpact: [],
  };
  return finish(report);
}

/** The report with the alert impact the CLI evaluated. */
export function withAlertImpact(report: DiffReport, alertImpact: readonly AlertImpact[]): DiffReport {
  return finish({ ...report, alertImpact });
}

type Draft = Omit<DiffReport, "categories" | "summary">;

/** The Dashboards section's dashboard providers (dashboards.ts names them `provider <name>`). */
const isProvider = (c: Change) => c.id.startsWith("provider ");

function count(s: Section | undefined, kind?: Change["kind"], filter: (c: Change) => boolean = () => true): number {
  return (s?.changes ?? []).filter((c) => (kind === undefined || c.kind === kind) && filter(c)).length;
}

function categories(r: Draft): FailOn[] {
  const s = (a: Area) => r.sections.find((x) => x.area === a);
  const has: Record<FailOn, boolean> = {
    "added-alerts": count(s("alerts"), "added") > 0,
    "removed-alerts": count(s("alerts"), "removed") > 0,
    "changed-alerts": count(s("alerts"), "changed") > 0,
    "removed-records": count(s("records"), "removed") > 0,
    "routing-change": count(s("routes")) > 0 || r.routingImpact.length > 0,
    "receiver-change": count(s("receivers")) > 0,
    "inhibition-change": count(s("inhibition")) > 0 || r.inhibitionImpact.length > 0,
    "removed-dashboards": count(s("dashboards"), "removed", (c) => !isProvider(c)) > 0,
    "dashboard-change": count(s("dashboards")) + count(s("panels")) > 0,
    "scrape-change": count(s("scrape")) > 0,
    "storage-change": count(s("storage")) > 0,
    "image-change": count(s("images")) > 0,
    replacement: count(s("platform"), "replaced") > 0,
    "firing-change": r.alertImpact.some((x) => x.status === "firing changed"),
    any: r.sections.length > 0,
  };
  return FAIL_ON.filter((f) => has[f]);
}

const NOUNS: Record<Area, [string, string]> = {
  scrape: ["scrape job", "scrape jobs"],
  alerts: ["alert", "alerts"],
  records: ["recording rule", "recording rules"],
  groups: ["rule group", "rule groups"],
  routes: ["route", "routes"],
  receivers: ["receiver", "receivers"],
  inhibition: ["inhibition rule", "inhibition rules"],
  timeIntervals: ["time interval", "time intervals"],
  dashboards: ["dashboard", "dashboards"],
  panels: ["panel", "panels"],
  datasources: ["datasource", "datasources"],
  exporters: ["exporter/probe item", "exporter/probe items"],
  storage: ["storage setting", "storage settings"],
  images: ["image", "images"],
  platform: ["platform object", "platform objects"],
};

const KIND_ORDER: readonly Change["kind"][] = ["added", "removed", "changed", "moved", "renamed", "replaced", "updated"];

/** `2 alerts changed`, or `3 alerts (1 removed, 2 changed)` when kinds mix. */
function sectionSummary(s: Section, nouns: readonly [string, string] = NOUNS[s.area]): string {
  const n = s.changes.length;
  const noun = nouns[n === 1 ? 0 : 1];
  const kinds = KIND_ORDER.map((k) => [k, count(s, k)] as const).filter(([, c]) => c > 0);
  if (kinds.length === 1) return `${n} ${noun} ${kinds[0]![0]}`;
  return `${n} ${noun} (${kinds.map(([k, c]) => `${c} ${k}`).join(", ")})`;
}

/** The Dashboards section also holds the dashboard providers (`provider …`): they are counted apart. */
function sectionSummaries(s: Section): string[] {
  if (s.area !== "dashboards") return [sectionSummary(s)];
  const split = (provider: boolean): Section => ({ ...s, changes: s.changes.filter((c) => isProvider(c) === provider) });
  const parts: [Section, readonly [string, string]][] = [[split(false), NOUNS.dashboards], [split(true), ["dashboard provider", "dashboard providers"]]];
  return parts.filter(([x]) => x.changes.length > 0).map(([x, nouns]) => sectionSummary(x, nouns));
}

function summary(r: Draft): string {
  const parts = r.sections.flatMap(sectionSummaries);
  const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  if (r.routingImpact.length > 0) parts.push(`${plural(r.routingImpact.length, "label set", "label sets")} re-routed`);
  if (r.inhibitionImpact.length > 0) parts.push(`${plural(r.inhibitionImpact.length, "inhibition pair", "inhibition pairs")} changed`);
  const firing = r.alertImpact.filter((x) => x.status === "firing changed").length;
  if (firing > 0) parts.push(`firing changed for ${plural(firing, "alert", "alerts")}`);
  return parts.length === 0 ? "no changes" : parts.join(" · ");
}

function finish(r: Draft): DiffReport {
  return { ...r, categories: categories(r), summary: summary(r) };
}
