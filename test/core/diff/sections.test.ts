/**
 * The diff's areas end to end on small hand-written synth trees: each area's changes, the categories a CI gate reads
 * and the summary line, asserted whole; the markdown of a report; flags as the workload areas read them; and a
 * datasource URL, shown as the address it is unless it carries a credential. Pure, so the mutation suite runs it.
 */
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { diffSynth, renderMarkdown, type SynthTree } from "../../../core/diff";
import { flagMap } from "../../../core/diff/workload-areas";

const tree = (files: Record<string, unknown>): SynthTree => new Map(Object.entries(files).map(([p, v]) => [p, typeof v === "string" ? v : p.endsWith(".json") ? JSON.stringify(v) : stringify(v)]));
const diff = (a: SynthTree, b: SynthTree) => diffSynth(a, b, { stack: "t", base: "a", head: "b" });
const P = "prometheus/prometheus.yml";
const prom = (extra: object, jobs: object[]) => tree({ [P]: { global: { scrape_interval: "15s", evaluation_interval: "15s" }, ...extra, scrape_configs: jobs } });

const pairs: [string, SynthTree, SynthTree][] = [
  ["scrape: a job added, removed, changed; global interval reaches inheriting jobs",
    prom({}, [{ job_name: "api", static_configs: [{ targets: ["a:1"] }] }, { job_name: "old", kubernetes_sd_configs: [{ role: "pod" }], scrape_interval: "30s" }, { job_name: "same", scrape_interval: "1m", static_configs: [{ targets: ["s:1"] }] }]),
    tree({ [P]: { global: { scrape_interval: "30s", evaluation_interval: "15s" }, scrape_configs: [{ job_name: "api", static_configs: [{ targets: ["a:1", "a:2"] }] }, { job_name: "new", static_configs: [{ targets: ["n:1"] }], scrape_interval: "5s" }, { job_name: "same", scrape_interval: "1m", static_configs: [{ targets: ["s:1"] }] }] } })],
  ["scrape: a probe job goes to exporters",
    prom({}, [{ job_name: "blackbox-http", params: { module: ["http_2xx"] }, static_configs: [{ targets: ["https://x"] }] }]),
    prom({}, [{ job_name: "blackbox-http", params: { module: ["http_2xx"] }, static_configs: [{ targets: ["https://y"] }] }])],
  ["records and groups",
    tree({ "prometheus/rules/a.yml": { groups: [{ name: "r", interval: "30s", rules: [{ record: "job:x:sum", expr: "sum by (job) (x)" }, { record: "job:y:sum", expr: "sum by (job) (y)" }] }, { name: "gone", rules: [{ record: "a:b:c", expr: "up" }] }] } }),
    tree({ "prometheus/rules/a.yml": { groups: [{ name: "r", interval: "1m", rules: [{ record: "job:x:sum", expr: "sum by (job) (x)", labels: { t: "1" } }, { record: "job:z:sum", expr: "sum by (job) (z)" }] }, { name: "fresh", rules: [{ alert: "A", expr: "up == 0", labels: { severity: "info" } }] }] } })],
  ["alerts: added, removed, for and annotations",
    tree({ "prometheus/rules/a.yml": { groups: [{ name: "g", rules: [{ alert: "A", expr: "up == 0", for: "5m", labels: { severity: "warning" }, annotations: { summary: "s" } }, { alert: "B", expr: "x > 1", labels: { severity: "info" } }] }] } }),
    tree({ "prometheus/rules/a.yml": { groups: [{ name: "g", rules: [{ alert: "A", expr: "up == 0", for: "10m", labels: { severity: "warning" }, annotations: { summary: "s2" } }, { alert: "C", expr: "y > 1", labels: { severity: "critical" } }] }] } })],
  ["time intervals and inhibition",
    tree({ "alertmanager/alertmanager.yml": { route: { receiver: "r" }, receivers: [{ name: "r" }], time_intervals: [{ name: "nights", time_intervals: [{ times: [{ start_time: "00:00", end_time: "06:00" }] }] }, { name: "gone", time_intervals: [] }], inhibit_rules: [{ source_matchers: ['severity="critical"'], target_matchers: ['severity="warning"'], equal: ["job"] }] } }),
    tree({ "alertmanager/alertmanager.yml": { route: { receiver: "r" }, receivers: [{ name: "r" }], time_intervals: [{ name: "nights", time_intervals: [{ times: [{ start_time: "00:00", end_time: "07:00" }] }] }, { name: "fresh", time_intervals: [] }], inhibit_rules: [{ source_matchers: ['severity="critical"'], target_matchers: ['severity="warning"'], equal: ["job", "instance"] }, { source_matchers: ['alertname="Down"'], target_matchers: ['alertname="Slow"'] }] } })],
  ["receivers added and removed, a route's receiver and timers",
    tree({ "alertmanager/alertmanager.yml": { route: { receiver: "r", group_wait: "30s", routes: [{ receiver: "a", matchers: ['team="a"'] }] }, receivers: [{ name: "r" }, { name: "a", webhook_configs: [{ url: "http://a" }] }, { name: "old", email_configs: [{ to: "x@y.z" }] }] } }),
    tree({ "alertmanager/alertmanager.yml": { route: { receiver: "r", group_wait: "10s", routes: [{ receiver: "b", matchers: ['team="a"'] }, { receiver: "a", matchers: ['team="c"'] }] }, receivers: [{ name: "r" }, { name: "a", webhook_configs: [{ url: "http://a" }] }, { name: "b", slack_configs: [{ channel: "#b" }] }] } })],
  ["dashboards, panels and datasources",
    tree({ "grafana/dashboards/svc/api.json": { uid: "api", title: "API", tags: ["a"], panels: [{ id: 1, type: "row", title: "R", panels: [] }, { id: 2, type: "timeseries", title: "Rate", gridPos: { x: 0, y: 1, w: 12, h: 8 }, targets: [{ refId: "A", expr: "rate(x[5m]) > 1" }] }, { id: 3, type: "stat", title: "Gone" }, { id: 4, type: "text" }] }, "grafana/dashboards/old.json": { uid: "old", title: "Old" }, "grafana/provisioning/datasources/datasources.yml": { apiVersion: 1, datasources: [{ name: "Prometheus", uid: "prometheus", url: "http://p:9090" }, { name: "Loki", uid: "loki", url: "http://l" }] } }),
    tree({ "grafana/dashboards/svc/api.json": { uid: "api", title: "API v2", tags: ["a", "b"], panels: [{ id: 1, type: "row", title: "R", panels: [] }, { id: 5, type: "timeseries", title: "Rate", gridPos: { x: 12, y: 1, w: 12, h: 8 }, targets: [{ refId: "A", expr: "rate(x[10m]) > 1" }] }, { id: 6, type: "stat", title: "New" }, { id: 7, type: "text" }] }, "grafana/dashboards/kpi/new.json": { uid: "new", title: "New" }, "grafana/provisioning/datasources/datasources.yml": { apiVersion: 1, datasources: [{ name: "Prometheus", uid: "prometheus", url: "http://p:9091" }, { name: "Jaeger", uid: "jaeger", url: "http://j" }] } })],
  ["nothing changed", prom({}, []), prom({}, [])],
];

