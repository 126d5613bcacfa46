/**
 * The checks every routing preset variant must pass, shared by the presets' test files: our validator, its own
 * routing tests in-process, amtool 0.31.1 check-config and `config routes test --verify.receivers`, no secret values.
 */
import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { renderAlertmanagerConfig } from "../../core/alertmanager/render";
import { amtoolRouteTestArgs, evaluateRoutingTests, routeTestCases } from "../../core/alertmanager/route-tests";
import { secretRefs, validateAlertmanagerConfig } from "../../core/alertmanager/validate";
import type { Severity } from "../../core/severity";
import type { RoutingPreset } from "../../routing";
import { AMTOOL, pool, run, writeTemp } from "../core/alertmanager/tools";

export const SECRETS_DIR = "/etc/alertmanager/secrets";

export interface PresetVariant {
  readonly preset: RoutingPreset;
  readonly environment: "dev" | "prod";
  readonly severities: readonly Severity[];
  /** Warnings the variant is expected to raise (items), e.g. the Watchdog's route when no switch is configured. */
  readonly warnings?: readonly string[];
}

/** Registers the shared checks for one variant (call inside a `describe`). */
export function presetChecks(dir: string, name: string, v: PresetVariant): void {
  const { config, tests } = v.preset;
  const file = writeTemp(dir, `${name}.yml`, renderAlertmanagerConfig(config, { secretsDir: SECRETS_DIR }));

  it("validates cleanly for the severities it routes, with only the warnings expected", () => {
    const issues = validateAlertmanagerConfig(config, { environment: v.environment, severities: v.severities });
    expect(issues.filter((i) => i.severity === "error")).toEqual([]);
    expect(issues.map((i) => i.item)).toEqual(v.warnings ?? []);
  });
  it("passes its own routing tests in-process", () => {
    expect(tests.length).toBeGreaterThan(8);
    expect(evaluateRoutingTests(config, tests)).toEqual([]);
  });
  it("renders a config amtool check-config accepts", async () => {
    const r = await run(AMTOOL, ["check-config", file]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
  });
  it("routes every route test to the receivers the test expects (amtool config routes test --verify.receivers)", async () => {
    // The tests' own expectations, not our evaluator's answers: a wrong evaluator and a wrong config cannot agree.
    const cases = routeTestCases(tests);
    expect(cases.length).toBeGreaterThan(4);
    const results = await pool(cases, 8, (c) => run(AMTOOL, amtoolRouteTestArgs(file, c)));
    results.forEach((r, i) => expect(r.code, `${JSON.stringify(cases[i])}: ${r.stdout}${r.stderr}`).toBe(0));
  });
  it("holds no secret values, only *_file paths", () => {
    const text = readFileSync(file, "utf8");
    expect(text).not.toMatch(/hooks\.slack\.com|password:|routing_key:|api_url:|api_key:|\burl: .*token/);
    for (const s of secretRefs(config)) expect(text).toContain(`${SECRETS_DIR}/${s}`);
  });
}
