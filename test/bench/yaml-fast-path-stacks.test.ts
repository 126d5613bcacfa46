/**
 * `fastYaml` against the reference printer on every YAML file the dev and prod stacks synthesize (the pure cases are
 * in ./yaml-fast-path.test.ts; this one runs the whole programs under Pulumi's mocks).
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { synth } from "../../cli/synth";
import * as yamlModule from "../../core/yaml";
import { fastYaml, toYamlReference } from "../../core/yaml";

describe("fastYaml on every YAML file the dev and prod stacks render", () => {
  const seen: unknown[] = [];
  beforeAll(() => {
    vi.spyOn(yamlModule, "toYaml").mockImplementation((v) => {
      seen.push(v);
      return toYamlReference(v);
    });
  });
  afterAll(() => vi.restoreAllMocks());

  it.each(["dev", "prod"])("%s", async (stack) => {
    seen.length = 0;
    await synth({ stack, write: false });
    expect(seen.length).toBeGreaterThan(10);
    const differ = seen.filter((v) => fastYaml(v) !== toYamlReference(v));
    expect(differ).toEqual([]);
  });
});
