/**
 * Tracing: Jaeger v2 (jaegertracing/jaeger 2.13.0) receiving OTLP from the collector, storing spans in badger on
 * a volume (memory where the stack says so) and serving its query API and UI for Grafana.
 */
import * as pulumi from "@pulumi/pulumi";
import type { Duration } from "../core/duration";
import type { RenderedFile } from "../core/files";
import { JAEGER_PORTS, renderJaegerConfig, type JaegerConfig } from "../core/jaeger";
import type { ScrapeJob } from "../core/prometheus/model";
import { ValidationError, type ValidationIssue } from "../core/validation";
import { configHash } from "./hash";
import { TELEMETRY_IMAGES, TELEMETRY_IMAGE_USERS } from "./images";
import { platformDriver, type Platform, type WorkloadResources, type WorkloadSpec } from "./platform";
import { reportComponent } from "./report";
import { takeResolved } from "./resolved";
import { checkArgs } from "./shapes";
import { tracingArgsShape } from "./telemetry-shapes";

/**
 * Arguments of `Tracing`: the platform, where spans are stored (badger on a volume or memory) and for how long, and the
 * server's limits, volume and published UI port.
 */
export interface TracingArgs {
  readonly platform: Platform;
  /** `badger`: spans on a volume, kept `retention`; `memory`: lost on restart (demo stacks). @default "badger" */
  readonly storage?: "badger" | "memory";
  /** How long badger keeps spans (a Go duration: hours). @default "168h" */
  readonly retention?: Duration;
  /** Traces kept in memory storage. @default 100000 */
  readonly maxTraces?: number;
  /** @default { memoryMb: 512, cpus: 1 } */
  readonly resources?: WorkloadResources;
  /** @default 10 */
  readonly volumeSizeGb?: number;
  /** Host port for the Jaeger UI; `false` publishes nothing. @default false */
  readonly publishPort?: number | false;
}

export const JAEGER_CONFIG_PATH = "/etc/jaeger/config.yaml";
export const JAEGER_ARTIFACT = "jaeger/config.yaml";
/**
 * Where badger's volume is mounted and its files kept, per platform. Docker: under the image's one VOLUME, /tmp (root,
 * 1777) — a new named volume takes the owner and mode of the image directory it is mounted on, so the image user
 * 10001 can create its directories there; a volume on a path the image lacks (/badger) is root's 0755 and Jaeger
 * exits with `mkdir /badger/keys: permission denied` (jaegertracing/jaeger#4906; Jaeger's own config-badger.yaml
 * keeps badger under /tmp too). Kubernetes: a PVC at /badger, writable through the pod's fsGroup (/tmp is the pod's
 * scratch emptyDir there).
 */
export const BADGER_PATHS = {
  docker: { mountPath: "/tmp", directory: "/tmp/jaeger" },
  kubernetes: { mountPath: "/badger", directory: "/badger" },
} as const;

export interface ResolvedTracing {
  readonly files: readonly RenderedFile[];
  readonly spec: WorkloadSpec;
  readonly config: JaegerConfig;
}

/**
 * The pure part of `Tracing`: checks the args, builds the Jaeger config (badger in /badger keeping spans `retention`,
 * or memory keeping `maxTraces`) and renders jaeger/config.yaml, without declaring resources. Throws a ValidationError
 * naming every culprit; returns the file, the workload and the Jaeger config otherwise.
 */
export function resolveTracing(args: TracingArgs): ResolvedTracing {
  checkArgs("Tracing", args, tracingArgsShape);
  const storage = args.storage ?? "badger";
  const badger = BADGER_PATHS[args.platform.kind];
  const config: JaegerConfig = {
    storage: storage === "badger" ? { kind: "badger", directory: badger.directory, ttl: args.retention ?? "168h" } : { kind: "memory", ...(args.maxTraces !== undefined ? { maxTraces: args.maxTraces } : {}) },
  };
  let text: string;
  try {
    text = renderJaegerConfig(config);
  } catch (e) {
    if (e instanceof ValidationError) throw new ValidationError("Tracing", e.issues);
    throw e;
  }
  const files: RenderedFile[] = [{ path: JAEGER_ARTIFACT, content: text }];
  const publish = args.publishPort ?? false;
  const spec: WorkloadSpec = {
    name: "jaeger",
    component: "tracing",
    image: TELEMETRY_IMAGES.jaeger,
    args: [`--config=${JAEGER_CONFIG_PATH}`],
    files: [{ path: JAEGER_CONFIG_PATH, content: text }],
    ports: [
      { name: "otlp-grpc", port: JAEGER_PORTS.otlpGrpc, clients: ["otel-collector"] },
      { name: "otlp-http", port: JAEGER_PORTS.otlpHttp, clients: ["otel-collector"] },
      { name: "query", port: JAEGER_PORTS.query, clients: ["grafana"], ...(publish !== false ? { publish: true, hostPort: publish } : {}) },
      { name: "metrics", port: JAEGER_PORTS.metrics },
    ],
    volumes: storage === "badger" ? [{ name: "data", mountPath: badger.mountPath, sizeGb: args.volumeSizeGb ?? 10 }] : [],
    // healthcheckv2 with use_v2 answers on /status; the image's Alpine base has busybox wget.
    healthcheck: { path: "/status", port: JAEGER_PORTS.health, startupSeconds: 120 },
    resources: args.resources ?? { memoryMb: 512, cpus: 1 },
    user: TELEMETRY_IMAGE_USERS.jaeger,
    configHash: configHash(files, [TELEMETRY_IMAGES.jaeger]),
    kind: storage === "badger" ? "stateful" : "stateless",
  };
  return { files, spec, config };
}

export function jaegerScrapeJob(address: string): ScrapeJob {
  return { name: "jaeger", staticConfigs: [{ targets: [address] }] };
}

/**
 * Jaeger v2 (type `moncode:tracing:Tracing`): receives OTLP from the collector, stores spans in badger on a volume (or
 * in memory) and serves the query API and UI for Grafana. Everything is validated before any resource is declared:
 * bad args throw a ValidationError and declare nothing.
 */
export class Tracing extends pulumi.ComponentResource {
  /** `host:port` of Jaeger's OTLP gRPC receiver (the collector's exporter endpoint). */
  public readonly otlpGrpcAddress: string;
  /** `http://host:port` of the query API and UI (Grafana's Jaeger datasource). */
  public readonly queryUrl: string;
  public readonly files: readonly RenderedFile[];
  public readonly warnings: readonly ValidationIssue[] = [];
  public readonly scrapeJobs: readonly ScrapeJob[];

  constructor(name: string, args: TracingArgs, opts?: pulumi.ComponentResourceOptions) {
    const resolved = takeResolved<ResolvedTracing>(args) ?? resolveTracing(args);
    super("moncode:tracing:Tracing", name, {}, opts);
    const deployed = platformDriver(args.platform).deploy(resolved.spec, { parent: this, name });
    this.otlpGrpcAddress = deployed.address("otlp-grpc");
    this.queryUrl = `http://${deployed.address("query")}`;
    this.files = resolved.files;
    this.scrapeJobs = [jaegerScrapeJob(deployed.address("metrics"))];
    reportComponent({ type: "Tracing", name, files: this.files, warnings: [] });
    this.registerOutputs({ otlpGrpcAddress: this.otlpGrpcAddress, queryUrl: this.queryUrl });
  }
}
