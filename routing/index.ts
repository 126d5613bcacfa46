/** Routing presets: the seeds' severity policy, a per-severity receiver policy, and the inhibition rules, as one call each. */
export * from "./severity";
export * from "./receivers";
export * from "./inhibition";
export { DEAD_MANS_SWITCH_RECEIVER, NULL_RECEIVER, type DeadMansSwitch, type WatchdogOptions } from "./watchdog";
export type { BusinessHours, RoutingPreset, SeverityTimers, SloAlertLabels } from "./tree";
