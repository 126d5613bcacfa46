/**
 * The Pulumi program of this repository's stacks (dev, prod): read and validate the stack config once, generate
 * what is missing (Grafana admin password and secret key), compose the stack, return its outputs. `index.ts` runs
 * it under the Pulumi engine; `moncode synth` runs the very same function under the SDK's mock runtime.
 */
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { parseStackConfig, type StackConfig } from "./config";
import { composeStackArgs, type SecretSource } from "./compose";
import { MonitoringStack, type MonitoringStackArgs } from "./monitoring-stack";
import { platformFromConfig } from "./platform";
import { platformDriver } from "../components/platform";

export const CONFIG_NAMESPACE = "moncode";

export interface ProgramResult {
  readonly stack: MonitoringStack;
  readonly config: StackConfig;
  readonly outputs: {
    readonly prometheusUrl: string | undefined;
    readonly alertmanagerUrl: string | undefined;
    readonly grafanaUrl: string | undefined;
    readonly grafanaAdminUser: string;
    readonly grafanaAdminPassword: pulumi.Output<string>;
    readonly dashboards: pulumi.Output<string[]>;
  };
}

function publishedUrl(bind: string, port: number | false): string | undefined {
  return port === false ? undefined : `http://${bind}:${port}`;
}

/**
 * `customize` edits the composed arguments before the stack is built: a variant of a stack with its typed
 * definitions changed, the way a user's own program would change them (the diff proofs use it).
 */
export function runProgram(customize?: (args: MonitoringStackArgs) => MonitoringStackArgs): ProgramResult {
  const cfg = new pulumi.Config(CONFIG_NAMESPACE);
  const stackName = pulumi.getStack();
  const config = parseStackConfig(cfg.requireObject("stack"), `${CONFIG_NAMESPACE}:stack (Pulumi.${stackName}.yaml)`);
  const secrets: SecretSource = { get: (key) => cfg.getSecret(key) };

  // Random by default, so no stack ever runs with admin/admin; `pulumi config set --secret` overrides it.
  const givenPassword = secrets.get(config.grafana.adminPasswordSecret);
  const adminPassword =
    givenPassword ??
    pulumi.secret(new random.RandomPassword(`${stackName}-grafana-admin-password`, { length: 24, special: false }).result);
  const secretKey = secrets.get("grafanaSecretKey") ?? pulumi.secret(new random.RandomPassword(`${stackName}-grafana-secret-key`, { length: 40, special: false }).result);

  const composed = composeStackArgs({ stackName, config, secrets, grafanaAdminPassword: adminPassword, grafanaSecretKey: secretKey });
  const args = customize ? customize(composed) : composed;
  const stack = new MonitoringStack(stackName, args);
  const bind = config.docker.bindAddress;
  for (const w of stack.warnings) pulumi.log.warn(`${w.item}: ${w.field} ${w.message}${w.rule ? ` [${w.rule}]` : ""}`);
  // On Kubernetes the URLs are the in-cluster Services (reach them with `kubectl port-forward` or the Ingress).
  const driver = platformDriver(platformFromConfig(config, stackName));
  const url = (name: string, published: number | false, servicePort: number): string | undefined =>
    driver.kind === "docker" ? publishedUrl(bind, published) : `http://${driver.address(name, servicePort)}`;
  return {
    stack,
    config,
    outputs: {
      prometheusUrl: url("prometheus", config.prometheus.port, 9090),
      alertmanagerUrl: url("alertmanager", config.alertmanager.port, 9093),
      grafanaUrl: config.grafana.rootUrl ?? url("grafana", config.grafana.port, 3000),
      grafanaAdminUser: config.grafana.adminUser,
      grafanaAdminPassword: pulumi.secret(adminPassword),
      dashboards: stack.grafana.dashboardUids,
    },
  };
}
