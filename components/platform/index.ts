/**
 * The platform layer: the one exhaustive switch on the platform kind. Components describe workloads; this module
 * hands them to the driver of the platform the stack chose.
 */
import { deployDockerWorkload, dockerAddress, prepareDockerPlatform, type DockerPlatform } from "./docker";
import type { DeployContext, DeployedWorkload, WorkloadSpec } from "./types";

export type { DockerPlatform } from "./docker";
export * from "./types";

export type Platform = DockerPlatform;
export type PlatformKind = Platform["kind"];

function unreachable(p: never): never {
  throw new Error(`unknown platform ${JSON.stringify(p)}`);
}

export interface PlatformDriver {
  /** How other workloads of the stack reach `name:port`. */
  address(name: string, port: number): string;
  deploy(spec: WorkloadSpec, ctx: DeployContext): DeployedWorkload;
  /** Creates what a whole stack shares on this platform (Docker: its network) and returns the completed platform. */
  prepare(ctx: DeployContext): Platform;
}

export function platformDriver(platform: Platform): PlatformDriver {
  switch (platform.kind) {
    case "docker":
      return {
        address: dockerAddress,
        deploy: (spec, ctx) => deployDockerWorkload(platform, spec, ctx),
        prepare: (ctx) => prepareDockerPlatform(platform, ctx),
      };
    default:
      return unreachable(platform.kind);
  }
}

/** Shared stack resources for a platform (see PlatformDriver.prepare). */
export function preparePlatform(platform: Platform, ctx: DeployContext): Platform {
  return platformDriver(platform).prepare(ctx);
}
