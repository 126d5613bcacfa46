/**
 * `moncode synth --stack <name> [--out dir]`: runs the stack's Pulumi program under the mock runtime and writes
 * every rendered artifact plus `resources.json` to `<out>/<stack>/`. The output folder is replaced atomically: a
 * failing program leaves the previous output untouched and writes nothing.
 */
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { RenderedFile } from "../core/files";
import { toJson } from "../core/yaml";
import { runProgram, type ProgramResult } from "../stacks/program";
import { parseStackConfig, referencedSecretKeys } from "../stacks/config";
import { renderValidatedRuleTestFiles } from "../core/rules/validated";
import { kubernetesManifestFiles } from "./kubernetes-manifests";
import { runUnderMocks, sha256, type RecordedResource } from "./mock-runtime";
import { loadStackFile, secretPlaceholder } from "./stack-file";

export interface SynthOptions {
  readonly stack: string;
  /** Folder with Pulumi.yaml. @default process.cwd() */
  readonly projectDir?: string;
  /** @default `<projectDir>/out` */
  readonly outDir?: string;
  /** @default true */
  readonly write?: boolean;
  /** The program to run. @default the stack's own (`runProgram`); tests pass a variant built with it. */
  readonly program?: () => ProgramResult;
}

export interface SynthResult {
  readonly stack: string;
  /** `<out>/<stack>` */
  readonly dir: string;
  readonly files: readonly RenderedFile[];
  readonly resources: readonly RecordedResource[];
  readonly program: ProgramResult;
  /** Secret keys the config needs but the stack file does not set (placeholders were used). */
  readonly unsetSecrets: readonly string[];
  readonly warnings: readonly string[];
}

/**
 * Upload contents are the artifacts themselves; resources.json names them by hash so it stays readable. One secret
 * upload makes the whole list a Pulumi secret, so the list is read unmasked and every secret file (mode 0400, the
 * driver's marker) is masked again here.
 */
function summarizeInputs(r: RecordedResource): Record<string, unknown> {
  const inputs = { ...r.inputs };
  const raw = r.rawInputs.uploads;
  if (Array.isArray(raw)) {
    inputs.uploads = (raw as Record<string, unknown>[]).map((u) => {
      const { content, ...rest } = u;
      const secret = u.permissions === "0400" || typeof content !== "string";
      return secret ? { ...rest, content: "[secret]" } : { ...rest, content: { sha256: sha256(content), bytes: Buffer.byteLength(content) } };
    });
  }
  // ConfigMaps carry the rendered artifacts (written out as files already): name them by hash here too.
  const data = r.rawInputs.data;
  if (r.type === "kubernetes:core/v1:ConfigMap" && data && typeof data === "object") {
    inputs.data = Object.fromEntries(
      Object.entries(data as Record<string, unknown>).map(([k, v]) => [k, typeof v === "string" ? { sha256: sha256(v), bytes: Buffer.byteLength(v) } : "[secret]"]),
    );
  }
  return inputs;
}

export function renderResourcesJson(resources: readonly RecordedResource[]): string {
  // ignoreChanges is recorded so a diff can tell a change the engine will ignore from one it will apply.
  return toJson(resources.map((r) => ({ type: r.type, name: r.name, parent: r.parent ?? null, ...(r.ignoreChanges ? { ignoreChanges: [...r.ignoreChanges] } : {}), inputs: summarizeInputs(r) })));
}

export async function synth(opts: SynthOptions): Promise<SynthResult> {
  const projectDir = resolve(opts.projectDir ?? process.cwd());
  const file = loadStackFile(projectDir, opts.stack);
  // Secrets the config refers to but the stack file does not hold (never committed in plain text) get a
  // placeholder, so synth works on a fresh clone; `pulumi up` fails on them with the key's name.
  const raw = JSON.parse(file.config[`${file.project}:stack`] ?? "null") as unknown;
  const parsed = parseStackConfig(raw, `${file.project}:stack (Pulumi.${opts.stack}.yaml)`);
  const unsetSecrets: string[] = [];
  const config = { ...file.config };
  const secretKeys = [...file.secretKeys];
  for (const k of referencedSecretKeys(parsed)) {
    const full = `${file.project}:${k}`;
    if (!(full in config)) {
      config[full] = secretPlaceholder(full);
      secretKeys.push(full);
      unsetSecrets.push(k);
    }
  }
  const { result, resources } = await runUnderMocks({ project: file.project, stack: opts.stack, config, secretKeys, program: opts.program ?? (() => runProgram()) });
  // The PrometheusStack validated these packs (its constructor throws on any error): no second validation here.
  const packs = result.stack.prometheus.rulePacks;
  const files: RenderedFile[] = [...result.stack.files, ...renderValidatedRuleTestFiles(packs)];
  files.push({ path: "resources.json", content: renderResourcesJson(resources) });
  // Kubernetes stacks: every object as it would be applied, secrets redacted (`kubernetes/<kind>-<name>.yaml`).
  files.push(...kubernetesManifestFiles(resources));
  const outRoot = resolve(opts.outDir ?? join(projectDir, "out"));
  const dir = join(outRoot, opts.stack);
  if (opts.write ?? true) writeAtomically(outRoot, opts.stack, files);
  // With the rule id, so a warning can be turned off or up by name (the stack config's `lint` section).
  const warnings = result.stack.warnings.map((w) => `${w.item}: ${w.field} ${w.message}${w.rule ? ` [${w.rule}]` : ""}`);
  return { stack: opts.stack, dir, files, resources, program: result, unsetSecrets, warnings };
}

function writeAtomically(outRoot: string, stack: string, files: readonly RenderedFile[]): void {
  mkdirSync(outRoot, { recursive: true });
  const tmp = mkdtempSync(join(outRoot, `.${stack}-`));
  try {
    for (const f of files) {
      const p = join(tmp, f.path);
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, f.content);
    }
    rmSync(join(outRoot, stack), { recursive: true, force: true });
    renameSync(tmp, join(outRoot, stack));
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
}
