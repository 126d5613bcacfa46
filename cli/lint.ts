/**
 * moncode lint <files|folders…> [--format text|json] [--level <rule>=<error|warn|off>]…
 *
 * The checks synth runs, on raw content: rule files and PrometheusRule resources, prometheus.yml, alertmanager.yml,
 * dashboards (JSON or ConfigMaps). Levels are the `lint` profile's: only what Prometheus, Alertmanager or Grafana
 * refuse (or what fails at every evaluation) is an error unless `--level` raises a rule. Exit 0 without errors,
 * 1 with, 2 on a usage error. Rule files and dashboards given together are checked against each other (a
 * dashboard reading a recording rule the rule files do not define).
 */
import { formatLocated, readContent } from "../core/import";
import type { CliIo } from "./verify";
import { parseContentArgs, readInputs, UsageError } from "./content-files";

export const LINT_USAGE = "usage: moncode lint <files|folders…> [--format text|json] [--level <rule>=<error|warn|off>]…";

export function runLintCli(argv: readonly string[], io: CliIo): number {
  let args;
  let inputs;
  try {
    args = parseContentArgs(argv, ["format"]);
    if (args.flags.format !== undefined && !["text", "json"].includes(args.flags.format)) throw new UsageError(`--format must be text or json, got "${args.flags.format}"`);
    inputs = readInputs(args.paths, io.cwd);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.err(`${e.message}\n${LINT_USAGE}`);
    return 2;
  }
  const read = readContent(inputs, { levels: args.levels });
  const errors = read.issues.filter((i) => i.severity === "error").length;
  const warnings = read.issues.length - errors;
  if (args.flags.format === "json") {
    io.out(JSON.stringify({ files: inputs.length, errors, warnings, issues: read.issues.map((i) => ({ level: i.severity === "error" ? "error" : "warn", rule: i.rule, file: i.file, line: i.line ?? null, item: i.item, field: i.field, message: i.message })) }, null, 2));
  } else {
    for (const i of read.issues) io.out(formatLocated(i));
    io.out(`lint: ${inputs.length} files, ${read.packs.length} rule packs, ${read.dashboards.length} dashboards: ${errors} errors, ${warnings} warnings`);
  }
  return errors > 0 ? 1 : 0;
}
