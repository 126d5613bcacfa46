import { configDefaults, defineConfig } from "vitest/config";

/**
 * The suite Stryker runs against each mutant (`npm run mutation`): every pure test, none that starts a real
 * program. Those (promtool, amtool, a live Alertmanager, npm pack, build info) cost seconds per run and would
 * run once per mutant; the default suite (`npm test`) keeps them.
 */
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    exclude: [
      ...configDefaults.exclude,
      "test/docker/**",
      "test/cluster/**",
      "test/rules/promtool.test.ts",
      "test/cli/check.test.ts",
      "test/core/alertmanager/amtool.test.ts",
      "test/core/alertmanager/inhibit-live.test.ts",
      "test/routing/severity-amtool.test.ts",
      "test/tools/build-info.test.ts",
      "test/package/package.test.ts",
    ],
    setupFiles: [new URL("./test/helpers/require-ts.ts", import.meta.url).pathname],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
