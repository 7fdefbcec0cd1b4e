// What a running selection tells its caller: a report after every epoch and every scored fold,
// with the share of the work done and the time left, extrapolated from the epochs measured so far.
import { epochCost, type FoldJob } from "./fold-run";
import type { FoldResult } from "./record";

/** Reported after every epoch of every fold, and once more when a fold is scored. */
export interface SelectionProgress {
  kind: "epoch" | "fold";
  /** The candidate's name. */
  candidate: string;
  hidden: number[];
  /** 0-based fold index, and the number of folds. */
  fold: number;
  folds: number;
  /** 0-based repeat of the folds (--repeats), and the number of repeats (1: plain k-fold). */
  repeat?: number;
  repeats?: number;
  /** Epochs finished in this fold (1…epochs). */
  epoch: number;
  epochs: number;
  /** Training loss of the epoch just finished. */
  loss: number;
  /** Fold runs finished, of all candidates. */
  foldsDone: number;
  foldsTotal: number;
  /** Share of the estimated work done, 0…1 (epochs weighted by an estimate of their cost). */
  fraction: number;
  elapsedSeconds: number;
  /** Extrapolated from the work done so far; null before the first epoch. */
  remainingSeconds: number | null;
  /** The scored fold, on kind "fold". */
  result?: FoldResult;
  /** Fold runs taken from the cache (counted in foldsDone from the start). */
  reused: number;
}

/**
 * Time left, from what has been measured: each candidate's seconds per epoch once it has run
 * an epoch, else its prior cost scaled like the measured ones; the total of epoch seconds still
 * to run is turned into wall time by the ratio of wall time to epoch seconds so far, which
 * accounts for parallel threads and for the time spent outside epochs (data, scoring).
 */
class RemainingTime {
  private readonly rows = new Map<string, { cost: number; total: number; done: number; seconds: number }>();

  constructor(jobs: readonly FoldJob[], epochs: number) {
    for (const job of jobs) {
      const name = job.candidate.name;
      const row = this.rows.get(name) ?? { cost: epochCost(job.candidate.hidden), total: 0, done: 0, seconds: 0 };
      row.total += epochs;
      this.rows.set(name, row);
    }
  }

  /** A fold run that stopped early (training diverged) will not run its remaining epochs. */
  epochsSkipped(candidate: string, epochs: number): void {
    this.rows.get(candidate)!.total -= epochs;
  }

  epochDone(candidate: string, seconds: number): void {
    const row = this.rows.get(candidate)!;
    row.done++;
    row.seconds += seconds;
  }

  /** Epoch seconds done and (estimated) still to do. */
  private totals(): { done: number; left: number } {
    let measured = 0;
    let measuredCost = 0;
    for (const r of this.rows.values()) {
      if (r.done > 0) {
        measured += r.seconds;
        measuredCost += r.cost * r.done;
      }
    }
    const scale = measuredCost > 0 ? measured / measuredCost : 0;
    let left = 0;
    for (const r of this.rows.values()) left += (r.total - r.done) * (r.done > 0 ? r.seconds / r.done : r.cost * scale);
    return { done: measured, left };
  }

  /** Share of the work done, 0…1. */
  fraction(): number {
    const { done, left } = this.totals();
    return done + left > 0 ? done / (done + left) : 0;
  }

  remaining(elapsedSeconds: number): number | null {
    const { done, left } = this.totals();
    return done > 0 ? (left * elapsedSeconds) / done : null;
  }
}

/** The size of a selection, as its progress reports count it. */
interface ProgressTotals {
  /** Fold jobs in the run, and how many of them the cache gave. */
  jobs: number;
  reused: number;
  folds: number;
  /** Repeats of the k folds (default 1). */
  repeats?: number;
  epochs: number;
}

/**
 * Turns the scheduler's epochs and results into SelectionProgress reports for `onProgress`,
 * keeping the clock. `foldsDone` is asked each time (the caller holds the results).
 */
export class ProgressReporter {
  private readonly clock: RemainingTime;
  private readonly lastLoss = new Map<number, number>();
  /** Epochs each fold job has run so far, and the candidates a race stopped. */
  private readonly epochsRun = new Map<number, number>();
  private readonly stoppedCandidates = new Set<string>();
  private readonly totals: ProgressTotals;

  constructor(
    toTrain: readonly FoldJob[],
    totals: ProgressTotals,
    private readonly startedMs: number,
    private readonly foldsDone: () => number,
    private readonly onProgress?: (progress: SelectionProgress) => void,
  ) {
    this.totals = { ...totals };
    this.clock = new RemainingTime(toTrain, totals.epochs);
  }

  /** A race's round took `folds` more fold runs from the cache. */
  reused(folds: number): void {
    this.totals.reused += folds;
  }

  /**
   * A race stopped `candidate`: `jobs` of its later fold runs will be neither recorded nor counted
   * as done (RaceTrack counts those in before the stop as done), and the epochs `untrained` have not
   * run yet no longer count as work to do. One of them that a thread is training goes on to its end
   * unseen: its epochs count neither as done nor as to do.
   */
  stopped(candidate: string, jobs: number, untrained: readonly FoldJob[]): void {
    this.totals.jobs -= jobs;
    this.stoppedCandidates.add(candidate);
    const left = untrained.reduce((sum, job) => sum + this.totals.epochs - (this.epochsRun.get(job.id) ?? 0), 0);
    if (left > 0) this.clock.epochsSkipped(candidate, left);
  }

  /** Seconds since the selection started. */
  elapsed(): number {
    return (performance.now() - this.startedMs) / 1000;
  }

  epoch(job: FoldJob, epoch: number, loss: number, seconds: number): void {
    if (this.stoppedCandidates.has(job.candidate.name)) return;
    this.epochsRun.set(job.id, (this.epochsRun.get(job.id) ?? 0) + 1);
    this.clock.epochDone(job.candidate.name, seconds);
    this.lastLoss.set(job.id, loss);
    this.report(job, "epoch", epoch, loss);
  }

  /** After the result was counted in foldsDone. */
  fold(job: FoldJob, result: FoldResult): void {
    const epochs = result.diverged?.epoch ?? this.totals.epochs;
    if (epochs < this.totals.epochs) this.clock.epochsSkipped(job.candidate.name, this.totals.epochs - epochs);
    this.report(job, "fold", epochs, this.lastLoss.get(job.id) ?? NaN, result);
  }

  private report(job: FoldJob, kind: "epoch" | "fold", epoch: number, loss: number, result?: FoldResult): void {
    if (!this.onProgress) return;
    const seconds = this.elapsed();
    const done = this.foldsDone();
    const finished = done === this.totals.jobs;
    this.onProgress({
      kind,
      candidate: job.candidate.name,
      hidden: [...job.candidate.hidden],
      fold: job.fold,
      folds: this.totals.folds,
      repeat: job.repeat ?? 0,
      repeats: this.totals.repeats ?? 1,
      epoch,
      epochs: this.totals.epochs,
      loss,
      foldsDone: done,
      foldsTotal: this.totals.jobs,
      fraction: finished ? 1 : this.clock.fraction(),
      elapsedSeconds: seconds,
      remainingSeconds: finished ? 0 : this.clock.remaining(seconds),
      result,
      reused: this.totals.reused,
    });
  }
}
