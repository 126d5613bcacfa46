import { defineConfig } from "vitest/config";

/**
 * The live end-to-end test and the drills (`npm run e2e`): real Prometheus, Alertmanager, exporters, Postgres and
 * Redis on loopback. Kept out of `npm test` (its files are `*.e2e.ts`, not `*.test.ts`).
 */
export default defineConfig({
  test: {
    include: ["test/e2e/**/*.e2e.ts"],
    // One stack per file, steps in order, files one after the other (they pick free ports, but share 2 cores): the
    // live dev stack ~2 minutes, the drills (test/e2e/drills.e2e.ts) ~4; each drill sets its own timeouts.
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 90_000,
    pool: "forks",
    setupFiles: [new URL("./test/helpers/require-ts.ts", import.meta.url).pathname],
  },
});
