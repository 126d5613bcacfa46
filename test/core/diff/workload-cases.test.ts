/**
 * The workload areas on hand-built resources.json trees (Docker containers and Kubernetes StatefulSets): storage and
 * retention flags and volumes with what happens to the data, images per container, exporters with their flags one
 * by one, blackbox modules and probe jobs; workloads() read from both platforms; flagMap's forms.
 */
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { workloads } from "../../../core/diff/resources";
import { diffExporters, diffImages, diffStorage, flagMap } from "../../../core/diff/workload-areas";
const container = (name: string, component: string, image: string, command: string[], volumes: { containerPath: string; volumeName?: string; hostPath?: string }[] = []) =>
  ({ type: "docker:index/container:Container", name: `${name}-c`, inputs: { image, command, volumes, labels: [{ label: "app.kubernetes.io/name", value: name }, { label: "app.kubernetes.io/component", value: component }] } });
const sts = (name: string, component: string, containers: { name: string; image: string; args?: string[]; command?: string[] }[], claims: [string, string][] = [], ignore: string[] = []) =>
  ({ type: "kubernetes:apps/v1:StatefulSet", name: `${name}-s`, ignoreChanges: ignore, inputs: { kind: "StatefulSet", metadata: { name, labels: { "app.kubernetes.io/name": name, "app.kubernetes.io/component": component } }, spec: { template: { spec: { containers } }, volumeClaimTemplates: claims.map(([n, s]) => ({ metadata: { name: n }, spec: { resources: { requests: { storage: s } } } })) } } });
const tree = (res: unknown[], extra: Record<string, unknown> = {}) => new Map<string, string>([["resources.json", JSON.stringify(res)], ...Object.entries(extra).map(([k, v]) => [k, stringify(v)] as [string, string])]);
const A = tree([
  container("prometheus", "prometheus", "prom/prometheus:v3.0.0", ["--config.file=/etc/p.yml", "--storage.tsdb.retention.time=2d", "--storage.tsdb.path=/prometheus"], [{ containerPath: "/prometheus", volumeName: "prom-data" }, { containerPath: "/etc/p.yml", hostPath: "/x" }]),
  container("node-exporter", "exporter", "prom/node-exporter:v1.8.0", ["--path.rootfs=/host", "--collector.systemd"]),
  container("alertmanager", "alertmanager", "prom/alertmanager:v0.27.0", ["--data.retention=120h"], [{ containerPath: "/am", volumeName: "am-data" }]),
  container("gone-exporter", "exporter", "x/gone:1", ["--a=1"]),
], { "blackbox/blackbox.yml": { modules: { http_2xx: { prober: "http", timeout: "5s" }, old: { prober: "tcp" } } }, "prometheus/prometheus.yml": { scrape_configs: [{ job_name: "probe-web", params: { module: ["http_2xx"] }, static_configs: [{ targets: ["https://a"] }] }, { job_name: "api", static_configs: [{ targets: ["a:1"] }] }] } });
const B = tree([
  container("prometheus", "prometheus", "prom/prometheus:v3.1.0", ["--config.file=/etc/p.yml", "--storage.tsdb.retention.time=7d", "--storage.tsdb.path=/prometheus"], [{ containerPath: "/prometheus", volumeName: "prom-data-2" }, { containerPath: "/etc/p.yml", hostPath: "/x" }]),
  container("node-exporter", "exporter", "prom/node-exporter:v1.8.0", ["--path.rootfs=/host", "--collector.systemd", "--collector.textfile.directory=/t"]),
  container("alertmanager", "alertmanager", "prom/alertmanager:v0.27.0", ["--data.retention=120h"], [{ containerPath: "/am", volumeName: "am-data" }]),
  container("new-exporter", "exporter", "x/new:2", ["--b=2"]),
], { "blackbox/blackbox.yml": { modules: { http_2xx: { prober: "http", timeout: "10s" }, icmp: { prober: "icmp" } } }, "prometheus/prometheus.yml": { scrape_configs: [{ job_name: "probe-web", params: { module: ["http_2xx"] }, static_configs: [{ targets: ["https://a", "https://b"] }] }, { job_name: "probe-dns", params: { module: ["dns"] } }] } });
const K1 = tree([sts("prometheus", "prometheus", [{ name: "prometheus", image: "p:1", args: ["--storage.tsdb.retention.time=15d"] }, { name: "reloader", image: "r:1", command: ["/r"], args: ["--watch=/etc"] }], [["data", "50Gi"]], ["spec.volumeClaimTemplates"]), sts("loki", "loki", [{ name: "loki", image: "l:1" }], [["data", "10Gi"]])]);
const K2 = tree([sts("prometheus", "prometheus", [{ name: "prometheus", image: "p:2", args: ["--storage.tsdb.retention.time=30d"] }, { name: "reloader", image: "r:1", command: ["/r"], args: ["--watch=/etc"] }], [["data", "100Gi"]], ["spec.volumeClaimTemplates"]), sts("loki", "loki", [{ name: "loki", image: "l:1" }], [["data", "20Gi"]])]);

