// A thread of `digits worker --concurrency N` (started by ./worker's runQueueWorker on the one
// pool): its one task is to take fold jobs until the pool asks it to stop (the task's signal,
// which stops its BullMQ worker after the fold in progress); its log lines are the task's
// progress and its counts the task's result.
import { serveTasks } from "../../core/pool";
import { takeFoldJobs, type QueueWorkerSummary, type ThreadOptions } from "./worker";

serveTasks<ThreadOptions, number, string, QueueWorkerSummary>((thread, shared, progress, signal) => takeFoldJobs({ ...shared, thread, log: progress, signal }));
