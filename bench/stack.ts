/**
 * The benchmark's stack: this repository's dev stack config (the Docker platform) composed the way `index.ts` does
 * (`composeStackArgs` → `MonitoringStack`), with a generated estate's scrape jobs, rule packs and dashboards added
 * to the Prometheus and Grafana args. Secrets are placeholders, as in `moncode synth`.
 */
import { resolve } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { loadStackFile } from "../cli/stack-file";
import { composeStackArgs } from "../stacks/compose";
import { parseStackConfig, type StackConfig } from "../stacks/config";
import type { MonitoringStackArgs } from "../stacks/monitoring-stack";
import type { Estate } from "./estate";

export const BENCH_STACK = "dev";
// Run from the sources (bench/) or from the build (.bench/build/bench/): the project is the working directory's.
export const PROJECT_DIR = process.env.MONCODE_BENCH_PROJECT ?? resolve(__dirname, "..");

export function loadBenchConfig(): { project: string; config: StackConfig } {
  const file = loadStackFile(PROJECT_DIR, BENCH_STACK);
  const raw = JSON.parse(file.config[`${file.project}:stack`] ?? "null") as unknown;
  return { project: file.project, config: parseStackConfig(raw, `Pulumi.${BENCH_STACK}.yaml`) };
}

/** MonitoringStack args of the stack config plus the estate. Call inside a Pulumi program (secrets are outputs). */
export function estateStackArgs(config: StackConfig, estate: Estate): MonitoringStackArgs {
  const base = composeStackArgs({
    stackName: "bench",
    config,
    secrets: { get: (key) => pulumi.secret(`[secret ${key}]`) },
    grafanaAdminPassword: pulumi.secret("[secret grafanaAdminPassword]"),
    grafanaSecretKey: pulumi.secret("[secret grafanaSecretKey]"),
  });
  return {
    ...base,
    prometheus: {
      ...base.prometheus,
      scrapeJobs: [...(base.prometheus.scrapeJobs ?? []), ...estate.scrapeJobs],
      rulePacks: [...(base.prometheus.rulePacks ?? []), ...estate.rulePacks],
    },
    grafana: {
      ...base.grafana,
      dashboards: [...(base.grafana.dashboards ?? []), ...estate.dashboards],
      recordingRules: [...(base.grafana.recordingRules ?? []), ...estate.recordingRules],
      ...(base.grafana.knownMetrics ? { knownMetrics: [...base.grafana.knownMetrics, ...estate.metrics] } : {}),
    },
  };
}
