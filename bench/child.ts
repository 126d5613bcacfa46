/**
 * One benchmark measurement in a fresh process (so peak RSS is this size's alone), printed as one JSON line:
 *   tsx bench/child.ts synth <services>      estate → MonitoringStack under Pulumi mocks → every artifact
 *   tsx bench/child.ts serialize <services>  the same model objects, only turned into YAML/JSON text
 */
import { renderResourcesJson } from "../cli/synth";
import { runUnderMocks } from "../cli/mock-runtime";
import { alertmanagerConfigData } from "../core/alertmanager/render";
import type { RenderedFile } from "../core/files";
import { dashboardJson } from "../core/grafana/render";
import { renderPrometheusConfig } from "../core/prometheus/render";
import { ruleFileObject } from "../core/rules/render";
import { renderValidatedRuleTestFiles } from "../core/rules/validated";
import { toYaml } from "../core/yaml";
import { MonitoringStack } from "../stacks/monitoring-stack";
import { generateEstate } from "./estate";
import { estateStackArgs, loadBenchConfig } from "./stack";

export interface SynthMeasurement {
  readonly mode: "synth";
  readonly services: number;
  /** Seconds from process start to the end of module loading (node, the TypeScript loader, @pulumi and the rest). */
  readonly importSeconds: number;
  /**
   * Generating the estate (bench/estate.ts: its rule packs and dashboards through the SDK builders). Bench-only
   * input, printed apart and not part of wallSeconds.
   */
  readonly estateSeconds: number;
  /** Reading the stack config (Pulumi.<stack>.yaml). */
  readonly definitionsSeconds: number;
  /** Components under mocks: validation, rendering, resource registration, until every registration is done. */
  readonly componentsSeconds: number;
  /** What `moncode synth` adds: promtool test files and resources.json. */
  readonly synthFilesSeconds: number;
  /** definitions + components + synth files: what `moncode synth` does with the estate's definitions. */
  readonly wallSeconds: number;
  /** User + system CPU over the same span as wallSeconds (less sensitive to other load on the machine). */
  readonly cpuSeconds: number;
  /** Whether V8 applied source maps to stack traces (tsx turns them on; the compiled `moncode` does not). */
  readonly sourceMaps: boolean;
  readonly rssAfterImportMb: number;
  readonly peakRssMb: number;
  readonly resources: number;
  readonly resourceTypes: Record<string, number>;
  readonly files: number;
  readonly outputMb: number;
  readonly alerts: number;
  readonly panels: number;
  readonly warnings: number;
}

export interface SerializeMeasurement {
  readonly mode: "serialize";
  readonly services: number;
  /** First (cold) pass over the objects: what a synth pays once. */
  readonly serializeSeconds: number;
  /** Best of three further passes. */
  readonly serializeWarmSeconds: number;
  /** CPU of the cold pass. */
  readonly serializeCpuSeconds: number;
  readonly outputMb: number;
  readonly peakRssMb: number;
}

const mb = (bytes: number): number => Math.round((bytes / 1024 / 1024) * 10) / 10;
const sec = (ms: number): number => Math.round(ms) / 1000;
const peakRssMb = (): number => mb(process.resourceUsage().maxRSS * 1024);
const bytes = (files: readonly RenderedFile[]): number => files.reduce((n, f) => n + Buffer.byteLength(f.content), 0);

