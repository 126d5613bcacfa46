/**
 * Rule files (`prometheus/rules/*.yml`): alerts by group and name — with the severity added to the identity only
 * where one group holds the same alert name twice (real content ships `X` at warning and at critical) — recording
 * rules by record name (labels added where a name repeats), and the groups themselves (interval, file, limit).
 * Expressions compare as PromQL tokens, so a moved threshold reads `threshold 0.05 → 0.02`.
 */
import { ARTIFACT_PATHS } from "../conventions";
import { exprChange } from "./expr";
import type { Change, FieldChange, SynthTree } from "./model";
import { asArray, asObject, asRemoved, asString, canonical, diffFields, diffKeyed, display, readDoc, uniqueKeys, type Json, type JsonObject } from "./values";

export interface RuleEntry {
  readonly group: string;
  readonly file: string;
  readonly rule: JsonObject;
}

export interface AlertRule {
  readonly id: string;
  readonly group: string;
  readonly alert: string;
  readonly severity: string | undefined;
  readonly labels: Readonly<Record<string, string>>;
  readonly expr: string;
  readonly for: string | undefined;
  readonly keepFiringFor: string | undefined;
  readonly file: string;
}

const RULES_PREFIX = `${ARTIFACT_PATHS.prometheusRulesDir}/`;

export function ruleFiles(tree: SynthTree): string[] {
  return [...tree.keys()].filter((p) => p.startsWith(RULES_PREFIX) && /\.ya?ml$/.test(p)).sort();
}

function groups(tree: SynthTree): { name: string; file: string; group: JsonObject }[] {
  return ruleFiles(tree).flatMap((file) =>
    asArray(asObject(readDoc(tree, file)).groups).map((g) => ({ name: asString(asObject(g).name) ?? "", file: file.slice(RULES_PREFIX.length), group: asObject(g) })),
  );
}

function entries(tree: SynthTree): RuleEntry[] {
  return groups(tree).flatMap((g) => asArray(g.group.rules).map((r) => ({ group: g.name, file: g.file, rule: asObject(r) })));
}

const labelsOf = (r: JsonObject): Record<string, string> => Object.fromEntries(Object.entries(asObject(r.labels)).map(([k, v]) => [k, String(v)]));

/** Alert names that need the severity in their identity: repeated within a group on either side. */
function repeatedAlerts(...trees: SynthTree[]): Set<string> {
  const out = new Set<string>();
  for (const t of trees) {
    const seen = new Set<string>();
    for (const e of entries(t)) {
      const name = asString(e.rule.alert);
      if (name === undefined) continue;
      const k = `${e.group}\0${name}`;
      if (seen.has(k)) out.add(k);
      seen.add(k);
    }
  }
  return out;
}

export function alertRules(tree: SynthTree, repeated: ReadonlySet<string> = repeatedAlerts(tree)): AlertRule[] {
  return entries(tree).flatMap((e) => {
    const alert = asString(e.rule.alert);
    if (alert === undefined) return [];
    const labels = labelsOf(e.rule);
    const severity = labels.severity;
    const id = `${e.group} / ${alert}${repeated.has(`${e.group}\0${alert}`) ? ` (severity=${severity ?? ""})` : ""}`;
    return [{ id, group: e.group, alert, severity, labels, expr: String(e.rule.expr ?? ""), for: asString(e.rule.for), keepFiringFor: asString(e.rule.keep_firing_for), file: e.file }];
  });
}

/** Every field of a rule but the expression, which compares as PromQL. */
function ruleFields(a: RuleEntry, b: RuleEntry): FieldChange[] {
  const out: FieldChange[] = [];
  const e = exprChange("expr", String(a.rule.expr ?? ""), String(b.rule.expr ?? ""));
  if (e) out.push(e);
  out.push(...diffFields({ ...a.rule, file: a.file }, { ...b.rule, file: b.file }, { skip: (p) => p === "expr" || p === "alert" || p === "record" }));
  return out.sort((x, y) => (x.field < y.field ? -1 : x.field > y.field ? 1 : 0));
}

function describeRule(r: RuleEntry): FieldChange[] {
  const shown: [string, Json | undefined][] = [["expr", String(r.rule.expr ?? "").replace(/\s*\n\s*/g, " ")], ["for", r.rule.for], ["severity", asObject(r.rule.labels).severity]];
  return shown.filter(([, v]) => v !== undefined).map(([field, v]) => ({ field, new: display(v) }));
}

function alertMap(tree: SynthTree, repeated: ReadonlySet<string>): Map<string, RuleEntry> {
  const ids = alertRules(tree, repeated);
  const rules = entries(tree).filter((e) => asString(e.rule.alert) !== undefined);
  return new Map(ids.map((a, i) => [a.id, rules[i]!]));
}

function recordMap(tree: SynthTree): Map<string, RuleEntry> {
  const recs = entries(tree).filter((e) => asString(e.rule.record) !== undefined);
  const count = new Map<string, number>();
  for (const r of recs) count.set(String(r.rule.record), (count.get(String(r.rule.record)) ?? 0) + 1);
  const key = (r: RuleEntry) => {
    const name = String(r.rule.record);
    return (count.get(name) ?? 0) > 1 ? `${name} ${JSON.stringify(canonical(asObject(r.rule.labels)))}` : name;
  };
  return uniqueKeys(recs, key);
}

export function diffAlerts(a: SynthTree, b: SynthTree): Change[] {
  const repeated = repeatedAlerts(a, b);
  return diffKeyed(alertMap(a, repeated), alertMap(b, repeated), ruleFields, describeRule).map(asRemoved);
}

export function diffRecords(a: SynthTree, b: SynthTree): Change[] {
  return diffKeyed(recordMap(a), recordMap(b), ruleFields, describeRule).map(asRemoved);
}

export function diffGroups(a: SynthTree, b: SynthTree): Change[] {
  const map = (t: SynthTree) => new Map(groups(t).map((g) => [g.name, g]));
  const summary = (g: { group: JsonObject; file: string }) => {
    const rules = asArray(g.group.rules).map(asObject);
    return { file: g.file, interval: g.group.interval ?? null, limit: g.group.limit ?? null, query_offset: g.group.query_offset ?? null, alerts: rules.filter((r) => r.alert !== undefined).length, records: rules.filter((r) => r.record !== undefined).length };
  };
  return diffKeyed(
    map(a),
    map(b),
    (x, y) => diffFields(summary(x), summary(y)),
    (g) => diffFields(undefined, summary(g)).filter((f) => f.new !== "null"),
  ).map(asRemoved);
}

/** The ids of alerts present on both sides whose expression, `for` or `keep_firing_for` changed. */
export function alertsWithChangedFiring(a: SynthTree, b: SynthTree): { before: AlertRule; after: AlertRule }[] {
  const repeated = repeatedAlerts(a, b);
  const after = new Map(alertRules(b, repeated).map((r) => [r.id, r]));
  return alertRules(a, repeated).flatMap((before) => {
    const now = after.get(before.id);
    if (!now) return [];
    const changed = exprChange("expr", before.expr, now.expr) !== undefined || before.for !== now.for || before.keepFiringFor !== now.keepFiringFor;
    return changed ? [{ before, after: now }] : [];
  });
}
