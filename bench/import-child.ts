/**
 * One measurement of `moncode import` in a fresh process, printed as one JSON line: the whole kube-prometheus corpus
 * (../shared/corpus/kube-prometheus: 8 PrometheusRule resources and 33 dashboards in ConfigMaps) read, typed,
 * validated at the lint profile and written out as TypeScript modules, in one process. Module loading (node, tsx,
 * the PromQL and LogQL parsers, the Grafana SDK) is timed apart from the work, as is reading the files.
 *   tsx bench/import-child.ts [corpus folder]
 */
const loadStart = process.uptime();
/* eslint-disable @typescript-eslint/no-require-imports */
const { importContent } = require("../core/import") as typeof import("../core/import");
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";

export interface ImportMeasurement {
  readonly mode: "import";
  readonly corpus: string;
  /** Process start to the end of module loading. */
  readonly loadSeconds: number;
  /** Of which the import module and its dependencies. */
  readonly importModuleSeconds: number;
  readonly readSeconds: number;
  /** Parse, type, validate (rules, dashboards, each against the other) and generate the modules. */
  readonly importSeconds: number;
  readonly cpuSeconds: number;
  readonly peakRssMb: number;
  readonly files: number;
  readonly megabytes: number;
  readonly groups: number;
  readonly rules: number;
  readonly dashboards: number;
  readonly modules: number;
  readonly errors: number;
  readonly warnings: number;
}

const loadEnd = process.uptime();
const corpus = resolve(process.argv[2] ?? join(__dirname, "..", "..", "shared", "corpus", "kube-prometheus"));
const t0 = process.hrtime.bigint();
const files = readdirSync(corpus).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => ({ path: f, text: readFileSync(join(corpus, f), "utf8") }));
const t1 = process.hrtime.bigint();
const cpu0 = process.cpuUsage();
const result = importContent(files);
const cpu = process.cpuUsage(cpu0);
const t2 = process.hrtime.bigint();
const groups = result.packs.flatMap((p) => p.pack.groups);
const m: ImportMeasurement = {
  mode: "import",
  corpus,
  loadSeconds: loadEnd,
  importModuleSeconds: loadEnd - loadStart,
  readSeconds: Number(t1 - t0) / 1e9,
  importSeconds: Number(t2 - t1) / 1e9,
  cpuSeconds: (cpu.user + cpu.system) / 1e6,
  peakRssMb: process.resourceUsage().maxRSS / 1024,
  files: files.length,
  megabytes: files.reduce((n, f) => n + f.text.length, 0) / 1e6,
  groups: groups.length,
  rules: groups.reduce((n, g) => n + g.rules.length, 0),
  dashboards: result.dashboards.length,
  modules: result.modules.length,
  errors: result.issues.filter((i) => i.severity === "error").length,
  warnings: result.issues.filter((i) => i.severity === "warning").length,
};
console.log(`BENCH_RESULT ${JSON.stringify(m)}`);
