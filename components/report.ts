/**
 * Components report what they rendered as they are constructed, so an offline run (`moncode/testing`) can hand
 * back every rendered file and warning of a user's program without knowing how the program is built. Leaf
 * components report their files; MonitoringStack only the warnings of its own stack-wide checks.
 */
import type { RenderedFile } from "../core/files";
import type { ValidationIssue } from "../core/validation";

/** What one moncode component rendered when it was constructed: its type, name, files and warnings. */
export interface ComponentReport {
  readonly type: string;
  readonly name: string;
  readonly files: readonly RenderedFile[];
  readonly warnings: readonly ValidationIssue[];
}

const listeners = new Set<(r: ComponentReport) => void>();

/** Listens until the returned function is called. */
export function onComponent(listener: (r: ComponentReport) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function reportComponent(r: ComponentReport): void {
  for (const l of listeners) l(r);
}
