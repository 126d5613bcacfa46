/**
 * severityRouting under the real amtool of the pinned release: the rendered config loads, and every route test's
 * expected receivers — as the test states them, not as our evaluator computes them — are what amtool routes to.
 */
import { describe, expect, it } from "vitest";
import { renderAlertmanagerConfig } from "../../core/alertmanager/render";
import { amtoolRouteTestArgs, type RouteExpectation } from "../../core/alertmanager/route-tests";
import { severityRouting } from "../../routing/severity";
import { AMTOOL, pool, run, tempDir, writeTemp } from "../core/alertmanager/tools";
import { variants } from "./variants";

const dir = tempDir("routing");

describe.each(Object.entries(variants))("severityRouting %s under amtool", (name, opts) => {
  const { config, tests } = severityRouting(opts);
  const file = writeTemp(dir, `${name}.yml`, renderAlertmanagerConfig(config, { secretsDir: "/etc/alertmanager/secrets" }));

  it("renders a config amtool check-config accepts", async () => {
    const r = await run(AMTOOL, ["check-config", file]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
  });
  it("routes every route test to the receivers the test expects (amtool config routes test --verify.receivers)", async () => {
    const routes = tests.filter((t): t is RouteExpectation => t.kind === "route");
    expect(routes.length).toBeGreaterThan(4);
    const results = await pool(routes, 8, (t) => run(AMTOOL, amtoolRouteTestArgs(file, { labels: t.labels, receivers: t.receivers })));
    results.forEach((r, i) => expect(r.code, `routing test "${routes[i]!.name}" expects [${routes[i]!.receivers.join(", ")}]: ${r.stdout}${r.stderr}`).toBe(0));
  });
});
