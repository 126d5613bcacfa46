/**
 * The stack configuration schema: one structured key `moncode:stack` in `Pulumi.<stack>.yaml`, validated at run
 * time before anything is built. Secret values never live here: fields ending in `Secret` name another config key
 * set with `pulumi config set --secret <key>`, which only the Pulumi entry reads.
 */
import { z } from "zod";
import { DASHBOARD_UIDS, type DashboardKey } from "../core/conventions";
import { isDuration } from "../core/duration";
import { SEVERITIES } from "../core/severity";
import { SCRAPE_PROTOCOLS } from "../core/prometheus/model";
import { CONFIGURABLE_RULE_IDS, type ConfigurableRuleId } from "../core/lint";
import { RULE_PACKS, SHIPPED_SLOS } from "../rules";
import { defaultContentConfig } from "../rules/config";
import { ValidationError, issue, type ValidationIssue } from "../core/validation";

const DASHBOARD_KEYS = Object.keys(DASHBOARD_UIDS) as [DashboardKey, ...DashboardKey[]];
const duration = z.string().refine(isDuration, { message: "is not a duration (e.g. 15s, 1m, 2h)" });
const secretKey = z.string().regex(/^[a-zA-Z][a-zA-Z0-9]*$/, "must name a config key (camelCase) set with --secret");
const name = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "must be lowercase letters, digits and -");
const labelMap = z.record(z.string(), z.string());
const resources = z.strictObject({ memoryMb: z.number().int().positive(), cpus: z.number().positive() });

const service = z.strictObject({
  /** Becomes the scrape job name and `job` label. */
  name,
  /** host:port targets. */
  targets: z.array(z.string()).min(1),
  metricsPath: z.string().optional(),
  scheme: z.enum(["http", "https"]).optional(),
  scrapeInterval: duration.optional(),
  scrapeTimeout: duration.optional(),
  labels: labelMap.optional(),
  /** Bearer token for the scrape, by secret key name. */
  bearerTokenSecret: secretKey.optional(),
  /** How to read a response without a known Content-Type (Prometheus 3 fails it otherwise). @default "PrometheusText0.0.4" */
  fallbackScrapeProtocol: z.enum(SCRAPE_PROTOCOLS).optional(),
});

const exporters = z.strictObject({
  nodeExporter: z.boolean().default(true),
  /** node-exporter's port on the host (it runs in the host's network namespace). */
  nodeExporterPort: z.number().int().min(1).max(65535).default(9100),
  cadvisor: z.boolean().default(true),
  pushgateway: z.boolean().default(true),
  probes: z.array(z.strictObject({ name, module: z.string(), targets: z.array(z.string()).min(1) })).default([]),
  postgres: z.array(z.strictObject({ name, uri: z.string(), user: z.string(), passwordSecret: secretKey })).default([]),
  redis: z.array(z.strictObject({ name, address: z.string(), passwordSecret: secretKey.optional() })).default([]),
  publishPorts: z.boolean().default(false),
});

/** The Kubernetes platform: where the stack lives, how it is replicated, what Prometheus discovers. */
export const kubernetesConfigSchema = z.strictObject({
  /** Namespace of every object (created unless createNamespace is false). */
  namespace: name.max(40).default("monitoring"),
  createNamespace: z.boolean().default(true),
  /**
   * Namespace of node-exporter (host network, PID namespace and filesystem: Pod Security level `privileged`);
   * `<namespace>-host` by default when the stack creates its namespaces, required with createNamespace: false.
   */
  hostNamespace: name.max(40).optional(),
  /** Annotations on every object, e.g. `pulumi.com/skipAwait: "true"` on a cluster that runs no pods. */
  annotations: labelMap.optional(),
  /** Prefix of object names, for a namespace shared with other applications. */
  namePrefix: name.max(20).optional(),
  /** StorageClass for the Prometheus and Alertmanager volumes; the cluster default when omitted. */
  storageClass: z.string().optional(),
  /** HA: identical Prometheus servers (each with a `replica` external label). */
  prometheusReplicas: z.number().int().min(1).max(5).default(2),
  /** HA: Alertmanager peers in one gossip cluster (odd numbers keep a majority). */
  alertmanagerReplicas: z.number().int().min(1).max(7).default(3),
  /** Size of each Prometheus volume; by default retentionSize + 20%. */
  prometheusStorageGb: z.number().int().positive().optional(),
  /** Ingress for Grafana at grafana.rootUrl (TLS with the named certificate Secret when rootUrl is https). */
  ingress: z
    .strictObject({ className: z.string().optional(), tlsSecretName: name.optional(), annotations: labelMap.optional() })
    .optional(),
  /** One NetworkPolicy per component admitting only its clients. */
  networkPolicies: z.boolean().default(true),
  /** Scrape pods and services that opt in with `prometheus.io/scrape: "true"`, in these namespaces (all when empty). */
  discovery: z
    .strictObject({ pods: z.boolean().default(true), services: z.boolean().default(true), namespaces: z.array(name).default([]) })
    .prefault({}),
  /** kube-state-metrics (deployments, pods, PVCs… as metrics). */
  kubeStateMetrics: z.boolean().default(true),
});

