/**
 * Every container image the stack runs, pinned to an exact tag in this one module (never `latest`). Bump here and
 * the golden files and mock tests show exactly what changes.
 */
export const IMAGES = {
  prometheus: "prom/prometheus:v3.5.0",
  alertmanager: "prom/alertmanager:v0.28.1",
  grafana: "grafana/grafana:12.1.1",
  nodeExporter: "prom/node-exporter:v1.9.1",
  cadvisor: "gcr.io/cadvisor/cadvisor:v0.52.1",
  blackboxExporter: "prom/blackbox-exporter:v0.27.0",
  pushgateway: "prom/pushgateway:v1.11.1",
  postgresExporter: "quay.io/prometheuscommunity/postgres-exporter:v0.17.1",
  redisExporter: "oliver006/redis_exporter:v1.74.0",
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
