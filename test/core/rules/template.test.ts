import { describe, expect, it } from "vitest";
import { checkTemplate, goFloat, goG4, renderTemplate } from "../../../core/rules/template";

describe("Go template checks", () => {
  it.each([
    ["plain text", "all good"],
    ["labels and a piped formatter", "{{ $labels.job }} at {{ $value | humanizePercentage }}"],
    ["printf with a quoted format", '{{ printf "%.2f" $value }}'],
    ["if / else / end with a comparison", "{{ if gt $value 0.5 }}high{{ else }}low{{ end }}"],
    ["range over a query with a declared variable", '{{ range $i, $s := query "up" }}{{ $s.Labels.job }}{{ end }}'],
    ["trim markers and comments", "{{- $labels.job -}} {{/* note */}}"],
    ["a '}}' inside a string literal", '{{ printf "}}%s" $labels.job }}'],
  ])("accepts %s", (_n, text) => {
    expect(checkTemplate(text)).toEqual([]);
  });

  it.each([
    ["a stray closing brace pair", "done }}", /without a matching "\{\{"/],
    ["an end without an opener", "{{ end }}", /without an opening/],
    ["an empty action", "{{ }}", /empty action/],
    ["a dangling pipe", "{{ $value | }}", /pipe/],
  ])("rejects %s", (_n, text, message) => {
    expect(checkTemplate(text).join("\n")).toMatch(message);
  });
});

describe("template rendering matches Prometheus's formatters", () => {
  it.each([
    [0.075, "7.5%", "humanizePercentage"],
    [1234567, "1.235M", "humanize"],
    [0.0123, "12.3m", "humanize"],
    [90061, "1d 1h 1m 1s", "humanizeDuration"],
    [2.425, "2.425s", "humanizeDuration"],
    [0.475, "475ms", "humanizeDuration"],
    [0, "0s", "humanizeDuration"],
  ])("%s | %s", (value, expected, fn) => {
    expect(renderTemplate(`{{ $value | ${fn} }}`, { labels: {}, value })).toBe(expected);
  });

  it("prints labels, external labels, printf and raw values like Go", () => {
    expect(renderTemplate('{{ $labels.job }}/{{ $externalLabels.env }} {{ printf "%.1f" $value }} {{ $value }} {{ $labels.nope }}', { labels: { job: "api" }, externalLabels: { env: "prod" }, value: 2.25 })).toBe("api/prod 2.2 2.25 ");
  });

  it("cannot predict a template that needs $value when none is given, or a query", () => {
    expect(renderTemplate("{{ $value }}", { labels: {} })).toBeUndefined();
    expect(renderTemplate('{{ query "up" }}', { labels: {} })).toBeUndefined();
  });

  it.each([
    [5, "5"],
    [1234.5, "1234"],
    [12345, "1.234e+04"],
    [0.00001234, "1.234e-05"],
  ])("goG4(%s) is %s, like Go's four-digit %%g", (v, s) => expect(goG4(v)).toBe(s));

  it("formats raw floats with Go's %v exponent thresholds", () => {
    expect(goFloat(1e21)).toBe("1e+21");
    expect(goFloat(0.00001)).toBe("1e-05");
    expect(goFloat(100000)).toBe("100000");
  });
});
