/** Runs components under Pulumi's mock runtime and returns every recorded resource (see cli/mock-runtime.ts). */
import { runUnderMocks, type RecordedResource } from "../../cli/mock-runtime";

export async function recordResources<T>(program: () => T, config: Record<string, string> = {}, secretKeys: string[] = []): Promise<{ result: T; resources: RecordedResource[] }> {
  const out = await runUnderMocks({ project: "moncode", stack: "test", config, secretKeys, program });
  // A mock test that records nothing tests nothing.
  if (out.resources.length === 0) throw new Error("the program registered no resources under mocks");
  return out;
}

export function byType(resources: readonly RecordedResource[], type: string): RecordedResource[] {
  return resources.filter((r) => r.type === type);
}

export function one(resources: readonly RecordedResource[], type: string, name: string): RecordedResource {
  const r = resources.find((x) => x.type === type && x.name === name);
  if (!r) throw new Error(`no ${type} named ${name}; have: ${resources.map((x) => `${x.type}/${x.name}`).join(", ")}`);
  return r;
}

export const CONTAINER = "docker:index/container:Container";
export const VOLUME = "docker:index/volume:Volume";
export const NETWORK = "docker:index/network:Network";

export interface Upload {
  file: string;
  content: unknown;
  owner?: string;
  permissions?: string;
}

/** The uploads a container asks for, secrets unwrapped (when any upload is secret the whole list is). */
export function uploads(r: RecordedResource): Upload[] {
  return (r.rawInputs.uploads ?? []) as Upload[];
}

export function upload(r: RecordedResource, file: string): Upload {
  const u = uploads(r).find((x) => x.file === file);
  if (!u) throw new Error(`${r.name} has no upload ${file}; has ${uploads(r).map((x) => x.file).join(", ")}`);
  return u;
}

/** Docker containers of the workloads (not the secrets side-cars). */
export function workloadContainers(resources: readonly RecordedResource[]): RecordedResource[] {
  return byType(resources, CONTAINER).filter((c) => !isSecretsSidecar(c));
}

export function isSecretsSidecar(r: RecordedResource): boolean {
  return ((r.rawInputs.labels ?? []) as { label: string; value: string }[]).some((l) => l.label === "moncode.dev/role" && l.value === "secrets");
}

/** The side-car holding a workload container's secret files (`<name>-secrets`). */
export function sidecarOf(resources: readonly RecordedResource[], container: RecordedResource): RecordedResource {
  return one(resources, CONTAINER, `${container.name}-secrets`);
}

/** A secret file as the workload sees it: the side-car's upload for the file at `path` in the workload. */
export function secretUpload(resources: readonly RecordedResource[], container: RecordedResource, path: string): Upload {
  const mount = ((container.rawInputs.volumes ?? []) as { volumeName?: string; containerPath: string; readOnly?: boolean }[]).find((v) => v.volumeName?.endsWith("-secrets") && path.startsWith(`${v.containerPath}/`));
  if (!mount) throw new Error(`${container.name} mounts no secrets volume above ${path}`);
  return upload(sidecarOf(resources, container), `/secrets/${path.slice(mount.containerPath.length + 1)}`);
}
