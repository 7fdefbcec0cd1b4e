// Worker thread of `digits worker --concurrency N` (started by lib/queue-worker's runWorkers):
// one BullMQ worker per thread, its log lines and final counts posted to the main thread, which
// sends "stop" on SIGINT/SIGTERM.
import { parentPort, workerData } from "node:worker_threads";
import { runWorker, type QueueWorkerOptions } from "./worker";

if (!parentPort) throw new Error("lib/queue-worker-thread is a worker thread entry; lib/queue-worker starts it");
const port = parentPort;
const stop = new AbortController();
port.on("message", (message) => {
  if (message === "stop") stop.abort();
});
void runWorker({ ...(workerData as QueueWorkerOptions), signal: stop.signal, log: (line) => port.postMessage({ log: line }) }).then((summary) => {
  port.postMessage({ summary });
  port.close();
});