describe("Docker containers", () => {
  it("storage: a retention flag and a renamed volume, the container replaced and its data left on the old volume", () => {
    expect(diffStorage(A, B)).toEqual([
  {
    "kind": "changed",
    "id": "prometheus",
    "fields": [
      {
        "field": "--storage.tsdb.retention.time",
        "old": "2d",
        "new": "7d"
      },
      {
        "field": "/prometheus",
        "old": "volume prom-data",
        "new": "volume prom-data-2"
      }
    ],
    "notes": [
      "the container is replaced; its data stays on the old volume"
    ]
  }
]);
  });
  it("images: one image per container, named image", () => {
    expect(diffImages(A, B)).toEqual([
  {
    "kind": "changed",
    "id": "prometheus",
    "fields": [
      {
        "field": "image",
        "old": "prom/prometheus:v3.0.0",
        "new": "prom/prometheus:v3.1.0"
      }
    ],
    "notes": [
      "the container is replaced"
    ]
  }
]);
  });
  it("exporters, blackbox modules and probe jobs, sorted by id, added and removed described", () => {
    expect(diffExporters(A, B)).toEqual([
  {
    "kind": "changed",
    "id": "blackbox module http_2xx",
    "fields": [
      {
        "field": "timeout",
        "old": "5s",
        "new": "10s"
      }
    ]
  },
  {
    "kind": "added",
    "id": "blackbox module icmp",
    "fields": [
      {
        "field": "prober",
        "new": "icmp"
      }
    ]
  },
  {
    "kind": "removed",
    "id": "blackbox module old",
    "fields": [
      {
        "field": "prober",
        "old": "tcp"
      }
    ]
  },
  {
    "kind": "removed",
    "id": "exporter gone-exporter",
    "fields": [
      {
        "field": "image",
        "old": "x/gone:1"
      }
    ]
  },
  {
    "kind": "added",
    "id": "exporter new-exporter",
    "fields": [
      {
        "field": "image",
        "new": "x/new:2"
      }
    ]
  },
  {
    "kind": "changed",
    "id": "exporter node-exporter",
    "fields": [
      {
        "field": "--collector.textfile.directory",
        "new": "/t"
      }
    ]
  },
  {
    "kind": "added",
    "id": "probe probe-dns",
    "fields": [
      {
        "field": "module",
        "new": "[dns]"
      }
    ]
  },
  {
    "kind": "changed",
    "id": "probe probe-web",
    "fields": [
      {
        "field": "static_configs[0].targets",
        "old": "[https://a]",
        "new": "[https://a, https://b]"
      }
    ]
  }
]);
  });
  it("nothing changes between a tree and itself", () => {
    expect([diffStorage(A, A), diffImages(A, A), diffExporters(A, A)]).toEqual([[], [], []]);
  });
});

describe("Kubernetes StatefulSets", () => {
  it("storage: claim sizes; the pods roll for a flag, and claim templates the program ignores get the resize note", () => {
    expect(diffStorage(K1, K2)).toEqual([
  {
    "kind": "changed",
    "id": "loki",
    "fields": [
      {
        "field": "claim data",
        "old": "10Gi",
        "new": "20Gi"
      }
    ]
  },
  {
    "kind": "changed",
    "id": "prometheus",
    "fields": [
      {
        "field": "--storage.tsdb.retention.time",
        "old": "15d",
        "new": "30d"
      },
      {
        "field": "claim data",
        "old": "50Gi",
        "new": "100Gi"
      }
    ],
    "notes": [
      "the pods are rolled; data on the volume is kept",
      "claim templates cannot change after creation and the program ignores them: resize the PVCs (README, Kubernetes)"
    ]
  }
]);
  });
  it("images: per container when a workload has several", () => {
    expect(diffImages(K1, K2)).toEqual([
  {
    "kind": "changed",
    "id": "prometheus",
    "fields": [
      {
        "field": "prometheus",
        "old": "p:1",
        "new": "p:2"
      }
    ],
    "notes": [
      "the pods are rolled"
    ]
  }
]);
  });
  it("workloads: name and component from the labels, images and command + args per container, claims", () => {
    expect([...workloads(K1)].map(([k, w]) => [k, w.name, w.component, w.platform, w.images, w.args, w.storage])).toEqual([
  [
    "prometheus",
    "prometheus",
    "prometheus",
    "kubernetes",
    {
      "prometheus": "p:1",
      "reloader": "r:1"
    },
    {
      "prometheus": [
        "--storage.tsdb.retention.time=15d"
      ],
      "reloader": [
        "/r",
        "--watch=/etc"
      ]
    },
    {
      "claim data": "50Gi"
    }
  ],
  [
    "loki",
    "loki",
    "loki",
    "kubernetes",
    {
      "loki": "l:1"
    },
    {
      "loki": []
    },
    {
      "claim data": "10Gi"
    }
  ]
]);
  });
});

describe("flagMap", () => {
  it("reads --flag=value, bare flags as true, repeats joined, positional arguments by index, = inside a value", () => {
    expect(flagMap(["--a=1", "--b", "-c=x", "pos", "--a=2", "--e=x=y", "--f="])).toEqual({"--a": "1, 2", "--b": "true", "-c": "x", "arg 3": "pos", "--e": "x=y", "--f": ""});
    expect(flagMap([])).toEqual({});
  });
});
