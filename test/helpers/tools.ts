/**
 * The Go-built programs the tests run (`npm run -s tools`, see tools/programs.ts): the releases the stack pins,
 * never a distribution's older build. A missing program fails the test that needs it, with the command that builds
 * it; it never skips.
 */
import { existsSync } from "node:fs";
import { toolPath, toolsBinDir } from "../../cli/tools";

export function tool(name: string): string {
  const path = toolPath(name);
  if (!existsSync(path)) throw new Error(`${name} is not built (${toolsBinDir()} has no ${name}): run npm run -s tools`);
  return path;
}