const severityMap = <T extends z.ZodType>(t: T) => z.strictObject({ critical: t.optional(), warning: t.optional(), info: t.optional() });

/** The seeds' routing policy (routing/severity.ts `severityRouting`), with secrets named by config key. */
const alerting = z.strictObject({
  smtp: z.strictObject({
    /** host:port of the SMTP relay. */
    smarthost: z.string(),
    from: z.string(),
    authUsername: z.string().optional(),
    authPasswordSecret: secretKey.optional(),
    requireTls: z.boolean().optional(),
  }),
  email: z.strictObject({ to: z.string().min(3), critical: z.string().min(3).optional() }),
  slack: z.strictObject({ apiUrlSecret: secretKey, channels: severityMap(z.string()).optional() }).optional(),
  pagerduty: z.strictObject({ routingKeySecret: secretKey }).optional(),
  /** Component receivers by `component` label value (the seeds: api, database). */
  components: z.record(name, z.strictObject({ email: z.string().optional(), slackChannel: z.string().optional() })).optional(),
  repeatIntervals: severityMap(duration).optional(),
  groupBy: z.array(z.string()).optional(),
  /** Mute warning/info outside business hours in this zone. */
  businessHours: z
    .strictObject({ location: z.string(), start: z.string().optional(), end: z.string().optional() })
    .optional(),
  /** Dev stacks: one non-paging receiver unless prodRouting. */
  dev: z.strictObject({ email: z.string().optional(), slackChannel: z.string().optional(), prodRouting: z.boolean().optional() }).optional(),
  /**
   * Where the always-firing Watchdog goes: a dead man's switch that pages when the pings stop. Its ping URL usually
   * carries a token, so it is named by secret key. Without it the Watchdog goes nowhere, with a warning.
   */
  deadMansSwitch: z.strictObject({ urlSecret: secretKey, repeatInterval: duration.optional() }).optional(),
});

/** Threshold/selector overrides: the sections and fields of rules/config.ts, each with the type of its default. */
const thresholds = z.strictObject(
  Object.fromEntries(
    Object.entries(defaultContentConfig).map(([section, fields]) => [
      section,
      z
        .strictObject(
          Object.fromEntries(Object.entries(fields as Record<string, unknown>).map(([k, v]) => [k, (typeof v === "number" ? z.number() : z.string()).optional()])),
        )
        .optional(),
    ]),
  ),
);

const severity = z.enum(SEVERITIES);
const overrideFields = {
  disabled: z.boolean().optional(),
  threshold: z.number().optional(),
  for: duration.optional(),
  keepFiringFor: duration.optional(),
  /** Any severity value; the prod routing must then route it (checked). */
  severity: z.string().min(1).optional(),
  labels: labelMap.optional(),
  annotations: z.strictObject({ summary: z.string(), description: z.string(), runbookUrl: z.string(), dashboard: z.string() }).partial().optional(),
};
/** By alert name; `bySeverity` addresses one variant of a name shipped at several severities. */
const alertOverride = z.strictObject({ ...overrideFields, bySeverity: z.record(z.string(), z.strictObject(overrideFields)).optional() });

/** Lint levels by rule id (core/lint.ts): `error`, `warn` or `off`; rules Prometheus or Grafana refuse are not listed. */
const lint = z.partialRecord(z.enum(CONFIGURABLE_RULE_IDS as [ConfigurableRuleId, ...ConfigurableRuleId[]]), z.enum(["error", "warn", "off"]));

