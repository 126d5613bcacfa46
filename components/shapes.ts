/**
 * Runtime shapes of every component's arguments (see core/shape.ts): JavaScript callers, casts and JSON-built
 * objects get an error naming the component and the field for an unknown field or a wrong type, before anything
 * is declared. The field maps are complete by construction: `obj<T>` fails to compile when a field of T is missing
 * or unknown.
 */
import { alertmanagerConfigShape } from "../core/alertmanager/shape";
import type { DashboardDef } from "../core/grafana/render";
import { globalShape, queueShape, relabelShape, scrapeJobShape, storageShape } from "../core/prometheus/shape";
import { rulePackShape } from "../core/rules/shape";
import { arr, checkShape, obj, oneOf, rec, req, values, type Shape } from "../core/shape";
import { assertValid } from "../core/validation";

/** Per-rule lint levels by rule id (which ids exist is the lint module's check). */
export const lintLevelsShape: Shape = rec(values("error", "warn", "off"));
import type { AlertRoutingArgs } from "./alert-routing";
import type { ExportersArgs, PostgresTarget, ProbeTargets, RedisTarget } from "./exporters";
import type { GrafanaArgs } from "./grafana";
import type { DockerPlatform, KubernetesPlatform, WorkloadResources } from "./platform";
import type { PrometheusStackArgs, RemoteWriteArgs } from "./prometheus-stack";
import type { InhibitionExpectation, MuteExpectation, RouteExpectation } from "../core/alertmanager/route-tests";

const strings = arr("string");
const port: Shape = oneOf("a port number or false", "number", values(false));

export const resourcesShape: Shape = obj<WorkloadResources>({ memoryMb: req("number"), cpus: req("number") });

const docker = obj<DockerPlatform>({ kind: req(values("docker")), network: "input", namePrefix: req("string"), bindAddress: "string", provider: "unknown", containerLogNames: "boolean", dataRoot: "string", subnet: "string", gateway: "string" });
const kubernetes = obj<KubernetesPlatform>({
  kind: req(values("kubernetes")),
  namespace: req("string"),
  createNamespace: "boolean",
  instance: req("string"),
  namePrefix: "string",
  provider: "unknown",
  storageClass: "string",
  ingress: obj<NonNullable<KubernetesPlatform["ingress"]>>({ className: "string", tlsSecretName: "string", annotations: rec("string") }),
  networkPolicies: "boolean",
  workloadNamespaces: rec("string"),
  hostNamespace: "string",
  annotations: rec("string"),
  dependsOn: arr("unknown"),
});
export const platformShape: Shape = oneOf('a platform { kind: "docker", … } or { kind: "kubernetes", … }', docker, kubernetes);

const remoteWrite = obj<RemoteWriteArgs>({
  name: req("string"),
  url: req("string"),
  username: "string",
  password: "input",
  queueConfig: queueShape,
  writeRelabelConfigs: arr(relabelShape),
});

export const prometheusFields = {
  platform: req(platformShape),
  global: globalShape,
  scrapeJobs: arr(scrapeJobShape),
  scrapeSecrets: rec("input"),
  rulePacks: arr(rulePackShape),
  alertmanagers: strings,
  remoteWrite: arr(remoteWrite),
  storage: storageShape,
  resources: resourcesShape,
  expectedSeries: "number",
  replicas: "number",
  storageSizeGb: "number",
  startupSeconds: "number",
  publishPort: port,
  selfScrape: "boolean",
  externalUrl: "string",
  otlpReceiver: "boolean",
  remoteWriteReceiver: "boolean",
  lint: lintLevelsShape,
} as const;
export const prometheusStackArgsShape: Shape = obj<PrometheusStackArgs>(prometheusFields);

const labelSet = rec("string");
const routingTest = oneOf(
  "a routing test (expectRoute, expectMuted or expectInhibited)",
  obj<RouteExpectation>({ kind: req(values("route")), name: req("string"), labels: req(labelSet), receivers: req(strings) }),
  obj<MuteExpectation>({ kind: req(values("mute")), name: req("string"), labels: req(labelSet), at: req("unknown"), muted: req("boolean"), notified: strings }),
  obj<InhibitionExpectation>({ kind: req(values("inhibit")), name: req("string"), alert: req(labelSet), firing: req(arr(labelSet)), inhibited: req("boolean") }),
);

export const alertRoutingFields = {
  platform: req(platformShape),
  config: req(alertmanagerConfigShape),
  secrets: rec("input"),
  tests: arr(routingTest),
  severities: strings,
  environment: values("dev", "prod"),
  dataRetention: "string",
  resources: resourcesShape,
  publishPort: port,
  externalUrl: "string",
  replicas: "number",
  lint: lintLevelsShape,
} as const;
export const alertRoutingArgsShape: Shape = obj<AlertRoutingArgs>(alertRoutingFields);

const dashboard = obj<DashboardDef>({ uid: req("string"), title: req("string"), folder: req("string"), dashboard: req({ kind: "object", fields: {}, open: true }), lintExclusions: rec("unknown") });

export const grafanaFields = {
  platform: req(platformShape),
  dashboards: arr(dashboard),
  prometheusUrl: req("string"),
  alertmanagerUrl: "string",
  lokiUrl: "string",
  jaegerUrl: "string",
  recordingRules: strings,
  knownMetrics: strings,
  adminUser: "string",
  adminPassword: req("input"),
  secretKey: req("input"),
  allowUiUpdates: "boolean",
  rootUrl: "string",
  resources: resourcesShape,
  publishPort: port,
  lint: lintLevelsShape,
} as const;
export const grafanaArgsShape: Shape = obj<GrafanaArgs>(grafanaFields);

export const exportersFields = {
  platform: req(platformShape),
  nodeExporter: "boolean",
  nodeExporterPort: "number",
  cadvisor: "boolean",
  pushgateway: "boolean",
  blackboxModules: rec({ kind: "object", fields: { prober: req(values("http", "tcp", "icmp")) }, open: true }),
  probes: arr(obj<ProbeTargets>({ name: req("string"), module: req("string"), targets: req(strings) })),
  postgres: arr(obj<PostgresTarget>({ name: req("string"), uri: req("string"), user: req("string"), password: req("input") })),
  redis: arr(obj<RedisTarget>({ name: req("string"), address: req("string"), password: "input" })),
  publishPorts: "boolean",
  scrapeInterval: "string",
  kubeStateMetrics: "boolean",
} as const;
export const exportersArgsShape: Shape = obj<ExportersArgs>(exportersFields);

/** The component's arguments without the platform (MonitoringStack supplies it), and without wired fields. */
export function without<F extends Record<string, unknown>>(fields: F, ...keys: (keyof F)[]): Shape {
  const rest = Object.fromEntries(Object.entries(fields).filter(([k]) => !keys.includes(k)));
  return { kind: "object", fields: rest as Record<string, Shape> };
}

/** Throws a ValidationError naming the component and each field that does not fit the shape. */
export function checkArgs(component: string, args: unknown, shape: Shape): void {
  assertValid(`${component}: arguments`, checkShape(args, shape, `${component} args`));
}
