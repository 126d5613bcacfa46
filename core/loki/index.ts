export * from "./model";
export * from "./render";
export * from "./validate";
export { checkLokiConfig, LOKI3_REMOVED } from "./schema";
