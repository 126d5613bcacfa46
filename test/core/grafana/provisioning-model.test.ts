/**
 * The datasource and dashboard-provider models whole, per combination of options, and every check's exact message:
 * the fields Grafana reads (links between datasources, trace-to-logs/metrics settings, folder UIDs) are asserted
 * value by value, not by shape. Pure (no Pulumi), so the mutation suite runs it.
 */
import { describe, expect, it } from "vitest";
import {
  dashboardProviderModel, datasourceModel, folderTitle, renderDashboardProviders, renderDatasources,
  validateDashboardProviders, validateDatasourceLinks, validateDatasourceOptions,
} from "../../../core/grafana/provisioning";
import { formatIssue } from "../../../core/validation";

const PROM = { name: "Prometheus", type: "prometheus", uid: "prometheus", access: "proxy", url: "http://p:9090", isDefault: true, editable: false };
const promJson = { httpMethod: "POST", prometheusType: "Prometheus", timeInterval: "15s" };
const LOKI = { name: "Loki", type: "loki", uid: "loki", access: "proxy", url: "http://loki:3100", isDefault: false, editable: false };
const TEMPO = { name: "Tempo", type: "tempo", uid: "tempo", access: "proxy", url: "http://tempo:3200", isDefault: false, editable: false };
const JAEGER = { name: "Jaeger", type: "jaeger", uid: "jaeger", access: "proxy", url: "http://jaeger:16686", isDefault: false, editable: false };
const SERVICE_TAG = [{ key: "service.name", value: "service_name" }];
const tracesToMetrics = {
  datasourceUid: "prometheus", spanStartTimeShift: "-5m", spanEndTimeShift: "5m", tags: SERVICE_TAG,
  queries: [
    { name: "Span rate", query: "sum(rate(traces_span_metrics_calls_total{$$__tags}[5m]))" },
    { name: "Error rate", query: 'sum(rate(traces_span_metrics_calls_total{$$__tags,status_code="STATUS_CODE_ERROR"}[5m]))' },
  ],
};
const p = "http://p:9090";

describe("datasourceModel", () => {
  it("Loki alone: no derived fields", () => {
    expect(datasourceModel({ prometheusUrl: p, lokiUrl: "http://loki:3100" })).toEqual([{ ...PROM, jsonData: promJson }, { ...LOKI, jsonData: { maxLines: 1000 } }]);
  });

  it("Loki and Jaeger: trace ids in logs open Jaeger, spans open their logs and metrics, exemplars open Jaeger", () => {
    expect(datasourceModel({ prometheusUrl: p, lokiUrl: "http://loki:3100", jaegerUrl: "http://jaeger:16686", scrapeInterval: "30s" })).toEqual([
      { ...PROM, jsonData: { ...promJson, timeInterval: "30s", exemplarTraceIdDestinations: [{ datasourceUid: "jaeger", name: "trace_id" }] } },
      {
        ...LOKI,
        jsonData: {
          maxLines: 1000,
          derivedFields: [
            { datasourceUid: "jaeger", matcherType: "label", matcherRegex: "trace_id", name: "TraceID", url: "$${__value.raw}" },
            { datasourceUid: "jaeger", matcherType: "regex", matcherRegex: 'trace_?id["=: ]+(\\w+)', name: "TraceIDInLine", url: "$${__value.raw}" },
          ],
        },
      },
      { ...JAEGER, jsonData: { tracesToMetrics, tracesToLogsV2: { datasourceUid: "loki", filterByTraceID: true, spanStartTimeShift: "-5m", spanEndTimeShift: "5m", tags: SERVICE_TAG } } },
    ]);
  });

  it("Jaeger alone: metrics links only", () => {
    expect(datasourceModel({ prometheusUrl: p, jaegerUrl: "http://jaeger:16686" })).toEqual([
      { ...PROM, jsonData: { ...promJson, exemplarTraceIdDestinations: [{ datasourceUid: "jaeger", name: "trace_id" }] } },
      { ...JAEGER, jsonData: { tracesToMetrics } },
    ]);
  });

  it("Loki and Tempo: trace ids open Tempo, Tempo links to logs and the service map", () => {
    expect(datasourceModel({ prometheusUrl: p, lokiUrl: "http://loki:3100", tempoUrl: "http://tempo:3200" })).toEqual([
      { ...PROM, jsonData: { ...promJson, exemplarTraceIdDestinations: [{ datasourceUid: "tempo", name: "trace_id" }] } },
      { ...LOKI, jsonData: { maxLines: 1000, derivedFields: [{ datasourceUid: "tempo", matcherRegex: "trace_?id=(\\w+)", name: "TraceID", url: "$${__value.raw}" }] } },
      { ...TEMPO, jsonData: { serviceMap: { datasourceUid: "prometheus" }, nodeGraph: { enabled: true }, tracesToLogsV2: { datasourceUid: "loki", filterByTraceID: true } } },
    ]);
  });

  it("Tempo alone: no logs link", () => {
    expect(datasourceModel({ prometheusUrl: p, tempoUrl: "http://tempo:3200" })[1]).toEqual({ ...TEMPO, jsonData: { serviceMap: { datasourceUid: "prometheus" }, nodeGraph: { enabled: true } } });
  });

  it("Alertmanager: Grafana-managed alerts off", () => {
    expect(datasourceModel({ prometheusUrl: p, alertmanagerUrl: "http://am:9093" })[1]).toEqual({
      name: "Alertmanager", type: "alertmanager", uid: "alertmanager", access: "proxy", url: "http://am:9093", isDefault: false, editable: false,
      jsonData: { implementation: "prometheus", handleGrafanaManagedAlerts: false },
    });
  });
});

