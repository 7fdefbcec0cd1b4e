// Schedulers: how a selection's fold jobs are run (in this thread, on threads, or on a queue).
// The contract they share lives here, so that select and the queue depend on it, not on each other.
import { Worker } from "node:worker_threads";
import type { Dataset } from "../data/dataset";
import { InputError } from "../core/errors";
import { type Fold } from "../data/split";
import { threadEntry } from "../core/thread-entry";
import { type FoldInputs } from "./fold-cache";
import { FoldJob, FoldRun, FoldSettings, WorkerInit, WorkerMessage, epochCost } from "./fold-run";
import { FoldResult } from "./record";

/** The run was cancelled through its AbortSignal; nothing was recorded. */
export class SelectionCancelled extends Error {
  constructor(message = "model selection cancelled") {
    super(message);
    this.name = "SelectionCancelled";
  }
}

/** @internal What a way of running fold jobs (in process, threads, a queue) is given. */
export interface Scheduler {
  jobs: FoldJob[];
  folds: Fold[];
  settings: FoldSettings;
  dataset: Dataset;
  workers: number;
  onEpoch(job: FoldJob, epoch: number, loss: number, seconds: number): void;
  onResult(job: FoldJob, result: FoldResult): void;
  /** What determines a job's result: its fold-cache key and queue job id are the hash of these. */
  inputsOf(job: FoldJob): FoldInputs;
  signal?: AbortSignal;
}

export function cancelled(signal: AbortSignal | undefined): SelectionCancelled {
  const reason = signal?.reason;
  return new SelectionCancelled(reason instanceof Error && reason.name !== "AbortError" ? reason.message : "model selection cancelled");
}

/** @internal Most expensive first: workers end together, and time estimates rest on the big jobs early. */
export function costliestFirst(jobs: readonly FoldJob[]): FoldJob[] {
  return [...jobs].sort((a, b) => epochCost(b.candidate.hidden) - epochCost(a.candidate.hidden) || a.id - b.id);
}

/** In this thread, one job after another, yielding after every epoch so progress and abort get through. */
export async function runSerial(s: Scheduler): Promise<void> {
  for (const job of costliestFirst(s.jobs)) {
    if (s.signal?.aborted) throw cancelled(s.signal);
    const run = new FoldRun(s.dataset, s.folds, job, s.settings);
    let epoch = 0;
    while (!run.done) {
      const { loss, seconds } = run.step();
      s.onEpoch(job, ++epoch, loss, seconds);
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (s.signal?.aborted) throw cancelled(s.signal);
    }
    s.onResult(job, run.result());
  }
}

function toShared<T extends Float32Array | Uint8Array>(array: T, make: (buffer: SharedArrayBuffer) => T): T {
  if (array.buffer instanceof SharedArrayBuffer) return array;
  const shared = make(new SharedArrayBuffer(array.byteLength));
  shared.set(array);
  return shared;
}

/** Worker threads pull jobs from one queue, most expensive first. */
export function runParallel(s: Scheduler): Promise<void> {
  const { entry, eval: isEval } = threadEntry("selection/fold-thread");
  const init: WorkerInit = {
    features: toShared(s.dataset.features, (b) => new Float32Array(b)),
    labels: toShared(s.dataset.labels, (b) => new Uint8Array(b)),
    rows: s.dataset.rows,
    cols: s.dataset.cols,
    folds: s.folds,
    settings: s.settings,
  };
  const queue = costliestFirst(s.jobs);
  const byId = new Map(s.jobs.map((job) => [job.id, job]));
  let remaining = s.jobs.length;
  const workers: Worker[] = [];

  return new Promise<void>((resolve, reject) => {
    let settled = false;
    const finish = (error?: unknown) => {
      if (settled) return;
      settled = true;
      s.signal?.removeEventListener("abort", onAbort);
      // Wait for the threads to be gone, so a caller that exits or writes next is alone.
      void Promise.allSettled(workers.map((w) => w.terminate())).then(() => (error === undefined ? resolve() : reject(error)));
    };
    const onAbort = () => finish(cancelled(s.signal));
    if (s.signal?.aborted) return finish(cancelled(s.signal));
    s.signal?.addEventListener("abort", onAbort);

    // A throw in a handler (the caller's onProgress included) must end the run with that error:
    // left alone it would escape as an uncaught exception, with the promise pending and the
    // workers still running.
    const guarded =
      <A extends unknown[]>(handler: (...args: A) => void) =>
      (...args: A): void => {
        if (settled) return;
        try {
          handler(...args);
        } catch (error) {
          finish(error);
        }
      };
    const next = (worker: Worker) => {
      const job = queue.shift();
      if (job) worker.postMessage(job);
    };
    const onMessage = (worker: Worker, message: WorkerMessage) => {
      const job = byId.get(message.id)!;
      if (message.type === "epoch") s.onEpoch(job, message.epoch, message.loss, message.seconds);
      else if (message.type === "result") {
        s.onResult(job, message.result);
        remaining--;
        if (remaining === 0) finish();
        else next(worker);
      } else {
        const error = message.input ? new InputError(message.message) : new Error(message.message);
        error.stack = message.stack;
        finish(error);
      }
    };
    // Guarded too: if starting the third worker throws, the two already started are terminated.
    guarded(() => {
      const count = Math.min(s.workers, s.jobs.length);
      for (let w = 0; w < count && !settled; w++) {
        const worker = new Worker(entry, { eval: isEval, workerData: init });
        workers.push(worker);
        worker.on("message", guarded((message: WorkerMessage) => onMessage(worker, message)));
        worker.on("error", (error) => finish(error));
        worker.on("exit", (code) => {
          if (!settled) finish(new Error(`a selection worker stopped unexpectedly (exit code ${code})`));
        });
        next(worker);
      }
    })();
  });
}
