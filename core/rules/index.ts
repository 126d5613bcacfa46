export * from "./model";
export * from "./render";
export * from "./validate";
export * from "./overrides";
export { checkTemplate } from "./template";
export { renderRuleTestFiles } from "./unit-tests";
