/**
 * Local images for every image the stack pins, with exactly the pinned `name:tag`. Each recipe puts the program
 * itself — the Go-built release of `npm run -s tools` (tools/programs.ts), the same module version the official
 * image ships — where the official image has it, plus the rest of what the stack relies on: entrypoint and default
 * config path, the non-root user, busybox `sh`/`wget` for the healthchecks (as in quay.io/prometheus/busybox),
 * state directories owned by that user (a fresh named volume copies the owner of the image's directory).
 * The image metadata (USER, ENTRYPOINT, VOLUME, ...) is each image's Dockerfile under `images/<dir>/`.
 *
 * Grafana, Loki and cAdvisor are not built here (Grafana and Loki are AGPL Go this project does not build; cAdvisor
 * cannot run in this sandbox): their images are STAND-INS (see test/docker/README.md) that reproduce the official
 * layout and contract the Docker driver depends on, not the programs, and say so in their `moncode.test/stand-in`
 * label. Loki's is the Go-built collector capturing what arrives on Loki's OTLP path.
 *
 * Built images are saved to a cache directory keyed by recipe, Dockerfile and the binaries' hashes, and loaded
 * from there on the next run (the engine's own data-root is thrown away after each run).
 */
import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import { chmodSync, chownSync, copyFileSync, createReadStream, createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { pipeline } from "node:stream/promises";
import type Docker from "dockerode";
import { HELPER_IMAGES, IMAGES, TELEMETRY_IMAGES } from "../../components/images";
import { captureCollectorConfig, COLLECTOR_PORTS, renderCollectorConfig } from "../../core/otelcol";
import { PROGRAMS } from "../../tools/programs";
import { tool } from "../helpers/tools";

/** Every image the stack runs on Docker: the workloads', logs and traces, and the driver's helpers'. */
const ALL_IMAGES = { ...IMAGES, ...TELEMETRY_IMAGES, ...HELPER_IMAGES } as const;
export type TestImageKey = keyof typeof ALL_IMAGES;

const HERE = __dirname;
/** Bump when the rootfs assembly below changes in a way the recipe text does not show. */
const FORMAT = "2";

interface FileFromTool {
  /** A binary of `npm run -s tools` (its name in the tools bin directory). */
  readonly tool: string;
  readonly to: string;
}

interface FileFromRecipe {
  /** File under images/<dir>/ (default configs, stand-in scripts). */
  readonly local: string;
  readonly to: string;
}

interface FileFromText {
  /** Generated content (a stand-in's config rendered by the project's own renderer). */
  readonly text: string;
  readonly to: string;
}

export interface ImageRecipe {
  /** Folder under test/docker/images with the Dockerfile. */
  readonly dir: string;
  readonly files: readonly (FileFromTool | FileFromRecipe | FileFromText)[];
  /** busybox (sh, wget, ...) as in quay.io/prometheus/busybox and Alpine-based images. */
  readonly busybox: boolean;
  /** Directories created with this owner (uid:gid) and mode. */
  readonly dirs: readonly { readonly path: string; readonly uid: number; readonly gid: number; readonly mode: number }[];
  /** Extra /etc/passwd and /etc/group lines beyond root and nobody. */
  readonly users?: readonly { readonly name: string; readonly uid: number; readonly gid: number; readonly home: string }[];
  /** Set for images that only stand in for a program not built here: what stays unproven. */
  readonly standIn?: string;
  /** Where the image's program comes from when it is not a Go build of tools/ (for the report). */
  readonly origin?: string;
}

const NOBODY = 65534;
const state = (path: string, uid = NOBODY, gid = NOBODY) => ({ path, uid, gid, mode: 0o775 });

/** Where the Loki stand-in writes every OTLP request it receives (JSON lines), on Loki's data volume. */
export const LOKI_STAND_IN_CAPTURE = "/loki/stand-in-received.jsonl";
/**
 * The Loki stand-in's collector: OTLP/HTTP on Loki's port and logs path, everything received to one file, its health
 * on loopback for the `loki -health` wrapper — the same capture config the loopback pipeline proof runs.
 */
const lokiStandInConfig = renderCollectorConfig(
  captureCollectorConfig({ httpEndpoint: "0.0.0.0:3100", logsUrlPath: "/otlp/v1/logs", path: LOKI_STAND_IN_CAPTURE, healthEndpoint: `127.0.0.1:${COLLECTOR_PORTS.health}`, metricsPort: COLLECTOR_PORTS.metrics }),
  "loki-stand-in",
);
const LOKI_UID = 10001;

export const RECIPES: Readonly<Record<TestImageKey, ImageRecipe>> = {
  // busybox:1.37.0 (the secrets side-car): Debian's static busybox, as the official image is busybox alone, root.
  secrets: { dir: "secrets", files: [], busybox: true, dirs: [], origin: "Debian's busybox-static 1.35 (sh, chown, chmod, test, sleep: all the side-car runs)" },
  prometheus: {
    dir: "prometheus",
    files: [
      { tool: "prometheus", to: "/bin/prometheus" },
      { tool: "promtool", to: "/bin/promtool" },
      { local: "prometheus.yml", to: "/etc/prometheus/prometheus.yml" },
    ],
    busybox: true,
    dirs: [state("/prometheus"), state("/etc/prometheus")],
  },
  alertmanager: {
    dir: "alertmanager",
    files: [
      { tool: "alertmanager", to: "/bin/alertmanager" },
      { tool: "amtool", to: "/bin/amtool" },
      { local: "alertmanager.yml", to: "/etc/alertmanager/alertmanager.yml" },
    ],
    busybox: true,
    dirs: [state("/alertmanager"), state("/etc/alertmanager")],
  },
  nodeExporter: {
    dir: "node-exporter",
    files: [{ tool: "node_exporter", to: "/bin/node_exporter" }],
    busybox: true,
    dirs: [],
  },
  blackboxExporter: {
    dir: "blackbox-exporter",
    files: [
      { tool: "blackbox_exporter", to: "/bin/blackbox_exporter" },
      { local: "config.yml", to: "/etc/blackbox_exporter/config.yml" },
    ],
    busybox: true,
    dirs: [],
  },
  pushgateway: {
    dir: "pushgateway",
    files: [{ tool: "pushgateway", to: "/bin/pushgateway" }],
    busybox: true,
    dirs: [state("/pushgateway")],
  },
  postgresExporter: {
    dir: "postgres-exporter",
    files: [{ tool: "postgres_exporter", to: "/bin/postgres_exporter" }],
    busybox: true,
    dirs: [],
  },
  redisExporter: {
    // The official image is FROM scratch: no shell, no wget (the stack gives it no healthcheck for that reason).
    dir: "redis-exporter",
    files: [{ tool: "redis_exporter", to: "/redis_exporter" }],
    busybox: false,
    dirs: [],
    users: [{ name: "redis_exporter", uid: 59000, gid: 59000, home: "/" }],
  },
  grafana: {
    dir: "grafana",
    files: [
      { local: "run.sh", to: "/run.sh" },
      { local: "grafana", to: "/usr/share/grafana/bin/grafana" },
    ],
    busybox: true,
    dirs: [
      { path: "/var/lib/grafana", uid: 472, gid: 0, mode: 0o775 },
      { path: "/etc/grafana", uid: 472, gid: 0, mode: 0o775 },
      { path: "/usr/share/grafana", uid: 472, gid: 0, mode: 0o775 },
    ],
    users: [{ name: "grafana", uid: 472, gid: 0, home: "/home/grafana" }],
    standIn:
      "Grafana itself: provisioning of datasources and dashboards, the admin-password reset, its /api/health and /metrics",
  },
  jaeger: {
    // Alpine-based: busybox sh and wget; user 10001 owns nothing in the image (its one VOLUME is /tmp, 1777).
    dir: "jaeger",
    files: [{ tool: "jaeger", to: "/cmd/jaeger/jaeger-linux" }],
    busybox: true,
    dirs: [],
  },
  otelCollector: {
    // FROM scratch: no shell, no wget (the stack gives it no Docker healthcheck for that reason).
    dir: "otel-collector",
    files: [
      { tool: "otelcol-contrib", to: "/otelcol-contrib" },
      { local: "config.yaml", to: "/etc/otelcol-contrib/config.yaml" },
    ],
    busybox: false,
    dirs: [],
  },
  loki: {
    dir: "loki",
    files: [
      { local: "loki", to: "/usr/bin/loki" },
      { local: "local-config.yaml", to: "/etc/loki/local-config.yaml" },
      { tool: "otelcol-contrib", to: "/usr/share/moncode-stand-in/otelcol-contrib" },
      { text: lokiStandInConfig, to: "/usr/share/moncode-stand-in/otelcol.yaml" },
    ],
    busybox: true,
    dirs: [
      { path: "/loki", uid: LOKI_UID, gid: LOKI_UID, mode: 0o755 },
      { path: "/loki/rules", uid: LOKI_UID, gid: LOKI_UID, mode: 0o755 },
      { path: "/loki/rules-temp", uid: LOKI_UID, gid: LOKI_UID, mode: 0o755 },
      { path: "/etc/loki", uid: LOKI_UID, gid: LOKI_UID, mode: 0o755 },
    ],
    users: [{ name: "loki", uid: LOKI_UID, gid: LOKI_UID, home: "/home/loki" }],
    standIn:
      "Loki itself: its config (not read), ingestion, label promotion, storage, queries, the ruler and its alerts, /ready and /metrics (the otelcol-contrib inside only writes what arrives on :3100/otlp/v1/logs to a file)",
  },
  cadvisor: {
    dir: "cadvisor",
    files: [{ local: "cadvisor", to: "/usr/bin/cadvisor" }],
    busybox: true,
    dirs: [],
    standIn: "cAdvisor itself: container metrics read through the host mounts, /dev/kmsg and privileged mode",
  },
};

/** Which Go module release an image's binaries are (for its label and the report). */
export function builtFrom(recipe: ImageRecipe): string | undefined {
  const first = recipe.files.find((f): f is FileFromTool => "tool" in f);
  if (!first) return recipe.origin;
  const p = PROGRAMS.find((x) => Object.keys(x.binaries).includes(first.tool));
  return p ? `${p.module} ${p.version}` : undefined;
}

export interface ImageResult {
  readonly key: TestImageKey;
  readonly name: string;
  readonly source: "built" | "cache" | "present";
  readonly seconds: number;
  readonly standIn?: string;
  /** `module version` of the Go build inside (absent for stand-ins). */
  readonly builtFrom?: string;
}

function cacheRoot(): string {
  return process.env.MONCODE_DOCKER_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "moncode", "docker-test");
}

