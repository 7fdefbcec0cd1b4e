// The one pool of threads. Tasks wait in one queue, in the order given; each of N threads (running
// one of lib/'s modules, which calls serveTasks) takes the next as soon as it is free, reports
// progress and its result, and the first error, a thread that dies or an abort ends the run.
// Selection folds, pairs and `digits worker --concurrency N` all run on it.
import * as os from "node:os";
import { Worker, parentPort, workerData } from "node:worker_threads";
import { InputError, isInputError } from "./errors";
import { settleOnce } from "./settle";
import { threadEntry } from "./thread-entry";

/** What a thread posts back about task `id`. */
type ThreadMessage<P, R> =
  | { type: "progress"; id: number; progress: P }
  | { type: "result"; id: number; result: R }
  | { type: "error"; id: number; message: string; stack: string; input: boolean };

/** What the pool posts to a thread. */
type PoolMessage<T> = { type: "task"; id: number; task: T } | { type: "stop" };

export interface PoolRun<T, P, R> {
  /** The thread's module, relative to lib/ (e.g. "pairs/pair-thread"); it calls serveTasks. */
  module: string;
  /** Given to every thread once, as its workerData: typed arrays over a SharedArrayBuffer are shared, not copied (see shareArray). */
  shared: unknown;
  /** Handed out in this order. */
  tasks: readonly T[];
  /** How many threads to start (no more than there are tasks). */
  threads: number;
  /** What a thread is called in errors: "a pairs thread stopped unexpectedly". */
  name: string;
  onProgress?(task: T, progress: P): void;
  onResult(task: T, result: R): void;
  signal?: AbortSignal;
  /** The error an abort ends the run with (default: the signal's reason). */
  cancelled?(): Error;
  /**
   * What an abort does. "terminate" (default): threads are stopped at once and the run rejects
   * with cancelled(). "finish": threads are asked to stop (serveTasks aborts the task's signal),
   * no new task starts, and the run resolves once the tasks under way have reported.
   */
  onAbort?: "terminate" | "finish";
}

/** One per core (os.availableParallelism): how many threads a pool runs by default. */
export function defaultThreads(): number {
  return typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length;
}

/** A copy of `array` in shared memory (or the array itself when it is already there). */
export function shareArray<A extends Float32Array | Uint8Array>(array: A): A {
  if (array.buffer instanceof SharedArrayBuffer) return array;
  const Type = array.constructor as new (buffer: SharedArrayBuffer) => A;
  const shared = new Type(new SharedArrayBuffer(array.byteLength));
  shared.set(array);
  return shared;
}

// Typed arrays over shared memory cross to a thread as their bare buffer and are rebuilt there:
// Deno clones such a view slowly (34 s for the pairs map's 47 MB, against 0.15 s for the buffer).
const VIEWS = { Float32Array, Float64Array, Uint8Array, Uint32Array, Int32Array } as const;
const VIEW = "binary-digits shared view";
type PackedView = { [VIEW]: keyof typeof VIEWS; buffer: SharedArrayBuffer; byteOffset: number; length: number };

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && Object.getPrototypeOf(value) === Object.prototype;

/** @internal `value` with every typed array over a SharedArrayBuffer replaced by its buffer and shape. */
export function packShared(value: unknown): unknown {
  if (ArrayBuffer.isView(value) && value.buffer instanceof SharedArrayBuffer && value.constructor.name in VIEWS) {
    const view = value as unknown as Float32Array;
    return { [VIEW]: view.constructor.name, buffer: view.buffer, byteOffset: view.byteOffset, length: view.length } as PackedView;
  }
  if (Array.isArray(value)) return value.map(packShared);
  if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, packShared(v)]));
  return value;
}

/** @internal The inverse of packShared: the same views, over the same memory. */
export function unpackShared(value: unknown): unknown {
  if (isPlainObject(value) && typeof value[VIEW] === "string") {
    const { [VIEW]: name, buffer, byteOffset, length } = value as PackedView;
    return new VIEWS[name](buffer, byteOffset, length);
  }
  if (Array.isArray(value)) return value.map(unpackShared);
  if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unpackShared(v)]));
  return value;
}

/** An error posted by a thread, rebuilt with its class (InputError or Error) and its stack. */
function rebuild(message: Extract<ThreadMessage<unknown, unknown>, { type: "error" }>): Error {
  const error = message.input ? new InputError(message.message) : new Error(message.message);
  error.stack = message.stack;
  return error;
}

