/**
 * Validates Kubernetes objects the way the API server would before accepting them, offline:
 * - types, enums and required fields with kubernetes-models' validators (ESM-only, loaded with `import()`);
 * - unknown fields, which those validators let through: kubernetes-models ships its JSON schemas compiled into
 *   ajv code, which reads exactly the properties the schema declares (and enumerates only free-form maps such as
 *   labels and ConfigMap data). Running the validator over a recording Proxy therefore yields the schema's known
 *   keys for this very object; any key it never read is unknown to the schema;
 * - names: DNS-1123 subdomains (labels for Services and Namespaces), label keys and values, annotation sizes.
 * Every problem names the object (`StatefulSet monitoring/prometheus`) and the path.
 */

type Validate = ((data: unknown) => boolean) & { errors?: { instancePath: string; message?: string; keyword: string; params: unknown }[] | null };

/** apiVersion/kind → kubernetes-models schema module. */
const SCHEMAS: Readonly<Record<string, string>> = {
  "v1/Namespace": "IoK8sApiCoreV1Namespace",
  "v1/ServiceAccount": "IoK8sApiCoreV1ServiceAccount",
  "v1/ConfigMap": "IoK8sApiCoreV1ConfigMap",
  "v1/PersistentVolumeClaim": "IoK8sApiCoreV1PersistentVolumeClaim",
  "v1/Secret": "IoK8sApiCoreV1Secret",
  "v1/Service": "IoK8sApiCoreV1Service",
  "apps/v1/StatefulSet": "IoK8sApiAppsV1StatefulSet",
  "apps/v1/Deployment": "IoK8sApiAppsV1Deployment",
  "apps/v1/DaemonSet": "IoK8sApiAppsV1DaemonSet",
  "rbac.authorization.k8s.io/v1/ClusterRole": "IoK8sApiRbacV1ClusterRole",
  "rbac.authorization.k8s.io/v1/ClusterRoleBinding": "IoK8sApiRbacV1ClusterRoleBinding",
  "policy/v1/PodDisruptionBudget": "IoK8sApiPolicyV1PodDisruptionBudget",
  "networking.k8s.io/v1/NetworkPolicy": "IoK8sApiNetworkingV1NetworkPolicy",
  "networking.k8s.io/v1/Ingress": "IoK8sApiNetworkingV1Ingress",
};

const CLUSTER_SCOPED = new Set(["Namespace", "ClusterRole", "ClusterRoleBinding"]);
/** Kinds whose name must be a DNS-1123 label (they become DNS names or path segments). */
const LABEL_NAMED = new Set(["Namespace", "Service"]);

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const ANNOTATION_BUDGET = 262_144;

async function loadValidator(apiVersion: string, kind: string): Promise<Validate> {
  const mod = SCHEMAS[`${apiVersion}/${kind}`];
  if (!mod) throw new Error(`no schema known for ${apiVersion} ${kind}`);
  const m = (await import(`kubernetes-models/_schemas/${mod}`)) as { validate: Validate };
  return m.validate;
}

/** Runs `validate` over a Proxy of `obj` and returns the paths of keys the validator never read. */
function unknownKeys(validate: Validate, obj: unknown): string[] {
  const read = new Set<string>();
  const enumerated = new Set<string>();
  const wrap = (value: unknown, path: string): unknown => {
    if (value === null || typeof value !== "object") return value;
    return new Proxy(value as object, {
      get(target, key, receiver) {
        const v = Reflect.get(target, key, receiver);
        if (typeof key !== "string") return v;
        const p = `${path}/${key}`;
        read.add(p);
        return wrap(v, p);
      },
      ownKeys(target) {
        enumerated.add(path);
        return Reflect.ownKeys(target);
      },
    });
  };
  validate(wrap(obj, ""));
  const unknown: string[] = [];
  const walk = (value: unknown, path: string): void => {
    if (value === null || typeof value !== "object") return;
    for (const key of Object.keys(value)) {
      const p = `${path}/${key}`;
      if (!Array.isArray(value) && !read.has(p) && !enumerated.has(path)) unknown.push(p);
      else walk((value as Record<string, unknown>)[key], p);
    }
  };
  walk(obj, "");
  return unknown;
}

