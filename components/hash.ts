import { createHash } from "node:crypto";
import type { RenderedFile } from "../core/files";

/**
 * sha256 over the rendered (non-secret) files, path and content, in path order. Put on the workload so that any
 * config change replaces (Docker) or rolls (Kubernetes) it. Secret contents are never hashed into a label: a hash
 * of a short password is a guessable fingerprint; secret changes replace the container through its upload input.
 */
export function configHash(files: readonly RenderedFile[], extra: readonly string[] = []): string {
  const h = createHash("sha256");
  for (const f of [...files].sort((a, b) => (a.path < b.path ? -1 : 1))) {
    h.update(f.path).update("\0").update(f.content).update("\0");
  }
  for (const e of extra) h.update(e).update("\0");
  return h.digest("hex").slice(0, 16);
}
