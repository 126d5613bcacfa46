/**
 * `promtool check config` on a rendered prometheus.yml, in full (discovery included, file checks on). The one thing
 * a config for Kubernetes has that this machine has not: the service-account token and CA that exist only inside
 * the pod (`/var/run/secrets/kubernetes.io/serviceaccount/…`). promtool checks that referenced files exist, so the
 * check runs on a copy whose in-pod paths point at empty stand-in files in a temporary folder; the command says so.
 * Nothing else is changed.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { runTool, type ToolRun } from "./tools";

const POD_ONLY = /\/var\/run\/secrets\/kubernetes\.io\/serviceaccount\/[A-Za-z0-9._-]+/g;

export function promtoolCheckConfig(path: string): ToolRun {
  const text = readFileSync(path, "utf8");
  const podFiles = [...new Set(text.match(POD_ONLY) ?? [])].sort();
  if (podFiles.length === 0) return runTool("promtool", ["check", "config", path]);
  const standIns = mkdtempSync(join(tmpdir(), "moncode-pod-files-"));
  // The copy sits beside the original so relative rule_files globs resolve the same way.
  const copy = join(dirname(path), `.promtool-${basename(path)}`);
  try {
    let rewritten = text;
    for (const f of podFiles) {
      const standIn = join(standIns, basename(f));
      writeFileSync(standIn, "");
      rewritten = rewritten.split(f).join(standIn);
    }
    writeFileSync(copy, rewritten);
    const run = runTool("promtool", ["check", "config", copy]);
    return {
      command: `promtool check config ${path} (in-pod files ${podFiles.map((f) => basename(f)).join(", ")} replaced by empty stand-ins)`,
      ok: run.ok,
      output: run.output,
    };
  } finally {
    rmSync(copy, { force: true });
    rmSync(standIns, { recursive: true, force: true });
  }
}
