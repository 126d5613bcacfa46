/**
 * Pulumi entry of this repository's stacks: `pulumi up --stack dev|prod`. All the work is in stacks/program.ts,
 * which `moncode synth` also runs (under mocks) — this file only turns its result into stack outputs.
 * (The importable library is lib.ts.)
 */
import { runProgram } from "./stacks/program";

const { outputs } = runProgram();

export const prometheusUrl = outputs.prometheusUrl;
export const alertmanagerUrl = outputs.alertmanagerUrl;
export const grafanaUrl = outputs.grafanaUrl;
export const grafanaAdminUser = outputs.grafanaAdminUser;
export const grafanaAdminPassword = outputs.grafanaAdminPassword;
export const dashboards = outputs.dashboards;
