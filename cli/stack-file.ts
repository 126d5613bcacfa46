/**
 * Reads `Pulumi.yaml` and `Pulumi.<stack>.yaml` the way the Pulumi CLI would hand them to the program, without
 * the CLI: config keys are `<namespace>:<key>`; `secure:` values are never decrypted, each becomes a placeholder
 * that the program sees as a secret.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse, YAMLParseError } from "yaml";
import { issue, ValidationError } from "../core/validation";

/** Parses a YAML file; a syntax error names the file, line and column instead of surfacing as a stack trace. */
export function readYamlFile(path: string): unknown {
  const text = readFileSync(path, "utf8");
  try {
    return parse(text);
  } catch (e) {
    if (e instanceof YAMLParseError) {
      const pos = e.linePos?.[0];
      const where = pos ? `${path}:${pos.line}:${pos.col}` : path;
      const reason = e.message.split("\n")[0] ?? e.message;
      throw new ValidationError(`${where}: invalid YAML`, [issue(where, "", reason.replace(/ at line \d+, column \d+:?$/, ""))]);
    }
    throw e;
  }
}

export interface StackFile {
  readonly project: string;
  readonly stack: string;
  /** Config as `setAllConfig` wants it: key → string (objects JSON-encoded, as the CLI does). */
  readonly config: Record<string, string>;
  /** Keys whose values are secrets (placeholders here). */
  readonly secretKeys: string[];
}

export function secretPlaceholder(key: string): string {
  return `[secret ${key}]`;
}

function hasSecure(v: unknown): boolean {
  if (v && typeof v === "object") {
    if ("secure" in (v as object) && Object.keys(v as object).length === 1) return true;
    return Object.values(v as object).some(hasSecure);
  }
  return false;
}

function stripSecure(key: string, v: unknown): unknown {
  if (v && typeof v === "object") {
    if ("secure" in (v as object) && Object.keys(v as object).length === 1) return secretPlaceholder(key);
    if (Array.isArray(v)) return v.map((x) => stripSecure(key, x));
    return Object.fromEntries(Object.entries(v as object).map(([k, x]) => [k, stripSecure(key, x)]));
  }
  return v;
}

export function loadStackFile(projectDir: string, stack: string): StackFile {
  const projectPath = join(projectDir, "Pulumi.yaml");
  if (!existsSync(projectPath)) throw new Error(`no Pulumi.yaml in ${projectDir}`);
  const project = (readYamlFile(projectPath) as { name?: string } | null)?.name;
  if (!project) throw new Error(`${projectPath} has no project name`);
  const stackPath = join(projectDir, `Pulumi.${stack}.yaml`);
  if (!existsSync(stackPath)) throw new Error(`no stack file Pulumi.${stack}.yaml in ${projectDir} (stacks: dev, prod)`);
  const doc = (readYamlFile(stackPath) ?? {}) as { config?: Record<string, unknown> };
  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  for (const [rawKey, value] of Object.entries(doc.config ?? {})) {
    const key = rawKey.includes(":") ? rawKey : `${project}:${rawKey}`;
    const secret = hasSecure(value);
    const v = stripSecure(key, value);
    config[key] = typeof v === "string" ? v : JSON.stringify(v);
    if (secret) secretKeys.push(key);
  }
  return { project, stack, config, secretKeys: secretKeys.sort() };
}
