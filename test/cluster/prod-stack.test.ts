/**
 * `pulumi preview` / `pulumi up --stack prod` for real: the Go-built Pulumi CLI, language host and Kubernetes
 * provider run this repository's prod program (index.ts, stacks/program.ts) against a real kube-apiserver + etcd.
 * See test/cluster/README.md for what is proven and what is not (no scheduler, kubelet or controllers: no pods run).
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { hasTool } from "../../cli/tools";
import { runProdProgram } from "../k8s/prod-program";
import { startControlPlane, type ControlPlane } from "./apiserver";
import { Pulumi, makeProjectCopy, pulumiEnv, urnParts, type PreviewJson } from "./pulumi";

const TOOLS = ["pulumi", "pulumi-language-nodejs", "pulumi-resource-kubernetes", "etcd", "kube-apiserver"];
/**
 * The one thing the test stack adds for a control plane without kubelets or controllers (printed in the report):
 * no await can ever see a pod ready, a Service's endpoints or a PVC bound, and no garbage collector finishes a
 * foreground deletion.
 */
const TEST_ANNOTATIONS = { "pulumi.com/skipAwait": "true", "pulumi.com/deletionPropagationPolicy": "background" };
const ICMP_PROBE = { name: "gateway-icmp", module: "icmp", targets: ["127.0.0.1"] };
/** The secrets Pulumi.prod.yaml lists, plus the Grafana credentials (so no random resource is needed). */
const SECRETS: Readonly<Record<string, string>> = {
  postgresPassword: `pg-${randomBytes(6).toString("hex")}`,
  redisPassword: `redis-${randomBytes(6).toString("hex")}`,
  smtpPassword: `smtp-${randomBytes(6).toString("hex")}`,
  slackWebhookUrl: `https://hooks.slack.example/T0/B0/${randomBytes(6).toString("hex")}`,
  pagerdutyRoutingKey: `pd-${randomBytes(6).toString("hex")}`,
  deadMansSwitchUrl: `https://hc-ping.example/${randomBytes(6).toString("hex")}`,
  grafanaAdminPassword: `grafana-${randomBytes(8).toString("hex")}`,
  grafanaSecretKey: `key-${randomBytes(12).toString("hex")}`,
};
const NAMESPACES = ["monitoring", "monitoring-host"];
/** Namespaced kinds the stack creates, by API path segment. */
const NAMESPACED = [
  "/api/v1|configmaps",
  "/api/v1|secrets",
  "/api/v1|services",
  "/api/v1|serviceaccounts",
  "/api/v1|persistentvolumeclaims",
  "/apis/apps/v1|statefulsets",
  "/apis/apps/v1|deployments",
  "/apis/apps/v1|daemonsets",
  "/apis/policy/v1|poddisruptionbudgets",
  "/apis/networking.k8s.io/v1|networkpolicies",
  "/apis/networking.k8s.io/v1|ingresses",
];

const PLURALS: Readonly<Record<string, string>> = {
  Namespace: "namespaces",
  ConfigMap: "configmaps",
  Secret: "secrets",
  Service: "services",
  ServiceAccount: "serviceaccounts",
  PersistentVolumeClaim: "persistentvolumeclaims",
  StatefulSet: "statefulsets",
  Deployment: "deployments",
  DaemonSet: "daemonsets",
  PodDisruptionBudget: "poddisruptionbudgets",
  NetworkPolicy: "networkpolicies",
  Ingress: "ingresses",
  ClusterRole: "clusterroles",
  ClusterRoleBinding: "clusterrolebindings",
};

const report: string[] = [];
const durations: Record<string, number> = {};
let cp: ControlPlane | undefined;
let dir = "";
let pulumi: Pulumi;
let expected: { type: string; name: string }[] = [];

const stackFile = () => join(dir, "project", "Pulumi.prod.yaml");
const k8sTypes = <T extends { type: string }>(xs: readonly T[]): T[] => xs.filter((x) => x.type.startsWith("kubernetes:") && x.type !== "pulumi:providers:kubernetes");

async function api(method: string, path: string, body?: unknown, contentType?: string) {
  if (!cp) throw new Error("no control plane");
  return cp.api(method, path, body, contentType);
}

