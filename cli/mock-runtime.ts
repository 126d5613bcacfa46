/**
 * Runs the Pulumi program under the SDK's mock runtime and records every resource it declares: type, name,
 * parent, inputs with secrets masked. Nothing reaches a cloud or a Docker engine.
 */
import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";

/** Pulumi's wire marker for a secret value. */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const SECRET_VALUE = "1b47061264138c4ac30d75fd1eb44270";

/** One resource a program registered under the mock runtime: type, name, parent, options and inputs. */
export interface RecordedResource {
  readonly type: string;
  readonly name: string;
  readonly parent: string | undefined;
  readonly custom: boolean;
  /** Provider reference (`<urn>::<id>`) when the resource was given an explicit provider. */
  readonly provider?: string;
  /** Properties whose changes the engine ignores (resource option), when any. */
  readonly ignoreChanges?: readonly string[];
  /** The `customTimeouts` resource option, when set. */
  readonly customTimeouts?: pulumi.CustomTimeouts;
  /** Names of the resources it must wait for (the `dependsOn` option), when any. */
  readonly dependsOn?: readonly string[];
  /** Inputs as the provider would receive them; secrets are `"[secret]"`. */
  readonly inputs: Record<string, unknown>;
  /** Same inputs with secrets unmasked (tests only; never written). */
  readonly rawInputs: Record<string, unknown>;
}

export function isSecretEnvelope(v: unknown): v is { value: unknown } {
  return typeof v === "object" && v !== null && (v as Record<string, unknown>)[SECRET_SIG] === SECRET_VALUE;
}

export function maskSecrets(v: unknown): unknown {
  if (isSecretEnvelope(v)) return "[secret]";
  if (Array.isArray(v)) return v.map(maskSecrets);
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, maskSecrets(x)]));
  return v;
}

export function unwrapSecrets(v: unknown): unknown {
  if (isSecretEnvelope(v)) return unwrapSecrets(v.value);
  if (Array.isArray(v)) return v.map(unwrapSecrets);
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, unwrapSecrets(x)]));
  return v;
}

export function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** Outputs the mocked providers compute, so dependent inputs resolve deterministically. */
function mockOutputs(args: pulumi.runtime.MockResourceArgs): Record<string, unknown> {
  switch (args.type) {
    case "random:index/randomPassword:RandomPassword":
      return { result: `[generated ${args.name}]` };
    case "docker:index/network:Network":
    case "docker:index/volume:Volume":
    case "docker:index/container:Container":
      return { name: args.inputs.name ?? args.name };
    default:
      return {};
  }
}

export class ResourceRecorder {
  private readonly byName = new Map<string, { type: string; custom: boolean; provider?: string; inputs: Record<string, unknown> }>();
  private readonly parents = new Map<string, string | undefined>();
  private readonly ignored = new Map<string, readonly string[]>();
  private readonly timeouts = new Map<string, pulumi.CustomTimeouts>();
  private readonly depends = new Map<string, readonly string[]>();

  readonly mocks: pulumi.runtime.Mocks = {
    newResource: (args) => {
      this.byName.set(`${args.type}::${args.name}`, {
        type: args.type,
        custom: args.custom ?? true,
        ...(args.provider ? { provider: args.provider } : {}),
        inputs: args.inputs as Record<string, unknown>,
      });
      return { id: `${args.name}-id`, state: { ...(args.inputs as object), ...mockOutputs(args) } };
    },
    call: (args) => args.inputs,
  };

  /** Stack transformation that sees every resource's parent (mocks do not pass it to newResource). */
  readonly transformation: pulumi.ResourceTransformation = (args) => {
    const parent = args.opts.parent as (pulumi.Resource & { __name?: string }) | undefined;
    this.parents.set(`${args.type}::${args.name}`, parent?.__name);
    if (args.opts.ignoreChanges && args.opts.ignoreChanges.length > 0) this.ignored.set(`${args.type}::${args.name}`, args.opts.ignoreChanges);
    const timeouts = (args.opts as pulumi.CustomResourceOptions).customTimeouts;
    if (timeouts) this.timeouts.set(`${args.type}::${args.name}`, timeouts);
    const deps = args.opts.dependsOn;
    const list = (Array.isArray(deps) ? deps : deps ? [deps] : []) as (pulumi.Resource & { __name?: string })[];
    const names = list.map((d) => d.__name).filter((n): n is string => typeof n === "string");
    if (names.length > 0) this.depends.set(`${args.type}::${args.name}`, names.sort());
    return undefined;
  };

  resources(): RecordedResource[] {
    const out: RecordedResource[] = [];
    for (const [key, r] of this.byName) {
      const name = key.slice(r.type.length + 2);
      const parent = this.parents.get(key);
      out.push({
        type: r.type,
        name,
        parent: parent === undefined || parent === pulumi.getProject() + "-" + pulumi.getStack() ? undefined : parent,
        custom: r.custom,
        ...(r.provider ? { provider: r.provider } : {}),
        ...(this.ignored.has(key) ? { ignoreChanges: this.ignored.get(key) } : {}),
        ...(this.depends.has(key) ? { dependsOn: this.depends.get(key) } : {}),
        ...(this.timeouts.has(key) ? { customTimeouts: this.timeouts.get(key) } : {}),
        inputs: maskSecrets(r.inputs) as Record<string, unknown>,
        rawInputs: unwrapSecrets(r.inputs) as Record<string, unknown>,
      });
    }
    return out.sort((a, b) => (a.name === b.name ? (a.type < b.type ? -1 : 1) : a.name < b.name ? -1 : 1));
  }
}

export interface MockRunOptions<T> {
  readonly project: string;
  readonly stack: string;
  readonly config: Record<string, string>;
  readonly secretKeys: string[];
  readonly program: () => T | Promise<T>;
}

/**
 * Runs `program` inside a mocked Pulumi stack with the given config and waits for every registration.
 * Returns what the program returned and the recorded resources. Program errors are rethrown.
 */
export async function runUnderMocks<T>(opts: MockRunOptions<T>): Promise<{ result: T; resources: RecordedResource[] }> {
  const out = await recordUnderMocks(opts);
  if (out.error !== undefined) throw out.error;
  return { result: out.result as T, resources: out.resources };
}

/** Like runUnderMocks, but a program error is returned next to what was registered before it. */
export async function recordUnderMocks<T>(opts: MockRunOptions<T>): Promise<{ result?: T; error?: unknown; resources: RecordedResource[] }> {
  const recorder = new ResourceRecorder();
  await pulumi.runtime.setMocks(recorder.mocks, opts.project, opts.stack, false);
  pulumi.runtime.setAllConfig(opts.config, opts.secretKeys);
  let result: T | undefined;
  let failure: unknown;
  await pulumi.runtime.runInPulumiStack(async () => {
    pulumi.runtime.registerStackTransformation(recorder.transformation);
    try {
      result = await opts.program();
    } catch (e) {
      failure = e;
    }
    return {};
  });
  await pulumi.runtime.disconnect();
  const resources = recorder.resources();
  return failure !== undefined ? { error: failure, resources } : { result: result as T, resources };
}
