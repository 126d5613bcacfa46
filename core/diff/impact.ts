/**
 * What a routing change does, rather than what it edits: every routing test of either side and every label set
 * the shipped alerts can produce are routed through both trees with Alertmanager's semantics (routeAlert), and
 * every pair of shipped alerts is checked against both sides' inhibition rules (inhibitedBy). Only differences are
 * kept.
 *
 * The label sets of an alert: its name and rule labels (severity among them), alone and with each value of a
 * component label — any label the routing trees match on besides alertname and severity (`component`, `team`) —
 * found in the rule labels, the scrape jobs' target labels or the trees' own matchers. Labels that come from series
 * (job, instance) are left out: missing labels read as "" on both sides of an `equal`, which is the "same job"
 * case.
 */
import { routeAlert } from "../alertmanager/matcher";
import { isInhibited } from "../alertmanager/inhibit";
import { matcherMatches, toMatcher } from "../alertmanager/label-matchers";
import type { AlertmanagerConfig, Labels, Matcher, Route } from "../alertmanager/model";
import { ARTIFACT_PATHS } from "../conventions";
import type { InhibitionImpact, RoutingImpact, SynthTree } from "./model";
import { routeTestLabels, type ReadAlertmanager } from "./alertmanager-read";
import { alertRules } from "./rules";
import { asArray, asObject, readDoc } from "./values";

const ROUTING_ONLY = new Set(["alertname", "severity"]);

/** `ServiceDown severity=critical component=api`: the name first, then severity, then the rest sorted. */
export function labelText(l: Labels): string {
  const rest = Object.keys(l)
    .filter((k) => k !== "alertname")
    .sort((a, b) => (a === "severity" ? -1 : b === "severity" ? 1 : a < b ? -1 : 1))
    .map((k) => `${k}=${l[k]}`);
  return [l.alertname ?? "(no alertname)", ...rest].join(" ");
}

function routeMatchers(r: Route, out: Matcher[]): void {
  for (const m of r.matchers ?? []) out.push(toMatcher(m));
  for (const c of r.routes ?? []) routeMatchers(c, out);
}

/**
 * Component label → the values worth routing: from the rules, the scrape jobs' target labels and the trees' own
 * matchers, kept only where some matcher of either tree tells the value from the label's absence (a value no
 * route can see routes like the bare alert, and would only repeat it).
 */
function componentValues(trees: readonly SynthTree[], configs: readonly (AlertmanagerConfig | undefined)[]): Map<string, Set<string>> {
  const matchers: Matcher[] = [];
  for (const c of configs) if (c) routeMatchers(c.route, matchers);
  const byLabel = new Map<string, Matcher[]>();
  for (const m of matchers) if (!ROUTING_ONLY.has(m.label)) byLabel.set(m.label, [...(byLabel.get(m.label) ?? []), m]);
  const out = new Map<string, Set<string>>();
  const add = (k: string, v: string) => {
    const ms = byLabel.get(k);
    if (!ms || !ms.some((m) => matcherMatches(m, { [k]: v }) !== matcherMatches(m, {}))) return;
    if (!out.has(k)) out.set(k, new Set());
    out.get(k)!.add(v);
  };
  for (const m of matchers) if (m.op === "=") add(m.label, m.value);
  for (const t of trees) {
    for (const r of alertRules(t)) for (const [k, v] of Object.entries(r.labels)) add(k, v);
    const prom = asObject(readDoc(t, ARTIFACT_PATHS.prometheusConfig));
    for (const job of asArray(prom.scrape_configs)) {
      for (const sc of asArray(asObject(job).static_configs)) for (const [k, v] of Object.entries(asObject(asObject(sc).labels))) add(k, String(v));
    }
  }
  return out;
}

/** Labels with their keys sorted, so the JSON report never depends on construction order. */
const sorted = (l: Labels): Labels => Object.fromEntries(Object.keys(l).sort().map((k) => [k, l[k]!]));

const key = (l: Labels) => JSON.stringify(Object.keys(l).sort().map((k) => [k, l[k]]));

/** The shipped alerts' label sets (each alone and with each component value), deduplicated, in a stable order. */
export function alertLabelSets(trees: readonly SynthTree[], configs: readonly (AlertmanagerConfig | undefined)[], withComponents = true): Labels[] {
  const components = withComponents ? componentValues(trees, configs) : new Map<string, Set<string>>();
  const out = new Map<string, Labels>();
  for (const t of trees) {
    for (const r of alertRules(t)) {
      const base: Labels = { alertname: r.alert, ...r.labels };
      out.set(key(base), base);
      for (const [label, values] of components) {
        if (label in base) continue;
        for (const v of values) {
          const l = { ...base, [label]: v };
          out.set(key(l), l);
        }
      }
    }
  }
  return [...out.values()].sort((x, y) => (labelText(x) < labelText(y) ? -1 : 1));
}

const sameReceivers = (x: readonly string[], y: readonly string[]) => [...x].sort().join("\n") === [...y].sort().join("\n");

export function routingImpact(trees: readonly [SynthTree, SynthTree], am: readonly [ReadAlertmanager | undefined, ReadAlertmanager | undefined]): RoutingImpact[] {
  const [a, b] = am;
  if (!a || !b) return [];
  const out: RoutingImpact[] = [];
  const seen = new Set<string>();
  const check = (labels: Labels, source: RoutingImpact["source"]) => {
    const k = key(labels);
    if (seen.has(k)) return;
    seen.add(k);
    const old = routeAlert(a.config, labels);
    const now = routeAlert(b.config, labels);
    if (!sameReceivers(old, now)) out.push({ labels: sorted(labels), source, old, new: now });
  };
  for (const l of alertLabelSets(trees, [a.config, b.config])) check(l, "alert");
  const tests = [...routeTestLabels(trees[0]), ...routeTestLabels(trees[1])].sort((x, y) => (labelText(x) < labelText(y) ? -1 : 1));
  for (const l of tests) check(l, "routing test");
  return out;
}

export function inhibitionImpact(trees: readonly [SynthTree, SynthTree], am: readonly [ReadAlertmanager | undefined, ReadAlertmanager | undefined]): InhibitionImpact[] {
  const [a, b] = am;
  if (!a || !b) return [];
  const sets = alertLabelSets(trees, [a.config, b.config], false);
  const out: InhibitionImpact[] = [];
  for (const source of sets) {
    for (const target of sets) {
      if (source === target) continue;
      const old = isInhibited(a.config, target, [source]);
      const now = isInhibited(b.config, target, [source]);
      if (old !== now) out.push({ source: sorted(source), target: sorted(target), old, new: now });
    }
  }
  return out;
}
