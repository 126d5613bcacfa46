export * from "./provisioning";
export * from "./render";
export * from "./catalog";
export * from "./lint";
export { VALID_UNITS } from "./units";
