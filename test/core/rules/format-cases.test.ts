import { describe, expect, it } from "vitest";
import { renderTemplate } from "../../../core/rules/template";
import { FORMAT_CASES } from "./format-cases";

describe.each(FORMAT_CASES)("renderTemplate %j", (template, cases) => {
  it.each(cases)("of %s is %j", (value, text) => {
    expect(renderTemplate(template, { labels: {}, value }) ?? null).toBe(text);
  });
});
