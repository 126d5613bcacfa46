/**
 * The diff's areas on small hand-written synth trees: identity (what counts as the same item), what a change is
 * called, what is never shown (secrets, hashes, layout), and what the providers will do with a platform change.
 */
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { diffSynth, type SynthTree } from "../../../core/diff";
import { exprChange, normalizeExpr } from "../../../core/diff/expr";
import { parsePromtoolFirings } from "../../../core/diff/alert-impact";
import { changedSpan, diffFields, fieldChange } from "../../../core/diff/values";

const tree = (files: Record<string, unknown>): SynthTree =>
  new Map(Object.entries(files).map(([p, v]) => [p, typeof v === "string" ? v : p.endsWith(".json") ? JSON.stringify(v) : stringify(v)]));
const diff = (a: SynthTree, b: SynthTree) => diffSynth(a, b, { stack: "t", base: "a", head: "b" });
const section = (a: SynthTree, b: SynthTree, area: string) => diff(a, b).sections.find((s) => s.area === area)?.changes ?? [];

describe("expressions compare as PromQL", () => {
  it.each([
    ["a threshold", "rate(x[5m]) > 0.05", "rate(x[5m]) > 0.02", "threshold 0.05 → 0.02"],
    ["a window", "rate(x[5m]) > 1", "rate(x[10m]) > 1", "window 5m → 10m"],
    ["an offset", "x offset 1w < 0.5 * x", "x offset 2w < 0.5 * x", "offset 1w → 2w"],
    ["a factor", "x > y * 0.5", "x > y * 0.25", "value 0.5 → 0.25"],
    ["a bool comparison's threshold", "x > bool 3", "x > bool 4", "value 3 → 4"],
  ])("names %s", (_n, a, b, note) => {
    expect(exprChange("expr", a, b)?.note).toBe(note);
  });

  it("finds no change in layout, spacing or comments", () => {
    expect(exprChange("expr", "sum by (job) (rate(x[5m]))\n  > 1", "# why\nsum by(job)(rate(x[5m])) > 1")).toBeUndefined();
    expect(normalizeExpr("a>1")).toBe(normalizeExpr("a > 1"));
  });

  it("shows a structural change whole, without a literal note", () => {
    expect(exprChange("expr", "x > 1", "max(x) > 1")).toEqual({ field: "expr", old: "x > 1", new: "max(x) > 1" });
  });
});

describe("values", () => {
  it("keys arrays of named objects, so an insertion is one added element, not a shift", () => {
    const a = { jobs: [{ name: "a", v: 1 }, { name: "c", v: 3 }] };
    const b = { jobs: [{ name: "a", v: 1 }, { name: "b", v: 2 }, { name: "c", v: 3 }] };
    expect(diffFields(a, b)).toEqual([{ field: "jobs[b].name", new: "b" }, { field: "jobs[b].v", new: "2" }]);
  });

  it("cuts long texts to the span that differs, and long lists to the elements that moved", () => {
    const text = "Requests fail above the warning threshold of five percent for ten minutes, which pages nobody but shows on the board.";
    expect(changedSpan(text, text.replace("five", "two"))).toEqual({ old: "…threshold of five percent for…", new: "…threshold of two percent for…" });
    expect(fieldChange("args", ["--a", "--b=1", "--c", "--d"], ["--a", "--b=2", "--c", "--d"])).toEqual({ field: "args", old: "--b=1", new: "--b=2", note: "other elements unchanged" });
    expect(fieldChange("args", ["--a", "--b", "--c", "--d"], ["--b", "--a", "--c", "--d"]).note).toBe("order changed");
  });

  it("names the file it cannot parse", () => {
    const bad = tree({ "prometheus/prometheus.yml": "scrape_configs: [\n" });
    expect(() => diff(bad, bad)).toThrow("prometheus/prometheus.yml: cannot parse");
  });
});

const rules = (...alerts: object[]) => ({ groups: [{ name: "g", rules: alerts }] });

describe("alert rules", () => {
  it("tells one alert name at two severities apart, and shows a severity change of a unique alert as a change", () => {
    const a = tree({ "prometheus/rules/g.yml": rules({ alert: "Lag", expr: "x > 1", labels: { severity: "warning" } }, { alert: "Lag", expr: "x > 5", labels: { severity: "critical" } }, { alert: "Down", expr: "up == 0", labels: { severity: "warning" } }) });
    const b = tree({ "prometheus/rules/g.yml": rules({ alert: "Lag", expr: "x > 1", labels: { severity: "warning" } }, { alert: "Lag", expr: "x > 10", labels: { severity: "critical" } }, { alert: "Down", expr: "up == 0", labels: { severity: "critical" } }) });
    expect(section(a, b, "alerts")).toEqual([
      { kind: "changed", id: "g / Down", fields: [{ field: "labels.severity", old: "warning", new: "critical" }] },
      { kind: "changed", id: "g / Lag (severity=critical)", fields: [{ field: "expr", old: "x > 5", new: "x > 10", note: "threshold 5 → 10" }] },
    ]);
  });
});