describe("validateDatasourceOptions", () => {
  const msgs = (o: Parameters<typeof validateDatasourceOptions>[0]) => validateDatasourceOptions(o).map(formatIssue);
  it("accepts http and https URLs and durations in ms, s, m and h", () => {
    for (const scrapeInterval of ["500ms", "15s", "1m", "1h"]) {
      expect(msgs({ prometheusUrl: "https://p", alertmanagerUrl: "http://am:9093", lokiUrl: "http://l", jaegerUrl: "http://j", scrapeInterval })).toEqual([]);
    }
  });
  it.each([
    [{ prometheusUrl: "" }, ['datasource "Prometheus": url is required']],
    [{ prometheusUrl: "p:9090" }, ['datasource "Prometheus": url must be an absolute http(s) URL, got "p:9090"']],
    [{ prometheusUrl: "not a url" }, ['datasource "Prometheus": url must be an absolute http(s) URL, got "not a url"']],
    [{ prometheusUrl: "file:///etc/passwd" }, ['datasource "Prometheus": url must be an absolute http(s) URL, got "file:///etc/passwd"']],
    [{ prometheusUrl: p, alertmanagerUrl: "ftp://am" }, ['datasource "Alertmanager": url must be an absolute http(s) URL, got "ftp://am"']],
    [{ prometheusUrl: p, lokiUrl: "loki" }, ['datasource "Loki": url must be an absolute http(s) URL, got "loki"']],
    [{ prometheusUrl: p, tempoUrl: "tempo" }, ['datasource "Tempo": url must be an absolute http(s) URL, got "tempo"']],
    [{ prometheusUrl: p, jaegerUrl: "jaeger" }, ['datasource "Jaeger": url must be an absolute http(s) URL, got "jaeger"']],
    [{ prometheusUrl: p, jaegerUrl: "http://j", tempoUrl: "http://t" }, ['datasource "Jaeger": url and Tempo are both given: trace links point at one trace datasource']],
    [{ prometheusUrl: p, scrapeInterval: "15 seconds" }, ['datasource "Prometheus": jsonData.timeInterval must be a duration like 15s, got "15 seconds"']],
    [{ prometheusUrl: p, scrapeInterval: "x15s" }, ['datasource "Prometheus": jsonData.timeInterval must be a duration like 15s, got "x15s"']],
    [{ prometheusUrl: p, scrapeInterval: "15sx" }, ['datasource "Prometheus": jsonData.timeInterval must be a duration like 15s, got "15sx"']],
  ])("%j", (opts, expected) => {
    expect(msgs(opts)).toEqual(expected);
  });
  it("renderDatasources throws with the section name", () => {
    expect(() => renderDatasources({ prometheusUrl: "" })).toThrow(/^Grafana datasources/);
  });
});

