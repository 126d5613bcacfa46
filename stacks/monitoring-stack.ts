/**
 * MonitoringStack: the whole stack on one platform — shared platform resources (the Docker network), exporters,
 * Alertmanager, Prometheus (scraping every component and exporter, alerting every Alertmanager peer) and Grafana
 * (reading Prometheus). Takes typed args; `stacks/compose.ts` builds them from validated stack config.
 * `wireComponents` is the pure wiring between the components, given how workloads address each other; the live
 * end-to-end test uses it with loopback addresses, this component with the platform's.
 */
import * as pulumi from "@pulumi/pulumi";
import { ALERTMANAGER_PORT, AlertRouting, alertmanagerScrapeJob, type AlertRoutingArgs } from "../components/alert-routing";
import { Exporters, resolveExporters, type ExportersArgs } from "../components/exporters";
import { GRAFANA_PORT, GrafanaWithDashboards, grafanaScrapeJob, type GrafanaArgs } from "../components/grafana";
import { platformDriver, preparePlatform, type Platform } from "../components/platform";
import { PROMETHEUS_PORT, PrometheusStack, type PrometheusStackArgs } from "../components/prometheus-stack";
import { sortFiles, type RenderedFile } from "../core/files";
import type { ScrapeJob } from "../core/prometheus/model";
import type { LintLevels } from "../core/lint";
import type { ValidationIssue } from "../core/validation";

type NoPlatform<T> = Omit<T, "platform">;

export interface MonitoringStackArgs {
  readonly platform: Platform;
  readonly exporters?: NoPlatform<ExportersArgs>;
  readonly alerting: NoPlatform<AlertRoutingArgs>;
  readonly prometheus: Omit<PrometheusStackArgs, "platform" | "alertmanagers">;
  readonly grafana: Omit<GrafanaArgs, "platform" | "prometheusUrl" | "alertmanagerUrl">;
  /** Lint levels for every component's content (a component's own `lint` wins). @default each rule's own */
  readonly lint?: LintLevels;
}

/** `host:port` of a named workload port, as the other workloads of the stack reach it. */
export type AddressOf = (workload: string, port: number) => string;
/** `host:port` of every replica of a workload (Alertmanager peers). */
export type PeersOf = (workload: string, replicas: number, port: number) => string[];

export interface WiredComponents {
  readonly exporters: NoPlatform<ExportersArgs>;
  readonly alerting: NoPlatform<AlertRoutingArgs>;
  readonly prometheus: NoPlatform<PrometheusStackArgs>;
  readonly grafana: NoPlatform<GrafanaArgs>;
}

/**
 * The wiring, pure: Prometheus scrapes itself, Alertmanager, Grafana and every exporter and probe; it alerts every
 * Alertmanager peer; Grafana reads Prometheus and Alertmanager. Addresses on a platform are known before anything
 * exists, so there is no cycle.
 */
export function wireComponents(
  args: Omit<MonitoringStackArgs, "platform">,
  address: AddressOf,
  exporterJobs: readonly ScrapeJob[],
  peers: PeersOf = (w, _n, port) => [address(w, port)],
): WiredComponents {
  const am = address("alertmanager", ALERTMANAGER_PORT);
  // Every peer gets every alert (a load balancer would hand each alert to one peer only).
  const amPeers = peers("alertmanager", args.alerting.replicas ?? 1, ALERTMANAGER_PORT);
  const grafana = address("grafana", GRAFANA_PORT);
  const lint = args.lint;
  return {
    exporters: args.exporters ?? {},
    alerting: { ...(lint ? { lint } : {}), ...args.alerting },
    grafana: { ...(lint ? { lint } : {}), ...args.grafana, prometheusUrl: `http://${address("prometheus", PROMETHEUS_PORT)}`, alertmanagerUrl: `http://${am}` },
    prometheus: {
      ...(lint ? { lint } : {}),
      ...args.prometheus,
      scrapeJobs: [
        ...(args.prometheus.scrapeJobs ?? []),
        alertmanagerScrapeJob(amPeers),
        grafanaScrapeJob(grafana),
        ...exporterJobs,
      ],
      alertmanagers: amPeers,
    },
  };
}

export class MonitoringStack extends pulumi.ComponentResource {
  public readonly exporters: Exporters;
  public readonly alerting: AlertRouting;
  public readonly prometheus: PrometheusStack;
  public readonly grafana: GrafanaWithDashboards;
  /** Every rendered artifact of the stack, by output path (for synth, review and diff). */
  public readonly files: readonly RenderedFile[];
  public readonly warnings: readonly ValidationIssue[];

  constructor(name: string, args: MonitoringStackArgs, opts?: pulumi.ComponentResourceOptions) {
    super("moncode:stack:MonitoringStack", name, {}, opts);
    const platform = preparePlatform(args.platform, { parent: this, name });
    const driver = platformDriver(platform);
    const exporterJobs = resolveExporters({ platform, ...(args.exporters ?? {}) }, driver.address).scrapeJobs;
    const wired = wireComponents(args, driver.address, exporterJobs, driver.peerAddresses);
    const child = { parent: this };
    this.exporters = new Exporters(`${name}-exporters`, { platform, ...wired.exporters }, child);
    this.alerting = new AlertRouting(`${name}-alerting`, { platform, ...wired.alerting }, child);
    this.grafana = new GrafanaWithDashboards(`${name}-grafana`, { platform, ...wired.grafana }, child);
    this.prometheus = new PrometheusStack(`${name}-prometheus`, { platform, ...wired.prometheus }, child);
    this.files = sortFiles([...this.prometheus.files, ...this.alerting.files, ...this.grafana.files, ...this.exporters.files]);
    this.warnings = [...this.prometheus.warnings, ...this.alerting.warnings, ...this.grafana.warnings];
    this.registerOutputs({});
  }
}
