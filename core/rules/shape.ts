/**
 * Runtime shape of rule packs (see core/shape.ts): an alert written `fro: "5m"` is an error naming the rule and the
 * field, not an alert that silently has no `for`. Values (names, durations, PromQL) are the validators' job.
 */
import { arr, obj, oneOf, rec, req, type Shape } from "../shape";
import type { AlertCheck, AlertRule, ExpectedAlert, ExpectedSample, ExprCheck, InputSeries, RecordingRule, RuleGroup, RulePack, RuleTest } from "./model";

/** Text, or a @grafana/promql-builder expression (any object that prints as PromQL). */
const expr: Shape = oneOf("a PromQL expression (text or a promql-builder expression)", "string", { kind: "object", fields: {}, open: true });
const labels = rec("string");

export const alertRuleShape: Shape = obj<AlertRule>({
  alert: req("string"),
  expr: req(expr),
  for: "string",
  keepFiringFor: "string",
  severity: "string",
  labels,
  annotations: req(rec("string")),
  threshold: "number",
});

export const recordingRuleShape: Shape = obj<RecordingRule>({ record: req("string"), expr: req(expr), labels });

/** A rule is told apart by its name field; an object with neither is reported against the alert shape. */
const rule: Shape = oneOf("an alert rule { alert, expr, severity, annotations } or a recording rule { record, expr }", alertRuleShape, recordingRuleShape);

export const ruleGroupShape: Shape = obj<RuleGroup>({ name: req("string"), interval: "string", limit: "number", queryOffset: "string", labels, rules: req(arr(rule)) });

const ruleTest = obj<RuleTest>({
  name: req("string"),
  interval: "string",
  evaluationInterval: "string",
  series: req(arr(obj<InputSeries>({ series: req("string"), values: req("string") }))),
  externalLabels: labels,
  alerts: arr(
    obj<AlertCheck>({
      evalTime: req("string"),
      alert: req("string"),
      activeSince: "string",
      expect: req(arr(obj<ExpectedAlert>({ labels, value: "number", annotations: labels }))),
    }),
  ),
  exprs: arr(obj<ExprCheck>({ evalTime: req("string"), expr: req(expr), expect: req(arr(obj<ExpectedSample>({ labels: req("string"), value: req("number") }))) })),
});

export const rulePackShape: Shape = obj<RulePack>({ name: req("string"), groups: req(arr(ruleGroupShape)), tests: req(arr(ruleTest)) });
