import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { dashboardFolders, renderDashboardProviders, renderDatasources } from "../../../core/grafana";
import { datasourceModel, validateDatasourceLinks } from "../../../core/grafana/provisioning";
import { buildDashboards } from "../../../dashboards";

describe("renderDatasources", () => {
  it("provisions Prometheus as the default with a fixed UID, and nothing else when only it is given", () => {
    const doc = parse(renderDatasources({ prometheusUrl: "http://prometheus:9090" }));
    expect(doc).toEqual({
      apiVersion: 1,
      datasources: [{ name: "Prometheus", type: "prometheus", uid: "prometheus", access: "proxy", url: "http://prometheus:9090", isDefault: true, editable: false, jsonData: { httpMethod: "POST", prometheusType: "Prometheus", timeInterval: "15s" } }],
    });
  });

  it("adds Alertmanager, Loki and Tempo with fixed UIDs and links them when given", () => {
    const doc = parse(renderDatasources({ prometheusUrl: "http://p:9090", alertmanagerUrl: "http://am:9093", lokiUrl: "http://loki:3100", tempoUrl: "http://tempo:3200", scrapeInterval: "30s" }));
    expect(doc.datasources.map((d: any) => [d.uid, d.type, d.isDefault])).toEqual([
      ["prometheus", "prometheus", true], ["alertmanager", "alertmanager", false], ["loki", "loki", false], ["tempo", "tempo", false],
    ]);
    expect(doc.datasources[0].jsonData.timeInterval).toBe("30s");
    expect(doc.datasources[1].jsonData).toEqual({ implementation: "prometheus", handleGrafanaManagedAlerts: false });
    expect(doc.datasources[3].jsonData.tracesToLogsV2.datasourceUid).toBe("loki");
    expect(doc.datasources[2].jsonData.derivedFields[0].url).toBe("$${__value.raw}");
  });

  it("adds Loki and Jaeger with fixed UIDs, linked both ways: trace ids → Jaeger, spans → logs and span metrics, exemplars → Jaeger", () => {
    const doc = parse(renderDatasources({ prometheusUrl: "http://p:9090", lokiUrl: "http://loki:3100", jaegerUrl: "http://jaeger:16686" }));
    expect(doc.datasources.map((d: any) => [d.uid, d.type])).toEqual([["prometheus", "prometheus"], ["loki", "loki"], ["jaeger", "jaeger"]]);
    const [prom, loki, jaeger] = doc.datasources;
    expect(prom.jsonData.exemplarTraceIdDestinations).toEqual([{ datasourceUid: "jaeger", name: "trace_id" }]);
    // OTLP logs carry trace_id as structured metadata (a label matcher); text lines get the regex.
    expect(loki.jsonData.derivedFields.map((f: any) => [f.datasourceUid, f.matcherType, f.matcherRegex])).toEqual([["jaeger", "label", "trace_id"], ["jaeger", "regex", 'trace_?id["=: ]+(\\w+)']]);
    expect(new RegExp(loki.jsonData.derivedFields[1].matcherRegex).exec('msg="checkout failed" trace_id=4bf92f3577b34da6a3ce929d0e0e4736')?.[1]).toBe("4bf92f3577b34da6a3ce929d0e0e4736");
    expect(jaeger.jsonData.tracesToLogsV2).toMatchObject({ datasourceUid: "loki", filterByTraceID: true });
    expect(jaeger.jsonData.tracesToMetrics.datasourceUid).toBe("prometheus");
    // Without Loki, Jaeger links to no logs.
    expect(parse(renderDatasources({ prometheusUrl: "http://p:9090", jaegerUrl: "http://jaeger:16686" })).datasources[1].jsonData.tracesToLogsV2).toBeUndefined();
  });

  it("refuses a trace link to a datasource that is not provisioned, naming the datasource and the field", () => {
    const model = datasourceModel({ prometheusUrl: "http://p:9090", lokiUrl: "http://loki:3100", jaegerUrl: "http://jaeger:16686" }).filter((d) => d.uid !== "loki");
    expect(validateDatasourceLinks(model).map((i) => `${i.item}: ${i.field} ${i.message}`)).toEqual(['datasource "Jaeger": jsonData.tracesToLogsV2.datasourceUid links to datasource "loki", which is not provisioned (have prometheus, jaeger)']);
    expect(() => renderDatasources({ prometheusUrl: "http://p:9090", jaegerUrl: "http://jaeger:16686", tempoUrl: "http://tempo:3200" })).toThrow(/Jaeger.*Tempo are both given/);
  });

  it("is deterministic", () => {
    const opts = { prometheusUrl: "http://p:9090", alertmanagerUrl: "http://am:9093" };
    expect(renderDatasources(opts)).toBe(renderDatasources(opts));
  });

  it.each([
    [{ prometheusUrl: "prometheus:9090" }, 'datasource "Prometheus": url must be an absolute http(s) URL'],
    [{ prometheusUrl: "" }, 'datasource "Prometheus": url is required'],
    [{ prometheusUrl: "http://p:9090", alertmanagerUrl: "ftp://am" }, 'datasource "Alertmanager": url must be an absolute http(s) URL'],
    [{ prometheusUrl: "http://p:9090", scrapeInterval: "15 seconds" }, "jsonData.timeInterval must be a duration"],
  ])("refuses %j", (opts, message) => {
    expect(() => renderDatasources(opts)).toThrow(message);
  });
});

describe("renderDashboardProviders", () => {
  const folders = dashboardFolders(buildDashboards());

  it("has one file provider per folder of the shipped dashboards", () => {
    expect(folders).toEqual(["infrastructure", "kpis", "monitoring", "services"]);
    const doc = parse(renderDashboardProviders(folders, { dashboardsDir: "/var/lib/grafana/dashboards/", allowUiUpdates: false }));
    expect(doc.apiVersion).toBe(1);
    expect(doc.providers).toHaveLength(4);
    expect(doc.providers[3]).toEqual({
      name: "moncode-services", orgId: 1, folder: "Services", folderUid: "moncode-services", type: "file",
      disableDeletion: true, allowUiUpdates: false, updateIntervalSeconds: 30,
      options: { path: "/var/lib/grafana/dashboards/services", foldersFromFilesStructure: false },
    });
  });

  it("passes allowUiUpdates through (on in dev, off in prod) and takes folder titles", () => {
    const doc = parse(renderDashboardProviders(["kpis"], { dashboardsDir: "/d", allowUiUpdates: true, folderTitles: { kpis: "KPIs" } }));
    expect(doc.providers[0]).toMatchObject({ allowUiUpdates: true, folder: "KPIs" });
  });

  it.each([
    [["Services"], { dashboardsDir: "/d", allowUiUpdates: false }, 'dashboard folder "Services": folder must be kebab-case'],
    [["a", "a"], { dashboardsDir: "/d", allowUiUpdates: false }, "is listed twice"],
    [["a"], { dashboardsDir: "dashboards", allowUiUpdates: false }, "dashboardsDir must be an absolute path"],
    [["a"], { dashboardsDir: "/d", allowUiUpdates: false, updateIntervalSeconds: 1 }, "updateIntervalSeconds must be an integer of at least 10"],
  ])("refuses %j", (f, opts, message) => {
    expect(() => renderDashboardProviders(f, opts)).toThrow(message);
  });
});
