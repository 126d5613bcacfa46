/** Runs the whole prod program (index.ts, Pulumi.prod.yaml) under the mock runtime and returns what it declared. */
import * as pulumi from "@pulumi/pulumi";
import { join } from "node:path";
import { ResourceRecorder, type RecordedResource } from "../../cli/mock-runtime";
import { loadStackFile } from "../../cli/stack-file";

export const ROOT = join(__dirname, "..", "..");

/** Values for the secrets Pulumi.prod.yaml expects to be set with `pulumi config set --secret`. */
export const PROD_SECRETS: Readonly<Record<string, string>> = {
  postgresPassword: "pg-pass-prod",
  redisPassword: "redis-pass-prod",
  smtpPassword: "smtp-pass-prod",
  slackWebhookUrl: "https://hooks.slack.example/T000/B000/prod-hook",
  pagerdutyRoutingKey: "pd-routing-key-prod",
  deadMansSwitchUrl: "https://hc-ping.example/prod-check-uuid",
};

/** `projectDir`: where Pulumi.yaml and the Pulumi.prod.yaml to use are (the cluster proof's project copy). */
export async function runProdProgram(projectDir = ROOT): Promise<RecordedResource[]> {
  const file = loadStackFile(projectDir, "prod");
  const recorder = new ResourceRecorder();
  await pulumi.runtime.setMocks(recorder.mocks, file.project, "prod", false);
  const secrets = Object.fromEntries(Object.entries(PROD_SECRETS).map(([k, v]) => [`moncode:${k}`, v]));
  pulumi.runtime.setAllConfig({ ...file.config, ...secrets }, [...file.secretKeys, ...Object.keys(secrets)]);
  await pulumi.runtime.runInPulumiStack(async () => {
    pulumi.runtime.registerStackTransformation(recorder.transformation);
    await import("../../index.js");
    return {};
  });
  await pulumi.runtime.disconnect();
  const resources = recorder.resources();
  if (!resources.some((r) => r.type.startsWith("kubernetes:"))) throw new Error("the prod program declared no Kubernetes objects under mocks");
  return resources;
}

export type K8sObject = Record<string, unknown> & {
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: Record<string, any>;
};

/** The object exactly as the provider would receive it (secrets unwrapped: tests only). */
export function asObject(r: RecordedResource): K8sObject {
  return r.rawInputs as K8sObject;
}

export function kubernetesObjects(resources: readonly RecordedResource[]): RecordedResource[] {
  return resources.filter((r) => r.type.startsWith("kubernetes:"));
}

export function find(resources: readonly RecordedResource[], kind: string, name: string): K8sObject {
  const r = kubernetesObjects(resources).find((x) => asObject(x).kind === kind && asObject(x).metadata.name === name);
  if (!r) throw new Error(`no ${kind} ${name}`);
  return asObject(r);
}

/** Pod templates' containers of every workload object. */
export function workloads(resources: readonly RecordedResource[]): K8sObject[] {
  return kubernetesObjects(resources).map(asObject).filter((o) => ["StatefulSet", "Deployment", "DaemonSet"].includes(o.kind));
}
