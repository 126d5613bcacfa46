/**
 * Validation results shared by every validator. A validator never throws on bad input: it returns issues, so that
 * one run reports every problem at once. `assertValid` turns errors into one exception before anything is written.
 */

export type IssueSeverity = "error" | "warning";

/**
 * One problem a validator found: an error or a warning, naming the item and the field, with the lint rule that set its
 * level.
 */
export interface ValidationIssue {
  readonly severity: IssueSeverity;
  /** Names the offending item, e.g. `scrape job "api"` or `rule group "http" > alert "ApiDown"`. */
  readonly item: string;
  /** Names the field, e.g. `scrape_timeout`; empty when the item as a whole is wrong. */
  readonly field: string;
  readonly message: string;
  /** The lint rule (core/lint.ts) that decides its level, e.g. `rules/alert-name-pascal-case`. */
  readonly rule?: string;
}

export function issue(item: string, field: string, message: string, severity: IssueSeverity = "error"): ValidationIssue {
  return { severity, item, field, message };
}

/** An issue of a lint rule; its level is set by `applyLevels` (core/lint.ts) from the rule and the options. */
export function finding(rule: string, item: string, field: string, message: string): ValidationIssue {
  return { severity: "error", item, field, message, rule };
}

/** One line for an issue: `warning: ` for warnings, then the item, field, message and lint rule id. */
export function formatIssue(i: ValidationIssue): string {
  const where = i.field ? `${i.item}: ${i.field}` : i.item;
  return `${i.severity === "warning" ? "warning: " : ""}${where} ${i.message}${i.rule ? ` [${i.rule}]` : ""}`.trim();
}

/**
 * Thrown when a component's, stack's or renderer's input has errors, before anything is declared or written; `issues`
 * holds every issue found (warnings too) and the message lists the errors.
 */
export class ValidationError extends Error {
  readonly issues: readonly ValidationIssue[];
  constructor(context: string, issues: readonly ValidationIssue[]) {
    const errors = issues.filter((i) => i.severity === "error");
    super(`${context}: ${errors.length} error(s)\n${errors.map((e) => `  - ${formatIssue(e)}`).join("\n")}`);
    this.name = "ValidationError";
    this.issues = issues;
  }
}

export function errorsOf(issues: readonly ValidationIssue[]): ValidationIssue[] {
  return issues.filter((i) => i.severity === "error");
}

/** Throws a ValidationError when any issue is an error; returns the warnings otherwise. */
export function assertValid(context: string, issues: readonly ValidationIssue[]): ValidationIssue[] {
  if (errorsOf(issues).length > 0) throw new ValidationError(context, issues);
  return issues.filter((i) => i.severity === "warning");
}

/** Reports every value that occurs more than once, naming each duplicate. */
export function duplicates<T>(items: readonly T[], key: (t: T) => string): string[] {
  const seen = new Set<string>();
  const dup = new Set<string>();
  for (const it of items) {
    const k = key(it);
    if (seen.has(k)) dup.add(k);
    seen.add(k);
  }
  return [...dup];
}
