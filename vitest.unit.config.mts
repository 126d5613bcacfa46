import { defineConfig, mergeConfig } from "vitest/config";
import base from "./vitest.config.mts";

/**
 * The unit suite on other Node versions (`.ci/run` runs it on Node 22 and 24; `npm test` runs everything on the
 * machine's Node): the default suite minus the long runs of real programs — the corpus mutation and import proofs,
 * promtool over every pack and SLO, the Sloth comparison, the diff proofs, `npm pack`, the binaries' build info.
 * Those prove the programs, not the Node version; the routing presets' amtool checks stay in (seconds).
 */
export const HEAVY_PROGRAM_TESTS = [
  "test/corpus/**",
  "test/rules/promtool.test.ts",
  "test/slo/promtool.test.ts",
  "test/slo/sloth.test.ts",
  "test/cli/diff-git.test.ts",
  "test/cli/diff-proofs.test.ts",
  "test/cli/import-lint.test.ts",
  "test/core/import/import.test.ts",
  "test/package/package.test.ts",
  "test/tools/build-info.test.ts",
];

// mergeConfig concatenates arrays: the default suite's exclusions (Docker, cluster) plus these.
export default mergeConfig(base, defineConfig({ test: { exclude: HEAVY_PROGRAM_TESTS } }));
