export * from "./model";
export * from "./render";
export * from "./validate";
export * from "./kubernetes";
