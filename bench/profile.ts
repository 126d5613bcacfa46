/**
 * Reads a V8 `.cpuprofile` (node --cpu-prof) and lists where the time went: self time per function and the total
 * (self + callees) time per repository source file, so a hotspot names the file to look at.
 */
import { readFileSync } from "node:fs";
import { relative } from "node:path";

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly children?: readonly number[];
}
interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

function where(url: string, root: string): string {
  const path = url.replace(/^file:\/\//, "");
  if (path === "") return "(native)";
  const rel = relative(root, path);
  const nm = rel.lastIndexOf("node_modules/");
  if (nm >= 0) {
    const parts = rel.slice(nm + "node_modules/".length).split("/");
    return `[${parts[0]!.startsWith("@") ? `${parts[0]}/${parts[1]}` : parts[0]}]`;
  }
  return rel.startsWith("..") ? path : rel;
}

export function summarizeProfile(file: string, root: string, top = 15): string {
  const p = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  p.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (p.timeDeltas[i] ?? 0)));
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0);

  const fnSelf = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const n = byId.get(id)!;
    const key = `${n.callFrame.functionName || "(anonymous)"}  ${where(n.callFrame.url, root)}${n.callFrame.url ? `:${n.callFrame.lineNumber + 1}` : ""}`;
    fnSelf.set(key, (fnSelf.get(key) ?? 0) + us);
  }
  // Inclusive time per repository file (or package): a sample counts once for every distinct file on its stack.
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const fileTotal = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const w = where(byId.get(cur)!.callFrame.url, root);
      if (w !== "(native)") seen.add(w);
    }
    for (const w of seen) fileTotal.set(w, (fileTotal.get(w) ?? 0) + us);
  }
  const pct = (us: number): string => `${((us / total) * 100).toFixed(1).padStart(5)}%  ${(us / 1e6).toFixed(2).padStart(6)} s`;
  const lines = [`  total sampled ${(total / 1e6).toFixed(2)} s`, "  self time by function:"];
  for (const [k, us] of [...fnSelf].sort((a, b) => b[1] - a[1]).slice(0, top)) lines.push(`    ${pct(us)}  ${k}`);
  lines.push("  inclusive time by file/package:");
  for (const [k, us] of [...fileTotal].sort((a, b) => b[1] - a[1]).slice(0, top)) lines.push(`    ${pct(us)}  ${k}`);
  return lines.join("\n");
}

if (require.main === module) {
  const [file] = process.argv.slice(2);
  if (!file) throw new Error("usage: tsx bench/profile.ts <file.cpuprofile>");
  console.log(summarizeProfile(file, process.cwd()));
}
