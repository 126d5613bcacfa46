import { defineConfig, mergeConfig } from "vitest/config";
import unit from "./vitest.unit.config.mts";

/**
 * The suite Stryker runs against each mutant (`npm run mutation`): the unit suite minus the remaining tests that
 * start a real program for seconds (promtool/amtool of `check`, amtool's own checks, a live Alertmanager, the
 * collector and Jaeger): they
 * would run once per mutant; the default suite (`npm test`) keeps them.
 */
export default mergeConfig(
  unit,
  defineConfig({
    test: {
      exclude: [
        "test/cli/check.test.ts",
        "test/core/alertmanager/amtool.test.ts",
        "test/core/alertmanager/inhibit-live.test.ts",
        // Each validates with the built collector / Jaeger and runs it on loopback (their pure checks ride along).
        "test/core/otelcol/otelcol.test.ts",
        "test/core/jaeger/jaeger.test.ts",
        "test/telemetry/pipeline.test.ts",
      ],
    },
  }),
);
