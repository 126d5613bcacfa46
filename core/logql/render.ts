/** Ruler rule files (Prometheus rulefmt with LogQL) from typed log rules; refuses invalid input before writing. */
import type { RenderedFile } from "../files";
import type { LintOptions } from "../lint";
import { alertAnnotationsRendered, alertStaticLabels, type AlertRule } from "../rules/model";
import { assertValid } from "../validation";
import { compact, sortedRecord, toYaml } from "../yaml";
import { isLogAlertRule, type LogRule, type LogRuleGroup, type LogRulePack } from "./model";
import { validateLogRulePacks } from "./validate";

const nonEmpty = (rec: Record<string, string>): Record<string, string> | undefined => (Object.keys(rec).length > 0 ? rec : undefined);

function renderLogRule(r: LogRule): Record<string, unknown> {
  if (isLogAlertRule(r)) {
    const asAlert = r as unknown as AlertRule;
    return compact({
      alert: r.alert,
      expr: r.expr,
      for: r.for,
      keep_firing_for: r.keepFiringFor,
      labels: nonEmpty(alertStaticLabels(asAlert)),
      annotations: nonEmpty(alertAnnotationsRendered(asAlert)),
    });
  }
  return compact({ record: r.record, expr: r.expr, labels: sortedRecord(r.labels) });
}

/**
 * The YAML object of a ruler rule file (Prometheus rulefmt with LogQL), before text: for callers that embed it. Does
 * not validate; `renderLogRulePackFiles` does.
 */
export function logRuleFileObject(groups: readonly LogRuleGroup[]): { groups: Record<string, unknown>[] } {
  return { groups: groups.map((g) => compact({ name: g.name, interval: g.interval, limit: g.limit, rules: g.rules.map(renderLogRule) })) };
}

/**
 * One rule file per pack under `dir` (synth: `loki/rules/<tenant>`; in the container the ruler's local
 * directory, `<rules_directory>/<tenant>/`, each file one namespace).
 */
export function renderLogRulePackFiles(packs: readonly LogRulePack[], dir: string, opts: LintOptions = {}): RenderedFile[] {
  assertValid("log rule packs", validateLogRulePacks(packs, opts));
  return packs.map((p) => ({ path: `${dir}/${p.name}.yml`, content: toYaml(logRuleFileObject(p.groups)) }));
}