const am = (cfg: object) => tree({ "alertmanager/alertmanager.yml": cfg });
const route = (routes: object[]) => ({ receiver: "default", routes });

describe("routing tree", () => {
  it("reports a reorder of siblings (it decides where alerts stop) on the parent", () => {
    const a = am({ route: route([{ receiver: "x", matchers: ['team="a"'] }, { receiver: "y", matchers: ['team="b"'] }]), receivers: [{ name: "default" }, { name: "x" }, { name: "y" }] });
    const b = am({ route: route([{ receiver: "y", matchers: ['team="b"'] }, { receiver: "x", matchers: ['team="a"'] }]), receivers: [{ name: "default" }, { name: "x" }, { name: "y" }] });
    expect(section(a, b, "routes")).toEqual([{ kind: "changed", id: "route", fields: [{ field: "routes order", old: '[team="a", team="b"]', new: '[team="b", team="a"]' }] }]);
  });

  it("moves a subtree as one change: its children are not reported again", () => {
    const sub = { receiver: "db", matchers: ['component="database"'], routes: [{ matchers: ['severity="critical"'], group_wait: "10s" }] };
    const a = am({ route: route([{ receiver: "crit", matchers: ['severity="critical"'], continue: true }, sub]), receivers: [] });
    const b = am({ route: route([{ receiver: "crit", matchers: ['severity="critical"'], continue: true, routes: [sub] }]), receivers: [] });
    expect(section(a, b, "routes")).toEqual([{ kind: "moved", id: 'route > severity="critical" > component="database"', fields: [{ field: "parent", old: "route", new: 'route > severity="critical"' }] }]);
  });
});

describe("receivers never show a secret", () => {
  it("masks inline credentials (changed or not) and shows *_file paths, which name a secret and not its value", () => {
    const recv = (url: string, file: string) => am({ route: { receiver: "r" }, receivers: [{ name: "r", slack_configs: [{ api_url: url, channel: "#a" }], pagerduty_configs: [{ routing_key_file: file }] }] });
    const report = diff(recv("https://hooks.slack.com/services/T0/B0/SECRET1", "/s/a"), recv("https://hooks.slack.com/services/T0/B0/SECRET2", "/s/b"));
    expect(report.sections.find((s) => s.area === "receivers")?.changes).toEqual([
      {
        kind: "changed",
        id: "r",
        fields: [
          { field: "pagerduty_configs[0].routing_key_file", old: "/s/a", new: "/s/b" },
          { field: "slack_configs[0].api_url", old: "[secret]", new: "[secret, changed]" },
        ],
      },
    ]);
    expect(JSON.stringify(report)).not.toContain("SECRET");
  });

  it("calls a receiver that kept its integrations under another name renamed", () => {
    const r = (name: string) => am({ route: { receiver: name }, receivers: [{ name, email_configs: [{ to: "a@example.com" }] }] });
    expect(section(r("ops"), r("oncall"), "receivers")).toEqual([{ kind: "renamed", id: "oncall", fields: [{ field: "name", old: "ops", new: "oncall" }] }]);
  });
});

describe("routing and inhibition impact", () => {
  const alerts = { "prometheus/rules/g.yml": rules({ alert: "ServiceDown", expr: "up == 0", labels: { severity: "critical" } }, { alert: "HighLatency", expr: "x > 1", labels: { severity: "warning" } }) };
  const cfg = (teamReceiver: string, inhibit: object[]) => ({
    route: route([{ receiver: teamReceiver, matchers: ['component="api"'] }]),
    receivers: [{ name: "default" }, { name: teamReceiver }],
    inhibit_rules: inhibit,
  });
  const down = { source_matchers: ['alertname="ServiceDown"'], target_matchers: ['alertname!="ServiceDown"'], equal: ["job"] };

  it("routes every shipped alert (alone and with each component value a matcher can see) through both trees", () => {
    const prom = { scrape_configs: [{ job_name: "api", static_configs: [{ targets: ["a:1"], labels: { component: "api" } }, { targets: ["w:1"], labels: { component: "worker" } }] }] };
    const r = diff(tree({ ...alerts, "prometheus/prometheus.yml": prom, "alertmanager/alertmanager.yml": cfg("api-team", []) }), tree({ ...alerts, "prometheus/prometheus.yml": prom, "alertmanager/alertmanager.yml": cfg("api-oncall", []) }));
    // component=worker routes like no component at all in both trees: it is not a separate label set.
    expect(r.routingImpact).toEqual([
      { labels: { alertname: "HighLatency", component: "api", severity: "warning" }, source: "alert", old: ["api-team"], new: ["api-oncall"] },
      { labels: { alertname: "ServiceDown", component: "api", severity: "critical" }, source: "alert", old: ["api-team"], new: ["api-oncall"] },
    ]);
  });

  it("lists the alert pairs whose inhibition changes", () => {
    const r = diff(tree({ ...alerts, "alertmanager/alertmanager.yml": cfg("t", [down]) }), tree({ ...alerts, "alertmanager/alertmanager.yml": cfg("t", []) }));
    expect(r.inhibitionImpact).toEqual([{ source: { alertname: "ServiceDown", severity: "critical" }, target: { alertname: "HighLatency", severity: "warning" }, old: true, new: false }]);
    expect(r.categories).toEqual(["inhibition-change", "any"]);
  });
});