async function items(path: string): Promise<any[]> {
  const r = await api("GET", path);
  if (r.status !== 200) throw new Error(`GET ${path}: ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
  return (r.body as { items: any[] }).items;
}

/** Every object of the stack in the cluster (instance label `prod`), as `Kind namespace/name`. */
async function liveObjects(): Promise<string[]> {
  const out: string[] = [];
  for (const ns of NAMESPACES) {
    for (const entry of NAMESPACED) {
      const [prefix, plural] = entry.split("|") as [string, string];
      const r = await api("GET", `${prefix}/namespaces/${ns}/${plural}?labelSelector=app.kubernetes.io/instance%3Dprod`);
      if (r.status === 404) continue;
      for (const o of (r.body as { items: any[] }).items) out.push(`${plural} ${ns}/${o.metadata.name}`);
    }
  }
  for (const plural of ["clusterroles", "clusterrolebindings"]) {
    for (const o of await items(`/apis/rbac.authorization.k8s.io/v1/${plural}?labelSelector=app.kubernetes.io/instance%3Dprod`)) out.push(`${plural} ${o.metadata.name}`);
  }
  for (const o of await items("/api/v1/namespaces?labelSelector=app.kubernetes.io/instance%3Dprod")) out.push(`namespaces ${o.metadata.name}${o.status?.phase === "Terminating" ? " (Terminating)" : ""}`);
  return out.sort();
}

async function timed<T>(what: string, f: () => Promise<T>): Promise<T> {
  const t0 = Date.now();
  const r = await f();
  durations[what] = (Date.now() - t0) / 1000;
  return r;
}

interface StackExport {
  deployment: { resources?: { urn: string; type: string; inputs?: Record<string, any>; outputs?: Record<string, any> }[] };
}

async function stackExport(): Promise<StackExport> {
  return JSON.parse((await pulumi.run(["stack", "export", "--stack", "prod"])).stdout) as StackExport;
}

beforeAll(async () => {
  const missing = TOOLS.filter((t) => !hasTool(t));
  if (missing.length > 0) throw new Error(`not built: ${missing.join(", ")} (npm run -s tools -- --for cluster)`);
  dir = mkdtempSync(join(tmpdir(), "moncode-pulumi-"));
  try {
    cp = await startControlPlane();
    report.push(`control plane: etcd (pid ${cp.etcdPid}) + kube-apiserver ${cp.version} (pid ${cp.apiserverPid}) at ${cp.url}, ready in ${cp.startSeconds.toFixed(1)} s`);
    const project = makeProjectCopy(join(dir, "project"));
    // The test's stack file: Pulumi.prod.yaml plus an ICMP probe and the control plane's two annotations.
    const doc = parse(readFileSync(join(__dirname, "..", "..", "Pulumi.prod.yaml"), "utf8")) as { config: Record<string, any> };
    const stack = doc.config["moncode:stack"];
    stack.exporters.probes.push(ICMP_PROBE);
    stack.kubernetes.annotations = TEST_ANNOTATIONS;
    writeFileSync(stackFile(), stringify(doc));
    report.push(`test stack file: Pulumi.prod.yaml + probe ${JSON.stringify(ICMP_PROBE)} + kubernetes.annotations ${JSON.stringify(TEST_ANNOTATIONS)} (await mode: skipAwait, no controllers)`);
    const passphrase = randomBytes(16).toString("hex");
    pulumi = new Pulumi(project, pulumiEnv({ home: join(dir, "home"), passphrase, kubeconfig: cp.kubeconfig }));
    mkdirSync(join(dir, "state"));
    await pulumi.run(["login", `file://${join(dir, "state")}`]);
    await pulumi.run(["stack", "init", "prod", "--secrets-provider", "passphrase"]);
    for (const [k, v] of Object.entries(SECRETS)) await pulumi.run(["config", "set", "--stack", "prod", "--secret", k, v]);
    // What the program declares, from the same stack file under the SDK's mocks.
    expected = k8sTypes(await runProdProgram(project)).map((r) => ({ type: r.type, name: r.name }));
    // No controller-manager: the ServiceAccount controller would have made each namespace's `default` account,
    // which the ServiceAccount admission plugin needs for pods that name no account. The test makes them.
  } catch (e) {
    await cp?.stop();
    cp = undefined;
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}, 900_000);

