/**
 * Prometheus rule files and PrometheusRule custom resources (one or many documents, or a `List`) as typed rule
 * packs: one pack per resource (named by `metadata.name`) or per plain rule file (named by the file). The
 * severity label becomes the rule's `severity`, `runbook_url` its `runbookUrl`; nothing else changes, so rendering
 * the pack gives the source back (core/import/normalize.ts says what "the same" means).
 */
import type { AlertRule, RecordingRule, Rule, RuleGroup, RulePack } from "../rules/model";
import { kebab } from "./emit";
import { isObj, type Obj, type Path, Problems, type SourceDoc, text } from "./source";

const GROUP_KEYS = ["name", "interval", "limit", "query_offset", "labels", "rules"] as const;
const RULE_KEYS = ["alert", "record", "expr", "for", "keep_firing_for", "labels", "annotations"] as const;

/** Where each item of an imported pack is in its source, for messages. */
export type ItemLines = Map<string, number>;

export interface ImportedPack {
  readonly pack: RulePack;
  readonly file: string;
  readonly lines: ItemLines;
}

/** The rule-file bodies of a document: itself, a PrometheusRule's spec, or each PrometheusRule of a List. */
export function ruleSources(doc: SourceDoc): { name: string | undefined; body: Obj; path: Path }[] {
  const v = doc.value;
  if (!isObj(v)) return [];
  if (v.kind === "PrometheusRule" && isObj(v.spec)) {
    const meta = isObj(v.metadata) ? v.metadata : {};
    return [{ name: typeof meta.name === "string" ? meta.name : undefined, body: v.spec, path: ["spec"] }];
  }
  if (typeof v.kind === "string" && v.kind.endsWith("List") && Array.isArray(v.items)) {
    return v.items.flatMap((it, i) => {
      if (!isObj(it) || it.kind !== "PrometheusRule" || !isObj(it.spec)) return [];
      const meta = isObj(it.metadata) ? it.metadata : {};
      return [{ name: typeof meta.name === "string" ? meta.name : undefined, body: it.spec, path: ["items", i, "spec"] }];
    });
  }
  if (Array.isArray(v.groups)) return [{ name: undefined, body: v, path: [] }];
  return [];
}

function importRule(p: Problems, path: Path, group: string, r: Obj, lines: ItemLines, line: (path: Path) => number | undefined, variants: ReadonlySet<string>): Rule | undefined {
  const kind = typeof r.alert === "string" ? "alert" : typeof r.record === "string" ? "record" : undefined;
  const sev = isObj(r.labels) ? text(r.labels.severity) : undefined;
  const item =
    kind === "alert"
      ? `rule group "${group}" > alert "${String(r.alert)}"${variants.has(String(r.alert)) ? ` (severity "${sev ?? ""}")` : ""}`
      : `rule group "${group}" > recording rule "${String(r.record)}"`;
  if (kind === undefined) {
    p.add(path, `rule group "${group}"`, "rules", "has a rule with neither alert nor record");
    return undefined;
  }
  if (!lines.has(item)) lines.set(item, line(path) ?? 0);
  p.unknownKeys(path, item, r, RULE_KEYS, "rules/invalid", { what: "is not a field of a Prometheus rule (Prometheus refuses unknown fields)" });
  const expr = text(r.expr);
  if (expr === undefined) p.add([...path, "expr"], item, "expr", "is missing or not a string");
  const labels = p.strings([...path, "labels"], item, "labels", r.labels);
  if (kind === "record") {
    return { record: r.record as string, expr: expr ?? "", ...(labels && Object.keys(labels).length > 0 ? { labels } : {}) } satisfies RecordingRule;
  }
  const { severity, ...rest } = labels ?? {};
  const ann = p.strings([...path, "annotations"], item, "annotations", r.annotations) ?? {};
  const { runbook_url: runbookUrl, ...otherAnnotations } = ann;
  const annotations = { ...otherAnnotations, ...(runbookUrl !== undefined ? { runbookUrl } : {}) };
  const forText = text(r.for);
  const keep = text(r.keep_firing_for);
  return {
    alert: r.alert as string,
    expr: expr ?? "",
    ...(forText !== undefined ? { for: forText } : {}),
    ...(keep !== undefined ? { keepFiringFor: keep } : {}),
    ...(severity !== undefined ? { severity } : {}),
    ...(Object.keys(rest).length > 0 ? { labels: rest } : {}),
    annotations,
  } satisfies AlertRule;
}

