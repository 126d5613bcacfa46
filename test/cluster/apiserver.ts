/**
 * A real Kubernetes control plane for one test run: etcd and kube-apiserver (the Go-built releases of
 * tools/programs.ts) on 127.0.0.1 free ports, with certificates made for the run (openssl), data in a temporary
 * directory, both stopped by their PIDs and the directory removed afterwards — also when start-up fails.
 *
 * No controller-manager, scheduler or kubelet: objects are stored, validated, authorized and admitted (PodSecurity,
 * ServiceAccount, …) exactly as on a cluster, but nothing reconciles them (no pods from workloads, no namespace
 * finalization, no garbage collection). test/cluster/README.md says what the proof does about that. The one
 * admission plugin turned off is StorageObjectInUseProtection, whose finalizer only that controller removes.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:https";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { toolPath } from "../../cli/tools";

export interface KubeResponse {
  readonly status: number;
  readonly body: any;
  /** `Warning` headers (admission warnings, e.g. PodSecurity's, and unknown-field warnings). */
  readonly warnings: string[];
}

export interface ControlPlane {
  readonly dir: string;
  readonly url: string;
  readonly kubeconfig: string;
  readonly etcdPid: number;
  readonly apiserverPid: number;
  /** Seconds from spawning etcd to the API server answering /readyz. */
  readonly startSeconds: number;
  readonly version: string;
  /** One request as the cluster admin (system:masters); `body` is sent as JSON. */
  api(method: string, path: string, body?: unknown, contentType?: string): Promise<KubeResponse>;
  stop(): Promise<void>;
  log(): string;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const a = s.address();
      s.close(() => (typeof a === "object" && a ? resolve(a.port) : reject(new Error("no port"))));
    });
  });
}

function openssl(dir: string, ...args: string[]): void {
  execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
}

