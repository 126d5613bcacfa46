/**
 * `synth --stack prod` on Kubernetes, compared with the same definitions on Docker and with small edits:
 * - the manifests written to out/prod/kubernetes/ (one per object, secrets redacted);
 * - dev-style Docker and Kubernetes render the same rules, routes and dashboards: only the platform differs;
 * - the config-hash annotations change when a workload's rendered config changes, and only then.
 */
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { synth, type SynthResult } from "../../cli/synth";
import { CONFIG_HASH_ANNOTATION } from "../../components/platform/kubernetes-objects";
import { ROOT } from "./prod-program";
import { validateKubernetesObject } from "./schema";

const tmp = mkdtempSync(join(tmpdir(), "moncode-k8s-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const PROD = readFileSync(join(ROOT, "Pulumi.prod.yaml"), "utf8");

/** A project whose Pulumi.prod.yaml is the real one edited by `edit`. */
async function synthVariant(label: string, edit: (t: string) => string): Promise<SynthResult> {
  const dir = mkdtempSync(join(tmp, `${label}-`));
  cpSync(join(ROOT, "Pulumi.yaml"), join(dir, "Pulumi.yaml"));
  const text = edit(PROD);
  if (label !== "prod") expect(text, `${label} edit applied`).not.toBe(PROD);
  writeFileSync(join(dir, "Pulumi.prod.yaml"), text);
  return synth({ stack: "prod", projectDir: dir });
}

/** The same stack on Docker: platform switched, the kubernetes section dropped, app targets unchanged. */
const onDocker = (t: string) => t.replace("platform: kubernetes", "platform: docker").replace(/\n    kubernetes:\n(      .*\n|        .*\n)+/, "\n");

function hashes(s: SynthResult): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of s.files.filter((x) => x.path.startsWith("kubernetes/"))) {
    const o = parse(f.content) as { kind: string; metadata: { name: string }; spec?: { template?: { metadata?: { annotations?: Record<string, string> } } } };
    const h = o.spec?.template?.metadata?.annotations?.[CONFIG_HASH_ANNOTATION];
    if (h !== undefined) out[o.metadata.name] = h;
  }
  return out;
}

let prod: SynthResult;
let docker: SynthResult;
beforeAll(async () => {
  prod = await synthVariant("prod", (t) => t);
  docker = await synthVariant("docker", onDocker);
});

describe("synth --stack prod writes the Kubernetes manifests", () => {
  it("one valid YAML file per Kubernetes object, secrets redacted", async () => {
    const dir = join(prod.dir, "kubernetes");
    const files = readdirSync(dir).sort();
    const objects = prod.resources.filter((r) => r.type.startsWith("kubernetes:"));
    expect(files).toHaveLength(objects.length);
    expect(files).toEqual(expect.arrayContaining(["statefulset-prometheus.yaml", "statefulset-alertmanager.yaml", "deployment-grafana.yaml", "daemonset-node-exporter.yaml", "clusterrole-monitoring-prometheus.yaml", "namespace-monitoring.yaml"]));
    const problems: string[] = [];
    for (const f of files) {
      const text = readFileSync(join(dir, f), "utf8");
      const o = parse(text) as Record<string, unknown>;
      problems.push(...(await validateKubernetesObject(o)));
      if (o.kind === "Secret") for (const v of Object.values(o.stringData as Record<string, string>)) expect(v, f).toBe("[redacted]");
      expect(text, f).not.toContain("[secret moncode:");
      expect(text, f).not.toContain("[generated ");
    }
    expect(problems).toEqual([]);
  });

  it("mounts exactly the rendered artifacts: the Prometheus ConfigMap holds the files synth writes", () => {
    const cm = parse(readFileSync(join(prod.dir, "kubernetes", "configmap-prometheus-config.yaml"), "utf8")) as { data: Record<string, string> };
    for (const f of prod.files.filter((x) => x.path.startsWith("prometheus/") && !x.path.startsWith("prometheus/tests/"))) {
      expect(cm.data[`etc_${f.path.replace(/\//g, "_")}`], f.path).toBe(f.content);
    }
  });
});

