/**
 * Platform objects — Docker containers, volumes and networks, Kubernetes objects, generated values — as the
 * provider will treat them: added, removed, replaced, or updated in place. Which inputs force a replacement is the
 * providers' own rule (read in their source, /work/shared/FACTS.md "How the real providers behave"):
 *
 * - Docker (terraform-provider-docker): the one table components/platform/docker-provider.ts, which the Docker
 *   driver and the Docker proof's apply harness use too: restart, memory, memorySwap, maxRetryCount, cpuShares and
 *   cpuSet are updated in place; healthcheck, wait, waitTimeout, destroyGraceSeconds, tmpfs, … are stored but not
 *   applied to the running container (the driver hashes the ones that matter into the config-hash label, so they
 *   replace); every other input (uploads, labels, image, command, envs, ports, cpus, devices …) replaces it.
 *   Volumes and networks are replaced on any change.
 * - Kubernetes (pulumi-kubernetes' forceNew table): metadata.name/namespace of any object; ConfigMap data and
 *   binaryData (unless the provider sets enableConfigMapMutable); Secret type, data, stringData; Service
 *   spec.clusterIP and spec.type; Deployment spec.selector; StatefulSet spec.podManagementPolicy,
 *   revisionHistoryLimit, selector, serviceName, volumeClaimTemplates; (Cluster)RoleBinding roleRef; a PVC's spec.
 *   A change under a workload's spec.template rolls its pods. Paths the program ignores (`ignoreChanges`) change
 *   nothing.
 *
 * Hashes never show: an uploaded file or ConfigMap key whose content changed reads `content changed`, the
 * config-hash label or annotation reads `rendered config changed` (the semantic sections say what changed).
 */
import { dockerInputEffect } from "../../components/platform/docker-provider";
import type { Change, FieldChange, SynthTree } from "./model";
import { CONTAINER, isKubernetes, resources, type Resource } from "./resources";
import { asObject, asString, diffFields, flatten, type JsonObject } from "./values";


const K8S_FORCE_NEW: Readonly<Record<string, readonly string[]>> = {
  "*": ["metadata.name", "metadata.namespace"],
  ConfigMap: ["data", "binaryData"],
  Secret: ["type", "data", "stringData"],
  Service: ["spec.clusterIP", "spec.type"],
  Deployment: ["spec.selector"],
  StatefulSet: ["spec.podManagementPolicy", "spec.revisionHistoryLimit", "spec.selector", "spec.serviceName", "spec.volumeClaimTemplates"],
  ClusterRoleBinding: ["roleRef"],
  RoleBinding: ["roleRef"],
  PersistentVolumeClaim: ["spec"],
};
const POD_TEMPLATE_KINDS = new Set(["Deployment", "StatefulSet", "DaemonSet"]);

const under = (path: string, prefix: string) => path === prefix || path.startsWith(`${prefix}.`) || path.startsWith(`${prefix}[`);
const topKey = (path: string) => /^[^.[]+/.exec(path)?.[0] ?? path;

type Effect = "replace" | "in place" | "stored only" | "ignored" | "rolls pods";

function effect(r: Resource, path: string): Effect {
  if (r.ignoreChanges.some((p) => under(path, p))) return "ignored";
  if (r.type === CONTAINER) {
    const e = dockerInputEffect(topKey(path));
    return e === "update" ? "in place" : e === "stored" ? "stored only" : "replace";
  }
  if (isKubernetes(r)) {
    const kind = String(r.inputs.kind);
    if ([...K8S_FORCE_NEW["*"]!, ...(K8S_FORCE_NEW[kind] ?? [])].some((p) => under(path, p))) return "replace";
    if (POD_TEMPLATE_KINDS.has(kind) && under(path, "spec.template")) return "rolls pods";
    return "in place";
  }
  // Docker volumes and networks, generated values (random): every input is part of the identity.
  return r.type.startsWith("docker:") || r.type.startsWith("random:") ? "replace" : "in place";
}

const NOTE: Record<Effect, string> = {
  replace: "forces replacement",
  "in place": "updated in place",
  "stored only": "stored, not applied to the running container",
  ignored: "ignored (ignoreChanges)",
  "rolls pods": "rolls the pods",
};

/** The first keyed element a path lies in (`uploads[/etc/x.yml]`), if any. */
const elementOf = (path: string) => /^[^.[]+\[[^\]]+\]/.exec(path)?.[0];

/**
 * Hash leaves folded into their file or key (`uploads[/etc/x.yml]: content changed`), and a list element that is
 * wholly new or gone (an uploaded file, a label) as one line. `a` and `b` are the two sides' inputs: an element that
 * exists on both sides and only gains or loses a field is changed, not added or removed.
 */
function foldHashes(fields: FieldChange[], a: JsonObject, b: JsonObject): FieldChange[] {
  const out = new Map<string, FieldChange>();
  const elements = (inputs: JsonObject) => new Set([...flatten(inputs).keys()].map(elementOf).filter((e): e is string => e !== undefined));
  const [inA, inB] = [elements(a), elements(b)];
  const whole = (el: string): "added" | "removed" | undefined => (!inA.has(el) ? "added" : !inB.has(el) ? "removed" : undefined);
  for (const f of fields) {
    const el = elementOf(f.field);
    const w = el === undefined ? undefined : whole(el);
    if (el !== undefined && w !== undefined) {
      out.set(el, { field: el, note: w });
      continue;
    }
    const m = /^(.*)\.(?:content\.)?(?:sha256|bytes)$/.exec(f.field);
    if (m && (m[1]!.startsWith("uploads[") || m[1]!.startsWith("data."))) {
      const field = m[1]!.replace(/\.content$/, "");
      const what = f.old === undefined ? "added" : f.new === undefined ? "removed" : "content changed";
      out.set(field, { field, note: what });
      continue;
    }
    if (/config-hash(\]\.value)?$/.test(f.field)) {
      out.set(f.field.replace(/\]\.value$/, "]"), { field: f.field.replace(/\]\.value$/, "]"), note: "rendered config changed" });
      continue;
    }
    out.set(f.field, f);
  }
  return [...out.values()];
}

