/**
 * Every container image the stack runs, pinned to an exact tag in this one module (never `latest`). Bump here and
 * the golden files and mock tests show exactly what changes; the programs the proofs run are built from the Go
 * module versions `tools/programs.ts` maps these tags to (a test compares each binary's build info with it).
 *
 * Chosen 2026-12-02:
 * - Prometheus v3.16.0: the current release. v3.5 was the only LTS line and its support ended 2026-07-31.
 * - Alertmanager v0.31.1: the newest release whose server builds from its Go module (v0.32+ embeds `ui/app/dist`,
 *   which is not in the module zip), so the proofs can run exactly what the stack deploys.
 * - Grafana 12.4.5: the newest 12.x patch seen; Grafana 12.2+ has dashboard schemaVersion 42, the version the
 *   Foundation SDK 0.0.21 writes (12.1 stopped at 41), so dashboards load without migration.
 * - Exporters: the newest releases the Go module proxy here serves in full.
 */
export const IMAGES = {
  prometheus: "prom/prometheus:v3.16.0",
  alertmanager: "prom/alertmanager:v0.31.1",
  grafana: "grafana/grafana:12.4.5",
  nodeExporter: "prom/node-exporter:v1.12.1",
  cadvisor: "gcr.io/cadvisor/cadvisor:v0.52.1",
  blackboxExporter: "prom/blackbox-exporter:v0.28.0",
  pushgateway: "prom/pushgateway:v1.11.1",
  postgresExporter: "quay.io/prometheuscommunity/postgres-exporter:v0.19.1",
  redisExporter: "oliver006/redis_exporter:v1.74.0",
} as const;

/**
 * Logs and traces. Jaeger 2.13.0 is the newest Jaeger v2 the Go module proxy here serves: Jaeger's v2 tags are not
 * valid Go module versions, and the only v2 commit served is the one tagged both v1.76.0 and v2.13.0. The
 * collector tag is the contrib release whose modules the proof's collector is built from. Loki 3.7.6 is the newest
 * 3.x patch (2026-08-05) in Loki's repository; its configuration reference is the one core/loki/reference.ts
 * transcribes. Loki is AGPL and not built here: no proof runs it (README, "Logs and traces").
 */
export const TELEMETRY_IMAGES = {
  jaeger: "jaegertracing/jaeger:2.13.0",
  otelCollector: "otel/opentelemetry-collector-contrib:0.165.0",
  loki: "grafana/loki:3.7.6",
} as const;

/** The users the telemetry images run as (each Dockerfile's `USER`): 10001 for all three. */
export const TELEMETRY_IMAGE_USERS: Readonly<Record<keyof typeof TELEMETRY_IMAGES, string>> = { jaeger: "10001", otelCollector: "10001", loki: "10001" };

/**
 * Helper images of the platform drivers. On Docker each workload with secrets gets a tiny side-car from this image
 * that holds the secret files (its uploads are the only secret input) on a volume the workload mounts read-only.
 */
export const HELPER_IMAGES = {
  secrets: "busybox:1.37.0",
} as const;

/** Images only platforms with a cluster API run (kube-state-metrics exports the cluster's objects). */
export const CLUSTER_IMAGES = {
  kubeStateMetrics: "registry.k8s.io/kube-state-metrics/kube-state-metrics:v2.16.0",
} as const;
export const CLUSTER_IMAGE_USERS: Readonly<Record<keyof typeof CLUSTER_IMAGES, string>> = { kubeStateMetrics: "65534" };

export type ImageKey = keyof typeof IMAGES;

/** The numeric user each image runs as; volumes and secret files are made readable by it. */
export const IMAGE_USERS: Readonly<Record<ImageKey, string>> = {
  prometheus: "65534",
  alertmanager: "65534",
  grafana: "472",
  nodeExporter: "65534",
  cadvisor: "0",
  blackboxExporter: "65534",
  pushgateway: "65534",
  postgresExporter: "65534",
  redisExporter: "59000",
};

/** The release part of an image reference (`prom/prometheus:v3.16.0` → `v3.16.0`). */
export function imageTag(image: string): string {
  const i = image.lastIndexOf(":");
  return i < 0 ? "" : image.slice(i + 1);
}
