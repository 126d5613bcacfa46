/**
 * `promtool check config` that copes with two things a config for Kubernetes has and this machine has not:
 * - Debian's promtool is built without Kubernetes service discovery and rejects any `kubernetes_sd_configs`;
 * - credential files that exist only inside the pod (the service-account token and CA) fail promtool's file checks.
 * Then the config is checked again with those blocks removed and `--syntax-only` (no file checks; the rule files
 * get their own `promtool check rules` run), and the run's command says so. The removed blocks are covered by
 * moncode's own validator (roles, namespaces, selectors). Any other failure is reported as it is.
 */
import { rmSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { parse, stringify } from "yaml";
import { runTool, type ToolRun } from "./tools";

const NO_K8S_SD = /field kubernetes_sd_configs not found/;
const POD_ONLY_FILE = /error checking .* file "\/var\/run\/secrets\/kubernetes\.io\/serviceaccount\/[^"]+": stat .*: no such file/;

export function stripKubernetesSd(text: string): string {
  const doc = parse(text) as { scrape_configs?: Record<string, unknown>[] };
  for (const job of doc.scrape_configs ?? []) delete job.kubernetes_sd_configs;
  return stringify(doc);
}

export function promtoolCheckConfig(path: string): ToolRun {
  const run = runTool("promtool", ["check", "config", path]);
  if (run.ok || !(NO_K8S_SD.test(run.output) || POD_ONLY_FILE.test(run.output))) return run;
  const copy = join(dirname(path), ".promtool-without-kubernetes-sd.yml");
  writeFileSync(copy, stripKubernetesSd(readFileSync(path, "utf8")));
  try {
    const again = runTool("promtool", ["check", "config", "--syntax-only", copy]);
    return {
      command: `promtool check config --syntax-only ${path} (without kubernetes_sd_configs and in-pod credential files, which this promtool cannot check)`,
      ok: again.ok,
      output: again.output,
    };
  } finally {
    rmSync(copy, { force: true });
  }
}
