/** Alertmanager as typed code: model, renderer, validator, route/inhibition evaluation and routing tests. */
export * from "./model";
export * from "./label-matchers";
export * from "./time-intervals";
export * from "./matcher";
export * from "./inhibit";
export * from "./secrets";
export { validateAlertmanagerConfig, MIN_GROUP_INTERVAL_MS, MIN_REPEAT_INTERVAL_MS, MIN_CRITICAL_REPEAT_INTERVAL_MS } from "./validate";
export type { ValidationContext } from "./validate";
export * from "./render";
export * from "./route-tests";