afterAll(async () => {
  const counts = pulumi?.runs.map((r) => `${r.args.slice(0, 2).join(" ")} ${r.seconds.toFixed(1)} s`) ?? [];
  console.log(["cluster proof:", ...report, `durations: ${Object.entries(durations).map(([k, v]) => `${k} ${v.toFixed(1)} s`).join(", ")}`, `pulumi runs: ${counts.join("; ")}`].join("\n  "));
  await cp?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("the prod stack through the Pulumi engine on a real kube-apiserver", () => {
  let created: string[] = [];

  it("1. preview lists every object the program declares; up creates them all", async () => {
    const preview = await timed("preview", () => pulumi.json<PreviewJson>(["preview", "--stack", "prod"]));
    const creates = k8sTypes(preview.steps.filter((s) => s.op === "create").map((s) => urnParts(s.urn)));
    const key = (x: { type: string; name: string }) => `${x.type}::${x.name}`;
    expect(creates.map(key).sort()).toEqual(expected.map(key).sort());
    expect(preview.steps.filter((s) => s.op !== "create" && s.op !== "same").map((s) => `${s.op} ${s.urn}`)).toEqual([]);
    report.push(`preview: ${creates.length} Kubernetes objects to create (${preview.steps.length} steps)`);
    await timed("up", () => pulumi.run(["up", "--stack", "prod", "--yes", "--skip-preview"]));
    created = await liveObjects();
    report.push(`up: ${created.length} objects in the cluster`);
    expect(created.length).toBe(expected.length);
    expect(created.filter((o) => o.startsWith("namespaces "))).toEqual(["namespaces monitoring", "namespaces monitoring-host"]);
  });

  it("2. namespaces enforce Pod Security (restricted; privileged only for node-exporter's) and every pod template is admitted with no warning", async () => {
    const level = async (ns: string) => ((await api("GET", `/api/v1/namespaces/${ns}`)).body as any).metadata.labels;
    expect((await level("monitoring"))["pod-security.kubernetes.io/enforce"]).toBe("restricted");
    expect((await level("monitoring-host"))["pod-security.kubernetes.io/enforce"]).toBe("privileged");
    for (const ns of NAMESPACES) {
      const r = await api("POST", `/api/v1/namespaces/${ns}/serviceaccounts`, { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "default" } });
      expect([201, 409]).toContain(r.status);
    }
    report.push("created the `default` ServiceAccount of both namespaces (the ServiceAccount controller's job; no controller-manager here)");
    const admitted: string[] = [];
    for (const ns of NAMESPACES) {
      for (const kind of ["statefulsets", "deployments", "daemonsets"]) {
        for (const w of await items(`/apis/apps/v1/namespaces/${ns}/${kind}`)) {
          // A StatefulSet's controller adds one volume per claim template (claim `<template>-<set>-<ordinal>`).
          const claims = (w.spec.volumeClaimTemplates ?? []).map((t: any) => ({ name: t.metadata.name, persistentVolumeClaim: { claimName: `${t.metadata.name}-${w.metadata.name}-0` } }));
          const spec = { ...w.spec.template.spec, volumes: [...(w.spec.template.spec.volumes ?? []), ...claims] };
          const pod = { apiVersion: "v1", kind: "Pod", metadata: { name: `${w.metadata.name}-0`, labels: w.spec.template.metadata.labels, annotations: w.spec.template.metadata.annotations }, spec };
          const r = await api("POST", `/api/v1/namespaces/${ns}/pods?dryRun=All&fieldValidation=Strict`, pod);
          expect(r.status, `${kind} ${ns}/${w.metadata.name}: ${JSON.stringify(r.body).slice(0, 500)}`).toBe(201);
          expect(r.warnings, `${kind} ${ns}/${w.metadata.name}`).toEqual([]);
          admitted.push(`${ns}/${w.metadata.name}`);
        }
      }
    }
    // A pod the restricted level refuses is refused, so the admission above is not vacuous.
    const bad = { apiVersion: "v1", kind: "Pod", metadata: { name: "net-raw" }, spec: { containers: [{ name: "c", image: "x", securityContext: { capabilities: { add: ["NET_RAW"] } } }] } };
    const refused = await api("POST", "/api/v1/namespaces/monitoring/pods?dryRun=All", bad);
    expect(refused.status).toBe(403);
    expect(JSON.stringify(refused.body)).toContain("violates PodSecurity \\\"restricted:latest\\\"");
    expect(admitted.length).toBe(created.filter((o) => /^(statefulsets|deployments|daemonsets) /.test(o)).length);
    report.push(`PodSecurity admitted ${admitted.length} pod templates (server-side dry-run, no warning): ${admitted.join(", ")}`);
  });

  it("3. every object passes strict server-side field validation (no unknown or duplicate field)", async () => {
    const state = await stackExport();
    let checked = 0;
    for (const r of state.deployment.resources ?? []) {
      if (!r.type.startsWith("kubernetes:") || r.type === "pulumi:providers:kubernetes" || !r.inputs) continue;
      // Secret values are encrypted in the state: a stand-in value of the same shape (a map for data/stringData).
      const obj = JSON.parse(JSON.stringify(r.inputs, (k, v) => (k.startsWith("__") ? undefined : v && typeof v === "object" && "ciphertext" in v ? (k === "data" ? { redacted: "eA==" } : k === "stringData" ? { redacted: "x" } : "redacted") : v)));
      const [group, version] = String(obj.apiVersion).includes("/") ? String(obj.apiVersion).split("/") : ["", obj.apiVersion];
      const plural = PLURALS[obj.kind as string];
      if (plural === undefined) throw new Error(`no plural known for ${obj.kind}`);
      const base = group === "" ? `/api/${version}` : `/apis/${group}/${version}`;
      const ns = obj.metadata.namespace ? `/namespaces/${obj.metadata.namespace}` : "";
      const path = `${base}${ns}/${plural}/${obj.metadata.name}?dryRun=All&fieldValidation=Strict&fieldManager=moncode-strict-check&force=true`;
      const res = await api("PATCH", path, obj, "application/apply-patch+yaml");
      expect(res.status, `${obj.kind} ${obj.metadata.name}: ${JSON.stringify(res.body).slice(0, 400)}`).toBe(200);
      expect(res.warnings, `${obj.kind} ${obj.metadata.name}`).toEqual([]);
      checked++;
    }
    // And a misspelt field is refused, so the check is not vacuous.
    const cm = await api("PATCH", "/api/v1/namespaces/monitoring/configmaps/prometheus-config?dryRun=All&fieldValidation=Strict&fieldManager=x&force=true", { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "prometheus-config" }, dta: {} }, "application/apply-patch+yaml");
    expect(cm.status).toBe(500);
    expect((cm.body as { message: string }).message).toContain(".dta: field not declared in schema");
    // And a duplicate field (raw text, as YAML/JSON can carry it).
    const dup = await api("PATCH", "/api/v1/namespaces/monitoring/configmaps/prometheus-config?dryRun=All&fieldValidation=Strict&fieldManager=x&force=true", '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"prometheus-config"},"data":{},"data":{}}', "application/apply-patch+yaml");
    expect(dup.status).toBe(400);
    expect((dup.body as { message: string }).message).toContain('key "data" already set in map');
    expect(checked).toBe(expected.length);
    report.push(`strict field validation (server-side apply, dry-run): ${checked} objects`);
  });

  it("4. the Prometheus ServiceAccount may list/watch exactly what its kubernetes_sd_configs use, and no more", async () => {
    const cm = (await api("GET", "/api/v1/namespaces/monitoring/configmaps/prometheus-config")).body as { data: Record<string, string> };
    const promYml = Object.entries(cm.data).find(([k]) => k.endsWith("prometheus.yml"))?.[1] ?? "";
    const roles = new Set<string>();
    let nodeProxy = false;
    for (const job of (parse(promYml) as { scrape_configs: any[] }).scrape_configs) {
      for (const sd of job.kubernetes_sd_configs ?? []) roles.add(sd.role);
      if ((job.relabel_configs ?? []).some((r: any) => String(r.replacement ?? "").includes("/proxy/"))) nodeProxy = true;
    }
    // What Prometheus' Kubernetes discovery reads per role (its documentation).
    const needs: Record<string, [string, string][]> = {
      pod: [["", "pods"]],
      service: [["", "services"]],
      node: [["", "nodes"]],
      endpoints: [["", "endpoints"], ["", "services"], ["", "pods"]],
      endpointslice: [["discovery.k8s.io", "endpointslices"], ["", "services"], ["", "pods"]],
      ingress: [["networking.k8s.io", "ingresses"]],
    };
    const allowed = new Set([...roles].flatMap((r) => (needs[r] ?? []).map(([g, res]) => `${g}/${res}`)));
    const user = "system:serviceaccount:monitoring:prometheus";
    const can = async (verb: string, group: string, resource: string, subresource = "", namespace = "") => {
      const r = await api("POST", "/apis/authorization.k8s.io/v1/subjectaccessreviews", {
        apiVersion: "authorization.k8s.io/v1",
        kind: "SubjectAccessReview",
        spec: { user, groups: ["system:serviceaccounts", "system:serviceaccounts:monitoring", "system:authenticated"], resourceAttributes: { verb, group, resource, subresource, namespace } },
      });
      return (r.body as { status: { allowed: boolean } }).status.allowed;
    };
    const candidates = ["/pods", "/services", "/endpoints", "/nodes", "discovery.k8s.io/endpointslices", "networking.k8s.io/ingresses"];
    const results: string[] = [];
    for (const c of candidates) {
      const [g, res] = c.split("/") as [string, string];
      for (const verb of ["list", "watch"]) {
        const ok = await can(verb, g, res, "", "shop");
        expect(ok, `${verb} ${c}`).toBe(allowed.has(c));
        results.push(`${verb} ${c}: ${ok ? "allowed" : "denied"}`);
      }
    }
    expect(await can("get", "", "nodes", "proxy")).toBe(nodeProxy);
    for (const [verb, g, res] of [["get", "", "secrets"], ["list", "", "secrets"], ["watch", "", "secrets"], ["get", "", "configmaps"], ["create", "", "pods"], ["delete", "", "pods"], ["patch", "", "services"], ["list", "apps", "deployments"], ["create", "", "nodes"]] as const) {
      expect(await can(verb, g, res, "", "monitoring"), `${verb} ${g}/${res}`).toBe(false);
    }
    report.push(`SubjectAccessReviews for ${user}: roles ${[...roles].sort().join(", ")}; ${results.filter((r) => r.endsWith("allowed")).length} allowed, secrets/configmaps/writes denied; nodes/proxy get ${nodeProxy}`);
  });

  it("5. a new alert rule is an in-place ConfigMap update plus a pod-template change; refresh then finds no drift", async () => {
    const before = ((await api("GET", "/apis/apps/v1/namespaces/monitoring/statefulsets/prometheus")).body as any).spec.template.metadata.annotations["moncode.dev/config-hash"];
    const doc = parse(readFileSync(stackFile(), "utf8")) as { config: Record<string, any> };
    const stack = doc.config["moncode:stack"];
    stack.rules = { ...(stack.rules ?? {}), overrides: { ...(stack.rules?.overrides ?? {}), HttpErrorRateCritical: { disabled: false } } };
    writeFileSync(stackFile(), stringify(doc));
    const preview = await timed("preview (change)", () => pulumi.json<PreviewJson>(["preview", "--stack", "prod", "--diff"]));
    const changed = preview.steps.filter((s) => s.op !== "same").map((s) => `${s.op} ${urnParts(s.urn).type} ${urnParts(s.urn).name}`);
    expect(changed).toContain("update kubernetes:core/v1:ConfigMap prod-prometheus-prometheus-config");
    expect(changed).toContain("update kubernetes:apps/v1:StatefulSet prod-prometheus-prometheus");
    expect(changed.filter((c) => !c.startsWith("update "))).toEqual([]);
    const sts = preview.steps.find((s) => urnParts(s.urn).name === "prod-prometheus-prometheus");
    expect(Object.keys(sts?.detailedDiff ?? {}).join(" ")).toContain("moncode.dev/config-hash");
    report.push(`preview --diff after a new alert rule: ${changed.join(", ")}`);
    await timed("up (change)", () => pulumi.run(["up", "--stack", "prod", "--yes", "--skip-preview"]));
    const after = ((await api("GET", "/apis/apps/v1/namespaces/monitoring/statefulsets/prometheus")).body as any).spec.template.metadata.annotations["moncode.dev/config-hash"];
    expect(after).not.toBe(before);
    const rules = (await api("GET", "/api/v1/namespaces/monitoring/configmaps/prometheus-config")).body as { data: Record<string, string> };
    expect(Object.values(rules.data).join("\n")).toContain("alert: HttpErrorRateCritical");
    await timed("refresh", () => pulumi.run(["refresh", "--stack", "prod", "--yes", "--skip-preview"]));
    await timed("preview (no changes)", () => pulumi.run(["preview", "--stack", "prod", "--expect-no-changes"]));
  });

  it("6. a secret set with `pulumi config set --secret` reaches its Secret and is nowhere else in plain text", async () => {
    const value = `pg-rotated-${randomBytes(8).toString("hex")}`;
    await pulumi.run(["config", "set", "--stack", "prod", "--secret", "postgresPassword", value]);
    const up = await timed("up (secret)", () => pulumi.run(["up", "--stack", "prod", "--yes", "--skip-preview"]));
    const secrets = await items("/api/v1/namespaces/monitoring/secrets?labelSelector=app.kubernetes.io/instance%3Dprod");
    const holders = secrets.filter((s) => Object.values((s.data ?? {}) as Record<string, string>).some((v) => Buffer.from(v, "base64").toString("utf8").includes(value)));
    expect(holders.map((s) => s.metadata.name)).toEqual(["postgres-exporter-app-secrets"]);
    const exported = (await pulumi.run(["stack", "export", "--stack", "prod"])).stdout;
    const b64 = Buffer.from(value).toString("base64");
    expect(exported.includes(value) || exported.includes(b64)).toBe(false);
    expect(exported).toContain("ciphertext");
    expect(readFileSync(stackFile(), "utf8")).not.toContain(value);
    for (const r of pulumi.runs) expect(r.stdout + r.stderr).not.toContain(value);
    const configMaps = await items("/api/v1/namespaces/monitoring/configmaps");
    expect(JSON.stringify(configMaps)).not.toContain(value);
    expect(up.stdout).not.toContain(value);
    report.push("secret rotation: only Secret postgres-exporter-app-secrets holds the value; stack export, stack file, ConfigMaps and CLI output do not");
  });

  it("7. destroy leaves no object of the stack behind", async () => {
    await timed("destroy", () => pulumi.run(["destroy", "--stack", "prod", "--yes", "--skip-preview"]));
    const left = await liveObjects();
    // No namespace controller: the namespaces are Terminating and empty; finishing them is that controller's job.
    expect(left).toEqual(["namespaces monitoring (Terminating)", "namespaces monitoring-host (Terminating)"]);
    for (const ns of NAMESPACES) expect((await api("DELETE", `/api/v1/namespaces/${ns}/serviceaccounts/default`)).status).toBe(200);
    for (const ns of NAMESPACES) {
      for (const entry of NAMESPACED) {
        const [prefix, plural] = entry.split("|") as [string, string];
        expect(await items(`${prefix}/namespaces/${ns}/${plural}`), `${plural} in ${ns}`).toEqual([]);
      }
      const cur = (await api("GET", `/api/v1/namespaces/${ns}`)).body as any;
      const r = await api("PUT", `/api/v1/namespaces/${ns}/finalize`, { ...cur, spec: { finalizers: [] } });
      expect(r.status).toBe(200);
    }
    for (const ns of NAMESPACES) expect((await api("GET", `/api/v1/namespaces/${ns}`)).status).toBe(404);
    const state = await stackExport();
    expect(k8sTypes(state.deployment.resources ?? [])).toEqual([]);
    report.push(`destroy: ${created.length} objects removed; the two empty namespaces finalized by the test (the namespace controller's step)`);
  });
});