/** Runs every task on up to `threads` threads; resolves when all have reported a result. */
export function runPool<T, P, R>(run: PoolRun<T, P, R>): Promise<void> {
  // No thread would take a task, and the run would never end.
  if (!Number.isInteger(run.threads) || run.threads < 1) throw new Error(`runPool needs a whole number ≥ 1 of threads, got ${run.threads}`);
  const { entry, eval: isEval } = threadEntry(run.module);
  const shared = packShared(run.shared);
  const waiting = run.tasks.map((task, id) => ({ id, task }));
  const running = new Map<Worker, number>();
  const workers: Worker[] = [];
  let remaining = run.tasks.length;
  let stopping = false;
  // Threads are gone before the caller hears the outcome, so what it does next runs alone.
  const outcome = settleOnce<void>(() => Promise.allSettled(workers.map((w) => w.terminate())));
  const cancelled = () => run.cancelled?.() ?? (run.signal?.reason instanceof Error ? run.signal.reason : new Error("cancelled"));
  const onAbort = () => {
    if (run.onAbort !== "finish") return outcome.reject(cancelled());
    stopping = true;
    waiting.length = 0;
    for (const worker of workers) worker.postMessage({ type: "stop" } satisfies PoolMessage<T>);
    if (running.size === 0) outcome.resolve();
  };
  const next = (worker: Worker) => {
    const item = waiting.shift();
    if (!item) return;
    running.set(worker, item.id);
    worker.postMessage({ type: "task", id: item.id, task: item.task } satisfies PoolMessage<T>);
  };
  const onMessage = (worker: Worker, message: ThreadMessage<P, R>) => {
    const task = run.tasks[message.id];
    if (message.type === "progress") return run.onProgress?.(task, message.progress);
    if (message.type === "error") return outcome.reject(rebuild(message));
    running.delete(worker);
    run.onResult(task, message.result);
    remaining--;
    if (remaining === 0 || (stopping && running.size === 0)) outcome.resolve();
    else next(worker);
  };
  // A throw in a handler (the caller's onProgress included) ends the run with that error: left
  // alone it would escape as an uncaught exception, with the promise pending and threads running.
  const guarded = (action: () => void) => {
    if (outcome.settled) return;
    try {
      action();
    } catch (error) {
      outcome.reject(error);
    }
  };
  if (run.signal?.aborted) onAbort();
  run.signal?.addEventListener("abort", onAbort);
  void outcome.promise.then(
    () => run.signal?.removeEventListener("abort", onAbort),
    () => run.signal?.removeEventListener("abort", onAbort),
  );
  if (remaining === 0) outcome.resolve();
  // Guarded too: if starting the third thread throws, the two already started are terminated.
  guarded(() => {
    const count = Math.min(run.threads, run.tasks.length);
    for (let t = 0; t < count && !outcome.settled; t++) {
      const worker = new Worker(entry, { eval: isEval, workerData: shared });
      workers.push(worker);
      worker.on("message", (message: ThreadMessage<P, R>) => guarded(() => onMessage(worker, message)));
      worker.on("error", (error) => outcome.reject(error));
      worker.on("exit", (code) => outcome.reject(new Error(`${run.name} stopped unexpectedly (exit code ${code})`)));
      next(worker);
    }
  });
  return outcome.promise;
}

/** Inside a pool's thread: what to do with each task, one at a time. */
export type TaskHandler<S, T, P, R> = (task: T, shared: S, progress: (progress: P) => void, signal: AbortSignal) => R | Promise<R>;

/** Serves a pool's tasks in this thread: call it once at the top of the thread's module. */
export function serveTasks<S, T, P, R>(handle: TaskHandler<S, T, P, R>): void {
  const port = parentPort;
  if (!port) throw new Error(`${process.argv[1] ?? "this module"} is a thread of lib/core/pool's runPool, not a program`);
  const stop = new AbortController();
  const shared = unpackShared(workerData) as S;
  const send = (message: ThreadMessage<P, R>) => port.postMessage(message);
  port.on("message", async (message: PoolMessage<T>) => {
    if (message.type === "stop") return stop.abort();
    const { id, task } = message;
    try {
      const result = await handle(task, shared, (progress) => send({ type: "progress", id, progress }), stop.signal);
      send({ type: "result", id, result });
    } catch (error) {
      const e = error instanceof Error ? error : new Error(String(error));
      send({ type: "error", id, message: e.message, stack: e.stack ?? e.message, input: isInputError(error) });
    }
  });
}
