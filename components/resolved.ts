/**
 * Hand-over of an already resolved component: MonitoringStack resolves and validates every component before it
 * declares anything, then constructs the components with the very argument objects it resolved them for. A
 * component finds its resolution here instead of rendering and validating a second time. Keyed by the argument
 * object itself (a WeakMap), so nothing leaks and nothing else can be handed over by mistake.
 */
const handed = new WeakMap<object, unknown>();

export function rememberResolved<A extends object>(args: A, resolved: unknown): A {
  handed.set(args, resolved);
  return args;
}

export function takeResolved<R>(args: object): R | undefined {
  const r = handed.get(args) as R | undefined;
  handed.delete(args);
  return r;
}
