/**
 * The package as another infra repository gets it: build (tsconfig.build.json) → `npm pack` → a consumer project
 * with the tarball installed → strict type-check of a consumer Pulumi program → run it under Pulumi mocks.
 *
 * Installing: the tarball is unpacked into the consumer's node_modules/moncode, as npm would, and each of its
 * declared `dependencies` (plus the consumer's own typescript, @types/node, @pulumi/pulumi) is symlinked from this
 * repository's node_modules. That needs no network or npm cache (CI ran `npm ci`, nothing more), takes a second,
 * and still proves the declared dependencies suffice: moncode's real path is in the consumer, so a module it
 * requires without declaring it is not found. Node resolves symlinks to real paths, so moncode and the program
 * share one @pulumi/pulumi (and its mock runtime), as with a deduplicated install.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IMAGES } from "../../components/images";
import { readmeExamples } from "../helpers/readme";
import { CONSUMER_MOCKS, CONSUMER_NAME, CONSUMER_PROGRAM, CONSUMER_RUN_TASK, CONSUMER_TSCONFIG, consumerPackageJson } from "./consumer-project";

const ROOT = resolve(__dirname, "../..");
const NODE_MODULES = join(ROOT, "node_modules");
const TSC = join(NODE_MODULES, "typescript", "bin", "tsc");
const NPM_CLI = process.env.npm_execpath && process.env.npm_execpath.endsWith(".js") ? process.env.npm_execpath : undefined;
const SECRET_SIG = "4dabf18193072939515e22adb298388d";

interface PackageJson {
  name: string;
  version: string;
  main?: string;
  types?: string;
  bin?: Record<string, string>;
  files?: string[];
  exports?: Record<string, unknown>;
  sideEffects?: boolean;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

/** The README's five everyday tasks ("### 1. …" to "### 5. …" under "Using it from your infrastructure repo"). */
const TASKS = readmeExamples(readFileSync(join(ROOT, "README.md"), "utf8")).filter((e) => /^[1-5]\. /.test(e.name));
const taskFile = (i: number) => `task${i + 1}`;
/** The config keys a task reads (`cfg.require…("key")`): set as secrets when it runs. */
const taskKeys = (code: string) => [...new Set([...code.matchAll(/require(?:Secret)?\("([A-Za-z0-9]+)"\)/g)].map((m) => m[1]!))];

interface ConsumerResult {
  outputs: Record<string, unknown>;
  resources: { type: string; name: string; parent: string | undefined; inputs: Record<string, unknown> }[];
}

let tmp = "";
let tarballFiles: string[] = [];
let packed: PackageJson;
let consumer = "";

