/**
 * `moncode check --stack <name>`: synth (which runs every validation of the project), then the real tools on the
 * output when they are installed: promtool check config / check rules / test rules, amtool check-config and
 * amtool's routing tree against every routing test. Says so when a tool is missing.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ARTIFACT_PATHS } from "../core/conventions";
import { synth, type SynthOptions, type SynthResult } from "./synth";
import { promtoolCheckConfig } from "./promtool-config";
import { hasTool, runTool, type ToolRun } from "./tools";

export interface CheckResult {
  readonly synth: SynthResult;
  readonly runs: readonly ToolRun[];
  readonly missingTools: readonly string[];
  readonly ok: boolean;
}

export async function check(opts: SynthOptions): Promise<CheckResult> {
  const s = await synth({ ...opts, write: true });
  const runs: ToolRun[] = [];
  const missing: string[] = [];
  const dir = s.dir;
  if (hasTool("promtool")) {
    runs.push(promtoolCheckConfig(join(dir, ARTIFACT_PATHS.prometheusConfig)));
    const rulesDir = join(dir, ARTIFACT_PATHS.prometheusRulesDir);
    const ruleFiles = readdirSync(rulesDir).filter((f) => f.endsWith(".yml")).sort();
    if (ruleFiles.length > 0) runs.push(runTool("promtool", ["check", "rules", ...ruleFiles.map((f) => join(rulesDir, f))]));
    const testsDir = join(dir, ARTIFACT_PATHS.prometheusTestsDir);
    const tests = readdirSync(testsDir).filter((f) => f.endsWith(".yml")).sort();
    if (tests.length > 0) runs.push(runTool("promtool", ["test", "rules", ...tests], { cwd: testsDir }));
  } else missing.push("promtool");
  if (hasTool("amtool")) {
    const amConfig = join(dir, ARTIFACT_PATHS.alertmanagerConfig);
    runs.push(runTool("amtool", ["check-config", amConfig]));
    const cases = JSON.parse(readFileSync(join(dir, ARTIFACT_PATHS.alertmanagerRouteTests), "utf8")) as { labels: Record<string, string>; receivers: string[] }[];
    for (const c of cases) {
      const labels = Object.keys(c.labels).sort().map((k) => `${k}=${c.labels[k]}`);
      runs.push(runTool("amtool", ["config", "routes", "test", `--config.file=${amConfig}`, `--verify.receivers=${c.receivers.join(",")}`, ...labels]));
    }
  } else missing.push("amtool");
  return { synth: s, runs, missingTools: missing, ok: runs.every((r) => r.ok) };
}
