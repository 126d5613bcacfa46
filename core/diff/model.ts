/**
 * What a monitoring diff says. Values are display strings made by the area modules, already stripped of secrets,
 * so the markdown and JSON renderers never see a credential and never decide what may be shown.
 */
import type { Labels } from "../alertmanager/model";

/** One synth output folder (`out/<stack>/`): path relative to it → file text. */
export type SynthTree = ReadonlyMap<string, string>;

export type ChangeKind = "added" | "removed" | "changed" | "moved" | "renamed" | "replaced" | "updated";

export interface FieldChange {
  /** e.g. `expr`, `static_configs[0].targets`, `targets[A].expr` */
  readonly field: string;
  /** Absent when the field is new. */
  readonly old?: string;
  /** Absent when the field is gone. */
  readonly new?: string;
  /** What the change means, e.g. `threshold 0.05 → 0.02`, `forces replacement`. */
  readonly note?: string;
}

export interface Change {
  readonly kind: ChangeKind;
  /** The item's identity in its area: a job name, `group / Alert (severity=warning)`, a route path, a uid. */
  readonly id: string;
  readonly fields: readonly FieldChange[];
  /** Sentences about the item as a whole (`was route > severity="critical"`, `data volume is kept`). */
  readonly notes?: readonly string[];
}

export const AREAS = [
  ["scrape", "Scrape jobs"],
  ["alerts", "Alert rules"],
  ["records", "Recording rules"],
  ["groups", "Rule groups"],
  ["routes", "Routing tree"],
  ["receivers", "Receivers"],
  ["inhibition", "Inhibition rules"],
  ["timeIntervals", "Time intervals"],
  ["dashboards", "Dashboards"],
  ["panels", "Panels"],
  ["datasources", "Datasources"],
  ["exporters", "Exporters and probes"],
  ["storage", "Storage and retention"],
  ["images", "Images"],
  ["platform", "Platform objects"],
] as const;

export type Area = (typeof AREAS)[number][0];

export interface Section {
  readonly area: Area;
  readonly title: string;
  readonly changes: readonly Change[];
}

/** A label set whose receivers differ between the two routing trees. */
export interface RoutingImpact {
  readonly labels: Labels;
  /** Where the label set comes from: a shipped alert (with its component variants) or a routing test. */
  readonly source: "alert" | "routing test";
  readonly old: readonly string[];
  readonly new: readonly string[];
}

/** A pair of shipped alerts whose inhibition differs (labels named in `equal` taken as equal on both). */
export interface InhibitionImpact {
  readonly source: Labels;
  readonly target: Labels;
  /** Whether `source` firing mutes `target`, before and after. */
  readonly old: boolean;
  readonly new: boolean;
}

/** One promtool test case of a changed alert, evaluated with each side's rules on the same input series. */
export interface AlertImpactCase {
  readonly test: string;
  readonly evalTime: string;
  /** The firing alerts' labels (alertname and severity left out), one string each, sorted. */
  readonly old: readonly string[];
  readonly new: readonly string[];
}

export interface AlertImpact {
  /** The alert's identity as in the Alert rules section. */
  readonly alert: string;
  readonly status: "firing changed" | "firing unchanged" | "no test series" | "not evaluated";
  /** Only the cases whose firing result changed. */
  readonly changed: readonly AlertImpactCase[];
  /** How many test cases were evaluated. */
  readonly cases: number;
  readonly note?: string;
}

export const FAIL_ON = [
  "added-alerts",
  "removed-alerts",
  "changed-alerts",
  "removed-records",
  "routing-change",
  "receiver-change",
  "inhibition-change",
  "removed-dashboards",
  "dashboard-change",
  "scrape-change",
  "storage-change",
  "image-change",
  "replacement",
  "firing-change",
  "any",
] as const;

export type FailOn = (typeof FAIL_ON)[number];

export interface DiffReport {
  readonly stack: string;
  /** How each side was made: `origin/main (3f2a1c9)`, `dir out/dev`, `working tree`. */
  readonly base: string;
  readonly head: string;
  readonly sections: readonly Section[];
  readonly routingImpact: readonly RoutingImpact[];
  readonly inhibitionImpact: readonly InhibitionImpact[];
  readonly alertImpact: readonly AlertImpact[];
  /** The --fail-on categories that occur, in FAIL_ON order. */
  readonly categories: readonly FailOn[];
  /** `2 alerts changed, 1 route, 1 container replaced` or `no changes`. */
  readonly summary: string;
}
