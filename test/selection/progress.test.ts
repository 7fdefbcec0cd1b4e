// lib/selection/progress.ts: what a selection reports as it runs. The race's stops while folds are
// in flight on threads must leave the share done within 0…1 and the time left never negative.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Candidate } from "../../lib/selection/config";
import type { FoldJob } from "../../lib/selection/fold-run";
import { ProgressReporter, type SelectionProgress } from "../../lib/selection/progress";
import type { FoldResult } from "../../lib/selection/record";

const candidate = (name: string, hidden: number[]): Candidate => ({ name, hidden, activation: "sigmoid", learningRate: 0.001 });
const A = candidate("16", [16]);
const X = candidate("8", [8]);
// Two candidates × two folds, 2 epochs each; X's fold 1 runs on a thread while round 0 is decided.
const jobs: FoldJob[] = [
  { id: 0, candidate: A, fold: 0 },
  { id: 1, candidate: X, fold: 0 },
  { id: 2, candidate: A, fold: 1 },
  { id: 3, candidate: X, fold: 1 },
];
const EPOCHS = 2;
const result = { diverged: undefined } as unknown as FoldResult;

function reporter(done: () => number): { progress: ProgressReporter; seen: SelectionProgress[] } {
  const seen: SelectionProgress[] = [];
  const progress = new ProgressReporter(jobs, { jobs: jobs.length, reused: 0, folds: 2, epochs: EPOCHS }, performance.now() - 10_000, done, (p) => seen.push(p));
  return { progress, seen };
}

/** Both candidates' fold 0 run their epochs and are recorded: round 0 is in. */
function roundZero(progress: ProgressReporter, record: () => void): void {
  for (const job of jobs.slice(0, 2)) {
    for (let e = 1; e <= EPOCHS; e++) progress.epoch(job, e, 0.5, 1);
    record();
    progress.fold(job, result);
  }
}

describe("progress of a race on threads", () => {
  test("a stop while the stopped candidate's next fold is training keeps the share done within 0…1 and the time left ≥ 0", () => {
    let recorded = 0;
    const { progress, seen } = reporter(() => recorded);
    roundZero(progress, () => recorded++);
    // X's fold 1 runs one epoch on a thread, then round 0's decision stops X.
    progress.epoch(jobs[3], 1, 0.5, 1);
    progress.stopped(X.name, 1, [jobs[3]]);
    // X's fold 1 goes on to its end; A's fold 1 runs its first epoch.
    progress.epoch(jobs[3], 2, 0.5, 1);
    progress.epoch(jobs[2], 1, 0.5, 1);
    const last = seen[seen.length - 1];
    assert.equal(last.candidate, A.name);
    assert.ok(last.fraction > 0 && last.fraction < 1, `fraction ${last.fraction}`);
    assert.ok(last.remainingSeconds !== null && last.remainingSeconds > 0, `remaining ${last.remainingSeconds}`);
    // The stopped candidate's epochs after its stop are not reported.
    assert.equal(seen.filter((p) => p.candidate === X.name && p.kind === "epoch").length, EPOCHS + 1);
    assert.equal(last.foldsTotal, 3);
    // A's last epoch and fold: everything recorded is done.
    progress.epoch(jobs[2], 2, 0.5, 1);
    recorded++;
    progress.fold(jobs[2], result);
    const end = seen[seen.length - 1];
    assert.deepEqual([end.fraction, end.remainingSeconds, end.foldsDone, end.foldsTotal], [1, 0, 3, 3]);
  });

  test("just before the end, the share done is the epochs run over the epochs to run", () => {
    let recorded = 0;
    const { progress, seen } = reporter(() => recorded);
    roundZero(progress, () => recorded++);
    progress.stopped(X.name, 1, [jobs[3]]);
    progress.epoch(jobs[2], 1, 0.5, 1);
    // 5 of the 6 epochs left to run after X's stop are done (all took 1 s).
    assert.ok(Math.abs(seen[seen.length - 1].fraction - 5 / 6) < 1e-12, `fraction ${seen[seen.length - 1].fraction}`);
  });
});