async function synth(services: number): Promise<SynthMeasurement> {
  // performance.now() counts from process start: node, the TypeScript loader and every module import.
  const importSeconds = sec(performance.now());
  const rssAfterImportMb = mb(process.memoryUsage().rss);
  const e0 = performance.now();
  const estate = generateEstate(services);
  const estateSeconds = sec(performance.now() - e0);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const { project, config } = loadBenchConfig();
  const t1 = performance.now();
  const { result, resources } = await runUnderMocks({
    project,
    stack: "bench",
    config: {},
    secretKeys: [],
    program: () => new MonitoringStack("bench", estateStackArgs(config, estate)),
  });
  const t2 = performance.now();
  // What `moncode synth` does: the PrometheusStack validated its packs, the test files are rendered from them.
  const files: RenderedFile[] = [...result.files, ...renderValidatedRuleTestFiles(result.prometheus.rulePacks)];
  files.push({ path: "resources.json", content: renderResourcesJson(resources) });
  const t3 = performance.now();
  const cpu = process.cpuUsage(cpu0);
  const resourceTypes: Record<string, number> = {};
  for (const r of resources) resourceTypes[r.type] = (resourceTypes[r.type] ?? 0) + 1;
  const alerts = result.prometheus.rulePacks.reduce((n, p) => n + p.groups.reduce((m, g) => m + g.rules.filter((r) => "alert" in r).length, 0), 0);
  const panels = estate.dashboards.reduce((n, d) => n + ((d.dashboard as { panels?: { type?: string }[] }).panels ?? []).filter((p) => p.type !== "row").length, 0);
  return {
    mode: "synth",
    services,
    importSeconds,
    estateSeconds,
    definitionsSeconds: sec(t1 - t0),
    componentsSeconds: sec(t2 - t1),
    synthFilesSeconds: sec(t3 - t2),
    wallSeconds: sec(t3 - t0),
    cpuSeconds: sec((cpu.user + cpu.system) / 1000),
    sourceMaps: process.sourceMapsEnabled,
    rssAfterImportMb,
    peakRssMb: peakRssMb(),
    resources: resources.length,
    resourceTypes,
    files: files.length,
    outputMb: mb(bytes(files)),
    alerts,
    panels,
    warnings: result.warnings.length,
  };
}

/** The same model objects the stack renders, serialized and nothing else: no validation, lint or Pulumi. */
async function serialize(services: number): Promise<SerializeMeasurement> {
  const { config } = loadBenchConfig();
  const estate = generateEstate(services);
  let args: ReturnType<typeof estateStackArgs> | undefined;
  // compose wraps secrets in outputs, so it needs a (mocked) Pulumi runtime; nothing is registered.
  await runUnderMocks({ project: "moncode", stack: "bench", config: {}, secretKeys: [], program: () => (args = estateStackArgs(config, estate)) });
  const a = args!;
  const packs = a.prometheus.rulePacks ?? [];
  const dashboards = a.grafana.dashboards ?? [];
  const prometheusConfig = {
    global: { scrapeInterval: "15s", scrapeTimeout: "10s", evaluationInterval: "15s", ...a.prometheus.global },
    ruleFiles: ["rules/*.yml"],
    scrapeJobs: [...(a.prometheus.scrapeJobs ?? [])],
    alertmanagers: [{ targets: ["alertmanager:9093"] }],
  };
  const pass = (): number => {
    const texts = [
      renderPrometheusConfig(prometheusConfig),
      ...packs.map((p) => toYaml(ruleFileObject(p.groups))),
      ...dashboards.map((d) => dashboardJson(d.dashboard)),
      toYaml(alertmanagerConfigData(a.alerting.config, "/etc/alertmanager/secrets")),
    ];
    return texts.reduce((n, t) => n + Buffer.byteLength(t), 0);
  };
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const size = pass();
  const cold = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  let warm = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 3; i++) {
    const s = performance.now();
    pass();
    warm = Math.min(warm, performance.now() - s);
  }
  return { mode: "serialize", services, serializeSeconds: sec(cold), serializeWarmSeconds: sec(warm), serializeCpuSeconds: sec((cpu.user + cpu.system) / 1000), outputMb: mb(size), peakRssMb: peakRssMb() };
}

async function main(): Promise<void> {
  const [mode, n, maps] = process.argv.slice(2);
  // tsx turns on source-mapped stack traces; the shipped `moncode` (compiled JS) runs without them. Pulumi records
  // a stack trace for every promise it tracks, and mapping those through tsx's source maps is a cost of the
  // TypeScript loader, not of synth: off unless asked for (`npm run bench -- --source-maps`).
  if (maps !== "source-maps") process.setSourceMapsEnabled(false);
  const services = Number(n);
  if (!Number.isInteger(services) || services < 0 || (mode !== "synth" && mode !== "serialize")) {
    throw new Error("usage: tsx bench/child.ts <synth|serialize> <services> [source-maps]");
  }
  const m = mode === "synth" ? await synth(services) : await serialize(services);
  process.stdout.write(`BENCH_RESULT ${JSON.stringify(m)}\n`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
  process.exit(1);
});
