/**
 * Two versions of a stack for the diff proofs: this repository's stack synthesized from an edited copy of its
 * stack file (what a config change in a pull request is), or with its composed typed definitions changed through
 * `runProgram(customize)` (what a code change is: a renamed receiver, a moved route). Every variant is a full
 * synth, so its resources, hashes and files agree with each other exactly as in a real one.
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { synth } from "../../cli/synth";
import { routeAlert } from "../../core/alertmanager/matcher";
import type { AlertmanagerConfig, Route } from "../../core/alertmanager/model";
import type { RoutingTest } from "../../core/alertmanager/route-tests";
import type { MonitoringStackArgs } from "../../stacks/monitoring-stack";
import { runProgram } from "../../stacks/program";

export const ROOT = join(__dirname, "..", "..");

export type StackConfigEdit = (stackConfig: Record<string, any>) => void;

export interface VariantOptions {
  readonly stack?: "dev" | "prod";
  /** Edits `moncode:stack` of the stack file. */
  readonly edit?: StackConfigEdit;
  /** Edits the composed arguments (typed definitions) before the stack is built. */
  readonly customize?: (args: MonitoringStackArgs) => MonitoringStackArgs;
}

/** Synthesizes a variant into `<tmp>/<name>/out/<stack>` and returns that folder. */
export async function stackVariant(tmp: string, name: string, o: VariantOptions = {}): Promise<string> {
  const stack = o.stack ?? "dev";
  const dir = join(tmp, name);
  mkdirSync(dir, { recursive: true });
  copyFileSync(join(ROOT, "Pulumi.yaml"), join(dir, "Pulumi.yaml"));
  const doc = parse(readFileSync(join(ROOT, `Pulumi.${stack}.yaml`), "utf8")) as { config: Record<string, Record<string, any>> };
  o.edit?.(doc.config["moncode:stack"]!);
  writeFileSync(join(dir, `Pulumi.${stack}.yaml`), stringify(doc));
  const customize = o.customize;
  await synth({ stack, projectDir: dir, outDir: join(dir, "out"), ...(customize ? { program: () => runProgram(customize) } : {}) });
  return join(dir, "out", stack);
}

/**
 * A routing change as a user's code would make it: the config changed, and the routing tests the stack ships
 * brought in line (receivers renamed, or route expectations re-derived where the change moves alerts on purpose).
 */
export function changeRouting(change: (c: AlertmanagerConfig) => AlertmanagerConfig, fixTest: (t: RoutingTest, c: AlertmanagerConfig) => RoutingTest) {
  return (args: MonitoringStackArgs): MonitoringStackArgs => {
    const config = change(args.alerting.config);
    return { ...args, alerting: { ...args.alerting, config, tests: (args.alerting.tests ?? []).map((t) => fixTest(t, config)) } };
  };
}

export function renameReceiver(from: string, to: string) {
  const name = (n: string) => (n === from ? to : n);
  const route = (r: Route): Route => ({ ...r, ...(r.receiver ? { receiver: name(r.receiver) } : {}), ...(r.routes ? { routes: r.routes.map(route) } : {}) });
  return changeRouting(
    (c) => ({ ...c, route: route(c.route), receivers: c.receivers.map((r) => ({ ...r, name: name(r.name) })) }),
    (t) => (t.kind === "route" ? { ...t, receivers: t.receivers.map(name) } : t),
  );
}

/** Moves the root's child route whose receiver is `child` under the root's child whose receiver is `parent`. */
export function moveRoute(child: string, parent: string) {
  return changeRouting(
    (c) => {
      const routes = [...(c.route.routes ?? [])];
      const moved = routes.splice(routes.findIndex((r) => r.receiver === child), 1)[0]!;
      const at = routes.findIndex((r) => r.receiver === parent);
      routes[at] = { ...routes[at]!, routes: [...(routes[at]!.routes ?? []), moved] };
      return { ...c, route: { ...c.route, routes } };
    },
    (t, c) => (t.kind === "route" ? { ...t, receivers: routeAlert(c, t.labels) } : t),
  );
}

/** The dev stack with the prod routing tree (severity receivers, component teams). */
export const prodRouting: StackConfigEdit = (c) => {
  c.alerting.dev = { prodRouting: true };
};
