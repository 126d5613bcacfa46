/** Routing presets: the seeds' severity policy and its inhibition rules, as one call each. */
export * from "./severity";
export * from "./inhibition";
