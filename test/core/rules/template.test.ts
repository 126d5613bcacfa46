import { describe, expect, it } from "vitest";
import { checkTemplate, goFixed, goFloat, goG4, renderTemplate } from "../../../core/rules/template";

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
    expect(renderTemplate("{{ $value }}", { labels: {}, value: 2500000 })).toBe("2.5e+06");
  });
});

describe("checkTemplate, input by input", () => {
  it.each([
    ["{{", ["has \"{{\" without a matching \"}}\" at position 0"]],
    ["}}", ["has \"}}\" without a matching \"{{\" at position 0"]],
    ["a }} b {{ c", ["has \"}}\" without a matching \"{{\" at position 2", "has \"{{\" without a matching \"}}\" at position 7"]],
    ["{{ $x }}", ["uses undefined variable \"$x\""]],
    ["{{ $x := 1 }}{{ $x }}", []],
    ["{{ $x = 1 }}", []],
    ["{{ range $i, $s := query \"up\" }}{{ $i }}{{ end }}", []],
    ["{{ range $k, $v }}{{ end }}", ["uses undefined variable \"$v\""]],
    ["{{ with $labels }}{{ .job }}{{ end }}", []],
    ["{{ if true }}", ["has \"{{ if }}\" without a matching \"{{ end }}\""]],
    ["{{ if true }}{{ range . }}", ["has \"{{ if }}\" without a matching \"{{ end }}\"", "has \"{{ range }}\" without a matching \"{{ end }}\""]],
    ["{{ end }}{{ end }}", ["has \"{{ end }}\" without an opening if/range/with at position 0", "has \"{{ end }}\" without an opening if/range/with at position 9"]],
    ["{{/* x */}}", []],
    ["{{/* x }}", ["has an unterminated comment at position 0"]],
    ["{{- /* x */ -}}", []],
    ["{{ | }}", ["has a pipe \"|\" without a command on both sides in \"{{ | }}\""]],
    ["{{ humanize | }}", ["has a pipe \"|\" without a command on both sides in \"{{ humanize | }}\""]],
    ["{{ | humanize }}", ["has a pipe \"|\" without a command on both sides in \"{{ | humanize }}\""]],
    ["{{ $value | humanize | toUpper }}", []],
    ["{{ foo }}", ["calls unknown function \"foo\""]],
    ["{{ $labels.job | foo }}", ["calls unknown function \"foo\""]],
    ["{{ \"a}}b\" }}", []],
    ["{{ `a}}b` }}", []],
    ["{{ \"a\\\"}}\" }}", []],
    ["{{ 'x' }}", []],
    ["{{ template \"x\" }}", []],
    ["{{ define \"x\" }}{{ end }}", []],
    ["{{ $.Labels }}", []],
    ["{{ $externalURL }}", []],
    ["{{ break }}", []],
    ["{{ nil }}", []],
    ["{{ reReplaceAll \"a\" \"b\" $labels.x }}", []],
    ["{{ {{ }}", ["has \"{{\" without a matching \"}}\" at position 0"]],
    ["{{ 1.5e3 }}", []],
    ["{{ -1 }}", []],
    ["{{ .Foo.Bar }}", []],
    ["{{ . }}", []],
  ] as [string, string[]][])("%j", (text, errors) => {
    expect(checkTemplate(text)).toEqual(errors);
  });
});

