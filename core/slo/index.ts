export * from "./model";
export * from "./render";
export * from "./validate";
export { buildScenario, scenarioBurns, sloScenarios, sloUnitTests, type AlertStates, type Phase, type ScenarioSpec, type SliInput, type SloAlerts, type SloScenario } from "./unit-tests";
