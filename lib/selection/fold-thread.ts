// Worker thread of model selection (started by lib/selection): receives the dataset once, in
// shared memory, then trains and scores one (architecture, fold) job per message, reporting
// every epoch. All the logic is in FoldRun, so a worker computes exactly what the main thread would.
import { parentPort, workerData } from "node:worker_threads";
import { isInputError } from "../core/errors";
import { FoldRun, type FoldJob, type WorkerInit, type WorkerMessage } from "./fold-run";

if (!parentPort) throw new Error("lib/selection-worker is a worker thread entry; lib/selection starts it");
const port = parentPort;
const init = workerData as WorkerInit;
const dataset = { features: init.features, labels: init.labels, rows: init.rows, cols: init.cols };
const send = (message: WorkerMessage) => port.postMessage(message);

port.on("message", (job: FoldJob) => {
  try {
    const run = new FoldRun(dataset, init.folds, job, init.settings);
    let epoch = 0;
    while (!run.done) {
      const { loss, seconds } = run.step();
      send({ type: "epoch", id: job.id, epoch: ++epoch, loss, seconds });
    }
    send({ type: "result", id: job.id, result: run.result() });
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    send({ type: "error", id: job.id, message: e.message, stack: e.stack ?? e.message, input: isInputError(error) });
  }
});