function sh(cmd: string, args: readonly string[], opts: { cwd?: string } = {}): string {
  return execFileSync(cmd, [...args], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 64 << 20, ...opts });
}

function recipeKey(key: TestImageKey, recipe: ImageRecipe): string {
  const h = createHash("sha256");
  h.update(FORMAT).update(ALL_IMAGES[key]).update(JSON.stringify(recipe));
  h.update(readFileSync(join(HERE, "images", recipe.dir, "Dockerfile")));
  for (const f of recipe.files) {
    if ("local" in f) h.update(readFileSync(join(HERE, "images", recipe.dir, f.local)));
    else if ("tool" in f) h.update(readFileSync(tool(f.tool)));
  }
  if (recipe.busybox) h.update(busybox().split("/").pop() ?? "");
  return h.digest("hex").slice(0, 16);
}

/** Debian's static busybox (what quay.io/prometheus/busybox is built from): its .deb, downloaded once into the cache. */
function busybox(): string {
  const dir = join(cacheRoot(), "debs");
  mkdirSync(dir, { recursive: true });
  const find = () => readdirSync(dir).find((f) => f.startsWith("busybox-static_") && f.endsWith(".deb"));
  if (find() === undefined) {
    try {
      sh("apt-get", ["download", "busybox-static"], { cwd: dir });
    } catch {
      // Missing package lists: refresh once, then retry.
      sh("apt-get", ["update", "-q"]);
      sh("apt-get", ["download", "busybox-static"], { cwd: dir });
    }
  }
  return join(dir, find() ?? "");
}

