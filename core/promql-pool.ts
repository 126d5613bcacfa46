/**
 * PromQL checks of a large batch on two threads. A thousand-service stack has tens of thousands of distinct rule
 * expressions and checking them is most of the time `synth` takes; a second thread checks part of them while this
 * one checks the rest. The threads share the work through an atomic counter (each takes the next unchecked index),
 * so this thread never waits for the worker to start: if it is still loading, this thread simply checks everything.
 * Both threads run the same check source (core/promql-check.ts), so results do not depend on which thread computed
 * them, and callers read them from the cache in their own order: issues come out exactly as without the worker.
 * The worker is started on the first large batch (never on import), kept for the next one, and never keeps the
 * process alive.
 */
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from "node:worker_threads";
import { CHECK_SOURCE, type CheckFn } from "./promql-check";
import type { PromqlCheck } from "./promql";

/* eslint-disable @typescript-eslint/no-require-imports */
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const { parser } = require(workerData.lezer);
const { Parser } = require(workerData.checker);
const promql = parser.configure({ top: "PromQL" });
const check = new Function("parse", "Checker", "expr", workerData.source);
const port = workerData.port;
port.on("message", ({ id, exprs, control }) => {
  const ctl = new Int32Array(control);
  const results = [];
  for (let i = Atomics.add(ctl, 0, 1); i < exprs.length; i = Atomics.add(ctl, 0, 1)) {
    results.push([i, check((t) => promql.parse(t), Parser, exprs[i])]);
  }
  port.postMessage({ id, results });
  Atomics.store(ctl, 1, 1);
  Atomics.notify(ctl, 1);
});
`;

interface Pool {
  readonly worker: Worker;
  readonly port: MessagePort;
  alive: boolean;
  batches: number;
}

/** undefined: not started yet; null: cannot run here (the checks then all run on this thread). */
let pool: Pool | null | undefined;

function startPool(): Pool | null {
  try {
    const { port1, port2 } = new MessageChannel();
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        port: port2,
        lezer: require.resolve("@prometheus-io/lezer-promql"),
        checker: require.resolve("@prometheus-io/codemirror-promql/dist/cjs/parser/parser.js"),
        source: CHECK_SOURCE,
      },
      transferList: [port2],
    });
    const p: Pool = { worker, port: port1, alive: true, batches: 0 };
    worker.on("error", () => (p.alive = false));
    worker.on("exit", () => (p.alive = false));
    worker.unref();
    port1.unref();
    return p;
  } catch {
    return null;
  }
}

/** How long to wait for the worker's last expressions before checking them here instead (it has crashed). */
const WORKER_TIMEOUT_MS = 30_000;

/**
 * Checks every expression of `exprs` (distinct, none cached) on this thread with `check` and on the worker, and
 * hands each result to `store` (on this thread). Returns how many the worker checked; undefined, having checked
 * nothing (or only part, the rest is then checked on demand), when no worker can run.
 */
export function checkOnTwoThreads(exprs: readonly string[], check: CheckFn, store: (expr: string, result: PromqlCheck) => void): number | undefined {
  if (pool === undefined) pool = startPool();
  if (pool === null || !pool.alive) return undefined;
  const p = pool;
  const id = ++p.batches;
  const control = new SharedArrayBuffer(8);
  const ctl = new Int32Array(control);
  p.port.postMessage({ id, exprs, control });
  let mine = 0;
  for (let i = Atomics.add(ctl, 0, 1); i < exprs.length; i = Atomics.add(ctl, 0, 1)) {
    const e = exprs[i]!;
    store(e, check(e));
    mine++;
  }
  const theirs = exprs.length - mine;
  if (theirs === 0) return 0;
  // The worker took some: wait until it has posted them (it posts, then sets the flag).
  if (Atomics.wait(ctl, 1, 0, WORKER_TIMEOUT_MS) === "timed-out") {
    p.alive = false;
    return undefined;
  }
  for (let m = receiveMessageOnPort(p.port); m !== undefined; m = receiveMessageOnPort(p.port)) {
    const msg = m.message as { id: number; results: [number, PromqlCheck][] };
    // Results of an earlier batch this thread finished alone arrive late and empty; skip them.
    if (msg.id !== id) continue;
    for (const [i, r] of msg.results) store(exprs[i]!, r);
    return theirs;
  }
  p.alive = false;
  return undefined;
}
