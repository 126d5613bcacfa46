/**
 * The dev stack as the Docker test applies it: Pulumi.dev.yaml through the very program `pulumi up` runs
 * (stacks/program.ts under the SDK's mocks, as `moncode synth` does), with a few test-only changes that the stack
 * config itself offers — published ports moved to free ones (other runs share the machine), faster rule
 * evaluation, TargetDown firing without waiting a minute, the dev receiver also posting to a Slack
 * webhook the test runs, and optionally one extra KPI rule (the "config change").
 */
import { join } from "node:path";
import { runUnderMocks, type RecordedResource } from "../../cli/mock-runtime";
import { loadStackFile } from "../../cli/stack-file";
import { seedKpiTargets } from "../../rules";
import { runProgram } from "../../stacks/program";

export const REPO = join(__dirname, "..", "..");
export const E2E_CHANNEL = "#moncode-docker-e2e";
/** The alert the test expects at the webhook, once it stops the worker stand-in (the example app's worker). */
export const E2E_ALERT = "TargetDown";
export const E2E_JOB = "worker";
/** The rule the config change adds. */
export const CANARY_ALERT = "DockerE2eCanaryBelowTarget";

export interface VariantOptions {
  readonly ports: { readonly prometheus: number; readonly alertmanager: number; readonly grafana: number; readonly jaeger: number };
  /** The engine's data root (`docker.dataRoot`): where the collector finds the containers' json-file logs. */
  readonly dataRoot: string;
  /** URL of the Slack webhook stand-in as containers reach it. */
  readonly slackUrl: string;
  readonly postgresPassword: string;
  /** Add one KPI rule (a new rule group file) — the config change. */
  readonly canaryRule: boolean;
  /** A different SMTP sender: an Alertmanager-only config change (it replaces the Alertmanager container). */
  readonly smtpFrom?: string;
  /** The engine's /24 for the stack network (its gateway is where node-exporter listens). */
  readonly subnet: string;
  /** node-exporter's port on the gateway address (a free one: the host's network is shared with other runs). */
  readonly nodeExporterPort: number;
}

export interface Variant {
  readonly stackConfig: Record<string, unknown>;
  readonly resources: RecordedResource[];
}

export async function synthVariant(o: VariantOptions): Promise<Variant> {
  const file = loadStackFile(REPO, "dev");
  const key = (k: string) => `${file.project}:${k}`;
  const stack = JSON.parse(file.config[key("stack")] ?? "{}") as Record<string, Record<string, unknown>>;
  stack.prometheus = { ...stack.prometheus, port: o.ports.prometheus, evaluationInterval: "5s" };
  stack.docker = { ...stack.docker, subnet: o.subnet, dataRoot: o.dataRoot };
  stack.traces = { ...stack.traces, port: o.ports.jaeger };
  if (o.smtpFrom !== undefined) stack.alerting = { ...stack.alerting, smtp: { ...((stack.alerting?.smtp ?? {}) as object), from: o.smtpFrom } };
  stack.exporters = { ...stack.exporters, nodeExporterPort: o.nodeExporterPort };
  stack.alertmanager = { ...stack.alertmanager, port: o.ports.alertmanager };
  stack.grafana = { ...stack.grafana, port: o.ports.grafana };
  // The worker's own `service` label puts its TargetDown in an aggregation group of its own (the routing groups by
  // alertname and service): an excluded cAdvisor's TargetDown, notified first, would otherwise hold it back until
  // the group's next flush (group_interval, 5m).
  stack.services = ((stack.services ?? []) as unknown as { name: string; labels?: Record<string, string> }[]).map((sv) =>
    sv.name === E2E_JOB ? { ...sv, labels: { ...(sv.labels ?? {}), service: E2E_JOB } } : sv,
  ) as unknown as Record<string, unknown>;
  stack.alerting = { ...stack.alerting, slack: { apiUrlSecret: "slackWebhookUrl" }, dev: { slackChannel: E2E_CHANNEL } };
  const rules = (stack.rules ?? {}) as Record<string, unknown>;
  stack.rules = {
    ...rules,
    overrides: { ...((rules.overrides as object | undefined) ?? {}), [E2E_ALERT]: { for: "1s" } },
    ...(o.canaryRule
      ? {
          kpis: [
            // `kpis: seed` spelled out, so the change is one rule more and nothing else.
            ...(rules.kpis === "seed" ? seedKpiTargets : ((rules.kpis as unknown[] | undefined) ?? [])),
            {
              name: "DockerE2eCanary",
              title: "docker e2e canary",
              metric: "up",
              kind: "gauge",
              unit: "count",
              bounds: [{ below: 0, severity: "info" }],
              why: "Added by the Docker test to prove a config change reaches the running Prometheus.",
            },
          ],
        }
      : {}),
  };
  const config = {
    ...file.config,
    [key("stack")]: JSON.stringify(stack),
    [key("postgresPassword")]: o.postgresPassword,
    [key("slackWebhookUrl")]: o.slackUrl,
  };
  const secretKeys = [...new Set([...file.secretKeys, key("postgresPassword"), key("slackWebhookUrl")])];
  const { resources } = await runUnderMocks({ project: file.project, stack: "dev", config, secretKeys, program: runProgram });
  return { stackConfig: stack, resources };
}
