/**
 * The import and the lint on content nobody here wrote (../shared/corpus: kube-prometheus's PrometheusRules and
 * dashboards, awesome-prometheus-alerts' rule files). Every rule group and dashboard imports; the generated
 * TypeScript type-checks under strict settings (the dashboards against the Grafana SDK's types) and, loaded and
 * rendered by the library, gives the source back after the written-down normalisation (core/import/normalize.ts);
 * promtool accepts both sides; the lint raises no error promtool would not raise, and the findings it does make on
 * this content that are true defects are asserted by name.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse, parseAllDocuments } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatLocated, importContent, type ImportResult, normalizeDashboard, normalizeRuleFile } from "../../core/import";
import { renderDashboardFiles, type DashboardDef } from "../../core/grafana/render";
import { renderRuleFile } from "../../core/rules/render";
import type { RulePack } from "../../core/rules/model";
import { CORPUS, LIBRARY, type Workspace, writeModules } from "../helpers/imported";
import { tool } from "../helpers/tools";

const PROMTOOL = tool("promtool");

function walk(d: string): string[] {
  return readdirSync(d).sort().flatMap((f) => {
    const p = join(d, f);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

const files = walk(CORPUS).filter((f) => /\.ya?ml$/.test(f));
let result: ImportResult;
let ws: Workspace;
let tsc: string;

beforeAll(() => {
  result = importContent(files.map((f) => ({ path: f.slice(CORPUS.length + 1), text: readFileSync(f, "utf8") })), { from: LIBRARY });
  ws = writeModules(result.modules);
  tsc = ws.typecheck();
}, 600_000);
afterAll(() => ws?.remove());

/** Every source rule file body (a PrometheusRule's spec, or the file), by the pack name the importer gives it. */
function sourceBodies(): unknown[] {
  return files.filter((f) => !f.includes("dashboardDefinitions")).flatMap((f) => parseAllDocuments(readFileSync(f, "utf8")).map((d) => d.toJS() as unknown));
}

