/**
 * docs/runbooks.md, generated from the shipped rule packs: one section per alert, anchored by its lower-case name
 * (what every alert's `runbook_url` points at). `npm run docs` rewrites it; a test keeps it in sync.
 */
import { exprText } from "../core/promql";
import type { RulePack } from "../core/rules/model";
import { packAlerts } from "../core/rules/model";
import type { LogRulePack } from "../core/logql/model";
import { buildRulePacks, REPLACED_BY_SLO, seedKpiTargets } from "../rules";
import { buildLogRulePacks } from "../rules/logs";

/** Threshold alerts the shipped SLOs switch off: documented anyway, since a stack may opt them back in. */
const OPT_IN = Object.entries(REPLACED_BY_SLO).flatMap(([slo, alerts]) => alerts.map((a) => [a, slo] as const));

const FIRST_STEPS: Readonly<Record<string, string>> = {
  critical: "Page-worthy: acknowledge, open the linked dashboard, check recent deploys and the target's logs; mitigate first, investigate second.",
  warning: "Investigate within working hours: open the linked dashboard, compare with the last days, fix the cause or tune the threshold in code (an override, reviewed in a PR).",
  info: "Awareness only: no action unless it persists or correlates with a warning.",
};

export function renderRunbooks(
  packs: readonly RulePack[] = buildRulePacks({ kpis: seedKpiTargets, overrides: Object.fromEntries(OPT_IN.map(([a]) => [a, { disabled: false }])) }),
  logPacks: readonly LogRulePack[] = buildLogRulePacks(),
): string {
  const optIn = new Map<string, string>(OPT_IN);
  const lines: string[] = [
    "# Runbooks",
    "",
    "Generated from the shipped rule packs by `npm run docs` — do not edit by hand. Every alert's `runbook_url`",
    "links to its section here. Thresholds shown are the defaults; stacks may override them (see rules/config.ts).",
    "",
  ];
  for (const pack of packs) {
    lines.push(`## Pack \`${pack.name}\``, "");
    for (const a of packAlerts(pack)) {
      lines.push(`### ${a.alert}`, "");
      lines.push(`- **Severity:** ${a.severity ?? "none"}${a.for ? ` — fires after ${a.for}` : ""}`);
      const slo = optIn.get(a.alert);
      if (slo !== undefined) lines.push(`- **Opt-in:** off while the \`${slo}\` SLO is on (override \`disabled: false\` to keep it)`);
      lines.push(`- **Summary:** ${a.annotations.summary}`);
      lines.push(`- **Description:** ${a.annotations.description}`);
      if (a.annotations.dashboard) lines.push(`- **Dashboard:** ${a.annotations.dashboard}`);
      lines.push(`- **First steps:** ${FIRST_STEPS[a.severity ?? ""] ?? ""}`);
      lines.push("", "```promql", exprText(a.expr), "```", "");
    }
  }
  // Log rules (Loki's ruler, LogQL): the same sections, with the query as LogQL.
  for (const pack of logPacks) {
    lines.push(`## Log pack \`${pack.name}\` (Loki ruler)`, "");
    for (const g of pack.groups) {
      for (const a of g.rules) {
        if (!("alert" in a)) continue;
        lines.push(`### ${a.alert}`, "");
        lines.push(`- **Severity:** ${a.severity ?? "none"}${a.for ? ` — fires after ${a.for}` : ""}`);
        lines.push(`- **Summary:** ${a.annotations.summary}`);
        lines.push(`- **Description:** ${a.annotations.description}`);
        if (a.annotations.dashboard) lines.push(`- **Dashboard:** ${a.annotations.dashboard}`);
        lines.push(`- **First steps:** ${FIRST_STEPS[a.severity ?? ""] ?? ""}`);
        lines.push("", "```logql", a.expr, "```", "");
      }
    }
  }
  return `${lines.join("\n").trimEnd()}\n`;
}

if (require.main === module) {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require("node:fs").writeFileSync(require("node:path").join(__dirname, "..", "docs", "runbooks.md"), renderRunbooks());
}