describe("validateDatasourceLinks", () => {
  it("finds a link inside an array and names its path", () => {
    const model = datasourceModel({ prometheusUrl: p, lokiUrl: "http://loki:3100", jaegerUrl: "http://jaeger:16686" }).filter((d) => d.uid !== "jaeger");
    expect(validateDatasourceLinks(model).map(formatIssue)).toEqual([
      'datasource "Prometheus": jsonData.exemplarTraceIdDestinations[0].datasourceUid links to datasource "jaeger", which is not provisioned (have prometheus, loki)',
      'datasource "Loki": jsonData.derivedFields[0].datasourceUid links to datasource "jaeger", which is not provisioned (have prometheus, loki)',
      'datasource "Loki": jsonData.derivedFields[1].datasourceUid links to datasource "jaeger", which is not provisioned (have prometheus, loki)',
    ]);
  });
  it("ignores a datasourceUid that is not a string", () => {
    expect(validateDatasourceLinks([{ ...PROM, jsonData: { x: { datasourceUid: 5 } } } as never])).toEqual([]);
  });
});

describe("dashboard providers", () => {
  const base = { dashboardsDir: "/d", allowUiUpdates: false };
  it("title-cases folder names unless a title is given", () => {
    expect(folderTitle("business-kpis")).toBe("Business Kpis");
    expect(folderTitle("a--b")).toBe("A  B");
    expect(folderTitle("kpis", { kpis: "KPIs" })).toBe("KPIs");
  });
  it("one provider per distinct folder, sorted, the directory's trailing slashes dropped", () => {
    expect(dashboardProviderModel(["b", "a", "b"], { dashboardsDir: "/g/d//", allowUiUpdates: true, updateIntervalSeconds: 60 })).toEqual(
      ["a", "b"].map((f) => ({
        name: `moncode-${f}`, orgId: 1, folder: f.toUpperCase(), folderUid: `moncode-${f}`, type: "file", disableDeletion: true,
        allowUiUpdates: true, updateIntervalSeconds: 60, options: { path: `/g/d/${f}`, foldersFromFilesStructure: false },
      })),
    );
  });
  it.each([
    [["a"], base, []],
    [["a"], { ...base, updateIntervalSeconds: 10 }, []],
    [["a".repeat(32)], base, []],
    [["a".repeat(33)], base, [`dashboard folder "${"a".repeat(33)}": folderUid is longer than Grafana's 40 characters`]],
    [["Services"], base, ['dashboard folder "Services": folder must be kebab-case (a-z, 0-9, -)']],
    [["a", "a"], base, ['dashboard folder "a": folder is listed twice']],
    [["a"], { ...base, dashboardsDir: "dashboards" }, ['dashboard providers: dashboardsDir must be an absolute path inside the container, got "dashboards"']],
    [["a"], { ...base, updateIntervalSeconds: 9 }, ["dashboard providers: updateIntervalSeconds must be an integer of at least 10"]],
    [["a"], { ...base, updateIntervalSeconds: 10.5 }, ["dashboard providers: updateIntervalSeconds must be an integer of at least 10"]],
  ] as [string[], typeof base, string[]][])("%j %j", (folders, opts, expected) => {
    expect(validateDashboardProviders(folders, opts).map(formatIssue)).toEqual(expected);
  });
  it("renderDashboardProviders throws with the section name", () => {
    expect(() => renderDashboardProviders(["A"], base)).toThrow(/^Grafana dashboard providers/);
  });
});