const kpiTarget = z.strictObject({
  name: z.string().regex(/^[A-Z][a-zA-Z0-9]*$/, "must be PascalCase"),
  title: z.string().min(1),
  metric: z.string().regex(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/, "must be a metric name"),
  kind: z.enum(["gauge", "counter"]),
  aggregate: z.enum(["sum", "avg", "min", "max"]).optional(),
  by: z.array(z.string()).optional(),
  selector: z.string().optional(),
  unit: z.enum(["percent", "ratio", "count", "perSecond"]),
  bounds: z
    .array(z.strictObject({ below: z.number().optional(), above: z.number().optional(), severity, for: duration.optional(), alert: z.string().optional() }))
    .min(1),
  why: z.string().min(1),
  dashboard: z.enum(DASHBOARD_KEYS).optional(),
});

/** One shipped SLO changed (rules/slos.ts SloOverride); values are checked by the SLO validation, which names the SLO. */
const sloOverride = z.strictObject({
  disabled: z.boolean().optional(),
  objective: z.number().optional(),
  window: z.string().optional(),
  selector: z.string().optional(),
  threshold: z.number().optional(),
  buckets: z.array(z.number()).optional(),
  labels: labelMap.optional(),
  alerting: z.boolean().optional(),
});

const rules = z.strictObject({
  /** Threshold/selector overrides per content section (see rules/config.ts); they feed alerts and dashboards alike. */
  thresholds: thresholds.default({}),
  /** Turn shipped packs off by name (`redis: false`). */
  packs: z.partialRecord(z.enum(["kpi", ...Object.keys(RULE_PACKS)] as [string, ...string[]]), z.boolean()).default({}),
  /** Per-alert overrides by alert name: threshold, for, severity, labels, annotations, disabled. */
  overrides: z.record(z.string(), alertOverride).default({}),
  /** Business KPI / SLO targets to alert on; `seed` ships the seeds' sprint targets. */
  kpis: z.union([z.literal("seed"), z.array(kpiTarget)]).default([]),
  /** The seeds' API SLOs (on by default): `shipped: false` drops them, `overrides` changes one by name. */
  slos: z
    .strictObject({ shipped: z.boolean().default(true), overrides: z.partialRecord(z.enum(SHIPPED_SLOS), sloOverride).default({}) })
    .prefault({}),
});

