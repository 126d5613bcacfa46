/**
 * MonitoringStack: the whole stack on one platform — shared platform resources (the Docker network), exporters,
 * Alertmanager, Prometheus (scraping every component and exporter, alerting every Alertmanager peer) and Grafana
 * (reading Prometheus). Takes typed args; `stacks/compose.ts` builds them from validated stack config.
 */
import * as pulumi from "@pulumi/pulumi";
import { AlertRouting, type AlertRoutingArgs } from "../components/alert-routing";
import { Exporters, type ExportersArgs } from "../components/exporters";
import { GrafanaWithDashboards, type GrafanaArgs } from "../components/grafana";
import { platformDriver, preparePlatform, type Platform } from "../components/platform";
import { PROMETHEUS_PORT, PrometheusStack, type PrometheusStackArgs } from "../components/prometheus-stack";
import { sortFiles, type RenderedFile } from "../core/files";
import type { ValidationIssue } from "../core/validation";

export interface MonitoringStackArgs {
  readonly platform: Platform;
  readonly exporters?: Omit<ExportersArgs, "platform">;
  readonly alerting: Omit<AlertRoutingArgs, "platform">;
  readonly prometheus: Omit<PrometheusStackArgs, "platform" | "alertmanagers">;
  readonly grafana: Omit<GrafanaArgs, "platform" | "prometheusUrl" | "alertmanagerUrl">;
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
    const child = { parent: this };
    this.exporters = new Exporters(`${name}-exporters`, { platform, ...(args.exporters ?? {}) }, child);
    this.alerting = new AlertRouting(`${name}-alerting`, { platform, ...args.alerting }, child);
    // Addresses on a platform are known before anything exists, so Grafana can point at Prometheus and
    // Prometheus can scrape Grafana without a cycle.
    const prometheusAddress = platformDriver(platform).address("prometheus", PROMETHEUS_PORT);
    this.grafana = new GrafanaWithDashboards(
      `${name}-grafana`,
      { platform, ...args.grafana, prometheusUrl: `http://${prometheusAddress}`, alertmanagerUrl: `http://${this.alerting.address}` },
      child,
    );
    this.prometheus = new PrometheusStack(
      `${name}-prometheus`,
      {
        platform,
        ...args.prometheus,
        scrapeJobs: [
          ...(args.prometheus.scrapeJobs ?? []),
          ...this.alerting.scrapeJobs,
          ...this.grafana.scrapeJobs,
          ...this.exporters.scrapeJobs,
        ],
        alertmanagers: this.alerting.peers,
      },
      child,
    );
    this.files = sortFiles([...this.prometheus.files, ...this.alerting.files, ...this.grafana.files, ...this.exporters.files]);
    this.warnings = [...this.prometheus.warnings, ...this.alerting.warnings, ...this.grafana.warnings];
    this.registerOutputs({});
  }
}
