// lib/selection/scheduler.ts: the schedulers pass over a job that `skip` refuses when its turn
// comes (what a race on threads relies on: a stopped candidate's later folds never train), in
// this thread and on threads, and report every other job's result.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { planSelection } from "../../lib/selection/plan";
import { runOnThreads, runSerial, type Scheduler } from "../../lib/selection/scheduler";
import type { FoldJob } from "../../lib/selection/fold-run";
import { smallData } from "../support/selection-data";

function scheduler(threads: number, skip: (job: FoldJob) => boolean, inRounds: boolean): { s: Scheduler; trained: FoldJob[]; started: Set<number> } {
  const plan = planSelection(smallData(), { grid: [[], [8]], folds: 3, epochs: 1, seed: 13, threads });
  const trained: FoldJob[] = [];
  const started = new Set<number>();
  const s: Scheduler = {
    jobs: plan.jobs,
    folds: plan.folds,
    settings: plan.settings,
    dataset: smallData(),
    threads,
    inRounds,
    skip,
    onEpoch: (job) => started.add(job.id),
    onResult: (job) => trained.push(job),
  };
  return { s, trained, started };
}

describe("a scheduler's skip", () => {
  for (const [name, threads, run] of [["in this thread", 1, runSerial], ["on 2 threads", 2, runOnThreads]] as const) {
    for (const inRounds of [false, true]) {
      test(`${name}${inRounds ? ", in rounds" : ""}: a job skip refuses never starts, every other job is trained once`, async () => {
        const skipped = (job: FoldJob) => job.candidate.name === "8";
        const { s, trained, started } = scheduler(threads, skipped, inRounds);
        await run(s);
        const expected = s.jobs.filter((job) => !skipped(job)).map((job) => job.id);
        assert.equal(expected.length, 3);
        assert.deepEqual(trained.map((job) => job.id).sort(), expected);
        assert.deepEqual([...started].sort(), expected);
      });
    }
  }
});
