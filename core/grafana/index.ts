export * from "./provisioning";
export * from "./render";
export * from "./catalog";
export * from "./lint";
export { VALID_UNITS, isGrafanaUnit } from "./units";
export { checkDashboardPromql, checkLogql, datasourceLanguage, targetLanguage } from "./lint-queries";
export { withRaw, untyped, type Lacking } from "./imported";