/** Sections, categories and summary of each pair's report. */
const expected: Record<string, unknown> = {
  "scrape: a job added, removed, changed; global interval reaches inheriting jobs": {"sections": [{"area": "scrape", "title": "Scrape jobs", "changes": [{"kind": "changed", "id": "(server settings)", "fields": [{"field": "global.scrape_interval", "old": "15s", "new": "30s"}], "notes": ["global.scrape_interval applies to api"]}, {"kind": "changed", "id": "api", "fields": [{"field": "static_configs[0].targets", "old": "[a:1]", "new": "[a:1, a:2]"}]}, {"kind": "added", "id": "new", "fields": [{"field": "targets", "new": "[n:1]"}, {"field": "scrape_interval", "new": "5s"}]}, {"kind": "removed", "id": "old", "fields": [{"field": "kubernetes_sd_configs", "old": "[pod]"}, {"field": "scrape_interval", "old": "30s"}]}]}], "categories": ["scrape-change", "any"], "summary": "4 scrape jobs (1 added, 1 removed, 2 changed)"},
  "scrape: a probe job goes to exporters": {"sections": [{"area": "exporters", "title": "Exporters and probes", "changes": [{"kind": "changed", "id": "probe blackbox-http", "fields": [{"field": "static_configs[0].targets", "old": "[https://x]", "new": "[https://y]"}]}]}], "categories": ["any"], "summary": "1 exporter/probe item changed"},
  "records and groups": {"sections": [{"area": "alerts", "title": "Alert rules", "changes": [{"kind": "added", "id": "fresh / A", "fields": [{"field": "expr", "new": "up == 0"}, {"field": "severity", "new": "info"}]}]}, {"area": "records", "title": "Recording rules", "changes": [{"kind": "removed", "id": "a:b:c", "fields": [{"field": "expr", "old": "up"}]}, {"kind": "changed", "id": "job:x:sum", "fields": [{"field": "labels.t", "new": "1"}]}, {"kind": "removed", "id": "job:y:sum", "fields": [{"field": "expr", "old": "sum by (job) (y)"}]}, {"kind": "added", "id": "job:z:sum", "fields": [{"field": "expr", "new": "sum by (job) (z)"}]}]}, {"area": "groups", "title": "Rule groups", "changes": [{"kind": "added", "id": "fresh", "fields": [{"field": "alerts", "new": "1"}, {"field": "file", "new": "a.yml"}, {"field": "records", "new": "0"}]}, {"kind": "removed", "id": "gone", "fields": [{"field": "alerts", "old": "0"}, {"field": "file", "old": "a.yml"}, {"field": "records", "old": "1"}]}, {"kind": "changed", "id": "r", "fields": [{"field": "interval", "old": "30s", "new": "1m"}]}]}], "categories": ["added-alerts", "removed-records", "any"], "summary": "1 alert added · 4 recording rules (1 added, 2 removed, 1 changed) · 3 rule groups (1 added, 1 removed, 1 changed)"},
  "alerts: added, removed, for and annotations": {"sections": [{"area": "alerts", "title": "Alert rules", "changes": [{"kind": "changed", "id": "g / A", "fields": [{"field": "annotations.summary", "old": "s", "new": "s2"}, {"field": "for", "old": "5m", "new": "10m"}]}, {"kind": "removed", "id": "g / B", "fields": [{"field": "expr", "old": "x > 1"}, {"field": "severity", "old": "info"}]}, {"kind": "added", "id": "g / C", "fields": [{"field": "expr", "new": "y > 1"}, {"field": "severity", "new": "critical"}]}]}], "categories": ["added-alerts", "removed-alerts", "changed-alerts", "any"], "summary": "3 alerts (1 added, 1 removed, 1 changed)"},
  "time intervals and inhibition": {"sections": [{"area": "inhibition", "title": "Inhibition rules", "changes": [{"kind": "added", "id": "alertname=\"Down\" ⟹ alertname=\"Slow\"", "fields": [{"field": "equal", "new": "[]"}]}, {"kind": "changed", "id": "severity=\"critical\" ⟹ severity=\"warning\"", "fields": [{"field": "equal", "old": "[job]", "new": "[instance, job]"}]}]}, {"area": "timeIntervals", "title": "Time intervals", "changes": [{"kind": "added", "id": "fresh", "fields": [{"field": "time_intervals", "new": "[]"}]}, {"kind": "removed", "id": "gone", "fields": [{"field": "time_intervals", "old": "[]"}]}, {"kind": "changed", "id": "nights", "fields": [{"field": "time_intervals[0].times[0].end_time", "old": "06:00", "new": "07:00"}]}]}], "categories": ["inhibition-change", "any"], "summary": "2 inhibition rules (1 added, 1 changed) · 3 time intervals (1 added, 1 removed, 1 changed)"},
  "receivers added and removed, a route's receiver and timers": {"sections": [{"area": "routes", "title": "Routing tree", "changes": [{"kind": "changed", "id": "route", "fields": [{"field": "group_wait", "old": "30s", "new": "10s"}]}, {"kind": "changed", "id": "route > team=\"a\"", "fields": [{"field": "receiver", "old": "a", "new": "b"}]}, {"kind": "added", "id": "route > team=\"c\"", "fields": [{"field": "receiver", "new": "a"}]}]}, {"area": "receivers", "title": "Receivers", "changes": [{"kind": "added", "id": "b", "fields": [{"field": "integrations", "new": "slack_configs ×1"}]}, {"kind": "removed", "id": "old", "fields": [{"field": "integrations", "old": "email_configs ×1"}]}]}], "categories": ["routing-change", "receiver-change", "any"], "summary": "3 routes (1 added, 2 changed) · 2 receivers (1 added, 1 removed)"},
  "dashboards, panels and datasources": {"sections": [{"area": "dashboards", "title": "Dashboards", "changes": [{"kind": "changed", "id": "api", "fields": [{"field": "tags", "old": "[a]", "new": "[a, b]"}, {"field": "title", "old": "API", "new": "API v2"}]}, {"kind": "added", "id": "new", "fields": [{"field": "title", "new": "New"}, {"field": "folder", "new": "kpi"}, {"field": "panels", "new": "0"}]}, {"kind": "removed", "id": "old", "fields": [{"field": "title", "old": "Old"}, {"field": "folder", "old": "(root)"}, {"field": "panels", "old": "0"}]}]}, {"area": "panels", "title": "Panels", "changes": [{"kind": "removed", "id": "api / Gone", "fields": [{"field": "type", "old": "stat"}]}, {"kind": "added", "id": "api / New", "fields": [{"field": "type", "new": "stat"}]}, {"kind": "changed", "id": "api / Rate", "fields": [{"field": "position", "old": "0,1 12×8", "new": "12,1 12×8"}, {"field": "targets[A].expr", "old": "rate(x[5m]) > 1", "new": "rate(x[10m]) > 1", "note": "window 5m → 10m"}]}]}, {"area": "datasources", "title": "Datasources", "changes": [{"kind": "added", "id": "jaeger", "fields": [{"field": "type", "new": "\"\""}, {"field": "url", "new": "http://j"}]}, {"kind": "removed", "id": "loki", "fields": [{"field": "type", "old": "\"\""}, {"field": "url", "old": "http://l"}]}, {"kind": "changed", "id": "prometheus", "fields": [{"field": "url", "old": "http://p:9090", "new": "http://p:9091"}]}]}], "categories": ["removed-dashboards", "dashboard-change", "any"], "summary": "3 dashboards (1 added, 1 removed, 1 changed) · 3 panels (1 added, 1 removed, 1 changed) · 3 datasources (1 added, 1 removed, 1 changed)"},
  "nothing changed": {"sections": [], "categories": [], "summary": "no changes"},
};

