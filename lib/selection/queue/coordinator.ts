// Queue coordinator: a selection's fold runs spread over machines through BullMQ on Redis.
// runQueued (a third scheduler beside lib/selection/scheduler's serial and threaded ones) puts one
// job per fold on the queue and waits for the results, which `digits worker` processes anywhere
// train (./worker). Safe because a fold's result is a pure function of its FoldInputs
// (../fold-cache): the job id is their key, so the same fold queued twice is one job, and every
// job carries the kernels' hash, so a queue worker built from other code refuses it.
//
// A result read back from Redis is believed only once it proves itself (./jobs verifiedResult:
// the worker's checksum, and ../fold-check's rule for any stored fold result); one that does not
// is dropped with a warning and its fold trained again, so nothing unverified reaches the
// scheduler (nor, through it, the local fold cache). One run's machinery is ./queued-run.
import { cancelled, type Scheduler } from "../scheduler";
import type { FoldInputs } from "../fold-key";
import type { FoldJob } from "../fold-run";
import { coordinatorEnvironment } from "./jobs";
import { QueuedRun, type QueueRunOptions } from "./queued-run";
import type { QueueInfo } from "../record";
import { checkRedis, displayUrl, queueUrl } from "./redis";

// The options and the record's part live with the run that reads them; callers take them from here.
export type { QueueRunOptions } from "./queued-run";

/**
 * The queue options of `digits select --queue URL` (or `--queue env`: DIGITS_QUEUE_URL), checked
 * before any data is loaded: Redis reachable (else an InputError saying how to start one), and the
 * test settings the environment gives (coordinatorEnvironment) under those given here.
 */
export async function checkedQueueOptions(flag: string, options: Omit<QueueRunOptions, "url">): Promise<QueueRunOptions> {
  const url = queueUrl(flag);
  await checkRedis(url);
  return { ...coordinatorEnvironment(), ...options, url };
}

/**
 * Runs a selection's fold jobs on the queue at `options.url` and waits for every result, calling
 * the scheduler's onEpoch and onResult as workers report. Results finished in Redis already (the
 * same fold queued by an earlier run within the result TTL) are taken once they pass their check,
 * unless options.reuse is false. Rejects with an InputError when Redis is unreachable at start or
 * lost mid-run, when a job fails for good (naming its candidate and fold), or when no worker takes
 * a fold within options.waitTimeoutSeconds; SelectionCancelled on abort. Jobs not yet started are
 * taken off the queue when the run ends early.
 */
export async function runQueued(s: Scheduler, inputsOf: (job: FoldJob) => FoldInputs, options: QueueRunOptions): Promise<QueueInfo> {
  const url = displayUrl(options.url);
  if (s.signal?.aborted) throw cancelled(s.signal);
  // Every fold came from the cache: nothing to queue, and no reason to need Redis.
  if (s.jobs.length === 0) return { url, remote: 0, reused: 0, dropped: 0, workers: [], retried: 0 };
  await checkRedis(options.url);
  const run = new QueuedRun(s, inputsOf, options);
  try {
    await run.run();
  } catch (error) {
    await run.takeBackUnstarted();
    throw error;
  } finally {
    await run.close();
  }
  return run.info();
}
