import { defineConfig } from "vitest/config";

/**
 * The live end-to-end test (`npm run e2e`): real Prometheus, Alertmanager, exporters, Postgres and Redis on
 * loopback. Kept out of `npm test` (its files are `*.e2e.ts`, not `*.test.ts`).
 */
export default defineConfig({
  test: {
    include: ["test/e2e/**/*.e2e.ts"],
    // One stack, one file, steps in order; the whole run must stay under 5 minutes on 2 cores.
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 90_000,
    pool: "forks",
    setupFiles: [new URL("./test/helpers/require-ts.ts", import.meta.url).pathname],
  },
});
