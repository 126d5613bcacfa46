/**
 * `moncode check --stack <name>`: synth (which runs every validation of the project), then the real tools on the
 * output: promtool check config / check rules / test rules, amtool check-config and amtool's routing tree against
 * every routing test. The tools are the Go-built releases the stack pins (`npm run -s tools`); without them the
 * own validation still runs and the skipped tool checks are named, unless `requireTools` makes that a failure.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ARTIFACT_PATHS } from "../core/conventions";
import { synth, type SynthOptions, type SynthResult } from "./synth";
import { promtoolCheckConfig } from "./promtool-config";
import { hasTool, runTool, toolPath, toolVersion, type ToolRun } from "./tools";

export interface CheckOptions extends SynthOptions {
  /** Fail when a tool check would be skipped (CI). @default false */
  readonly requireTools?: boolean;
}

export interface ToolUsed {
  readonly name: string;
  readonly path: string;
  /** The program's own version line. */
  readonly version: string;
}

export interface CheckResult {
  readonly synth: SynthResult;
  readonly runs: readonly ToolRun[];
  /** Tools that were used, with the version each reported. */
  readonly tools: readonly ToolUsed[];
  /** Tool checks skipped because the program is not built (each a sentence). */
  readonly skipped: readonly string[];
  readonly missingTools: readonly string[];
  readonly ok: boolean;
}

function use(name: string, used: ToolUsed[]): boolean {
  if (!hasTool(name)) return false;
  const version = toolVersion(name);
  if (version === undefined) return false;
  used.push({ name, path: toolPath(name), version });
  return true;
}

export async function check(opts: CheckOptions): Promise<CheckResult> {
  const s = await synth({ ...opts, write: true });
  const runs: ToolRun[] = [];
  const missing: string[] = [];
  const skipped: string[] = [];
  const used: ToolUsed[] = [];
  const dir = s.dir;
  if (use("promtool", used)) {
    runs.push(promtoolCheckConfig(join(dir, ARTIFACT_PATHS.prometheusConfig)));
    const rulesDir = join(dir, ARTIFACT_PATHS.prometheusRulesDir);
    const ruleFiles = readdirSync(rulesDir).filter((f) => f.endsWith(".yml")).sort();
    if (ruleFiles.length > 0) runs.push(runTool("promtool", ["check", "rules", ...ruleFiles.map((f) => join(rulesDir, f))]));
    const testsDir = join(dir, ARTIFACT_PATHS.prometheusTestsDir);
    const tests = readdirSync(testsDir).filter((f) => f.endsWith(".yml")).sort();
    if (tests.length > 0) runs.push(runTool("promtool", ["test", "rules", ...tests], { cwd: testsDir }));
  } else {
    missing.push("promtool");
    skipped.push("promtool check config, promtool check rules, promtool test rules");
  }
  if (use("amtool", used)) {
    const amConfig = join(dir, ARTIFACT_PATHS.alertmanagerConfig);
    runs.push(runTool("amtool", ["check-config", amConfig]));
    const cases = JSON.parse(readFileSync(join(dir, ARTIFACT_PATHS.alertmanagerRouteTests), "utf8")) as { labels: Record<string, string>; receivers: string[] }[];
    for (const c of cases) {
      const labels = Object.keys(c.labels).sort().map((k) => `${k}=${c.labels[k]}`);
      runs.push(runTool("amtool", ["config", "routes", "test", `--config.file=${amConfig}`, `--verify.receivers=${c.receivers.join(",")}`, ...labels]));
    }
  } else {
    missing.push("amtool");
    skipped.push("amtool check-config, amtool config routes test (every routing test)");
  }
  // The collector's and Jaeger's own config checks, where the stack runs them and the programs are built. They are
  // not required (CI builds only promtool and amtool for check): a missing one is named, never a failure.
  for (const [tool, file] of [["otelcol-contrib", "otelcol/config.yaml"], ["jaeger", "jaeger/config.yaml"]] as const) {
    if (!existsSync(join(dir, file))) continue;
    if (hasTool(tool) && use(tool, used)) runs.push(runTool(tool, ["validate", `--config=${join(dir, file)}`]));
    else skipped.push(`${tool} validate (${file}; optional: npm run -s tools -- --for test builds it)`);
  }
  const ok = runs.every((r) => r.ok) && !(opts.requireTools && missing.length > 0);
  return { synth: s, runs, tools: used, skipped, missingTools: missing, ok };
}