/** CA, serving certificate (127.0.0.1), the admin's client certificate, the service-account signing key. */
function makeCertificates(dir: string): void {
  openssl(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-subj", "/CN=moncode-test-ca", "-days", "2");
  writeFileSync(join(dir, "server.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes.default.svc\nextendedKeyUsage=serverAuth\n");
  openssl(dir, "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=kube-apiserver");
  openssl(dir, "x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out", "server.crt", "-days", "2", "-extfile", "server.ext");
  writeFileSync(join(dir, "client.ext"), "extendedKeyUsage=clientAuth\n");
  openssl(dir, "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "admin.key", "-out", "admin.csr", "-subj", "/O=system:masters/CN=moncode-test-admin");
  openssl(dir, "x509", "-req", "-in", "admin.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out", "admin.crt", "-days", "2", "-extfile", "client.ext");
  openssl(dir, "genrsa", "-out", "sa.key", "2048");
  openssl(dir, "rsa", "-in", "sa.key", "-pubout", "-out", "sa.pub");
}

function kubeconfig(dir: string, url: string): string {
  const b64 = (f: string) => readFileSync(join(dir, f)).toString("base64");
  const text = [
    "apiVersion: v1",
    "kind: Config",
    "clusters:",
    "- name: moncode-test",
    "  cluster:",
    `    server: ${url}`,
    `    certificate-authority-data: ${b64("ca.crt")}`,
    "users:",
    "- name: moncode-test-admin",
    "  user:",
    `    client-certificate-data: ${b64("admin.crt")}`,
    `    client-key-data: ${b64("admin.key")}`,
    "contexts:",
    "- name: moncode-test",
    "  context: { cluster: moncode-test, user: moncode-test-admin }",
    "current-context: moncode-test",
    "",
  ].join("\n");
  const path = join(dir, "kubeconfig");
  writeFileSync(path, text, { mode: 0o600 });
  return path;
}

function spawnLogged(cmd: string, args: string[], logFile: string): ChildProcess {
  const fd = openSync(logFile, "a");
  const child = spawn(cmd, args, { stdio: ["ignore", fd, fd] });
  return child;
}

async function stopChild(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  process.kill(child.pid, "SIGTERM");
  const timer = setTimeout(() => child.pid !== undefined && child.exitCode === null && process.kill(child.pid, "SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
}

export async function startControlPlane(): Promise<ControlPlane> {
  const t0 = Date.now();
  const dir = mkdtempSync(join(tmpdir(), "moncode-cluster-"));
  let etcd: ChildProcess | undefined;
  let apiserver: ChildProcess | undefined;
  const logs = () => ["etcd.log", "apiserver.log"].map((f) => `--- ${f}\n${tail(join(dir, f))}`).join("\n");
  try {
    makeCertificates(dir);
    const [etcdClient, etcdPeer, securePort] = [await freePort(), await freePort(), await freePort()];
    etcd = spawnLogged(toolPath("etcd"), [
      "--name", "moncode-test",
      "--data-dir", join(dir, "etcd"),
      "--listen-client-urls", `http://127.0.0.1:${etcdClient}`,
      "--advertise-client-urls", `http://127.0.0.1:${etcdClient}`,
      "--listen-peer-urls", `http://127.0.0.1:${etcdPeer}`,
      "--initial-advertise-peer-urls", `http://127.0.0.1:${etcdPeer}`,
      "--initial-cluster", `moncode-test=http://127.0.0.1:${etcdPeer}`,
      "--listen-metrics-urls", "",
      "--log-level", "warn",
    ], join(dir, "etcd.log"));
    apiserver = spawnLogged(toolPath("kube-apiserver"), [
      `--etcd-servers=http://127.0.0.1:${etcdClient}`,
      "--bind-address=127.0.0.1",
      "--advertise-address=127.0.0.1",
      // The `kubernetes` Service's endpoints would be the advertise address, which may not be loopback.
      "--endpoint-reconciler-type=none",
      `--secure-port=${securePort}`,
      `--cert-dir=${join(dir, "certs")}`,
      `--tls-cert-file=${join(dir, "server.crt")}`,
      `--tls-private-key-file=${join(dir, "server.key")}`,
      `--client-ca-file=${join(dir, "ca.crt")}`,
      `--service-account-key-file=${join(dir, "sa.pub")}`,
      `--service-account-signing-key-file=${join(dir, "sa.key")}`,
      "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
      // Address ranges the API server allocates Service IPs from; nothing is routed to them.
      "--service-cluster-ip-range=10.96.0.0/16",
      "--authorization-mode=RBAC",
      // The finalizer this plugin puts on every claim is removed only by the controller-manager's pvc-protection
      // controller, which does not run here: with it a deleted claim would never go away.
      "--disable-admission-plugins=StorageObjectInUseProtection",
      "--profiling=false",
      "--v=0",
    ], join(dir, "apiserver.log"));
    const url = `https://127.0.0.1:${securePort}`;
    const cfg = kubeconfig(dir, url);
    const tls = { ca: readFileSync(join(dir, "ca.crt")), cert: readFileSync(join(dir, "admin.crt")), key: readFileSync(join(dir, "admin.key")) };
    const api = (method: string, path: string, body?: unknown, contentType = "application/json"): Promise<KubeResponse> =>
      new Promise((resolve, reject) => {
        const data = body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body);
        const req = request(`${url}${path}`, { method, ...tls, headers: { accept: "application/json", ...(data !== undefined ? { "content-type": contentType, "content-length": Buffer.byteLength(data) } : {}) }, timeout: 30_000 }, (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => {
            const text = Buffer.concat(chunks).toString("utf8");
            let parsed: unknown = text;
            try {
              parsed = JSON.parse(text);
            } catch {
              /* plain text (healthz) */
            }
            const w = res.headers.warning;
            resolve({ status: res.statusCode ?? 0, body: parsed, warnings: (Array.isArray(w) ? w : w ? [w] : []).map(String) });
          });
        });
        req.on("error", reject);
        req.on("timeout", () => req.destroy(new Error(`${method} ${path}: timed out`)));
        if (data !== undefined) req.write(data);
        req.end();
      });
    const deadline = Date.now() + 120_000;
    for (;;) {
      if (etcd.exitCode !== null) throw new Error(`etcd exited with ${etcd.exitCode}`);
      if (apiserver.exitCode !== null) throw new Error(`kube-apiserver exited with ${apiserver.exitCode}`);
      const r = await api("GET", "/readyz").catch(() => undefined);
      if (r?.status === 200) break;
      if (Date.now() > deadline) throw new Error(`kube-apiserver not ready after 120 s (last: ${r?.status ?? "no answer"} ${typeof r?.body === "string" ? r.body.slice(-400) : ""})`);
      await new Promise((res) => setTimeout(res, 500));
    }
    const version = ((await api("GET", "/version")).body as { gitVersion: string }).gitVersion;
    const e = etcd;
    const a = apiserver;
    return {
      dir,
      url,
      kubeconfig: cfg,
      etcdPid: e.pid!,
      apiserverPid: a.pid!,
      startSeconds: (Date.now() - t0) / 1000,
      version,
      api,
      log: logs,
      stop: async () => {
        await stopChild(a);
        await stopChild(e);
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    const text = logs();
    await stopChild(apiserver);
    await stopChild(etcd);
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`${err instanceof Error ? err.message : String(err)}\n${text}`);
  }
}

function tail(path: string, lines = 30): string {
  try {
    return readFileSync(path, "utf8").trim().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}