describe("renderTemplate, input by input (undefined: the test must state the text)", () => {
  it.each([
    ["{{ $value }}", { labels: {}, value: 1e+21 }, "1e+21"],
    ["{{ $value }}", { labels: {}, value: 0.00012 }, "0.00012"],
    ["{{ $value | humanize }}", { labels: {}, value: 0 }, "0"],
    ["{{ $value | humanize }}", { labels: {}, value: 999 }, "999"],
    ["{{ $value | humanize }}", { labels: {}, value: 1000 }, "1k"],
    ["{{ $value | humanize }}", { labels: {}, value: -1500 }, "-1.5k"],
    ["{{ $value | humanize }}", { labels: {}, value: 1e+27 }, "1000Y"],
    ["{{ $value | humanize }}", { labels: {}, value: 0.5 }, "500m"],
    ["{{ $value | humanize }}", { labels: {}, value: 1e-09 }, "1n"],
    ["{{ $value | humanize }}", { labels: {}, value: Infinity }, "+Inf"],
    ["{{ $value | humanize }}", { labels: {}, value: NaN }, "NaN"],
    ["{{ humanize $value }}", { labels: {}, value: 2048 }, "2.048k"],
    ["{{ $value | humanizeDuration }}", { labels: {}, value: 3600 }, "1h 0m 0s"],
    ["{{ $value | humanizeDuration }}", { labels: {}, value: 3661 }, "1h 1m 1s"],
    ["{{ $value | humanizeDuration }}", { labels: {}, value: 61 }, "1m 1s"],
    ["{{ $value | humanizeDuration }}", { labels: {}, value: 59.5 }, "59.5s"],
    ["{{ $value | humanizeDuration }}", { labels: {}, value: -90061 }, "-1d 1h 1m 1s"],
    ["{{ $value | humanizeDuration }}", { labels: {}, value: 2e-06 }, "2us"],
    ["{{ $value | humanizeDuration }}", { labels: {}, value: Infinity }, "+Inf"],
    ["{{ $value | humanizePercentage }}", { labels: {}, value: 1 }, "100%"],
    ["{{ printf \"%.0f\" $value }}", { labels: {}, value: 2.5 }, "2"],
    ["{{ printf \"%.2f\" $value }}", { labels: {}, value: 1.005 }, "1.00"],
    ["{{ printf \"%.3f\" $value }}", { labels: {}, value: 1 }, "1.000"],
    ["{{ printf \"%d\" $value }}", { labels: {}, value: 1 }, undefined],
    ["{{ printf \"%.1f\" $labels.x }}", { labels: {"x": "1"} }, undefined],
    ["{{ $labels.job | toUpper }}", { labels: {"job": "api"} }, "API"],
    ["{{ toLower \"ABC\" }}", { labels: {} }, "abc"],
    ["{{ toUpper $value }}", { labels: {}, value: 1 }, undefined],
    ["a {{- $labels.job -}} b", { labels: {"job": "x"} }, "axb"],
    ["a {{ $labels.job -}}\n b", { labels: {"job": "x"} }, "a xb"],
    ["a  {{- $labels.job }} b", { labels: {"job": "x"} }, "ax b"],
    ["{{ $externalLabels.env }}", { labels: {} }, ""],
    ["{{ $value | humanize | toUpper }}", { labels: {}, value: 1500 }, "1.5K"],
    ["{{ \"lit\" }}", { labels: {} }, "lit"],
    ["{{ \"lit\" | toUpper }}", { labels: {} }, "LIT"],
    ["{{ $labels.job \"x\" }}", { labels: {} }, undefined],
    ["{{ humanize }}", { labels: {} }, undefined],
    ["{{ $value | }}", { labels: {}, value: 1 }, undefined],
    ["x }}", { labels: {} }, undefined],
    ["{{ $labels.a }}{{ $labels.b }}", { labels: {"a": "1", "b": "2"} }, "12"],
    ["{{ humanize \"x\" }}", { labels: {} }, undefined],
  ] as [string, Parameters<typeof renderTemplate>[1], string | undefined][])("%j with %j", (text, data, expected) => {
    expect(renderTemplate(text, data)).toBe(expected);
  });
});

describe("Go's number formatting (each expectation printed by Go's fmt)", () => {
  it.each([[0, "0"], [1, "1"], [-1, "-1"], [0.1, "0.1"], [123456, "1.235e+05"], [1e-5, "1e-05"], [9.9995, "9.999"], [99999, "1e+05"], [1e100, "1e+100"], [-0.000123456, "-0.0001235"], [Infinity, "+Inf"], [-Infinity, "-Inf"], [NaN, "NaN"]])("%%.4g of %s is %s", (v, s) => {
    expect(goG4(v)).toBe(s);
  });
  it.each([[2.5, 0, "2"], [3.5, 0, "4"], [0.125, 2, "0.12"], [0.375, 2, "0.38"], [1.005, 2, "1.00"], [-2.5, 0, "-2"], [1e22, 1, "10000000000000000000000.0"], [-1e22, 0, "-10000000000000000000000"]] as const)("%%.*f of %s with %s digits is %s", (v, d, s) => {
    expect(goFixed(v, d)).toBe(s);
  });
  it.each([[100000, "100000"], [999999, "999999"], [1e6, "1e+06"], [1234567, "1.234567e+06"], [12345678.9, "1.23456789e+07"], [123456.7, "123456.7"], [-2e6, "-2e+06"], [1e20, "1e+20"], [1e21, "1e+21"], [0.0001, "0.0001"], [0.00012345, "0.00012345"], [1e-5, "1e-05"], [0, "0"], [-Infinity, "-Inf"], [NaN, "NaN"]])("%%v of %s is %s", (v, s) => {
    expect(goFloat(v)).toBe(s);
  });
});