describe("diffSynth, area by area", () => {
  it.each(pairs)("%s", (name, a, b) => {
    const r = diff(a, b);
    expect({ sections: r.sections, categories: r.categories, summary: r.summary }).toEqual(expected[name]);
  });
});

describe("renderMarkdown", () => {
  it("lists each section's changes with their fields", () => {
    expect(renderMarkdown(diff(pairs[3]![1], pairs[3]![2]))).toBe("### Monitoring diff for `t`: `a` → `b`\n\n**3 alerts (1 added, 1 removed, 1 changed)**\n\n#### Alert rules (3)\n\n- **changed** `g / A`\n  - `annotations.summary`: `s` → `s2`\n  - `for`: `5m` → `10m`\n- **removed** `g / B`\n  - `expr`: `x > 1`\n  - `severity`: `info`\n- **added** `g / C`\n  - `expr`: `y > 1`\n  - `severity`: `critical`\n");
  });
  it("says so when nothing changed", () => {
    expect(renderMarkdown(diff(pairs[7]![1], pairs[7]![2]))).toBe("### Monitoring diff for `t`: `a` → `b`\n\n**no changes**\n");
  });
});

describe("datasource URLs", () => {
  const ds = (url: string) => tree({ "grafana/provisioning/datasources/datasources.yml": { apiVersion: 1, datasources: [{ name: "P", uid: "p", type: "prometheus", url }] } });
  const changes = (a: SynthTree, b: SynthTree) => diff(a, b).sections.find((s) => s.area === "datasources")?.changes;
  it("shows an address change as it is", () => {
    expect(changes(ds("http://p:9090"), ds("http://p:9091"))).toEqual([{ kind: "changed", id: "p", fields: [{ field: "url", old: "http://p:9090", new: "http://p:9091" }] }]);
  });
  it("masks a URL with a credential in it, changed or added", () => {
    expect(changes(ds("http://p:9090"), ds("https://u:pw@p:9090"))).toEqual([{ kind: "changed", id: "p", fields: [{ field: "url", old: "[secret]", new: "[secret, changed]" }] }]);
    expect(changes(tree({}), ds("https://u:pw@p:9090"))).toEqual([{ kind: "added", id: "p", fields: [{ field: "type", new: "prometheus" }, { field: "url", new: "[secret]" }] }]);
    expect(JSON.stringify(diff(tree({}), ds("https://u:pw@p:9090")))).not.toContain("pw@");
  });
});

describe("flagMap", () => {
  it("reads --flag=value, bare flags, repeated flags and positional arguments", () => {
    expect(flagMap(["--a=1", "--b", "x", "--a=2", "-v", "--c=x=y"])).toEqual({ "--a": "1, 2", "--b": "true", "arg 2": "x", "-v": "true", "--c": "x=y" });
    expect(flagMap([])).toEqual({});
  });
});
