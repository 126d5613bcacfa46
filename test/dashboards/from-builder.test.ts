/**
 * A dashboard written like the Foundation SDK's own examples (hard-coded datasource, no ids, no variables) meets the
 * stack's conventions through `fromBuilder`: what remains for the lint is only what the author must decide
 * (units, $__rate_interval, descriptions).
 */
import { DashboardBuilder, RowBuilder } from "@grafana/grafana-foundation-sdk/dashboard";
import { DataqueryBuilder } from "@grafana/grafana-foundation-sdk/prometheus";
import { PanelBuilder as StatBuilder } from "@grafana/grafana-foundation-sdk/stat";
import { PanelBuilder as TimeseriesBuilder } from "@grafana/grafana-foundation-sdk/timeseries";
import { describe, expect, it } from "vitest";
import { DATASOURCE_UIDS } from "../../core/conventions";
import { lintDashboards } from "../../core/grafana/lint";
import { fromBuilder } from "../../dashboards";

function sdkExample(): DashboardBuilder {
  return new DashboardBuilder("Checkout service")
    .tags(["checkout"])
    .withRow(new RowBuilder("Overview"))
    .withPanel(new StatBuilder().title("Up").unit("none").description("Targets answering.").datasource({ type: "prometheus", uid: "prometheus" }).withTarget(new DataqueryBuilder().expr('up{job="checkout"}')))
    .withPanel(new TimeseriesBuilder().title("Requests").unit("reqps").withTarget(new DataqueryBuilder().expr('sum(rate(http_requests_total{job="checkout"}[5m]))')));
}

const rulesOf = (def: ReturnType<typeof fromBuilder>) =>
  [...new Set(lintDashboards([def], { recordingRules: [], datasourceUids: Object.values(DATASOURCE_UIDS) }).map((i) => i.rule ?? i.message))].sort();

describe("fromBuilder", () => {
  it("gives a stable uid from the title, the folder, the house tag, the datasource variable and panel ids in order", () => {
    const def = fromBuilder(sdkExample(), { folder: "services" });
    expect(def).toMatchObject({ uid: "moncode-checkout-service", title: "Checkout service", folder: "services" });
    const d = def.dashboard as { tags: string[]; templating: { list: { name: string; type: string }[] }; panels: { id: number; type: string; datasource?: unknown; targets?: { datasource?: unknown }[] }[] };
    expect(d.tags).toEqual(["moncode", "checkout"]);
    expect(d.templating.list.map((v) => `${v.type}:${v.name}`)).toEqual(["datasource:datasource"]);
    expect(d.panels.map((p) => [p.type, p.id])).toEqual([["row", 1], ["stat", 2], ["timeseries", 3]]);
    for (const p of d.panels.filter((x) => x.type !== "row")) {
      expect(p.datasource).toEqual({ type: "prometheus", uid: "${datasource}" });
      for (const t of p.targets ?? []) expect(t.datasource).toEqual({ type: "prometheus", uid: "${datasource}" });
    }
  });

  it("leaves the lint only what the author decides: no datasource, id or variable findings", () => {
    expect(rulesOf(fromBuilder(sdkExample(), { folder: "services" }))).toEqual(["dashboard/metric-unknown", "dashboard/panel-description", "dashboard/rate-interval"]);
  });

  it("adds job and instance variables when asked, and then lints their use", () => {
    const def = fromBuilder(sdkExample(), { folder: "services", uid: "checkout", variables: { jobFrom: 'up{job="checkout"}' } });
    const list = (def.dashboard as { templating: { list: { name: string; query?: string }[] } }).templating.list;
    expect(list.map((v) => v.name)).toEqual(["datasource", "job", "instance"]);
    expect(list[2]?.query).toBe('label_values(up{job="checkout",job=~"$job"}, instance)');
    expect(def.uid).toBe("checkout");
    expect(rulesOf(def)).toContain("dashboard/job-instance-filter");
  });

  it("builds a fresh object each time (the builder's internal state is never shared)", () => {
    const b = sdkExample();
    const one = fromBuilder(b, { folder: "services" });
    (one.dashboard as { title: string }).title = "changed";
    expect((fromBuilder(b, { folder: "services" }).dashboard as { title: string }).title).toBe("Checkout service");
  });
});
