import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { compact, sortedRecord, toYaml } from "../../core/yaml";

describe("toYaml", () => {
  it.each(["No", "no", "on", "Off", "y", "n", "yes", "true", "null", "~", "1e3", "0755", "1_000", "2001-12-14", "0x1F", ".inf", ""])(
    "quotes %j so YAML 1.1 and 1.2 readers both see a string",
    (s) => {
      const text = toYaml({ v: s });
      expect(text).toContain(`v: "${s}"`);
      expect(parse(text, { version: "1.1", schema: "yaml-1.1" }).v).toBe(s);
      expect(parse(text).v).toBe(s);
    },
  );

  it("leaves plain strings, numbers and booleans alone", () => {
    expect(toYaml({ a: "hello", b: 3, c: true, d: 'up{job="x"} == 0' })).toBe('a: hello\nb: 3\nc: true\nd: up{job="x"} == 0\n');
  });

  it("writes multi-line strings as literal blocks and never folds long lines", () => {
    const long = "x".repeat(300);
    const text = toYaml({ a: "line1\nline2", b: long });
    expect(text).toContain("a: |-\n  line1\n  line2\n");
    expect(text).toContain(`b: ${long}\n`);
  });

  it("is byte-identical on re-render", () => {
    const v = { z: 1, a: [{ b: "on" }], m: sortedRecord({ y: "1", b: "2" }) };
    expect(toYaml(v)).toBe(toYaml(JSON.parse(JSON.stringify(v))));
  });

  it("sortedRecord sorts user-chosen keys; compact drops undefined and empty lists", () => {
    expect(Object.keys(sortedRecord({ b: 1, a: 2 }) ?? {})).toEqual(["a", "b"]);
    expect(compact({ a: undefined, b: [], c: 0, d: "" })).toEqual({ c: 0, d: "" });
  });
});
