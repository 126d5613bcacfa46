/**
 * moncode import <files|folders…> [--out <dir>] [--from <module>] [--folder <name>] [--level <rule>=<level>]… [--dry-run]
 *
 * Turns existing content into TypeScript that uses moncode's types: rule files and PrometheusRule resources become
 * rule packs, prometheus.yml a PrometheusConfig with its scrape jobs, alertmanager.yml an AlertmanagerConfig with
 * secret references where it had credentials (the values are never written), dashboards DashboardDefs typed with
 * the Grafana Foundation SDK. Findings are reported as `moncode lint` reports them; with any error nothing is
 * written and the exit code is 1.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { formatLocated, importContent } from "../core/import";
import type { CliIo } from "./verify";
import { parseContentArgs, readInputs, UsageError } from "./content-files";

export const IMPORT_USAGE = "usage: moncode import <files|folders…> [--out <dir>] [--from <module>] [--folder <name>] [--level <rule>=<error|warn|off>]… [--dry-run]";

export function runImportCli(argv: readonly string[], io: CliIo): number {
  let args;
  let inputs;
  try {
    args = parseContentArgs(argv, ["out", "from", "folder"], ["dry-run"]);
    inputs = readInputs(args.paths, io.cwd);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.err(`${e.message}\n${IMPORT_USAGE}`);
    return 2;
  }
  const result = importContent(inputs, {
    levels: args.levels,
    ...(args.flags.from !== undefined ? { from: args.flags.from } : {}),
    ...(args.flags.folder !== undefined ? { folder: args.flags.folder } : {}),
  });
  for (const i of result.issues) io.out(formatLocated(i));
  const errors = result.issues.filter((i) => i.severity === "error").length;
  if (errors > 0) {
    io.err(`import: ${errors} errors; nothing written`);
    return 1;
  }
  const outDir = resolve(io.cwd, args.flags.out ?? "imported");
  if (args.flags["dry-run"] !== "true") {
    for (const m of result.modules) {
      const path = join(outDir, m.path);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, m.content);
    }
  }
  const groups = result.packs.reduce((n, p) => n + p.pack.groups.length, 0);
  const secrets = [...result.prometheus.flatMap((p) => p.imported.secrets), ...result.alertmanager.flatMap((a) => a.imported.secrets)];
  io.out(
    `import: ${result.modules.length} modules${args.flags["dry-run"] === "true" ? " (dry run, nothing written)" : ` → ${outDir}`}: ${result.packs.length} rule packs (${groups} groups), ` +
      `${result.prometheus.length} Prometheus configs, ${result.alertmanager.length} Alertmanager configs, ${result.dashboards.length} dashboards; ` +
      `${result.issues.length} warnings${secrets.length > 0 ? `; ${secrets.length} secrets to set (their values were not imported): ${secrets.map((s) => s.name).join(", ")}` : ""}`,
  );
  return 0;
}