function checkLabels(where: string, labels: unknown): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries((labels ?? {}) as Record<string, unknown>)) {
    const [prefix, name] = k.includes("/") ? [k.slice(0, k.indexOf("/")), k.slice(k.indexOf("/") + 1)] : [undefined, k];
    if (prefix !== undefined && !(DNS1123_SUBDOMAIN.test(prefix) && prefix.length <= 253)) out.push(`${where} key "${k}": prefix is not a DNS-1123 subdomain`);
    if (!(LABEL_NAME.test(name) && name.length <= 63)) out.push(`${where} key "${k}": name is not a valid label name`);
    if (typeof v !== "string" || !(v === "" || (LABEL_NAME.test(v) && v.length <= 63))) out.push(`${where} "${k}": value ${JSON.stringify(v)} is not a valid label value`);
  }
  return out;
}

function checkMetadata(obj: Record<string, unknown>): string[] {
  const out: string[] = [];
  const md = (obj.metadata ?? {}) as Record<string, unknown>;
  const kind = String(obj.kind);
  const name = String(md.name ?? "");
  const nameOk = LABEL_NAMED.has(kind) ? DNS1123_LABEL.test(name) && name.length <= 63 : DNS1123_SUBDOMAIN.test(name) && name.length <= 253;
  if (!nameOk) out.push(`/metadata/name "${name}" is not a DNS-1123 ${LABEL_NAMED.has(kind) ? "label" : "subdomain"}`);
  if (CLUSTER_SCOPED.has(kind) ? md.namespace !== undefined : !(typeof md.namespace === "string" && DNS1123_LABEL.test(md.namespace))) {
    out.push(`/metadata/namespace ${JSON.stringify(md.namespace)} is wrong for a ${CLUSTER_SCOPED.has(kind) ? "cluster-scoped" : "namespaced"} object`);
  }
  out.push(...checkLabels("/metadata/labels", md.labels));
  const annotations = JSON.stringify(md.annotations ?? {});
  if (annotations.length > ANNOTATION_BUDGET) out.push(`/metadata/annotations total ${annotations.length} bytes exceeds ${ANNOTATION_BUDGET}`);
  const spec = obj.spec as Record<string, unknown> | undefined;
  const template = spec?.template as Record<string, unknown> | undefined;
  if (template) out.push(...checkLabels("/spec/template/metadata/labels", (template.metadata as Record<string, unknown> | undefined)?.labels));
  const size = Buffer.byteLength(JSON.stringify(obj));
  if (size > 1_048_576) out.push(`object is ${size} bytes, over the 1 MiB the API server stores`);
  // Client-side apply keeps the whole object in one annotation.
  if (size > ANNOTATION_BUDGET) out.push(`object is ${size} bytes: its last-applied-configuration annotation would exceed ${ANNOTATION_BUDGET}`);
  return out;
}

/** `StatefulSet monitoring/prometheus` */
export function objectId(obj: Record<string, unknown>): string {
  const md = (obj.metadata ?? {}) as { name?: string; namespace?: string };
  return `${String(obj.kind)} ${md.namespace ? `${md.namespace}/` : ""}${md.name ?? "?"}`;
}

/** Every problem of one object, each prefixed with the object's id; empty when the object is valid. */
export async function validateKubernetesObject(obj: Record<string, unknown>): Promise<string[]> {
  const id = objectId(obj);
  let validate: Validate;
  try {
    validate = await loadValidator(String(obj.apiVersion), String(obj.kind));
  } catch (e) {
    return [`${id}: ${(e as Error).message}`];
  }
  const problems: string[] = [];
  if (!validate(obj)) {
    for (const e of validate.errors ?? []) problems.push(`${e.instancePath || "/"} ${e.message ?? e.keyword} ${JSON.stringify(e.params)}`);
  }
  for (const p of unknownKeys(validate, obj)) problems.push(`${p} is not a field of the ${String(obj.kind)} schema`);
  problems.push(...checkMetadata(obj));
  return problems.map((p) => `${id}: ${p}`);
}