describe("dev-style Docker and Kubernetes render the same content for the same definitions", () => {
  const content = (s: SynthResult) =>
    Object.fromEntries(
      s.files
        .filter((f) => /^(prometheus\/(rules|tests)\/|alertmanager\/|grafana\/dashboards\/|grafana\/provisioning\/dashboards\/)/.test(f.path))
        .map((f) => [f.path, f.content]),
    );

  /** What the platform itself changes: the cAdvisor labels of the container content, and the Kubernetes pack. */
  const platformSpecific = /^(prometheus\/(rules|tests)\/(containers|kubernetes)\.|grafana\/dashboards\/infrastructure\/moncode-containers\.json$)/;
  const shared = (s: SynthResult) => Object.fromEntries(Object.entries(content(s)).filter(([p]) => !platformSpecific.test(p)));

  it("alert and recording rules, their unit tests, routes, routing tests and dashboards are byte-identical, except what the platform decides", () => {
    const k = shared(prod);
    expect(Object.keys(k).filter((p) => p.startsWith("prometheus/rules/")).length).toBeGreaterThanOrEqual(8);
    expect(Object.keys(k).filter((p) => p.startsWith("grafana/dashboards/")).length).toBeGreaterThanOrEqual(10);
    expect(k["alertmanager/alertmanager.yml"]).toBeDefined();
    expect(shared(docker)).toEqual(k);
  });

  it("the platform decides the cAdvisor labels (Docker's name, the kubelet's namespace/pod/container) and the Kubernetes pack", () => {
    const [k, d] = [content(prod), content(docker)];
    expect(d["prometheus/rules/containers.yml"]).toContain('name!="",image!=""');
    expect(k["prometheus/rules/containers.yml"]).toContain('container!="",container!="POD",image!=""');
    expect(k["grafana/dashboards/infrastructure/moncode-containers.json"]).toContain("sum by (namespace, pod, container)");
    expect(d["grafana/dashboards/infrastructure/moncode-containers.json"]).toContain("sum by (name)");
    expect(k["prometheus/rules/kubernetes.yml"]).toContain("alert: KubePodCrashLooping");
    expect(k["prometheus/tests/kubernetes.test.yml"]).toBeDefined();
    expect(d["prometheus/rules/kubernetes.yml"]).toBeUndefined();
  });

  it("only the platform differs: Docker declares containers, Kubernetes objects; addresses differ in the Prometheus config", () => {
    expect(docker.resources.some((r) => r.type.startsWith("kubernetes:"))).toBe(false);
    expect(prod.resources.some((r) => r.type.startsWith("docker:"))).toBe(false);
    const promK = prod.files.find((f) => f.path === "prometheus/prometheus.yml")!.content;
    const promD = docker.files.find((f) => f.path === "prometheus/prometheus.yml")!.content;
    expect(promD).toContain("- alertmanager:9093\n");
    expect(promK).toContain("- alertmanager-0.alertmanager-headless.monitoring.svc:9093\n");
    const jobs = (t: string) => [...t.matchAll(/job_name: (\S+)/g)].map((m) => m[1]);
    // Kubernetes adds discovery and kubelet jobs, drops nothing the content selects.
    expect(jobs(promK)).toEqual(expect.arrayContaining(jobs(promD)));
  });
});

describe("config-hash annotations", () => {
  it("change for the workload whose rendered config changes, and only for it", async () => {
    const edited = await synthVariant("override", (t) => t.replace("    grafana:\n", "    rules:\n      overrides:\n        TargetDown: { for: 7m }\n    grafana:\n"));
    const before = hashes(prod);
    const after = hashes(edited);
    const changed = Object.keys(before).filter((k) => before[k] !== after[k]);
    expect(changed).toEqual(["prometheus"]);
  });

  it("stay the same when nothing rendered changes (storage class, volume size)", async () => {
    const edited = await synthVariant("placement", (t) => t.replace("storageClass: standard", "storageClass: fast\n      prometheusStorageGb: 50"));
    expect(hashes(edited)).toEqual(hashes(prod));
    // …while the objects themselves do change.
    expect(edited.files.find((f) => f.path === "kubernetes/statefulset-prometheus.yaml")!.content).toContain("storage: 50Gi");
  });

  it("follow the rendered config, not the object: more Alertmanager peers change Prometheus's and Loki's configs (both alert each), not Alertmanager's", async () => {
    const edited = await synthVariant("peers", (t) => t.replace("alertmanagerReplicas: 3", "alertmanagerReplicas: 5"));
    const before = hashes(prod);
    const after = hashes(edited);
    expect(Object.keys(before).filter((k) => before[k] !== after[k]).sort()).toEqual(["loki", "prometheus"]);
    expect(edited.files.find((f) => f.path === "kubernetes/statefulset-alertmanager.yaml")!.content).toContain("replicas: 5");
  });
});
