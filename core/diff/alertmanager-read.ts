/**
 * alertmanager.yml read back into the typed model, so both sides of a diff are routed by the same evaluator the
 * stack's own routing tests use (core/alertmanager/matcher.ts, inhibit.ts). Only what routing and inhibition read
 * is converted; receivers stay as parsed YAML (receivers.ts compares them). The legacy `match`/`match_re` forms are
 * read too, since a synth dir may come from an older version.
 */
import { ARTIFACT_PATHS } from "../conventions";
import { formatMatcher, parseMatcher } from "../alertmanager/label-matchers";
import type { AlertmanagerConfig, InhibitRule, Labels, Matcher, Route } from "../alertmanager/model";
import type { SynthTree } from "./model";
import { asArray, asObject, asString, readDoc, type JsonObject } from "./values";

function legacy(map: unknown, op: "=" | "=~"): Matcher[] {
  return Object.entries(asObject(map)).map(([label, v]) => ({ label, op, value: String(v) }));
}

export function matchersOf(r: JsonObject, prefix = ""): Matcher[] {
  const list = asArray(r[`${prefix}matchers`]).map((m) => parseMatcher(String(m)));
  return [...list, ...legacy(r[`${prefix}match`], "="), ...legacy(r[`${prefix}match_re`], "=~")];
}

const strings = (v: unknown): string[] | undefined => (Array.isArray(v) ? v.map(String) : undefined);

function toRoute(r: JsonObject): Route {
  const out: Record<string, unknown> = {};
  const receiver = asString(r.receiver);
  if (receiver !== undefined) out.receiver = receiver;
  const ms = matchersOf(r);
  if (ms.length > 0) out.matchers = ms;
  const groupBy = strings(r.group_by);
  if (groupBy) out.groupBy = groupBy;
  for (const [from, to] of [["group_wait", "groupWait"], ["group_interval", "groupInterval"], ["repeat_interval", "repeatInterval"]] as const) {
    const v = asString(r[from]);
    if (v !== undefined) out[to] = v;
  }
  if (r.continue === true) out.continue = true;
  const mute = strings(r.mute_time_intervals);
  if (mute) out.muteTimeIntervals = mute;
  const active = strings(r.active_time_intervals);
  if (active) out.activeTimeIntervals = active;
  const routes = asArray(r.routes).map((c) => toRoute(asObject(c)));
  if (routes.length > 0) out.routes = routes;
  return out as Route;
}

function toInhibitRule(r: JsonObject): InhibitRule {
  const equal = strings(r.equal);
  return { sourceMatchers: matchersOf(r, "source_"), targetMatchers: matchersOf(r, "target_"), ...(equal ? { equal } : {}) };
}

export interface ReadAlertmanager {
  readonly config: AlertmanagerConfig;
  readonly raw: JsonObject;
}

/** The routing tree and inhibition rules of a synth tree; undefined when it has no alertmanager.yml. */
export function readAlertmanager(tree: SynthTree): ReadAlertmanager | undefined {
  const doc = readDoc(tree, ARTIFACT_PATHS.alertmanagerConfig);
  if (doc === undefined) return undefined;
  const raw = asObject(doc);
  const config: AlertmanagerConfig = {
    route: toRoute(asObject(raw.route)),
    receivers: asArray(raw.receivers).map((r) => ({ name: asString(asObject(r).name) ?? "" })),
    inhibitRules: asArray(raw.inhibit_rules).map((r) => toInhibitRule(asObject(r))),
  };
  return { config, raw };
}

/** The label sets of route-tests.json (each side's routing tests). */
export function routeTestLabels(tree: SynthTree): Labels[] {
  const doc = readDoc(tree, ARTIFACT_PATHS.alertmanagerRouteTests);
  return asArray(doc).map((c) => Object.fromEntries(Object.entries(asObject(asObject(c).labels)).map(([k, v]) => [k, String(v)])));
}

/** Matchers as one stable text: sorted, each in Alertmanager's quoted form. */
export function matcherText(ms: readonly Matcher[]): string {
  return ms.map(formatMatcher).sort().join(", ");
}
