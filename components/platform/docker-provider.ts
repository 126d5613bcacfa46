/**
 * How the Docker provider treats each input of a `docker.Container` — one table, pure data (no @pulumi import), used
 * by the Docker driver (what goes into the content hash), `moncode diff` (replaced / updated in place / stored only)
 * and the Docker proof's apply harness (what it does on the engine).
 *
 * Source: the provider `@pulumi/docker` bridges, kreuzwerker/terraform-provider-docker,
 * `internal/provider/resource_docker_container.go` (schema) and `resource_docker_container_funcs.go` (update, delete),
 * read 2026-12 (see ../../../shared/FACTS.md "How the real providers behave"):
 *
 * - `replace`: the schema marks the attribute `ForceNew`; a change deletes the container and creates a new one (the
 *   driver sets deleteBeforeReplace, as containers have fixed names).
 * - `update`: `resourceDockerContainerUpdate` sends exactly these to `ContainerUpdate` (restart policy, CPU shares,
 *   memory, cpuset, swap) — the running container changes without a restart.
 * - `stored`: neither ForceNew nor updated: the new value is written to the state and nothing happens to the running
 *   container. Some are only read at create (wait, waitTimeout, start, attach, logs, healthcheck, tmpfs, init,
 *   cpuPeriod/cpuQuota) or at delete (destroyGraceSeconds, removeVolumes, rm): for those read at delete the new value
 *   is used at the next delete. `matters: true` marks a stored input that shapes how the running container behaves
 *   (its healthcheck, its tmpfs mounts, its init process, its CPU quota): the driver puts it into the content-hash
 *   label (a ForceNew input), so a change of it replaces the container instead of being silently kept in state.
 *
 * Correction to an earlier reading: `devices` is ForceNew in the schema and not sent by the update function, so it
 * replaces (it was listed as updated in place).
 *
 * Delete (`resourceDockerContainerDelete`): `ContainerStop` with timeout `destroyGraceSeconds` (0 when unset: the
 * stop signal and at once SIGKILL), then `ContainerRemove` with Force. `ContainerStop` sends the container's stop
 * signal (`stopSignal`, else the image's STOPSIGNAL, else SIGTERM) and SIGKILL after the timeout.
 */

export type DockerInputEffect = "replace" | "update" | "stored";

export interface DockerInputRule {
  readonly effect: DockerInputEffect;
  /** A stored input whose value changes how the running container behaves: hashed so that a change replaces. */
  readonly matters?: boolean;
}

const R: DockerInputRule = { effect: "replace" };
const U: DockerInputRule = { effect: "update" };
const S: DockerInputRule = { effect: "stored" };
const SM: DockerInputRule = { effect: "stored", matters: true };

/** Every `docker.Container` input (Pulumi's camelCase names) and what a change of it does. */
export const DOCKER_CONTAINER_INPUTS: Readonly<Record<string, DockerInputRule>> = {
  // Updated in place by ContainerUpdate.
  restart: U,
  maxRetryCount: U,
  cpuShares: U,
  memory: U,
  cpuSet: U,
  memorySwap: U,
  // Stored in state only.
  healthcheck: SM,
  tmpfs: SM,
  init: SM,
  cpuPeriod: SM,
  cpuQuota: SM,
  wait: S,
  waitTimeout: S,
  destroyGraceSeconds: S,
  removeVolumes: S,
  rm: S,
  start: S,
  attach: S,
  logs: S,
  mustRun: S,
  containerReadRefreshTimeoutMilliseconds: S,
  // ForceNew: replace.
  name: R,
  image: R,
  command: R,
  entrypoints: R,
  envs: R,
  user: R,
  workingDir: R,
  hostname: R,
  domainname: R,
  labels: R,
  uploads: R,
  volumes: R,
  mounts: R,
  ports: R,
  publishAllPorts: R,
  hosts: R,
  dns: R,
  dnsOpts: R,
  dnsSearches: R,
  networkMode: R,
  networksAdvanced: R,
  pidMode: R,
  ipcMode: R,
  usernsMode: R,
  cgroupnsMode: R,
  capabilities: R,
  securityOpts: R,
  privileged: R,
  devices: R,
  readOnly: R,
  runtime: R,
  stopSignal: R,
  stopTimeout: R,
  cpus: R,
  shmSize: R,
  ulimits: R,
  sysctls: R,
  groupAdds: R,
  logDriver: R,
  logOpts: R,
  storageOpts: R,
  gpus: R,
  tty: R,
  stdinOpen: R,
};

/** What a change of one top-level container input does. An input the table does not know is treated as ForceNew. */
export function dockerInputEffect(input: string): DockerInputEffect {
  return DOCKER_CONTAINER_INPUTS[input]?.effect ?? "replace";
}

/** Stored-only inputs that shape the running container: the driver hashes them into the config-hash label. */
export const DOCKER_HASHED_STORED_INPUTS: readonly string[] = Object.entries(DOCKER_CONTAINER_INPUTS)
  .filter(([, r]) => r.effect === "stored" && r.matters === true)
  .map(([k]) => k)
  .sort();

/** How a set of changed inputs is applied: the strongest effect wins. */
export function dockerChangeEffect(changed: readonly string[]): DockerInputEffect | "none" {
  const effects = new Set(changed.map(dockerInputEffect));
  return effects.has("replace") ? "replace" : effects.has("update") ? "update" : effects.has("stored") ? "stored" : "none";
}

/**
 * Graceful stop per workload: how long the provider's `ContainerStop` waits after the stop signal before SIGKILL
 * (`destroyGraceSeconds`; also `stopTimeout`, which `docker stop` and a daemon shutdown use). The figures, with the
 * clean shutdown each program does on SIGTERM:
 *
 * - Prometheus 90 s: stops scraping and rule evaluation, flushes remote-write queues (`flush_deadline` defaults to
 *   1 min), then closes the TSDB: the head's WAL segment is synced and the head is memory-mapped to disk, so the next
 *   start replays a short WAL instead of a truncated one. 60 s for the flush deadline + 30 s to close.
 * - Alertmanager 30 s: writes its silence and notification-log snapshots (otherwise taken only every 15 min) and leaves
 *   the gossip cluster; both take well under a second on a small state. 30 s leaves room on a loaded host.
 * - Pushgateway 30 s: writes its persistence file on shutdown (otherwise every `--persistence.interval`, 1 min here): a
 *   killed one loses up to a minute of pushes.
 * - Grafana 30 s: closes its SQLite database and stops the HTTP server (its own shutdown timeout is 30 s).
 * - Exporters 10 s: stateless; they only finish in-flight scrapes.
 * - Secrets side-car 5 s: its shell traps TERM and exits at once.
 *
 * A stop that ends sooner returns sooner: the grace is an upper bound, not a wait.
 */
export const STOP_GRACE_SECONDS = {
  prometheus: 90,
  alertmanager: 30,
  pushgateway: 30,
  grafana: 30,
  exporter: 10,
  sidecar: 5,
} as const;

/** The stop signal of every workload: each program shuts down cleanly on SIGTERM (the images' own STOPSIGNAL). */
export const STOP_SIGNAL = "SIGTERM";