function run(cmd: string, args: readonly string[], cwd: string): string {
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8", maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NODE_OPTIONS: "" } });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} (in ${cwd}) exited ${String(r.status)}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

function npm(args: readonly string[], cwd: string): string {
  // The npm that runs the tests when there is one (npm test), else the one on PATH.
  return NPM_CLI ? run(process.execPath, [NPM_CLI, ...args], cwd) : run("npm", args, cwd);
}

function link(name: string, into: string): void {
  const target = join(NODE_MODULES, name);
  if (!existsSync(target)) throw new Error(`${name} is not installed in ${NODE_MODULES} (run npm ci)`);
  const at = join(into, name);
  if (existsSync(at)) return;
  mkdirSync(dirname(at), { recursive: true });
  symlinkSync(target, at, "dir");
}

function runConsumer(mode: "import" | "program"): ConsumerResult {
  const out = run(process.execPath, [join(consumer, "dist", "mocks.js"), mode], consumer);
  const line = out.split("\n").find((l) => l.startsWith("CONSUMER_RESULT "));
  if (!line) throw new Error(`the consumer printed no result:\n${out}`);
  return JSON.parse(line.slice("CONSUMER_RESULT ".length)) as ConsumerResult;
}

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), "moncode-package-"));
  // Build into a staging copy of the package, so the test neither needs nor touches the repository's dist/.
  const stage = join(tmp, "stage");
  mkdirSync(stage);
  run(process.execPath, [TSC, "-p", join(ROOT, "tsconfig.build.json"), "--outDir", join(stage, "dist")], ROOT);
  for (const f of ["package.json", "README.md", "LICENSE"]) if (existsSync(join(ROOT, f))) cpSync(join(ROOT, f), join(stage, f));
  const [info] = JSON.parse(npm(["pack", "--json", "--ignore-scripts", "--pack-destination", tmp], stage)) as { filename: string; files: { path: string }[] }[];
  if (!info) throw new Error("npm pack reported nothing");
  tarballFiles = info.files.map((f) => f.path).sort();
  const tarball = join(tmp, info.filename);

  consumer = join(tmp, CONSUMER_NAME);
  const modules = join(consumer, "node_modules");
  mkdirSync(modules, { recursive: true });
  execFileSync("tar", ["-xzf", tarball, "-C", tmp]);
  renameSync(join(tmp, "package"), join(modules, "moncode"));
  packed = JSON.parse(readFileSync(join(modules, "moncode", "package.json"), "utf8")) as PackageJson;
  for (const dep of Object.keys(packed.dependencies ?? {})) link(dep, modules);
  // The consumer's own SDKs satisfy moncode's peer dependencies, as \`npm install\` would leave them.
  for (const dep of Object.keys(packed.peerDependencies ?? {})) link(dep, modules);
  for (const dep of ["typescript", "@types/node"]) link(dep, modules);

  writeFileSync(join(consumer, "package.json"), consumerPackageJson(tarball));
  writeFileSync(join(consumer, "tsconfig.json"), CONSUMER_TSCONFIG);
  writeFileSync(join(consumer, "index.ts"), CONSUMER_PROGRAM);
  writeFileSync(join(consumer, "mocks.ts"), CONSUMER_MOCKS);
  writeFileSync(join(consumer, "run-task.ts"), CONSUMER_RUN_TASK);
  mkdirSync(join(consumer, "tasks"));
  TASKS.forEach((t, i) => writeFileSync(join(consumer, "tasks", `${taskFile(i)}.ts`), `${t.code}\n`));
}, 120_000);

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe("the packed package", () => {
  it("declares its entry points in an exports map, and the tarball holds them", () => {
    expect(packed.name).toBe("moncode");
    expect(packed.exports).toBeDefined();
    const root = packed.exports?.["."] as { types?: string; default?: string; require?: string } | undefined;
    expect(root?.types).toBe("./dist/lib.d.ts");
    expect(root?.default ?? root?.require).toBe("./dist/lib.js");
    expect(packed.main).toBe("dist/lib.js");
    expect(packed.types).toBe("dist/lib.d.ts");
    expect(packed.sideEffects).toBe(false);
    for (const f of ["dist/lib.js", "dist/lib.d.ts", packed.bin?.moncode ?? "dist/cli/main.js"]) expect(tarballFiles).toContain(f.replace(/^\.\//, ""));
  });

  it("ships compiled JavaScript and declarations only: no sources, tests, benchmarks or the repository's own stacks", () => {
    const unexpected = tarballFiles.filter(
      (f) => !/^dist\/.+\.(js|d\.ts)$/.test(f) && !["package.json", "README.md", "LICENSE"].includes(f),
    );
    expect(unexpected).toEqual([]);
    expect(tarballFiles.filter((f) => /^dist\/(test|bench)\//.test(f) || f === "dist/index.js")).toEqual([]);
    expect(tarballFiles.some((f) => f.startsWith("dist/core/") && f.endsWith(".d.ts"))).toBe(true);
  });

  it("keeps internals private: only the package root (and package.json) can be imported", () => {
    const probe = `try { require("moncode/dist/core/promql.js"); console.log("open"); } catch (e) { console.log(e.code); }`;
    expect(run(process.execPath, ["-e", probe], consumer).trim()).toBe("ERR_PACKAGE_PATH_NOT_EXPORTED");
  });

  it("works from ES modules too: named imports of the CommonJS build resolve", () => {
    const probe = `import { MonitoringStack, PrometheusStack, rulePacks, routing } from "moncode";
      console.log([typeof MonitoringStack, typeof PrometheusStack, typeof rulePacks.buildRulePacks, typeof routing.severityRouting].join(","));`;
    expect(run(process.execPath, ["--input-type=module", "-e", probe], consumer).trim()).toBe("function,function,function,function");
  });
});

describe("a consumer Pulumi program against the tarball", () => {
  it("type-checks under strict TypeScript and compiles", () => {
    run(process.execPath, [join(consumer, "node_modules", "typescript", "bin", "tsc"), "-p", consumer], consumer);
    expect(existsSync(join(consumer, "dist", "index.js"))).toBe(true);
  });

  it("registers no resources by importing moncode (no side effects on import)", () => {
    const r = runConsumer("import");
    expect(r.outputs.exports).toEqual(expect.arrayContaining(["MonitoringStack", "PrometheusStack", "AlertRouting", "GrafanaWithDashboards", "Exporters", "rulePacks", "routing", "dashboards"]));
    // The only resource is the stack itself, which the mock runtime registers for any program.
    expect(r.resources.map((x) => x.type)).toEqual(["pulumi:pulumi:Stack"]);
  });

  describe("run under Pulumi mocks", () => {
    let r: ConsumerResult;
    beforeAll(() => {
      r = runConsumer("program");
    }, 60_000);
    const find = (type: string, name: string) => {
      const x = r.resources.find((y) => y.type === type && y.name === name);
      if (!x) throw new Error(`no ${type} ${name}; have ${r.resources.map((y) => `${y.type}/${y.name}`).join(", ")}`);
      return x;
    };
    const isSecret = (v: unknown): v is { value: unknown } => typeof v === "object" && v !== null && SECRET_SIG in v;
    const unwrap = (v: unknown): unknown =>
      isSecret(v) ? unwrap(v.value) : Array.isArray(v) ? v.map(unwrap) : v && typeof v === "object" ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, unwrap(x)])) : v;
    const mask = (v: unknown): unknown =>
      isSecret(v) ? "[secret]" : Array.isArray(v) ? v.map(mask) : v && typeof v === "object" ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, mask(x)])) : v;
    // One secret upload makes Pulumi treat the container's whole upload list as secret; read it unwrapped.
    const uploads = (name: string) => unwrap(find("docker:index/container:Container", name).inputs.uploads ?? []) as { file: string; content: string }[];

    it("creates the stack's components and containers, named after the consumer's stack and parented to it", () => {
      // A top-level resource has no explicit parent; the stack adopts it.
      const components = r.resources.filter((x) => x.type.startsWith("moncode:")).map((x) => `${x.type} ${x.name} <- ${x.parent ?? "(stack)"}`);
      expect(components.sort()).toEqual([
        "moncode:alerting:AlertRouting shop-alerting <- shop",
        "moncode:exporters:Exporters shop-exporters <- shop",
        "moncode:grafana:GrafanaWithDashboards shop-grafana <- shop",
        "moncode:prometheus:PrometheusStack shop-prometheus <- shop",
        "moncode:stack:MonitoringStack shop <- (stack)",
      ]);
      const containers = r.resources.filter((x) => x.type === "docker:index/container:Container");
      expect(containers.map((c) => `${c.name} ${String(c.inputs.name)} <- ${c.parent ?? "(stack)"}`).sort()).toEqual([
        "shop-alerting-alertmanager shop-staging-alertmanager <- shop-alerting",
        "shop-exporters-node-exporter shop-staging-node-exporter <- shop-exporters",
        "shop-grafana-grafana shop-staging-grafana <- shop-grafana",
        "shop-grafana-grafana-secrets shop-staging-grafana-secrets <- shop-grafana",
        "shop-prometheus-prometheus shop-staging-prometheus <- shop-prometheus",
      ]);
      expect(find("docker:index/network:Network", "shop-network").inputs.name).toBe("shop-staging-monitoring");
    });

    it("runs the pinned images", () => {
      const image = (name: string) => find("docker:index/container:Container", name).inputs.image;
      expect(image("shop-prometheus-prometheus")).toBe(IMAGES.prometheus);
      expect(image("shop-alerting-alertmanager")).toBe(IMAGES.alertmanager);
      expect(image("shop-grafana-grafana")).toBe(IMAGES.grafana);
      expect(image("shop-exporters-node-exporter")).toBe(IMAGES.nodeExporter);
    });

    it("uploads a prometheus.yml with the consumer's scrape job, and its rule files with the overrides applied", () => {
      const files = uploads("shop-prometheus-prometheus");
      const config = String(files.find((f) => f.file === "/etc/prometheus/prometheus.yml")?.content);
      expect(config).toContain("job_name: checkout");
      expect(config).toContain("- checkout:8080");
      expect(config).toContain("component: payments");
      const rules = (name: string) => String(files.find((f) => f.file === `/etc/prometheus/rules/${name}.yml`)?.content);
      expect(rules("payments")).toContain("alert: PaymentsFailing");
      expect(rules("http")).toMatch(/alert: HttpErrorRateHigh\n\s+expr: .*> 0\.02\n\s+for: 10m/);
      expect(rules("http")).toContain('job="checkout"');
      expect(rules("http")).not.toContain("HttpLatencyCritical");
      expect(files.some((f) => f.file === "/etc/prometheus/rules/redis.yml")).toBe(false);
    });

    it("routes the consumer's component with the preset and keeps Grafana's secrets secret", () => {
      const am = String(uploads("shop-alerting-alertmanager").find((f) => f.file === "/etc/alertmanager/alertmanager.yml")?.content);
      expect(am).toContain("oncall@shop.example.com");
      expect(am).toMatch(/component="?payments/);
      // The password reaches Grafana through its secrets side-car; Grafana's own uploads are config only.
      expect(uploads("shop-grafana-grafana-secrets").find((f) => f.file.endsWith("/admin-password"))?.content).toBe("consumer-admin-password");
      expect(uploads("shop-grafana-grafana").some((f) => f.file.endsWith("/admin-password"))).toBe(false);
      // Read with secrets masked, as Pulumi would show them, neither value appears anywhere.
      const shown = JSON.stringify(mask(r.resources));
      expect(shown).not.toContain("consumer-admin-password");
      expect(shown).not.toContain("consumer-secret-key");
    });

    it("exports outputs that resolve", () => {
      expect(r.outputs.prometheusAddress).toBe("prometheus:9090");
      expect(r.outputs.dashboardUids).toEqual(expect.arrayContaining(["moncode-service-overview"]));
      expect(r.outputs.renderedFiles).toEqual(expect.arrayContaining(["prometheus/prometheus.yml", "prometheus/rules/payments.yml", "alertmanager/alertmanager.yml"]));
    });
  });
});

