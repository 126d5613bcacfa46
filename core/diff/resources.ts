/**
 * The platform side of a synth tree: resources.json (every resource the program declares, inputs with secrets
 * masked and uploaded files by hash) and, for Kubernetes stacks, the manifests in kubernetes/ (where a Secret's
 * keys are visible with their values redacted). Workloads — a Docker container, or a Deployment, StatefulSet or
 * DaemonSet — are read into one shape for the storage, image and exporter areas.
 */
import type { SynthTree } from "./model";
import { asArray, asObject, asString, readDoc, type Json, type JsonObject } from "./values";

export interface Resource {
  readonly type: string;
  readonly name: string;
  readonly inputs: JsonObject;
  /** Properties the program tells the engine to ignore (resource option), when resources.json records them. */
  readonly ignoreChanges: readonly string[];
}

export interface Workload {
  /** `app.kubernetes.io/name` (the workload's name in both platforms), else the resource name. */
  readonly name: string;
  /** `app.kubernetes.io/component`: prometheus, alertmanager, grafana, exporter… */
  readonly component: string;
  readonly platform: "docker" | "kubernetes";
  readonly resource: Resource;
  /** Container name → image / arguments. */
  readonly images: Readonly<Record<string, string>>;
  readonly args: Readonly<Record<string, readonly string[]>>;
  /** Persistent storage: Docker volume names, or claim template name → requested size. */
  readonly storage: Readonly<Record<string, string>>;
}

export const CONTAINER = "docker:index/container:Container";
const WORKLOAD_KINDS = new Set(["Deployment", "StatefulSet", "DaemonSet"]);

export function isKubernetes(r: Resource): boolean {
  return r.type.startsWith("kubernetes:") && typeof r.inputs.kind === "string";
}

/** The manifest file synth writes for a Kubernetes object (cli/kubernetes-manifests.ts names them so). */
function manifestPath(r: Resource): string {
  return `kubernetes/${String(r.inputs.kind).toLowerCase()}-${asString(asObject(r.inputs.metadata).name) ?? r.name}.yaml`;
}

export function resources(tree: SynthTree): Resource[] {
  return asArray(readDoc(tree, "resources.json")).map((x) => {
    const o = asObject(x);
    let inputs = asObject(o.inputs);
    const r: Resource = { type: String(o.type), name: String(o.name), inputs, ignoreChanges: asArray(o.ignoreChanges).map(String) };
    // A Secret's keys are only in its manifest (resources.json masks the whole map).
    if (isKubernetes(r) && inputs.kind === "Secret") {
      const m = asObject(readDoc(tree, manifestPath(r)));
      inputs = { ...inputs, ...(m.stringData !== undefined ? { stringData: m.stringData } : {}), ...(m.data !== undefined ? { data: m.data } : {}) };
    }
    return { ...r, inputs };
  });
}

const labelValue = (labels: Json | undefined, key: string): string | undefined => {
  if (Array.isArray(labels)) return asString(asObject(labels.find((l) => asObject(l).label === key)).value);
  return asString(asObject(labels)[key]);
};

function dockerWorkload(r: Resource): Workload {
  const name = labelValue(r.inputs.labels, "app.kubernetes.io/name") ?? r.name;
  const storage = Object.fromEntries(
    asArray(r.inputs.volumes)
      .map(asObject)
      .filter((v) => v.volumeName !== undefined)
      .map((v) => [String(v.containerPath), `volume ${String(v.volumeName)}`]),
  );
  return {
    name,
    component: labelValue(r.inputs.labels, "app.kubernetes.io/component") ?? "",
    platform: "docker",
    resource: r,
    images: { [name]: asString(r.inputs.image) ?? "" },
    args: { [name]: asArray(r.inputs.command).map(String) },
    storage,
  };
}

function kubernetesWorkload(r: Resource): Workload {
  const meta = asObject(r.inputs.metadata);
  const spec = asObject(r.inputs.spec);
  const pod = asObject(asObject(spec.template).spec);
  const containers = asArray(pod.containers).map(asObject);
  const storage = Object.fromEntries(
    asArray(spec.volumeClaimTemplates).map((t) => {
      const o = asObject(t);
      return [`claim ${asString(asObject(o.metadata).name) ?? ""}`, asString(asObject(asObject(asObject(o.spec).resources).requests).storage) ?? ""];
    }),
  );
  return {
    name: labelValue(meta.labels, "app.kubernetes.io/name") ?? asString(meta.name) ?? r.name,
    component: labelValue(meta.labels, "app.kubernetes.io/component") ?? "",
    platform: "kubernetes",
    resource: r,
    images: Object.fromEntries(containers.map((c) => [String(c.name), asString(c.image) ?? ""])),
    args: Object.fromEntries(containers.map((c) => [String(c.name), [...asArray(c.command), ...asArray(c.args)].map(String)])),
    storage,
  };
}

/** Workloads by name (a name used by two objects keeps the first, in resources.json order). */
export function workloads(tree: SynthTree): Map<string, Workload> {
  const out = new Map<string, Workload>();
  for (const r of resources(tree)) {
    const w = r.type === CONTAINER ? dockerWorkload(r) : isKubernetes(r) && WORKLOAD_KINDS.has(String(r.inputs.kind)) ? kubernetesWorkload(r) : undefined;
    if (w && !out.has(w.name)) out.set(w.name, w);
  }
  return out;
}
