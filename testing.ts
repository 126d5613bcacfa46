/**
 * `moncode/testing`: run your own Pulumi program offline — no Pulumi CLI, no engine, no Docker, no cluster — under
 * Pulumi's mock runtime, and get back what it would ask for: every resource with its inputs (secrets masked), the
 * files the moncode components rendered (prometheus.yml, rule files, alertmanager.yml, dashboards…) and their
 * warnings. Validation errors surface exactly as in `pulumi preview`, and `resources` then shows what was
 * registered before the error (nothing, for moncode's components).
 *
 * ```ts
 * import { runOffline } from "moncode/testing";
 * const run = await runOffline(() => new MonitoringStack("mon", args), { stack: "dev" });
 * run.file("prometheus/prometheus.yml");          // the rendered text
 * run.resources.filter((r) => r.type === "docker:index/container:Container");
 * ```
 */
import { recordUnderMocks, type RecordedResource } from "./cli/mock-runtime";
import { onComponent, type ComponentReport } from "./components/report";
import type { RenderedFile } from "./core/files";
import type { ValidationIssue } from "./core/validation";

export type { RecordedResource } from "./cli/mock-runtime";
export type { ComponentReport } from "./components/report";

/** Options of `runOffline`: the project and stack names and the stack config the program reads. */
export interface OfflineOptions {
  /** @default "offline" */
  readonly project?: string;
  /** @default "test" */
  readonly stack?: string;
  /**
   * Stack config as `pulumi config` holds it: `"<namespace>:<key>"` → value (objects are JSON-encoded for you).
   * @default {}
   */
  readonly config?: Readonly<Record<string, unknown>>;
  /** Config keys (`"<namespace>:<key>"`) whose values are secrets. @default [] */
  readonly secretKeys?: readonly string[];
}

/**
 * What `runOffline` saw: the program's result or error, every registered resource, and the files and warnings of every
 * moncode component.
 */
export interface OfflineRun<T> {
  /** What the program returned (undefined when it threw). */
  readonly result: T | undefined;
  /** The error the program threw (e.g. a ValidationError), or undefined. */
  readonly error: unknown;
  /** Every registered resource: type, name, parent, inputs with secrets masked as `"[secret]"`. */
  readonly resources: readonly OfflineResource[];
  /** Every moncode component constructed, with its rendered files and warnings. */
  readonly components: readonly ComponentReport[];
  /** Every rendered file of every moncode component, by path (sorted). */
  readonly files: readonly RenderedFile[];
  readonly warnings: readonly ValidationIssue[];
  /** The text of one rendered file; throws naming the files there are when it does not exist. */
  file(path: string): string;
}

/** A recorded resource; `inputs` has secrets masked (the unmasked values are not handed out). */
export type OfflineResource = Omit<RecordedResource, "rawInputs">;

/**
 * Runs `program` (which declares resources, sync or async) under the mock runtime and waits for every
 * registration. Never throws for the program's own errors: they are in `error`.
 */
export async function runOffline<T>(program: () => T | Promise<T>, opts: OfflineOptions = {}): Promise<OfflineRun<T>> {
  const components: ComponentReport[] = [];
  const stop = onComponent((r) => components.push(r));
  const config = Object.fromEntries(Object.entries(opts.config ?? {}).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]));
  try {
    const out = await recordUnderMocks({ project: opts.project ?? "offline", stack: opts.stack ?? "test", config, secretKeys: [...(opts.secretKeys ?? [])], program });
    const files = components.flatMap((c) => c.files).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    return {
      result: out.result,
      error: out.error,
      resources: out.resources.map(({ rawInputs: _raw, ...r }) => r),
      components,
      files,
      warnings: components.flatMap((c) => c.warnings),
      file: (path) => {
        const f = files.find((x) => x.path === path);
        if (!f) throw new Error(`no rendered file "${path}"; there are: ${files.map((x) => x.path).join(", ")}`);
        return f.content;
      },
    };
  } finally {
    stop();
  }
}