function importGroups(doc: SourceDoc, p: Problems, body: Obj, path: Path, lines: ItemLines): RuleGroup[] {
  const groups: RuleGroup[] = [];
  const list = body.groups;
  if (!Array.isArray(list)) {
    p.add([...path, "groups"], "rule file", "groups", "must be a list of rule groups");
    return groups;
  }
  p.unknownKeys(path, "rule file", body, ["groups"], "rules/invalid", { what: "is not a field of a rule file" });
  list.forEach((g, gi) => {
    const gPath = [...path, "groups", gi];
    if (!isObj(g)) {
      p.add(gPath, `groups[${gi}]`, "", "is not a rule group");
      return;
    }
    const name = typeof g.name === "string" ? g.name : "";
    const item = `rule group "${name}"`;
    if (!lines.has(item)) lines.set(item, doc.lineOf(gPath) ?? 0);
    p.unknownKeys(gPath, item, g, GROUP_KEYS, "rules/invalid", { what: "is not a field of a Prometheus rule group (Prometheus refuses unknown fields)" });
    const rules: Rule[] = [];
    const list = Array.isArray(g.rules) ? g.rules : [];
    // Named as the validators name them: an alert defined more than once in the group carries its severity.
    const names = list.filter(isObj).map((r) => r.alert).filter((a): a is string => typeof a === "string");
    const variants = new Set(names.filter((n, i) => names.indexOf(n) !== i));
    list.forEach((r, ri) => {
      const rPath = [...gPath, "rules", ri];
      if (!isObj(r)) p.add(rPath, item, `rules[${ri}]`, "is not a rule");
      else {
        const rule = importRule(p, rPath, name, r, lines, (q) => doc.lineOf(q), variants);
        if (rule) rules.push(rule);
      }
    });
    const interval = text(g.interval);
    const queryOffset = text(g.query_offset);
    const labels = p.strings([...gPath, "labels"], item, "labels", g.labels);
    groups.push({
      name,
      ...(interval !== undefined ? { interval } : {}),
      ...(typeof g.limit === "number" ? { limit: g.limit } : {}),
      ...(queryOffset !== undefined ? { queryOffset } : {}),
      ...(labels && Object.keys(labels).length > 0 ? { labels } : {}),
      rules,
    });
  });
  return groups;
}

/** Every pack a document holds, with the problems found reading it (unknown fields, rules without expr). */
export function importRuleDoc(doc: SourceDoc, taken: Set<string>): { packs: ImportedPack[]; problems: Problems } {
  const p = new Problems(doc);
  const packs: ImportedPack[] = [];
  const parts = doc.file.split("/");
  const stem = kebab(parts.at(-1) ?? "rules");
  // A plain rule file is named after itself, or after its folder too when another file has that name already.
  const candidates = (src: string | undefined) => (src !== undefined ? [kebab(src)] : [stem, kebab(`${parts.at(-2) ?? ""}-${stem}`)]);
  for (const src of ruleSources(doc)) {
    const lines: ItemLines = new Map();
    const groups = importGroups(doc, p, src.body, src.path, lines);
    const options = candidates(src.name);
    let name = options.find((n) => !taken.has(n)) ?? options[0]!;
    for (let i = 2; taken.has(name); i++) name = `${options.at(-1)!}-${i}`;
    taken.add(name);
    packs.push({ pack: { name, groups, tests: [] }, file: doc.file, lines });
  }
  return { packs, problems: p };
}