function promtoolCheck(paths: readonly string[], lint = "none"): { status: number | null; out: string } {
  const r = spawnSync(PROMTOOL, ["check", "rules", `--lint=${lint}`, ...paths], { encoding: "utf8", timeout: 300_000 });
  if (r.error) throw r.error;
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

describe("import of the corpus", () => {
  it("reads every rule group and dashboard, with no error", () => {
    expect(result.issues.filter((i) => i.severity === "error").map(formatLocated)).toEqual([]);
    const groups = result.packs.flatMap((p) => p.pack.groups);
    const rules = groups.flatMap((g) => g.rules);
    // kube-prometheus: 38 groups, 139 alerts, 95 recording rules; awesome-prometheus-alerts: 112 groups, 954 alerts.
    expect({ groups: groups.length, alerts: rules.filter((r) => "alert" in r).length, records: rules.filter((r) => "record" in r).length }).toEqual({ groups: 150, alerts: 1093, records: 95 });
    expect(result.dashboards).toHaveLength(33);
    expect(result.modules.length).toBe(new Set(files).size);
  });

  it("writes TypeScript that type-checks under strict settings, dashboards against the Grafana SDK's types", () => {
    expect(tsc).toBe("");
    const dash = result.modules.find((m) => m.path.startsWith("dashboards/"))!;
    expect(dash.content).toContain('import * as dashboard from "@grafana/grafana-foundation-sdk/dashboard";');
    expect(dash.content).toMatch(/: dashboard\.Dashboard = \{|: grafana\.Lacking<dashboard\.Dashboard, "annotations"> = \{/);
    expect(dash.content).toContain("dashboard.VariableType.Query");
  });

  it("round-trips every rule group: the compiled packs render to the source, normalised", async () => {
    const byName = new Map<string, RulePack>();
    for (const m of result.modules.filter((x) => x.path.startsWith("rules/"))) {
      const mod = (await import(ws.path(m))) as { packs: RulePack[] };
      for (const p of mod.packs) byName.set(p.name, p);
    }
    expect(byName.size).toBe(result.packs.length);
    const sources = sourceBodies();
    const rendered: string[] = [];
    const outDir = join(ws.dir, "rendered");
    mkdirSync(outDir, { recursive: true });
    result.packs.forEach(({ pack }, i) => {
      const compiled = byName.get(pack.name)!;
      const text = renderRuleFile(compiled.groups);
      expect(normalizeRuleFile(parse(text)), pack.name).toEqual(normalizeRuleFile(sources[i]));
      const path = join(outDir, `${pack.name}.yml`);
      writeFileSync(path, text);
      rendered.push(path);
    });
    // Both sides load in the pinned promtool: the rendered files, and the sources as plain rule files.
    const plain = sources.map((s, i) => {
      const p = join(outDir, `source-${i}.yml`);
      writeFileSync(p, JSON.stringify((s as { spec?: unknown }).spec ?? s));
      return p;
    });
    const r = promtoolCheck([...plain, ...rendered]);
    expect(r.out.split("\n\n").filter((b) => b.includes("FAILED"))).toEqual([]);
    expect(r.status, r.out.slice(0, 2000)).toBe(0);
    // promtool's own lint (duplicate-rules, on by default, not fatal) flags one metric, on both sides alike: the
    // four status-class rules of code_verb:apiserver_request_total:increase1h. They write different series
    // (code=~"2..", "3..", "4..", "5.." kept by `sum by (cluster, code, verb)`), which moncode proves, so it
    // reports no collision there.
    const lint = promtoolCheck([...plain, ...rendered], "duplicate-rules");
    expect(lint.status).toBe(0);
    const flagged = [...lint.out.matchAll(/Metric: (\S+)/g)].map((m) => m[1]);
    expect(new Set(flagged)).toEqual(new Set(["code_verb:apiserver_request_total:increase1h"]));
    expect(flagged).toHaveLength(2);
    expect(result.issues.filter((i) => i.rule === "rules/recording-collision")).toEqual([]);
  }, 300_000);

  it("round-trips every dashboard: the compiled definitions render to the source JSON, normalised", async () => {
    const m = result.modules.find((x) => x.path.startsWith("dashboards/"))!;
    const mod = (await import(ws.path(m))) as { dashboards: DashboardDef[] };
    expect(mod.dashboards).toHaveLength(33);
    const files = renderDashboardFiles(mod.dashboards);
    const source = new Map(result.dashboards.map((d) => [d.def.uid, d.def.dashboard]));
    for (const f of files) {
      const json = JSON.parse(f.content) as { uid: string };
      expect(normalizeDashboard(json), f.path).toEqual(normalizeDashboard(source.get(json.uid)));
    }
  }, 120_000);
});

describe("lint of the corpus", () => {
  it("raises no error: promtool accepts every one of these rule groups, Grafana every dashboard", () => {
    const plainErrors = result.issues.filter((i) => i.severity === "error");
    expect(plainErrors).toEqual([]);
  });

  it("finds the true defect: kube-prometheus's 5 Windows dashboards read 14 recording rules its rules never define", () => {
    const found = result.issues.filter((i) => i.rule === "dashboard/recording-rule-undefined");
    const names = [...new Set(found.map((i) => /recording rule "([^"]+)"/.exec(i.message)?.[1]))].sort();
    expect(names).toEqual([
      ":windows_node_memory_MemFreeCached_bytes:sum",
      ":windows_node_memory_MemTotal_bytes:sum",
      "namespace_pod_container:windows_container_cpu_usage_seconds_total:sum_rate",
      "node:windows_node:sum",
      "node:windows_node_cpu_utilisation:avg1m",
      "node:windows_node_disk_utilisation:avg_irate",
      "node:windows_node_filesystem_usage:",
      "node:windows_node_memory_swap_io_pages:irate",
      "node:windows_node_memory_totalCached_bytes:sum",
      "node:windows_node_memory_utilisation:",
      "node:windows_node_memory_utilisation:ratio",
      "node:windows_node_net_saturation:sum_irate",
      "node:windows_node_net_utilisation:sum_irate",
      "node:windows_node_num_cpu:sum",
    ]);
    const titles = new Set(found.map((i) => result.dashboards.find((d) => i.item.startsWith(`dashboard "${d.def.uid}"`))?.def.title));
    expect([...titles].sort()).toEqual(expect.arrayContaining([expect.stringMatching(/Windows/)]));
    expect(titles.size).toBe(5);
    for (const t of titles) expect(t).toMatch(/Windows/);
    // A stack protection, not something Grafana refuses: a warning for lint, located in the ConfigMap file.
    expect(found.every((i) => i.severity === "warning" && i.file.endsWith("grafana-dashboardDefinitions.yaml") && (i.line ?? 0) > 1)).toBe(true);
  });

  it("reports house conventions as warnings with their rule ids, never as errors", () => {
    const rules = new Set(result.issues.map((i) => i.rule));
    for (const r of ["rules/group-name-kebab-case", "rules/alert-name-pascal-case", "rules/record-name-shape", "rules/severity-unknown", "rules/annotation-message-legacy"]) expect(rules).toContain(r);
    expect(result.issues.find((i) => i.rule === "rules/severity-unknown")?.message).toContain('"none"');
  });
});
