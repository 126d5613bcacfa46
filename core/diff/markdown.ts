/**
 * The report as a pull-request comment: a title, one bold summary line, then one section per area with changes,
 * then the impact sections. A section longer than COLLAPSE_AFTER lines is folded into `<details>` so the comment
 * stays readable when, say, every platform object is touched.
 */
import type { AlertImpact, Change, DiffReport, FieldChange, InhibitionImpact, RoutingImpact } from "./model";
import { labelText } from "./impact";

export const COLLAPSE_AFTER = 12;

/** A code span that survives backticks in the value. */
export function code(s: string): string {
  const runs = s.match(/`+/g) ?? [];
  const fence = "`".repeat(Math.max(0, ...runs.map((r) => r.length)) + 1);
  return fence.length === 1 ? `\`${s}\`` : `${fence} ${s} ${fence}`;
}

function fieldLine(f: FieldChange, kind: Change["kind"]): string {
  const note = f.note ? ` (${f.note})` : "";
  const head = `  - ${code(f.field)}:`;
  if (f.old === undefined && f.new === undefined) return `${head} ${f.note || "changed"}`;
  if (kind === "added" && f.new !== undefined) return `${head} ${code(f.new)}${note}`;
  if (kind === "removed" && f.old !== undefined) return `${head} ${code(f.old)}${note}`;
  const side = (v: string | undefined) => (v === undefined ? "(unset)" : code(v));
  return `${head} ${side(f.old)} → ${side(f.new)}${note}`;
}

function changeLines(c: Change): string[] {
  return [`- **${c.kind}** ${code(c.id)}`, ...(c.notes ?? []).map((n) => `  - _${n}_`), ...c.fields.map((f) => fieldLine(f, c.kind))];
}

function section(title: string, count: number, lines: readonly string[]): string[] {
  if (lines.length <= COLLAPSE_AFTER) return [`#### ${title} (${count})`, "", ...lines, ""];
  return [`<details><summary><b>${title}</b> (${count})</summary>`, "", ...lines, "", "</details>", ""];
}

const receivers = (rs: readonly string[]) => (rs.length === 0 ? "(nobody)" : rs.map(code).join(", "));

/** Label sets listed per receiver change; the JSON report has them all. */
export const EXAMPLES_PER_CHANGE = 8;

/** One line per receiver change (`critical`, `database` → `database`), with the label sets that take it. */
function routingLines(impact: readonly RoutingImpact[]): string[] {
  const groups = new Map<string, string[]>();
  for (const i of impact) {
    const k = `${receivers(i.old)} → ${receivers(i.new)}`;
    groups.set(k, [...(groups.get(k) ?? []), `${i.source === "routing test" ? "routing test " : ""}${code(labelText(i.labels))}`]);
  }
  return [...groups].map(([k, sets]) => {
    const shown = sets.slice(0, EXAMPLES_PER_CHANGE).join(", ");
    const more = sets.length > EXAMPLES_PER_CHANGE ? ` and ${sets.length - EXAMPLES_PER_CHANGE} more` : "";
    return `- ${k} (${sets.length} ${sets.length === 1 ? "label set" : "label sets"}): ${shown}${more}`;
  });
}

function inhibitionLines(impact: readonly InhibitionImpact[]): string[] {
  const groups = new Map<string, string[]>();
  for (const i of impact) {
    const k = `${code(labelText(i.source))} ${i.new ? "now inhibits" : "no longer inhibits"}`;
    groups.set(k, [...(groups.get(k) ?? []), code(labelText(i.target))]);
  }
  return [...groups].map(([k, targets]) => {
    const more = targets.length > EXAMPLES_PER_CHANGE ? ` and ${targets.length - EXAMPLES_PER_CHANGE} more` : "";
    return `- ${k} ${targets.slice(0, EXAMPLES_PER_CHANGE).join(", ")}${more}`;
  });
}

function alertImpactLines(impact: readonly AlertImpact[]): string[] {
  const firing = (ls: readonly string[]) => (ls.length === 0 ? "(nothing fires)" : ls.map(code).join(", "));
  return impact.flatMap((a) => {
    const evals = `${a.cases} ${a.cases === 1 ? "evaluation" : "evaluations"}`;
    switch (a.status) {
      case "firing changed":
        return [`- ${code(a.alert)}: **firing changed** in ${a.changed.length} of ${evals}`, ...a.changed.map((c) => `  - ${code(c.test)} at ${code(c.evalTime)}: ${firing(c.old)} → ${firing(c.new)}`)];
      case "firing unchanged":
        return [`- ${code(a.alert)}: firing unchanged (${evals} of its unit tests' series)`];
      case "no test series":
        return [`- ${code(a.alert)}: no unit test exercises it, not evaluated`];
      case "not evaluated":
        return [`- ${code(a.alert)}: not evaluated: ${a.note ?? ""}`];
    }
  });
}

export function renderMarkdown(r: DiffReport): string {
  const out = [`### Monitoring diff for ${code(r.stack)}: ${code(r.base)} → ${code(r.head)}`, "", `**${r.summary}**`, ""];
  for (const s of r.sections) out.push(...section(s.title, s.changes.length, s.changes.flatMap(changeLines)));
  if (r.routingImpact.length > 0) {
    out.push(...section("Routing impact: receivers per label set", r.routingImpact.length, routingLines(r.routingImpact)));
  }
  if (r.inhibitionImpact.length > 0) {
    const lines = ["_Pairs of shipped alerts firing together, labels in `equal` the same on both._", "", ...inhibitionLines(r.inhibitionImpact)];
    out.push(...section("Inhibition impact", r.inhibitionImpact.length, lines));
  }
  if (r.alertImpact.length > 0) {
    const lines = ["_Each changed alert's promtool unit-test series, evaluated with the base rules and with the head rules._", "", ...alertImpactLines(r.alertImpact)];
    out.push(...section("Alert impact", r.alertImpact.length, lines));
  }
  return `${out.join("\n").trimEnd()}\n`;
}
