export * from "./model";
export * from "./parse";
export * from "./render";
export * from "./validate";
