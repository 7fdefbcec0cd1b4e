// A thread of model selection's pool (started by scheduler.ts runOnThreads): the dataset comes
// once, in shared memory; each task is one (candidate, fold) job, trained and scored by FoldRun
// with a progress report after every epoch, so a thread computes exactly what the main thread would.
import { serveTasks } from "../core/pool";
import { FoldRun, foldOf, type EpochProgress, type FoldJob, type FoldThreadData } from "./fold-run";
import type { FoldResult } from "./record";

serveTasks<FoldThreadData, FoldJob, EpochProgress, FoldResult>((job, shared, progress) => {
  const dataset = { features: shared.features, labels: shared.labels, rows: shared.rows, cols: shared.cols };
  const run = new FoldRun(dataset, foldOf(shared.folds, job), job, shared.settings);
  let epoch = 0;
  while (!run.done) {
    const { loss, seconds } = run.step();
    progress({ epoch: ++epoch, loss, seconds });
  }
  return run.result();
});