const resources = (list: object[]) => tree({ "resources.json": list });
const container = (inputs: object) => ({ type: "docker:index/container:Container", name: "s-prom", parent: "s", inputs: { name: "s-prom", image: "prom/prometheus:v3.16.0", memory: 512, ...inputs } });

describe("platform objects as the providers treat them", () => {
  it("Docker: memory in place, a healthcheck stored only, a command change replaces", () => {
    const a = resources([container({ command: ["--a"], healthcheck: { interval: "15s" } })]);
    expect(section(a, resources([container({ command: ["--a"], healthcheck: { interval: "15s" }, memory: 1024 })]), "platform")).toEqual([
      { kind: "updated", id: "Container s-prom", fields: [{ field: "memory", old: "512", new: "1024", note: "updated in place" }] },
    ]);
    expect(section(a, resources([container({ command: ["--a"], healthcheck: { interval: "30s" } })]), "platform")[0]).toMatchObject({ kind: "updated", fields: [{ field: "healthcheck.interval", note: "stored, not applied to the running container" }] });
    expect(section(a, resources([container({ command: ["--b"], healthcheck: { interval: "15s" } })]), "platform")[0]).toMatchObject({ kind: "replaced", fields: [{ field: "command", note: "forces replacement" }] });
    // The provider's schema marks devices ForceNew and its update function never sends them (the shared table).
    expect(section(a, resources([container({ command: ["--a"], healthcheck: { interval: "15s" }, devices: [{ hostPath: "/dev/kmsg" }] })]), "platform")[0]).toMatchObject({ kind: "replaced" });
    expect(section(a, resources([container({ command: ["--a"], healthcheck: { interval: "15s" }, destroyGraceSeconds: 30 })]), "platform")[0]).toMatchObject({ kind: "updated", fields: [{ field: "destroyGraceSeconds", note: "stored, not applied to the running container" }] });
  });

  it("Kubernetes: ConfigMap data replaces, a Service port updates in place, a Secret shows keys only", () => {
    const k = (kind: string, extra: object) => ({ type: `kubernetes:core/v1:${kind}`, name: `p-${kind}`, parent: "p", inputs: { apiVersion: "v1", kind, metadata: { name: "x", namespace: "mon" }, ...extra } });
    const a = tree({
      "resources.json": [k("ConfigMap", { data: { "a.yml": { sha256: "1111", bytes: 1 } } }), k("Service", { spec: { ports: [{ name: "web", port: 80 }] } }), k("Secret", { stringData: "[secret]" })],
      "kubernetes/secret-x.yaml": { kind: "Secret", stringData: { token: "[redacted]" } },
    });
    const b = tree({
      "resources.json": [k("ConfigMap", { data: { "a.yml": { sha256: "2222", bytes: 2 } } }), k("Service", { spec: { ports: [{ name: "web", port: 8080 }] } }), k("Secret", { stringData: "[secret]" })],
      "kubernetes/secret-x.yaml": { kind: "Secret", stringData: { token: "[redacted]", password: "[redacted]" } },
    });
    const changes = section(a, b, "platform");
    expect(changes.map((c) => [c.kind, c.id, c.fields.map((f) => `${f.field}: ${f.note}`)])).toEqual([
      ["replaced", "ConfigMap mon/x", ["data.a.yml: content changed; forces replacement"]],
      ["replaced", "Secret mon/x", ["stringData.password: forces replacement"]],
      ["updated", "Service mon/x", ["spec.ports[web].port: updated in place"]],
    ]);
    expect(JSON.stringify(changes)).not.toMatch(/1111|2222/);
  });
});

describe("promtool's answer", () => {
  it("reads the firing alerts per probe, alert and eval time (promtool's own time format normalized)", () => {
    const out = [
      "Processing test file: probe.yml",
      "  FAILED:",
      "    name: p0,",
      "    alertname: TargetDown, time: 7m, ",
      "        exp:[], ",
      "        got:[",
      "            0:",
      '              Labels:{alertname="TargetDown", instance="api-1:8080", job="api", severity="warning"}',
      '              Annotations:{summary="api-1:8080 of \\"api\\" is down"}',
      "            ]",
      "",
    ].join("\n");
    const f = parsePromtoolFirings(out);
    expect([...f.keys()]).toEqual(["p0\u0000TargetDown\u0000420000"]);
    expect(f.get("p0\u0000TargetDown\u0000420000")).toEqual([{ alertname: "TargetDown", instance: "api-1:8080", job: "api", severity: "warning" }]);
  });
});
