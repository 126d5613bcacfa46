/**
 * Runtime shapes of the Logs, Tracing and Collector arguments (see components/shapes.ts): a JavaScript caller's
 * unknown field or wrong type is an error naming the component and field before anything is declared.
 */
import type { LogAlertRule, LogRecordingRule, LogRuleGroup, LogRulePack } from "../core/logql/model";
import type { LokiConfig, LokiLimits, LokiStreamRetention } from "../core/loki/model";
import { arr, obj, oneOf, rec, req, values, type Shape } from "../core/shape";
import type { CollectorArgs } from "./collector";
import type { LogsArgs } from "./logs";
import { lintLevelsShape, platformShape, resourcesShape } from "./shapes";
import type { TracingArgs } from "./tracing";

const port: Shape = oneOf("a port number or false", "number", values(false));
const strings = arr("string");

const limits = obj<LokiLimits>({ ingestionRateMb: "number", ingestionBurstSizeMb: "number", maxLineSize: "string", maxGlobalStreamsPerUser: "number", perStreamRateLimit: "string", rejectOldSamplesMaxAge: "string" });
export const lokiConfigShape: Shape = obj<LokiConfig>({
  httpPort: "number",
  grpcPort: "number",
  dataDir: "string",
  rulesDir: "string",
  schemaFrom: "string",
  retention: "string",
  streamRetention: arr(obj<LokiStreamRetention>({ selector: req("string"), period: req("string"), priority: "number" })),
  limits,
  otlpIndexLabels: strings,
  alertmanagerUrls: strings,
  remoteWriteUrl: "string",
  rulerEvaluationInterval: "string",
  logLevel: values("debug", "info", "warn", "error"),
});

const annotations: Shape = rec("string");
const logAlert = obj<LogAlertRule>({ alert: req("string"), expr: req("string"), for: "string", keepFiringFor: "string", severity: "string", labels: rec("string"), annotations: req(annotations), threshold: "number" });
const logRecord = obj<LogRecordingRule>({ record: req("string"), expr: req("string"), labels: rec("string") });
const logGroup = obj<LogRuleGroup>({ name: req("string"), interval: "string", limit: "number", rules: req(arr(oneOf("a log alert { alert, expr, … } or recording rule { record, expr }", logAlert, logRecord))) });
export const logRulePackShape: Shape = obj<LogRulePack>({ name: req("string"), groups: req(arr(logGroup)) });

export const logsFields = {
  platform: req(platformShape),
  loki: lokiConfigShape,
  alertmanagerUrls: strings,
  rulePacks: arr(logRulePackShape),
  resources: resourcesShape,
  volumeSizeGb: "number",
  publishPort: port,
  lint: lintLevelsShape,
} as const;
export const logsArgsShape: Shape = obj<LogsArgs>(logsFields);

export const tracingFields = {
  platform: req(platformShape),
  storage: values("badger", "memory"),
  retention: "string",
  maxTraces: "number",
  resources: resourcesShape,
  volumeSizeGb: "number",
  publishPort: port,
} as const;
export const tracingArgsShape: Shape = obj<TracingArgs>(tracingFields);

export const collectorFields = {
  platform: req(platformShape),
  lokiOtlpUrl: "string",
  jaegerOtlpGrpc: "string",
  prometheusOtlpUrl: "string",
  containerLogs: "boolean",
  environment: "string",
  resources: resourcesShape,
  publishOtlp: "boolean",
} as const;
export const collectorArgsShape: Shape = obj<CollectorArgs>(collectorFields);
