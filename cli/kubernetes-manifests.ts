/**
 * Kubernetes manifests as a reviewer reads them: one YAML file per object the program declares
 * (`kubernetes/<kind>-<name>.yaml`), exactly the inputs the provider would receive, with every Secret value
 * replaced by `[redacted]` (the keys stay, so the review shows which files a workload gets).
 */
import type { RenderedFile } from "../core/files";
import { toYaml } from "../core/yaml";
import type { RecordedResource } from "./mock-runtime";

export const KUBERNETES_DIR = "kubernetes";
export const REDACTED = "[redacted]";

export function isKubernetesObject(r: RecordedResource): boolean {
  return r.custom && r.type.startsWith("kubernetes:") && typeof r.inputs.kind === "string";
}

/** The object as applied, Secret values redacted (masked Pulumi secrets elsewhere stay `[secret]`). */
export function kubernetesManifest(r: RecordedResource): Record<string, unknown> {
  const m: Record<string, unknown> = { ...r.inputs };
  if (m.kind === "Secret") {
    for (const field of ["data", "stringData"]) {
      const raw = r.rawInputs[field];
      if (raw && typeof raw === "object") m[field] = Object.fromEntries(Object.keys(raw).sort().map((k) => [k, REDACTED]));
      else if (raw !== undefined) m[field] = REDACTED;
    }
  }
  const { apiVersion, kind, metadata, ...rest } = m;
  return { apiVersion, kind, metadata, ...rest };
}

export function kubernetesManifestFiles(resources: readonly RecordedResource[]): RenderedFile[] {
  const files = resources.filter(isKubernetesObject).map((r) => {
    const m = kubernetesManifest(r);
    const name = (m.metadata as { name?: string } | undefined)?.name ?? r.name;
    return { path: `${KUBERNETES_DIR}/${String(m.kind).toLowerCase()}-${name}.yaml`, content: toYaml(m) };
  });
  const seen = new Set<string>();
  for (const f of files) {
    if (seen.has(f.path)) throw new Error(`two Kubernetes objects would be written to ${f.path}`);
    seen.add(f.path);
  }
  return files.sort((a, b) => (a.path < b.path ? -1 : 1));
}