function displayId(r: Resource): string {
  if (isKubernetes(r)) {
    const m = asObject(r.inputs.metadata);
    const ns = asString(m.namespace);
    return `${String(r.inputs.kind)} ${ns ? `${ns}/` : ""}${asString(m.name) ?? r.name}`;
  }
  const short = /:([A-Za-z]+)$/.exec(r.type)?.[1] ?? r.type;
  const kind = short.charAt(0).toUpperCase() + short.slice(1);
  return `${kind} ${asString(r.inputs.name) ?? r.name}`;
}

function notesFor(r: Resource, kind: Change["kind"]): string[] {
  if (r.type === CONTAINER && kind === "replaced") return ["the old container is removed before the new one starts (a short outage); named volumes are kept"];
  if (r.type === "docker:index/volume:Volume" && (kind === "replaced" || kind === "removed")) return ["the volume's data is deleted"];
  if (r.type.startsWith("random:") && kind === "replaced") return ["a new value is generated"];
  if (isKubernetes(r) && r.inputs.kind === "ConfigMap" && kind === "replaced") return ["delete-before-replace unless the provider sets enableConfigMapMutable"];
  return [];
}

/** Objects with a platform meaning: components and the stack itself have no inputs of their own. */
const isPlatformObject = (r: Resource) => !r.type.startsWith("moncode:") && !r.type.startsWith("pulumi:");

export function diffPlatform(a: SynthTree, b: SynthTree): Change[] {
  const map = (t: SynthTree) => new Map(resources(t).filter(isPlatformObject).map((r) => [`${r.type}::${r.name}`, r]));
  const ra = map(a);
  const rb = map(b);
  const out: Change[] = [];
  for (const key of [...new Set([...ra.keys(), ...rb.keys()])]) {
    const x = ra.get(key);
    const y = rb.get(key);
    if (!x || !y) {
      const r = (x ?? y)!;
      const kind = x ? "removed" : "added";
      const notes = notesFor(r, kind);
      out.push({ kind, id: displayId(r), fields: [], ...(notes.length ? { notes } : {}) });
      continue;
    }
    const fields = foldHashes(diffFields(x.inputs, y.inputs), x.inputs, y.inputs).map((f) => ({ ...f, note: [f.note, NOTE[effect(y, f.field)]].filter(Boolean).join("; ") }));
    if (fields.length === 0) continue;
    const effects = new Set(fields.map((f) => effect(y, f.field)));
    if ([...effects].every((e) => e === "ignored")) continue;
    const kind = effects.has("replace") ? "replaced" : "updated";
    const notes = [...notesFor(y, kind), ...(effects.has("rolls pods") && kind === "updated" ? ["the pods are rolled"] : [])];
    out.push({ kind, id: displayId(y), fields: fields.sort((p, q) => (p.field < q.field ? -1 : 1)), ...(notes.length ? { notes } : {}) });
  }
  return out.sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
}