interface TaskResult {
  error: string | null;
  resources: { type: string; name: string; inputs: Record<string, unknown> }[];
  files: { path: string; content: string }[];
  warnings: string[];
}

describe("the README's five everyday tasks, in the consumer project against the tarball", () => {
  const results = new Map<number, TaskResult>();
  const runTask = (i: number): TaskResult => {
    const cached = results.get(i);
    if (cached) return cached;
    const out = run(process.execPath, [join(consumer, "dist", "run-task.js"), join(consumer, "dist", "tasks", `${taskFile(i)}.js`), ...taskKeys(TASKS[i]!.code)], consumer);
    const line = out.split("\n").find((l) => l.startsWith("TASK_RESULT "));
    if (!line) throw new Error(`task ${i + 1} printed no result:\n${out}`);
    const r = JSON.parse(line.slice("TASK_RESULT ".length)) as TaskResult;
    results.set(i, r);
    return r;
  };
  const file = (r: TaskResult, path: string) => r.files.find((f) => f.path === path)?.content ?? "";
  const secretsOf = (i: number) => taskKeys(TASKS[i]!.code).map((k) => `task-secret-${k}`);

  it("the README has the five tasks, each a program importing only the package root and the SDKs", () => {
    expect(TASKS.map((t) => t.name.replace(/ #1$/, ""))).toEqual([
      "1. Your own services on Docker",
      "2. Your own alert, and an override of a shipped one",
      "3. Your own dashboard, written with the Grafana Foundation SDK",
      "4. PagerDuty and Slack, credentials as config secrets",
      "5. The same stack on Kubernetes, in an existing namespace, with your provider",
    ]);
    for (const t of TASKS) for (const m of t.code.matchAll(/from "([^"]+)"/g)) expect(m[1], t.name).toMatch(/^(moncode|@pulumi\/(pulumi|docker|kubernetes)|@grafana\/grafana-foundation-sdk\/[a-z]+)$/);
  });

  it.each(TASKS.map((t, i) => [t.name, i] as const))("%s: runs offline through moncode/testing, declares its stack, no error, no warning, no secret in clear", (_n, i) => {
    const r = runTask(i);
    expect(r.error).toBeNull();
    expect(r.warnings).toEqual([]);
    expect(r.resources.filter((x) => x.type.startsWith("moncode:")).map((x) => x.type)).toContain("moncode:stack:MonitoringStack");
    const shown = JSON.stringify(r.resources) + JSON.stringify(r.files);
    for (const v of secretsOf(i)) expect(shown, `${v} in clear`).not.toContain(v);
  });

  it("1: your services on your Docker network, scraped under your job names, with the packs following them", () => {
    const r = runTask(0);
    expect(r.resources.find((x) => x.type === "docker:index/network:Network" && x.name === "apps")?.inputs.name).toBe("apps");
    const prom = file(r, "prometheus/prometheus.yml");
    expect(prom).toContain("job_name: checkout");
    expect(prom).toContain("job_name: checkout-worker");
    expect(prom).toContain("job_name: blackbox-api-health");
    expect(file(r, "prometheus/rules/worker.yml")).toContain('job="checkout-worker"');
    expect(r.files.some((f) => f.path === "prometheus/rules/redis.yml")).toBe(false);
  });

  it("2: your own alert with its unit tests beside the shipped packs, the overrides applied", () => {
    const r = runTask(1);
    expect(file(r, "prometheus/rules/payments.yml")).toContain("alert: PaymentsFailing");
    expect(file(r, "prometheus/rules/payments.yml")).toMatch(/alert: PaymentsFailing\n\s+expr: [^\n]+\n\s+for: 5m/);
    expect(file(r, "prometheus/rules/host.yml")).not.toContain("HostClockSkewed");
    expect(file(r, "prometheus/rules/host.yml")).toMatch(/alert: HostCpuUsageHigh\n\s+expr: [^\n]*> 0\.95/);
  });

  it("3: the SDK dashboard provisioned beside the shipped ones, on the datasource variable", () => {
    const r = runTask(2);
    const mine = r.files.find((f) => f.path.startsWith("grafana/") && f.content.includes('"uid": "moncode-checkout"'));
    expect(mine?.path).toBeDefined();
    expect(mine!.content).toContain("${datasource}");
  });

  it("4: critical to PagerDuty, warning to Slack, no email; the credentials as files", () => {
    const r = runTask(3);
    const am = file(r, "alertmanager/alertmanager.yml");
    expect(am).toContain("routing_key_file:");
    expect(am).toContain("api_url_file:");
    expect(am).not.toContain("email_configs");
  });

  it("5: Kubernetes objects in the existing namespaces through your provider (node-exporter in the privileged one), no Namespace created", () => {
    const r = runTask(4);
    expect(r.resources.some((x) => x.type === "pulumi:providers:kubernetes" && x.name === "cluster")).toBe(true);
    const objects = r.resources.filter((x) => x.type.startsWith("kubernetes:"));
    expect(objects.length).toBeGreaterThan(10);
    expect(objects.filter((x) => x.type === "kubernetes:core/v1:Namespace")).toEqual([]);
    const namespaces = new Set(objects.map((x) => (x.inputs.metadata as { namespace?: string } | undefined)?.namespace).filter((n) => n !== undefined));
    expect([...namespaces].sort()).toEqual(["observability", "observability-host"]);
    const nodeExporter = objects.find((x) => x.type === "kubernetes:apps/v1:DaemonSet");
    expect((nodeExporter?.inputs.metadata as { namespace?: string } | undefined)?.namespace).toBe("observability-host");
    expect(r.files.some((f) => f.path === "prometheus/rules/kubernetes.yml")).toBe(true);
  });
});
