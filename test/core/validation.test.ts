/** The small shared pieces every validator and renderer leans on: issues, names, severities, durations, files. */
import { describe, expect, it } from "vitest";
import { formatDuration, isDuration, parseDuration } from "../../core/duration";
import { sortFiles } from "../../core/files";
import { isLabelName, isLabelNameOrReserved, isMetricName } from "../../core/labels";
import { isSeverity, SEVERITIES } from "../../core/severity";
import { assertValid, duplicates, errorsOf, formatIssue, issue, ValidationError } from "../../core/validation";

describe("validation issues", () => {
  const err = issue('scrape job "api"', "scrape_timeout", "must not exceed scrape_interval");
  const warn = issue('rule pack "x" > alert "A"', "tests", "has no firing test case", "warning");
  const whole = issue('receiver "pager"', "", "is unused");

  it("are errors unless said otherwise, and print item, field and message", () => {
    expect(err).toEqual({ severity: "error", item: 'scrape job "api"', field: "scrape_timeout", message: "must not exceed scrape_interval" });
    expect(formatIssue(err)).toBe('scrape job "api": scrape_timeout must not exceed scrape_interval');
    expect(formatIssue(warn)).toBe('warning: rule pack "x" > alert "A": tests has no firing test case');
    expect(formatIssue(whole)).toBe('receiver "pager" is unused');
  });

  it("assertValid throws one ValidationError listing only the errors, and returns the warnings otherwise", () => {
    expect(assertValid("ctx", [warn])).toEqual([warn]);
    expect(assertValid("ctx", [])).toEqual([]);
    let thrown: unknown;
    try {
      assertValid("Prometheus config", [warn, err, whole]);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(ValidationError);
    const v = thrown as ValidationError;
    expect(v.name).toBe("ValidationError");
    expect(v.message).toBe('Prometheus config: 2 error(s)\n  - scrape job "api": scrape_timeout must not exceed scrape_interval\n  - receiver "pager" is unused');
    expect(v.issues).toEqual([warn, err, whole]);
    expect(errorsOf([warn, err, whole])).toEqual([err, whole]);
  });

  it("duplicates names each repeated key once, in first-repeat order", () => {
    expect(duplicates(["a", "b", "a", "c", "b", "a"], (x) => x)).toEqual(["a", "b"]);
    expect(duplicates([{ n: "x" }, { n: "y" }], (o) => o.n)).toEqual([]);
  });
});

describe("names", () => {
  it.each([
    ["job", true, true],
    ["_private", true, true],
    ["le2", true, true],
    ["__name__", false, true],
    ["__address__", false, true],
    ["2xx", false, false],
    ["sev-erity", false, false],
    ["", false, false],
    ["a:b", false, false],
  ])("label %j: user label %s, relabelling label %s", (name, user, reserved) => {
    expect(isLabelName(name)).toBe(user);
    expect(isLabelNameOrReserved(name)).toBe(reserved);
  });

  it.each([
    ["http_requests_total", true],
    ["job:http_requests:rate5m", true],
    [":leading_colon", true],
    ["_x", true],
    ["5xx_total", false],
    ["http-requests", false],
    ["", false],
    ["a b", false],
  ])("metric %j: %s", (name, ok) => expect(isMetricName(name)).toBe(ok));
});

describe("severities", () => {
  it("are critical, warning, info, most urgent first; nothing else is one", () => {
    expect(SEVERITIES).toEqual(["critical", "warning", "info"]);
    for (const s of SEVERITIES) expect(isSeverity(s)).toBe(true);
    for (const s of ["page", "Critical", "", "none"]) expect(isSeverity(s)).toBe(false);
  });
});

describe("durations (edges)", () => {
  it("parses every unit, largest first, and years and weeks as Prometheus counts them", () => {
    expect(parseDuration("1y")).toBe(365 * 86_400_000);
    expect(parseDuration("1y2w3d4h5m6s7ms")).toBe(365 * 86_400_000 + 2 * 604_800_000 + 3 * 86_400_000 + 4 * 3_600_000 + 5 * 60_000 + 6_000 + 7);
    expect(parseDuration("10ms")).toBe(10);
    expect(parseDuration("1m1ms")).toBe(60_001);
    expect(isDuration("5m")).toBe(true);
    expect(isDuration("5")).toBe(false);
    expect(isDuration("")).toBe(false);
    expect(parseDuration(" 5m")).toBeUndefined();
    expect(parseDuration("5m ")).toBeUndefined();
    expect(parseDuration("ms")).toBeUndefined();
  });

  it("formats every unit once, largest first, and refuses what no duration can say", () => {
    expect(formatDuration(365 * 86_400_000 + 604_800_000 + 86_400_000 + 3_600_000 + 60_000 + 1_000 + 1)).toBe("1y1w1d1h1m1s1ms");
    expect(formatDuration(1)).toBe("1ms");
    expect(formatDuration(59_999)).toBe("59s999ms");
    expect(formatDuration(7 * 86_400_000)).toBe("1w");
    expect(() => formatDuration(-1)).toThrow(new RangeError("cannot format -1 ms as a duration"));
    expect(() => formatDuration(1.5)).toThrow(RangeError);
  });
});

describe("rendered files", () => {
  it("sort by path, byte order, without changing the input", () => {
    const files = [{ path: "b/x", content: "1" }, { path: "a/y", content: "2" }, { path: "B/z", content: "3" }, { path: "a/y", content: "4" }];
    expect(sortFiles(files).map((f) => f.path + f.content)).toEqual(["B/z3", "a/y2", "a/y4", "b/x1"]);
    expect(files[0]!.path).toBe("b/x");
  });
});
