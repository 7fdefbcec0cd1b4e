// The one pool of threads. Tasks wait in one queue, in the order given; each of N threads (running
// one of lib/'s modules, which calls serveTasks) takes the next as soon as it is free, reports
// progress and its result, and the first error, a thread that dies or an abort ends the run.
// Selection folds, pairs and `digits worker --concurrency N` all run on it, in Node; a report's lab
// runs it in the page. What a thread is (worker_threads, or a Web Worker) is ./threads' business.
import { InputError, isInputError } from "./errors";
import { availableCores } from "./machine";
import { settleOnce } from "./settle";
import type { PoolThread } from "./thread-port";
import { canShareMemory, startThread, threadSide } from "./threads";

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
  /**
   * Asked as a task's turn comes: true passes it over, never started and with no result (a race
   * stopped its candidate after the tasks were queued). A task under way is not asked again.
   */
  skip?(task: T): boolean;
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

/** One per core: how many threads a pool runs by default. */
export function defaultThreads(): number {
  return availableCores();
}

/**
 * Memory one training thread may need: its copy of the data (decoded from Redis in a queue worker), the fold's rows
 * copied out, two engines and the runtime; about what a fold of a full MNIST pair takes.
 */
export const THREAD_BYTES = 512 * 2 ** 20;

/**
 * How many training threads a queue worker (`flag` --concurrency) or a selection (--threads) may
 * run here: no more than the cores (a fold is CPU-bound, a second thread per core only adds
 * memory) nor than the memory holds at THREAD_BYTES each. The reason is the line to print when
 * `requested` was more than that, else null.
 */
export function concurrencyLimit(requested: number, machine: { cores: number; memoryBytes: number }, flag = "--concurrency"): { threads: number; reason: string | null } {
  const byMemory = Math.max(1, Math.floor(machine.memoryBytes / THREAD_BYTES));
  const threads = Math.max(1, Math.min(requested, machine.cores, byMemory));
  if (threads === requested) return { threads, reason: null };
  const gib = (machine.memoryBytes / 2 ** 30).toFixed(1);
  const why = machine.cores <= byMemory ? `this machine has ${machine.cores} core${machine.cores === 1 ? "" : "s"}` : `this machine's ${gib} GiB of memory holds ${byMemory} training thread${byMemory === 1 ? "" : "s"} (${THREAD_BYTES / 2 ** 20} MiB each)`;
  return { threads, reason: `${flag} ${requested}: capped at ${threads}, because ${why}` };
}

/**
 * A copy of `array` in shared memory (or the array itself when it is already there), so that every
 * thread reads one copy. Where memory cannot be shared (a page from disk), the array itself: each
 * thread is then given a copy.
 */
export function shareArray<A extends Float32Array | Uint8Array>(array: A): A {
  if (!canShareMemory() || array.buffer instanceof SharedArrayBuffer) return array;
  const Type = array.constructor as new (buffer: SharedArrayBuffer) => A;
  const shared = new Type(new SharedArrayBuffer(array.byteLength));
  shared.set(array);
  return shared;
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
  const waiting = run.tasks.map((task, id) => ({ id, task }));
  const running = new Map<PoolThread, number>();
  const threads: PoolThread[] = [];
  let remaining = run.tasks.length;
  let stopping = false;
  // Threads are gone before the caller hears the outcome, so what it does next runs alone.
  const outcome = settleOnce<void>(() => Promise.allSettled(threads.map((t) => t.terminate())));
  const cancelled = () => run.cancelled?.() ?? (run.signal?.reason instanceof Error ? run.signal.reason : new Error("cancelled"));
  const onAbort = () => {
    if (run.onAbort !== "finish") return outcome.reject(cancelled());
    stopping = true;
    waiting.length = 0;
    for (const thread of threads) thread.post({ type: "stop" } satisfies PoolMessage<T>);
    if (running.size === 0) outcome.resolve();
  };
  const next = (thread: PoolThread) => {
    let item = waiting.shift();
    for (; item && run.skip?.(item.task); item = waiting.shift()) remaining--;
    if (!item) {
      if (remaining === 0) outcome.resolve();
      return;
    }
    running.set(thread, item.id);
    thread.post({ type: "task", id: item.id, task: item.task } satisfies PoolMessage<T>);
  };
  const onMessage = (thread: PoolThread, message: ThreadMessage<P, R>) => {
    const task = run.tasks[message.id];
    if (message.type === "progress") return run.onProgress?.(task, message.progress);
    if (message.type === "error") return outcome.reject(rebuild(message));
    running.delete(thread);
    run.onResult(task, message.result);
    remaining--;
    if (remaining === 0 || (stopping && running.size === 0)) outcome.resolve();
    else next(thread);
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
      const thread = startThread(run.module, run.shared);
      threads.push(thread);
      thread.onMessage((message) => guarded(() => onMessage(thread, message as ThreadMessage<P, R>)));
      thread.onError((error) => outcome.reject(error));
      thread.onExit((code) => outcome.reject(new Error(`${run.name} stopped unexpectedly (exit code ${code})`)));
      next(thread);
    }
  });
  return outcome.promise;
}

/** Inside a pool's thread: what to do with each task, one at a time. */
export type TaskHandler<S, T, P, R> = (task: T, shared: S, progress: (progress: P) => void, signal: AbortSignal) => R | Promise<R>;

/** Serves a pool's tasks in this thread: call it once at the top of the thread's module. */
export function serveTasks<S, T, P, R>(handle: TaskHandler<S, T, P, R>): void {
  const side = threadSide();
  const stop = new AbortController();
  let shared: S;
  const send = (message: ThreadMessage<P, R>) => side.post(message);
  side.listen((data) => (shared = data as S), async (data) => {
    const message = data as PoolMessage<T>;
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