function put(root: string, to: string, from: string, mode: number): void {
  const dest = join(root, to);
  mkdirSync(dirname(dest), { recursive: true });
  copyFileSync(from, dest);
  chmodSync(dest, mode);
}

/** Assembles the image's root filesystem and returns it as a tar (numeric owners kept: ADD extracts them). */
function buildRootfs(recipe: ImageRecipe, work: string): string {
  const root = join(work, "rootfs");
  mkdirSync(root, { recursive: true });
  for (const f of recipe.files) {
    if ("local" in f) {
      const src = join(HERE, "images", recipe.dir, f.local);
      put(root, f.to, src, /\.(ya?ml|json)$/.test(f.local) ? 0o644 : 0o755);
    } else if ("text" in f) {
      const src = join(work, "generated");
      writeFileSync(src, f.text);
      put(root, f.to, src, 0o644);
    } else {
      // Static Go builds (CGO_ENABLED=0): no libraries to copy.
      put(root, f.to, tool(f.tool), 0o755);
    }
  }
  if (recipe.busybox) {
    const x = join(work, "pkg", "busybox-static");
    mkdirSync(x, { recursive: true });
    sh("dpkg-deb", ["-x", busybox(), x]);
    put(root, "/bin/busybox", join(x, "bin", "busybox"), 0o755);
    for (const applet of sh(join(root, "bin", "busybox"), ["--list-full"]).split("\n").filter(Boolean)) {
      const link = join(root, applet);
      if (existsSync(link) || applet === "bin/busybox") continue;
      mkdirSync(dirname(link), { recursive: true });
      symlinkSync("/bin/busybox", link);
    }
  }
  const users = [
    { name: "root", uid: 0, gid: 0, home: "/root" },
    { name: "nobody", uid: NOBODY, gid: NOBODY, home: "/home" },
    ...(recipe.users ?? []),
  ];
  const groups = new Map<number, string>([[0, "root"], [NOBODY, "nobody"]]);
  for (const u of recipe.users ?? []) if (!groups.has(u.gid)) groups.set(u.gid, u.name);
  mkdirSync(join(root, "etc"), { recursive: true });
  writeFileSync(join(root, "etc", "passwd"), users.map((u) => `${u.name}:x:${u.uid}:${u.gid}:${u.name}:${u.home}:/bin/false\n`).join(""));
  writeFileSync(join(root, "etc", "group"), [...groups].map(([gid, name]) => `${name}:x:${gid}:\n`).join(""));
  for (const d of ["tmp", "var/tmp"]) {
    mkdirSync(join(root, d), { recursive: true });
    chmodSync(join(root, d), 0o1777);
  }
  for (const d of recipe.dirs) {
    const p = join(root, d.path);
    mkdirSync(p, { recursive: true });
    chmodSync(p, d.mode);
    // Owned recursively, like the official images' `chown -R nobody:nobody /etc/prometheus /prometheus`.
    sh("chown", ["-R", `${d.uid}:${d.gid}`, p]);
  }
  chownSync(root, 0, 0);
  const tar = join(work, "rootfs.tar");
  sh("tar", ["--numeric-owner", "-C", root, "-cf", tar, "."]);
  return tar;
}

