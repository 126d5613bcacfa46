/**
 * The "compile" step of the import round trip: the generated modules are written to a scratch folder (which sees
 * this repository's node_modules, as a user's project sees the package's dependencies), type-checked by the real
 * TypeScript compiler under the project's strict settings, and loaded like any module.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { ImportedModule } from "../../core/import";

export const ROOT = join(__dirname, "..", "..");
/** What the generated modules import as "moncode": this repository's package entry. */
export const LIBRARY = join(ROOT, "lib");
export const CORPUS = join(ROOT, "..", "shared", "corpus");

export interface Workspace {
  readonly dir: string;
  path(module: ImportedModule): string;
  /** tsc's diagnostics (empty when the modules type-check). */
  typecheck(): string;
  remove(): void;
}

export function writeModules(modules: readonly ImportedModule[]): Workspace {
  const dir = mkdtempSync(join(tmpdir(), "moncode-import-"));
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"), "dir");
  for (const m of modules) {
    mkdirSync(dirname(join(dir, m.path)), { recursive: true });
    writeFileSync(join(dir, m.path), m.content);
  }
  writeFileSync(
    join(dir, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        target: "ES2022", module: "node16", moduleResolution: "node16", strict: true, noUncheckedIndexedAccess: true,
        noEmit: true, skipLibCheck: true, types: ["node"], rootDir: "/", esModuleInterop: true,
      },
      include: modules.map((m) => m.path),
    }),
  );
  return {
    dir,
    path: (m) => join(dir, m.path),
    typecheck() {
      try {
        execFileSync(join(ROOT, "node_modules", ".bin", "tsc"), ["-p", join(dir, "tsconfig.json")], { encoding: "utf8", stdio: "pipe" });
        return "";
      } catch (e) {
        const err = e as { stdout?: string; stderr?: string; message: string };
        return `${err.stdout ?? ""}${err.stderr ?? ""}` || err.message;
      }
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