export const stackConfigSchema = z
  .strictObject({
  /** Where it runs: one Docker host (dev) or a Kubernetes cluster (prod). */
  platform: z.enum(["docker", "kubernetes"]),
  environment: z.enum(["dev", "prod"]),
  docker: z
    .strictObject({
      bindAddress: z.string().default("127.0.0.1"),
      host: z.string().optional(),
      /** IPv4 subnet of the stack's network; its gateway (first address) is where node-exporter listens. */
      subnet: z.string().optional(),
      /** The engine's data root (`docker info` → Docker Root Dir); the collector reads `<dataRoot>/containers`. @default /var/lib/docker */
      dataRoot: z.string().regex(/^\/\S*$/, "must be an absolute path (docker info → Docker Root Dir)").optional(),
    })
    .default({ bindAddress: "127.0.0.1" }),
  /** Only with `platform: kubernetes`; all defaults apply when omitted. */
  kubernetes: kubernetesConfigSchema.optional(),
  prometheus: z
    .strictObject({
      scrapeInterval: duration.default("15s"),
      evaluationInterval: duration.default("15s"),
      externalLabels: labelMap.default({}),
      retentionTime: duration.default("15d"),
      retentionSize: z.string().optional(),
      resources: resources.optional(),
      /** Active series you expect; sizes Prometheus by the documented rule when `resources` is not given. */
      expectedSeries: z.number().int().positive().optional(),
      port: z.union([z.number().int().min(1).max(65535), z.literal(false)]).default(9090),
      remoteWrite: z
        .array(z.strictObject({ name, url: z.string().url(), username: z.string().optional(), passwordSecret: secretKey.optional() }))
        .default([]),
    })
    .prefault({}),
  alertmanager: z
    .strictObject({ resources: resources.optional(), port: z.union([z.number().int().min(1).max(65535), z.literal(false)]).default(9093) })
    .prefault({}),
  grafana: z
    .strictObject({
      adminUser: z.string().default("admin"),
      /** Config key of the admin password; a random one is generated when the key is not set. */
      adminPasswordSecret: secretKey.default("grafanaAdminPassword"),
      allowUiUpdates: z.boolean().default(false),
      /** Leave shipped dashboards out by key (`{ onboarding: false }`); all are provisioned by default. */
      dashboards: z.partialRecord(z.enum(DASHBOARD_KEYS), z.boolean()).default({}),
      rootUrl: z.string().url().optional(),
      resources: resources.optional(),
      port: z.union([z.number().int().min(1).max(65535), z.literal(false)]).default(3000),
    })
    .prefault({}),
  /** Logs: Loki (single binary) fed by the collector; its ruler runs the shipped log rules. On by default. */
  logs: z
    .strictObject({
      enabled: z.boolean().default(true),
      /** How long logs are kept (whole days; the compactor deletes daily index tables). */
      retention: duration.default("744h"),
      /** Other retention for streams matching a selector, e.g. `{ selector: '{service_name="debug"}', period: 48h }`. */
      streamRetention: z.array(z.strictObject({ selector: z.string(), period: duration, priority: z.number().int().optional() })).default([]),
      volumeSizeGb: z.number().int().positive().default(20),
      resources: resources.optional(),
      /** Publish Loki's API on the host (dev). */
      port: z.union([z.number().int().min(1).max(65535), z.literal(false)]).default(false),
    })
    .prefault({}),
  /** Traces: Jaeger v2 fed by the collector (span metrics to Prometheus). On by default. */
  traces: z
    .strictObject({
      enabled: z.boolean().default(true),
      storage: z.enum(["badger", "memory"]).default("badger"),
      /** How long badger keeps spans (hours). */
      retention: duration.default("168h"),
      volumeSizeGb: z.number().int().positive().default(10),
      resources: resources.optional(),
      /** Publish the Jaeger UI on the host (dev). */
      port: z.union([z.number().int().min(1).max(65535), z.literal(false)]).default(false),
    })
    .prefault({}),
  /** The OpenTelemetry Collector agent (runs when logs or traces are on). */
  collector: z
    .strictObject({
      /** Read the platform's container logs (Docker's json-file logs, Kubernetes' /var/log/pods). */
      containerLogs: z.boolean().default(true),
      resources: resources.optional(),
      /** Publish the OTLP ports (4317, 4318) on the host, for applications outside the stack's network. */
      publishOtlp: z.boolean().default(false),
    })
    .prefault({}),
  /** The monitored workload: one scrape job per service. */
  services: z.array(service).default([]),
  exporters: exporters.prefault({}),
  rules: rules.prefault({}),
  alerting,
  /** Levels of lint rules for this stack's content, e.g. `{ "rules/alert-name-pascal-case": error }`. */
  lint: lint.default({}),
  })
  .superRefine((c, ctx) => {
    if (c.platform !== "kubernetes" && c.kubernetes !== undefined) {
      ctx.addIssue({ code: "custom", path: ["kubernetes"], message: `is only for platform: kubernetes (this stack is ${c.platform})` });
    }
    if (c.kubernetes?.ingress !== undefined && c.grafana.rootUrl === undefined) {
      ctx.addIssue({ code: "custom", path: ["kubernetes", "ingress"], message: "needs grafana.rootUrl (the host and path the Ingress serves)" });
    }
  });

export type StackConfig = z.infer<typeof stackConfigSchema>;
export type StackConfigInput = z.input<typeof stackConfigSchema>;

/** Validates raw config (from Pulumi.<stack>.yaml) and names every offending field. */
export function parseStackConfig(raw: unknown, source = "moncode:stack"): StackConfig {
  const r = stackConfigSchema.safeParse(raw);
  if (r.success) return r.data;
  const issues: ValidationIssue[] = r.error.issues.map((i) =>
    issue(`stack config ${source}`, i.path.map(String).join(".") || "(root)", i.message),
  );
  throw new ValidationError(`invalid stack config ${source}`, issues);
}

/** Every secret config key the stack config refers to, so the entry can read them (and synth can stub them). */
export function referencedSecretKeys(cfg: StackConfig): string[] {
  const keys = new Set<string>();
  const add = (k: string | undefined) => k !== undefined && keys.add(k);
  for (const s of cfg.services) add(s.bearerTokenSecret);
  for (const p of cfg.exporters.postgres) add(p.passwordSecret);
  for (const r of cfg.exporters.redis) add(r.passwordSecret);
  for (const rw of cfg.prometheus.remoteWrite) add(rw.passwordSecret);
  add(cfg.alerting.smtp.authPasswordSecret);
  add(cfg.alerting.slack?.apiUrlSecret);
  add(cfg.alerting.pagerduty?.routingKeySecret);
  add(cfg.alerting.deadMansSwitch?.urlSecret);
  return [...keys].sort();
}
