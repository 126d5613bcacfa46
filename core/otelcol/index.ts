export * from "./model";
export * from "./presets";
export * from "./render";
export * from "./validate";
