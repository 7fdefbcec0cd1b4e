// Schedulers: how a selection's fold jobs are run (in this thread, on threads, or on a queue).
// The contract they share lives here, so that select and the queue depend on it, not on each other.
// A scheduler runs the jobs it is given to the end and reports each result, in any order; a
// selection may call one several times (a race through a queue runs round after round; on threads
// it is one call, its jobs in rounds, with skip). runSerial and runOnThreads
// are platform-neutral: in a page, runOnThreads's threads are Web Workers (lib/core/threads.page).
import { type Dataset } from "../data/dataset";
import { type Fold } from "../data/split";
import { runPool, shareArray } from "../core/pool";
import { FoldJob, FoldRun, FoldSettings, foldOf, epochCost, type EpochProgress, type FoldThreadData } from "./fold-run";
import { FoldResult } from "./record";
import { yieldToEventLoop } from "../core/yield";

/** The run was cancelled through its AbortSignal; nothing was recorded. */
export class SelectionCancelled extends Error {
  constructor(message = "model selection cancelled") {
    super(message);
    this.name = "SelectionCancelled";
  }
}

/** What a way of running fold jobs (in process, threads, a queue) is given. */
export interface Scheduler {
  jobs: FoldJob[];
  /** By repeat, then fold (foldOf). */
  folds: Fold[][];
  settings: FoldSettings;
  dataset: Dataset;
  /** Threads to train on (1: this thread); a queue ignores it. */
  threads: number;
  onEpoch(job: FoldJob, epoch: number, loss: number, seconds: number): void;
  onResult(job: FoldJob, result: FoldResult): void;
  /**
   * Jobs in rounds (a race run on threads): every job of a round (repeat, fold) starts before any
   * of the next, the costliest first within it, so a round is done early and decided while the
   * threads go on with the next. Otherwise the costliest first over all the jobs.
   */
  inRounds?: boolean;
  /** Asked as a job's turn comes: true leaves it untrained (a race stopped its candidate). A queue ignores it. */
  skip?(job: FoldJob): boolean;
  signal?: AbortSignal;
}

export function cancelled(signal: AbortSignal | undefined): SelectionCancelled {
  const reason = signal?.reason;
  return new SelectionCancelled(reason instanceof Error && reason.name !== "AbortError" ? reason.message : "model selection cancelled");
}

/** @internal Most expensive first: threads end together, and time estimates rest on the big jobs early. */
export function costliestFirst(jobs: readonly FoldJob[]): FoldJob[] {
  return [...jobs].sort((a, b) => epochCost(b.candidate.hidden) - epochCost(a.candidate.hidden) || a.id - b.id);
}

/** The order jobs start in (Scheduler.inRounds): by round, or the costliest first over all. */
function startOrder(s: Pick<Scheduler, "jobs" | "inRounds">): FoldJob[] {
  const costliest = costliestFirst(s.jobs);
  if (!s.inRounds) return costliest;
  const rank = new Map(costliest.map((job, i) => [job.id, i]));
  return costliest.sort((a, b) => (a.repeat ?? 0) - (b.repeat ?? 0) || a.fold - b.fold || rank.get(a.id)! - rank.get(b.id)!);
}

/** In this thread, one job after another in startOrder, yielding after every epoch so progress and abort get through. */
export async function runSerial(s: Scheduler): Promise<void> {
  for (const job of startOrder(s)) {
    if (s.signal?.aborted) throw cancelled(s.signal);
    if (s.skip?.(job)) continue;
    const run = new FoldRun(s.dataset, foldOf(s.folds, job), job, s.settings);
    let epoch = 0;
    while (!run.done) {
      const { loss, seconds } = run.step();
      s.onEpoch(job, ++epoch, loss, seconds);
      await yieldToEventLoop();
      if (s.signal?.aborted) throw cancelled(s.signal);
    }
    s.onResult(job, run.result());
  }
}

/**
 * On `s.threads` threads of the one pool (lib/core/pool), in startOrder; the dataset is shared,
 * not copied. An abort terminates the threads and rejects with SelectionCancelled.
 */
export function runOnThreads(s: Scheduler): Promise<void> {
  const shared: FoldThreadData = {
    features: shareArray(s.dataset.features),
    labels: shareArray(s.dataset.labels),
    rows: s.dataset.rows,
    cols: s.dataset.cols,
    folds: s.folds,
    settings: s.settings,
  };
  return runPool<FoldJob, EpochProgress, FoldResult>({
    module: "selection/fold-thread",
    shared,
    tasks: startOrder(s),
    threads: s.threads,
    name: "a selection thread",
    onProgress: (job, p) => s.onEpoch(job, p.epoch, p.loss, p.seconds),
    onResult: (job, result) => s.onResult(job, result),
    skip: s.skip ? (job) => s.skip!(job) : undefined,
    signal: s.signal,
    cancelled: () => cancelled(s.signal),
  });
}