async function follow(docker: Docker, stream: NodeJS.ReadableStream): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    docker.modem.followProgress(stream, (err: Error | null, out: { error?: string; errorDetail?: { message?: string } }[]) => {
      if (err) return reject(err);
      const failed = out.find((o) => o.error || o.errorDetail);
      return failed ? reject(new Error(failed.error ?? failed.errorDetail?.message ?? "build failed")) : resolve();
    });
  });
}

async function imageExists(docker: Docker, name: string): Promise<boolean> {
  try {
    await docker.getImage(name).inspect();
    return true;
  } catch {
    return false;
  }
}

async function ensureImage(docker: Docker, key: TestImageKey): Promise<ImageResult> {
  const t0 = Date.now();
  const name = ALL_IMAGES[key];
  const recipe = RECIPES[key];
  const done = (source: ImageResult["source"]): ImageResult => ({
    key,
    name,
    source,
    seconds: (Date.now() - t0) / 1000,
    ...(recipe.standIn ? { standIn: recipe.standIn } : {}),
    ...(builtFrom(recipe) ? { builtFrom: builtFrom(recipe)! } : {}),
  });
  if (await imageExists(docker, name)) return done("present");
  const id = recipeKey(key, recipe);
  const cacheDir = join(cacheRoot(), "images");
  mkdirSync(cacheDir, { recursive: true });
  const cached = join(cacheDir, `${key}-${id}.tar`);
  if (existsSync(cached) && process.env.MONCODE_DOCKER_REBUILD !== "1") {
    await follow(docker, await docker.loadImage(createReadStream(cached)));
    if (await imageExists(docker, name)) return done("cache");
  }
  const work = mkdtempSync(join(tmpdir(), `moncode-image-${key}-`));
  try {
    buildRootfs(recipe, work);
    copyFileSync(join(HERE, "images", recipe.dir, "Dockerfile"), join(work, "Dockerfile"));
    const from = builtFrom(recipe);
    const labels: Record<string, string> = {
      "moncode.test/recipe": id,
      ...(from ? { "moncode.test/built-from": from } : {}),
      ...(recipe.standIn ? { "moncode.test/stand-in": `STAND-IN, not the real program; unproven: ${recipe.standIn}` } : {}),
    };
    const stream = await docker.buildImage({ context: work, src: ["Dockerfile", "rootfs.tar"] }, { t: name, labels });
    await follow(docker, stream);
    if (!(await imageExists(docker, name))) throw new Error(`image ${name} was not built`);
    const partial = `${cached}.${process.pid}.part`;
    await pipeline(await docker.getImage(name).get(), createWriteStream(partial));
    renameSync(partial, cached);
    // Older cache entries of this image are dead weight.
    for (const f of readdirSync(cacheDir)) if (f.startsWith(`${key}-`) && f !== `${key}-${id}.tar`) rmSync(join(cacheDir, f), { force: true });
    return done("built");
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Every pinned image, present in the engine under its pinned name. Two at a time (the machine has 2 cores). */
export async function ensureImages(docker: Docker, keys: readonly TestImageKey[] = Object.keys(ALL_IMAGES) as TestImageKey[]): Promise<ImageResult[]> {
  const results: ImageResult[] = [];
  const queue = [...keys];
  const worker = async () => {
    for (let k = queue.shift(); k !== undefined; k = queue.shift()) results.push(await ensureImage(docker, k));
  };
  await Promise.all([worker(), worker()]);
  return results.sort((a, b) => (a.key < b.key ? -1 : 1));
}
