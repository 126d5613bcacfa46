import { describe, expect, it } from "vitest";
import { formatDuration, parseDuration } from "../../core/duration";

describe("durations", () => {
  it.each([
    ["15s", 15_000],
    ["1m30s", 90_000],
    ["1h", 3_600_000],
    ["2d", 172_800_000],
    ["1w", 604_800_000],
    ["500ms", 500],
    ["0s", 0],
    ["0", 0],
  ])("parses %s", (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(["", "15", "1.5m", "1s1m", "-1m", "1 m", "5mins"])("rejects %j", (text) => expect(parseDuration(text)).toBeUndefined());

  it("formats milliseconds as the shortest duration", () => {
    expect(formatDuration(90_000)).toBe("1m30s");
    expect(formatDuration(0)).toBe("0s");
    expect(formatDuration(3_600_500)).toBe("1h500ms");
  });
});
