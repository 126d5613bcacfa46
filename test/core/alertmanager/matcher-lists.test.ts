/**
 * Matcher strings in Alertmanager's own list syntax — one `matchers:` entry holding several matchers, in braces or
 * not (`'{owner="team-A"}'`, `'{a="1", b="2"}'`, `'a="1", b=~"x|y"'`) — parse, route, and render as Alertmanager
 * reads them: the pinned amtool routes a hand-written config in that syntax exactly as our evaluator does.
 */
import { describe, expect, it } from "vitest";
import { tryParseMatchers } from "../../../core/alertmanager/label-matchers";
import { routeAlert } from "../../../core/alertmanager/matcher";
import type { AlertmanagerConfig, Labels } from "../../../core/alertmanager/model";
import { renderAlertmanagerConfig } from "../../../core/alertmanager/render";
import { amtoolRouteTestArgs } from "../../../core/alertmanager/route-tests";
import { validateAlertmanagerConfig } from "../../../core/alertmanager/validate";
import { errorsOf } from "../../../core/validation";
import { AMTOOL, run, tempDir, writeTemp } from "./tools";

describe("tryParseMatchers", () => {
  it.each([
    ['{owner="team-A"}', [{ label: "owner", op: "=", value: "team-A" }]],
    ['{a="1", b="2"}', [{ label: "a", op: "=", value: "1" }, { label: "b", op: "=", value: "2" }]],
    ['a="1", b=~"x|y"', [{ label: "a", op: "=", value: "1" }, { label: "b", op: "=~", value: "x|y" }]],
    ['{a="x,y",}', [{ label: "a", op: "=", value: "x,y" }]],
    ["{}", []],
    ['severity="critical"', [{ label: "severity", op: "=", value: "critical" }]],
  ])("reads %s", (text, matchers) => {
    expect(tryParseMatchers(text)).toEqual({ ok: true, value: matchers });
  });
  it.each([
    ['{a="1"', "unbalanced braces"],
    ['{a="1}', "unterminated quoted value"],
    ['{a="1", b}', "cannot parse matcher"],
  ])("refuses %s, saying why", (text, message) => {
    const r = tryParseMatchers(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toContain(message);
  });
});

const SOURCE = `
route:
  receiver: default
  group_by: [alertname]
  routes:
    - receiver: team-a
      matchers: ['{owner="team-A"}']
    - receiver: both
      matchers: ['{a="1", b="2"}']
      continue: true
    - receiver: listed
      matchers: ['a="1", c=~"x|y"']
receivers: [{ name: default }, { name: team-a }, { name: both }, { name: listed }]
`;

const CONFIG: AlertmanagerConfig = {
  route: {
    receiver: "default",
    groupBy: ["alertname"],
    routes: [
      { receiver: "team-a", matchers: ['{owner="team-A"}'] },
      { receiver: "both", matchers: ['{a="1", b="2"}'], continue: true },
      { receiver: "listed", matchers: ['a="1", c=~"x|y"'] },
    ],
  },
  receivers: [{ name: "default" }, { name: "team-a" }, { name: "both" }, { name: "listed" }],
};

const CASES: Labels[] = [
  { owner: "team-A" },
  { owner: "team-B" },
  { a: "1", b: "2" },
  { a: "1", b: "2", c: "x" },
  { a: "1", c: "y" },
  { a: "1" },
  { b: "2", c: "x" },
];

describe("routing with list-syntax matchers", () => {
  it("validates without error and routes each case", () => {
    expect(errorsOf(validateAlertmanagerConfig(CONFIG, { allowShortIntervals: true }))).toEqual([]);
    expect(CASES.map((l) => routeAlert(CONFIG, l))).toEqual([["team-a"], ["default"], ["both"], ["both", "listed"], ["listed"], ["default"], ["default"]]);
  });

  it("renders each matcher as its own entry, which amtool reads the same", async () => {
    const text = renderAlertmanagerConfig(CONFIG, { secretsDir: "/s" });
    expect(text).toContain('- a="1"\n        - b="2"');
    const dir = tempDir("matcher-lists");
    const rendered = writeTemp(dir, "rendered.yml", text);
    const source = writeTemp(dir, "source.yml", SOURCE);
    for (const file of [source, rendered]) {
      expect((await run(AMTOOL, ["check-config", file])).code, file).toBe(0);
      for (const labels of CASES) {
        const r = await run(AMTOOL, amtoolRouteTestArgs(file, { labels, receivers: routeAlert(CONFIG, labels) }));
        expect(r.code, `${file} ${JSON.stringify(labels)}: ${r.stdout}${r.stderr}`).toBe(0);
      }
    }
  }, 120_000);
});
