/** Runtime shapes of the Prometheus model (see core/shape.ts): every field of the TypeScript types, no other. */
import { arr, obj, rec, req, values, type Shape } from "../shape";
import type {
  AuthorizationFile,
  BasicAuthFile,
  GlobalConfig,
  KubernetesSdConfig,
  QueueConfig,
  RelabelConfig,
  ScrapeJob,
  StaticTargetGroup,
  StorageConfig,
  TlsConfig,
} from "./model";
import { SCRAPE_PROTOCOLS } from "./model";

const ROLES = ["node", "pod", "service", "endpoints", "endpointslice", "ingress"] as const;
const strings = arr("string");
const labels = rec("string");

export const relabelShape: Shape = obj<RelabelConfig>({
  sourceLabels: strings,
  separator: "string",
  regex: "string",
  modulus: "number",
  targetLabel: "string",
  replacement: "string",
  action: values("replace", "keep", "drop", "keepequal", "dropequal", "hashmod", "labelmap", "labeldrop", "labelkeep", "lowercase", "uppercase"),
});

const basicAuth = obj<BasicAuthFile>({ username: req("string"), passwordFile: req("string") });
const authorization = obj<AuthorizationFile>({ type: "string", credentialsFile: req("string") });
const tls = obj<TlsConfig>({ caFile: "string", certFile: "string", keyFile: "string", serverName: "string", insecureSkipVerify: "boolean" });

export const scrapeJobShape: Shape = obj<ScrapeJob>({
  name: req("string"),
  scrapeInterval: "string",
  scrapeTimeout: "string",
  metricsPath: "string",
  scheme: values("http", "https"),
  params: rec(strings),
  honorLabels: "boolean",
  staticConfigs: arr(obj<StaticTargetGroup>({ targets: req(strings), labels })),
  kubernetesSdConfigs: arr(
    obj<KubernetesSdConfig>({
      role: req(values(...ROLES)),
      namespaces: obj<NonNullable<KubernetesSdConfig["namespaces"]>>({ own: "boolean", names: strings }),
      selectors: arr(obj<NonNullable<KubernetesSdConfig["selectors"]>[number]>({ role: req(values(...ROLES)), label: "string", field: "string" })),
    }),
  ),
  relabelConfigs: arr(relabelShape),
  metricRelabelConfigs: arr(relabelShape),
  sampleLimit: "number",
  fallbackScrapeProtocol: values(...SCRAPE_PROTOCOLS),
  basicAuth,
  authorization,
  tlsConfig: tls,
});

export const globalShape: Shape = obj<Partial<GlobalConfig>>({
  scrapeInterval: "string",
  scrapeTimeout: "string",
  evaluationInterval: "string",
  externalLabels: labels,
});

export const storageShape: Shape = obj<Partial<StorageConfig>>({ retentionTime: "string", retentionSize: "string" });

export const queueShape: Shape = obj<QueueConfig>({
  capacity: "number",
  maxShards: "number",
  minShards: "number",
  maxSamplesPerSend: "number",
  batchSendDeadline: "string",
});


