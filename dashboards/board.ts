/**
 * The skeleton every dashboard shares: stable UID, tags, 1h range, 10s refresh, the datasource/job/instance
 * variables, links to the other moncode dashboards, and panel ids handed out in order so they are stable.
 */
import * as dash from "@grafana/grafana-foundation-sdk/dashboard";
import type { Builder } from "@grafana/grafana-foundation-sdk/cog";
import { PROM_DS } from "./panels";

export interface BoardMeta {
  readonly uid: string;
  readonly title: string;
  readonly description: string;
  readonly tags: readonly string[];
}

export interface BoardVariables {
  /** Selector whose `job` label values fill the job variable, e.g. `http_requests_total{job="api"}`. Omit for none. */
  readonly jobFrom?: string;
  /** Selector whose `instance` values fill the instance variable; `job=~"$job"` is added. @default jobFrom */
  readonly instanceFrom?: string;
  /** Extra variables placed after instance. */
  readonly extra?: readonly dash.QueryVariableBuilder[];
}

/** Tag shared by every shipped dashboard: the dashboard links menu lists them by it. */
export const HOUSE_TAG = "moncode";

function withFilter(selector: string, filter: string): string {
  return selector.includes("{") ? selector.replace(/\}\s*$/, `,${filter}}`) : `${selector}{${filter}}`;
}

export function queryVariable(name: string, label: string, query: string, description: string): dash.QueryVariableBuilder {
  return new dash.QueryVariableBuilder(name)
    .label(label)
    .description(description)
    .datasource(PROM_DS)
    .query(query)
    .definition(query)
    .refresh(dash.VariableRefresh.OnTimeRangeChanged)
    .sort(dash.VariableSort.AlphabeticalAsc)
    .multi(true)
    .includeAll(true)
    // `.+` rather than the default regex of every value: new jobs appear without a reload and URLs stay short.
    .allValue(".+");
}

export class Board {
  readonly builder: dash.DashboardBuilder;
  private nextId = 1;

  constructor(meta: BoardMeta, vars: BoardVariables) {
    this.builder = new dash.DashboardBuilder(meta.title)
      .uid(meta.uid)
      .description(meta.description)
      .tags([HOUSE_TAG, ...meta.tags])
      .time({ from: "now-1h", to: "now" })
      .refresh("10s")
      .timezone("browser")
      .tooltip(dash.DashboardCursorSync.Crosshair)
      .editable()
      .link(new dash.DashboardLinkBuilder("Dashboards").type(dash.DashboardLinkType.Dashboards).tags([HOUSE_TAG]).asDropdown(true).includeVars(false).keepTime(true))
      .annotation(
        new dash.AnnotationQueryBuilder()
          .name("Annotations & Alerts")
          .datasource({ type: "grafana", uid: "-- Grafana --" })
          .builtIn(1)
          .enable(true)
          .hide(true)
          .iconColor("rgba(0, 211, 255, 1)")
          .type("dashboard"),
      )
      .withVariable(new dash.DatasourceVariableBuilder("datasource").label("Data source").type("prometheus"));
    if (vars.jobFrom !== undefined) {
      this.builder.withVariable(queryVariable("job", "Job", `label_values(${vars.jobFrom}, job)`, "Scrape job(s) to show."));
      const from = withFilter(vars.instanceFrom ?? vars.jobFrom, 'job=~"$job"');
      this.builder.withVariable(queryVariable("instance", "Instance", `label_values(${from}, instance)`, "Target instance(s) of the selected jobs."));
    }
    for (const v of vars.extra ?? []) this.builder.withVariable(v);
  }

  row(title: string): this {
    this.builder.withRow(new dash.RowBuilder(title).id(this.nextId++));
    return this;
  }

  /** Adds panels left to right; the SDK wraps to a new line at 24 columns. */
  add(...panels: { id(id: number): unknown; build(): unknown }[]): this {
    for (const p of panels) {
      p.id(this.nextId++);
      this.builder.withPanel(p as unknown as Builder<dash.Panel>);
    }
    return this;
  }
}

