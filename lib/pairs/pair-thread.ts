// Worker thread of the pairs map (started by lib/pairs): receives the ten-digit images once, in
// shared memory, then scores one pair per message, reporting every fold. All the logic is in
// scorePair, so a worker computes exactly what the main thread would.
import { parentPort, workerData } from "node:worker_threads";
import { isInputError } from "../core/errors";
import { scorePair, type Pair, type PairsWorkerInit, type PairsWorkerMessage } from "./pairs";

if (!parentPort) throw new Error("lib/pairs-worker is a worker thread entry; lib/pairs starts it");
const port = parentPort;
const init = workerData as PairsWorkerInit;
const images = { pixels: init.pixels, labels: init.labels, count: init.count, cols: init.cols };
const send = (message: PairsWorkerMessage) => port.postMessage(message);

port.on("message", ({ id, pair }: { id: number; pair: Pair }) => {
  try {
    const result = scorePair(images, pair, init.config, (fold) => send({ type: "fold", id, fold }));
    send({ type: "result", id, result });
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    send({ type: "error", id, message: e.message, stack: e.stack ?? e.message, input: isInputError(error) });
  }
});
