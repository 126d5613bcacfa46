/** The collector's config.yaml from the model; validated first, so a pipeline naming nothing never reaches a file. */
import { assertValid } from "../validation";
import { compact, toYaml } from "../yaml";
import type { CollectorConfig } from "./model";
import { validateCollectorConfig } from "./validate";

/**
 * The config.yaml of a collector config as an object, before text: empty sections left out, components as given, the
 * collector's own metrics on a Prometheus pull reader (0.0.0.0:8888 unless the telemetry says otherwise). Does not
 * validate; see `validateCollectorConfig`.
 */
export function collectorConfigObject(c: CollectorConfig): Record<string, unknown> {
  const t = c.service.telemetry ?? {};
  return compact({
    extensions: c.extensions && Object.keys(c.extensions).length > 0 ? c.extensions : undefined,
    receivers: c.receivers,
    processors: c.processors && Object.keys(c.processors).length > 0 ? c.processors : undefined,
    exporters: c.exporters,
    connectors: c.connectors && Object.keys(c.connectors).length > 0 ? c.connectors : undefined,
    service: compact({
      extensions: c.service.extensions && c.service.extensions.length > 0 ? [...c.service.extensions] : undefined,
      pipelines: Object.fromEntries(Object.entries(c.service.pipelines).map(([id, p]) => [id, compact({ receivers: [...p.receivers], processors: p.processors && p.processors.length > 0 ? [...p.processors] : undefined, exporters: [...p.exporters] })])),
      // Collector 0.165 removed `metrics.address`; a pull reader on 0.0.0.0 is how Prometheus reaches :8888.
      telemetry: {
        logs: { level: t.logLevel ?? "info" },
        metrics: { level: "normal", readers: [{ pull: { exporter: { prometheus: { host: t.metricsHost ?? "0.0.0.0", port: t.metricsPort ?? 8888 } } } }] },
      },
    }),
  });
}

/**
 * The config.yaml text of a collector config. Validates first: throws a ValidationError on any error, naming the
 * collector by `name` (default "otelcol").
 */
export function renderCollectorConfig(c: CollectorConfig, name = "otelcol"): string {
  assertValid(`collector "${name}"`, validateCollectorConfig(c, { name }));
  return toYaml(collectorConfigObject(c));
}
