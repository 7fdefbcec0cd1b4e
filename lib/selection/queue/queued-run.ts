// One queued run, from queueing its folds to the last result (./coordinator's runQueued starts it):
// the data uploaded, the queue's events followed from the server's current time, a job added per
// fold (or an earlier run's job of the same fold adopted), and the results collected as they
// finish, each believed only once it proves itself (./jobs verifiedResult). Every event handler
// goes through guard, so whatever throws ends the run once (settleOnce), and the run ends on an
// abort, on the connection lost for good, on a job failed for good, or at the wait timeout.
import { Job, Queue, QueueEvents } from "bullmq";
import IORedis, { type RedisOptions } from "ioredis";
import { datasetFingerprint } from "../../data/fingerprint";
import { engineInfo } from "../../model/engine";
import { InputError } from "../../core/errors";
import { settleOnce } from "../../core/settle";
import { foldKey, type FoldInputs } from "../fold-key";
import { expectedFold, type ExpectedFold } from "../fold-check";
import { foldOf, type FoldJob } from "../fold-run";
import { cancelled, costliestFirst, type Scheduler } from "../scheduler";
import { describeJob, jobOptions, RESULT_TTL_SECONDS, uploadDataset, verifiedResult, type FoldJobData, type FoldJobProgress } from "./jobs";
import { IdleWatch } from "./idle";
import { displayUrl, jobKey, parseRedisUrl, QUEUE_NAME, QUEUE_PREFIX, withTimeout, workerCommand } from "./redis";
import type { QueueInfo } from "../record";

/** Where the coordinator's queue is, how it reports what happens on it, and how long it waits. */
export interface QueueRunOptions {
  /** redis://[:PASSWORD@]HOST:PORT[/DB] (rediss:// for TLS). */
  url: string;
  /** Lines worth telling the user (jobs queued, a worker refusing jobs, no worker yet); not progress. */
  log?: (line: string) => void;
  /** Told of each result from Redis that failed its check (it is trained again); default: log. */
  warn?: (message: string) => void;
  /** Seconds without a Redis connection before the run gives up (default 10). */
  lostAfterSeconds?: number;
  /**
   * false: nothing finished in Redis is taken. The jobs of these folds that finished (or failed)
   * before this run are removed and queued anew, so every fold is trained by this run (--no-cache).
   * Default true: a finished result is taken once it passes its check.
   */
  reuse?: boolean;
  /** Ends the run with an InputError when no worker has taken any of its folds for this long (--wait-timeout); default: waits. */
  waitTimeoutSeconds?: number;
  /** How often (ms) to say that folds are waiting and no worker is training any (default 30000). */
  noticeMs?: number;
  /** How long finished jobs stay in Redis (default RESULT_TTL_SECONDS, a day). */
  resultTtlSeconds?: number;
}

/** One fold of this run: what to queue and what its result must match. */
interface Entry {
  job: FoldJob;
  data: FoldJobData;
  expected: ExpectedFold;
}

/** The state of one queued run, from queueing its folds to the last result. */
export class QueuedRun {
  private readonly url: string;
  /** How to start a worker on this queue, for the hints (never with the password). */
  private readonly workerCommand: string;
  private readonly connection: RedisOptions;
  private readonly log: (line: string) => void;
  private readonly warn: (message: string) => void;
  private readonly ttl: number;
  /** Costliest first: the order the jobs are queued in. */
  private readonly entries = new Map<string, Entry>();
  private readonly done = new Set<string>();
  private readonly workers = new Set<string>();
  private readonly lastEpoch = new Map<string, number>();
  private readonly refusedBy = new Set<string>();
  /** Folds whose stored result was dropped, and why. */
  private readonly dropped = new Map<string, string>();
  /** Folds whose job is being read back right now (an event and the poll may both ask). */
  private readonly collecting = new Set<string>();
  private retried = 0;
  private reused = 0;
  private readonly idle: IdleWatch;
  /** Watches the connection (see watch); the queue and its events have their own. */
  private readonly client: IORedis;
  private readonly queue: Queue<FoldJobData, string>;
  private events: QueueEvents | null = null;
  private lastError = "";
  private readonly cleanups: (() => void)[] = [];
  /** Resolves when every fold has its result; the first error, abort or lost connection rejects. */
  private readonly outcome = settleOnce<void>(() => this.cleanups.splice(0).forEach((cleanup) => cleanup()));
  private started: Promise<void> | undefined;

  constructor(
    private readonly s: Scheduler,
    /** What determines each job's result: its job id (and fold-cache key) is their hash. */
    inputsOf: (job: FoldJob) => FoldInputs,
    private readonly options: QueueRunOptions,
  ) {
    this.url = displayUrl(options.url);
    this.workerCommand = workerCommand(options.url);
    this.connection = parseRedisUrl(options.url);
    this.log = options.log ?? (() => undefined);
    this.warn = options.warn ?? this.log;
    this.ttl = options.resultTtlSeconds ?? RESULT_TTL_SECONDS;
    this.idle = new IdleWatch(options.noticeMs ?? 30000, options.waitTimeoutSeconds === undefined ? Infinity : options.waitTimeoutSeconds * 1000, Date.now());
    for (const job of costliestFirst(s.jobs)) {
      const inputs = inputsOf(job);
      const key = foldKey(inputs);
      const fold = foldOf(s.folds, job);
      this.entries.set(key, { job, data: { key, inputs, candidate: job.candidate }, expected: expectedFold(inputs, fold, s.dataset.cols) });
    }
    // When the connection cannot come back within lostAfterSeconds, the run stops instead of
    // waiting for results that cannot arrive.
    const lostAfter = (options.lostAfterSeconds ?? 10) * 1000;
    const retryMs = 500;
    this.client = new IORedis({ ...this.connection, maxRetriesPerRequest: 1, retryStrategy: (times) => (times * retryMs > lostAfter ? null : retryMs) });
    this.client.on("error", (error: Error) => (this.lastError = error.message));
    this.queue = new Queue<FoldJobData, string>(QUEUE_NAME, { connection: this.connection, prefix: QUEUE_PREFIX });
    this.queue.on("error", () => undefined);
  }

  /** Queues the folds and resolves once all have their results. */
  run(): Promise<void> {
    this.watch();
    this.started = this.guard(async () => {
      for (const step of [() => this.upload(), () => this.listen(), () => this.enqueue()]) {
        // An abort or a lost connection during a step: nothing more is added to the queue.
        if (this.outcome.settled) return;
        await step();
      }
      this.every(5000, () => this.poll());
      this.watchIdle();
    })();
    return this.outcome.promise;
  }

  info(): QueueInfo {
    return { url: this.url, remote: this.done.size, reused: this.reused, dropped: this.dropped.size, workers: [...this.workers].sort(), retried: this.retried };
  }

  /** Wraps a handler so that whatever it throws or rejects with ends the run, and nothing runs after the end. */
  private guard<A extends unknown[]>(handler: (...args: A) => void | Promise<void>): (...args: A) => Promise<void> {
    return async (...args: A) => {
      if (this.outcome.settled) return;
      try {
        await handler(...args);
      } catch (error) {
        this.outcome.reject(error);
      }
    };
  }

  /** Runs `action` every `ms` (never two at once) until the run ends; nothing once it has. */
  private every(ms: number, action: () => Promise<void>): void {
    if (this.outcome.settled) return;
    let busy = false;
    const timer = setInterval(async () => {
      if (busy) return;
      busy = true;
      await this.guard(action)();
      busy = false;
    }, ms);
    this.cleanups.push(() => clearInterval(timer));
  }

  /** An abort, or the connection lost for good, ends the run. */
  private watch(): void {
    const onAbort = () => this.outcome.reject(cancelled(this.s.signal));
    const onLost = () =>
      this.outcome.reject(
        new InputError(
          `lost the connection to Redis at ${this.url} mid-run (${this.lastError || "connection closed"}); ${this.done.size} of ${this.entries.size} folds had finished. ` +
            `Start Redis again and rerun the same command: finished folds are kept in the local cache`,
        ),
      );
    this.s.signal?.addEventListener("abort", onAbort);
    this.client.once("end", onLost);
    this.cleanups.push(
      () => this.s.signal?.removeEventListener("abort", onAbort),
      () => this.client.removeListener("end", onLost),
    );
  }

  private async upload(): Promise<void> {
    const { dataset } = this.s;
    const upload = await uploadDataset(this.client, dataset, datasetFingerprint(dataset));
    if (upload.uploaded) this.log(`uploaded the training data (${dataset.rows} rows, ${(upload.bytes / 1e6).toFixed(2)} MB compressed) to ${this.url}`);
  }

  /** Follows the queue's events from the server's current time on: none is missed between adding jobs and listening. */
  private async listen(): Promise<void> {
    const [sec, usec] = await this.client.time();
    const lastEventId = `${Number(sec) * 1000 + Math.floor(Number(usec) / 1000)}-0`;
    const events = new QueueEvents(QUEUE_NAME, { connection: this.connection, prefix: QUEUE_PREFIX, lastEventId });
    this.events = events;
    events.on("error", () => undefined);
    await events.waitUntilReady();
    events.on("progress", this.guard(({ jobId, data }: { jobId: string; data: unknown }) => this.progress(jobId, data)));
    events.on("completed", this.guard(({ jobId }: { jobId: string }) => this.collect(jobId, false)));
    events.on("failed", this.guard(({ jobId, failedReason }: { jobId: string; failedReason: string }) => this.failed(jobId, failedReason)));
    events.on("stalled", this.guard(({ jobId }: { jobId: string }) => this.stalled(jobId)));
  }

  /** Adds a job per fold, after deciding what to do with a job of the same id left by an earlier run. */
  private async enqueue(): Promise<void> {
    await Promise.all([...this.entries.keys()].map((key) => this.adopt(key)));
    if (this.outcome.settled) return;
    const keys = this.outstanding();
    await this.queue.addBulk(keys.map((key) => ({ name: "fold", data: this.entries.get(key)!.data, opts: jobOptions(key, this.ttl) })));
    if (keys.length === 0) {
      this.log(`all ${this.entries.size} folds were finished on ${this.url} already (checked; none queued)`);
      return this.outcome.resolve();
    }
    const reused = this.reused > 0 ? ` (${this.reused} more finished there already)` : "";
    this.log(`queued ${keys.length} fold jobs on ${this.url}${reused}; waiting for workers (\`${this.workerCommand}\` on each machine)`);
  }

  /**
   * A job of this id that exists already keeps its state when added again: a finished result is
   * taken once it passes its check (unless reuse is off: then it is removed, to be trained anew),
   * a job that failed in an earlier run is removed to be tried again, and one queued or under way
   * (for another run) is waited for.
   */
  private async adopt(key: string): Promise<void> {
    const state = await this.queue.getJobState(key);
    if (state === "completed" && this.options.reuse !== false) return this.collect(key, true);
    if (state === "completed" || state === "failed") await this.queue.remove(key);
  }

  private outstanding(): string[] {
    return [...this.entries.keys()].filter((key) => !this.done.has(key));
  }

  /** A finished job of ours: its result goes to the scheduler once it proves itself; if it does not, it is dropped and the fold queued again. */
  private async collect(key: string, reused: boolean): Promise<void> {
    const entry = this.entries.get(key);
    if (!entry || this.done.has(key) || this.collecting.has(key)) return;
    this.collecting.add(key);
    try {
      // A read that fails (Redis briefly away) is tried again by the next poll.
      const job = await Job.fromId<FoldJobData, string>(this.queue, key).catch(() => null);
      if (job === null || this.outcome.settled || this.done.has(key)) return;
      // Expired: its hash is gone while BullMQ still lists its id as finished.
      if (!job) return await this.requeue(key);
      // Queued again since (a dropped result, --no-cache): its own completion will come.
      if (job.finishedOn === undefined || job.failedReason) return;
      const checked = verifiedResult(key, job.returnvalue, entry.expected);
      if ("problem" in checked) return await this.drop(key, checked.problem);
      // Kept for the result TTL after the last run that used it.
      await this.client.expire(jobKey(key), this.ttl).catch(() => undefined);
      if (this.outcome.settled || this.done.has(key)) return;
      this.done.add(key);
      this.workers.add(checked.worker);
      if (reused) this.reused++;
      this.idle.active(Date.now());
      // The same fold may have been queued under another grid's name: the name is ours.
      this.s.onResult(entry.job, { ...checked.result, architecture: entry.job.candidate.name });
      if (this.done.size === this.entries.size) this.outcome.resolve();
    } finally {
      this.collecting.delete(key);
    }
  }

  /** One warning, and the fold is trained again; a second bad result for it ends the run. */
  private async drop(key: string, problem: string): Promise<void> {
    const { job } = this.entries.get(key)!;
    const what = describeJob(job.candidate.name, job.fold, this.s.settings.folds);
    if (this.dropped.has(key)) {
      throw new InputError(`the result of ${what} came back from Redis unusable twice (${problem}); check that every \`digits worker\` on ${this.url} runs this version of digits, built with \`npm run build\``);
    }
    this.dropped.set(key, problem);
    this.warn(`the result of ${what} in Redis ${problem}: dropped, training that fold again`);
    await this.requeue(key);
  }

  private async requeue(key: string): Promise<void> {
    await this.queue.remove(key);
    await this.queue.add("fold", this.entries.get(key)!.data, jobOptions(key, this.ttl));
  }

  private progress(key: string, data: unknown): void {
    const entry = this.entries.get(key);
    const progress = data as FoldJobProgress;
    if (!entry || this.done.has(key) || typeof progress !== "object" || progress === null) return;
    // From Redis, so shape-checked: anything else is ignored, never allowed to throw here.
    if ("refused" in progress) {
      const { worker, kernels } = (progress.refused ?? {}) as { worker?: unknown; kernels?: unknown };
      if (typeof worker === "string" && typeof kernels === "string") this.refused({ worker, kernels });
      return;
    }
    if (!Number.isInteger(progress.epoch) || !Number.isFinite(progress.seconds)) return;
    // A job taken again after its worker stopped restarts at epoch 1: report only new epochs.
    if (progress.epoch <= (this.lastEpoch.get(key) ?? 0)) return;
    this.lastEpoch.set(key, progress.epoch);
    this.idle.active(Date.now());
    // A diverging epoch's loss is not finite (null in JSON).
    this.s.onEpoch(entry.job, progress.epoch, typeof progress.loss === "number" ? progress.loss : NaN, progress.seconds);
  }

  private refused({ worker, kernels }: { worker: string; kernels: string }): void {
    if (this.refusedBy.has(worker)) return;
    this.refusedBy.add(worker);
    const ours = engineInfo().kernelsSha256;
    this.log(
      `worker ${worker} refuses our folds: its training kernels (sha256 ${kernels.slice(0, 12)}…) differ from ours ` +
        `(${ours.slice(0, 12)}…); the jobs wait for a worker with the same kernels (check out and build the same version there)`,
    );
  }

  private failed(key: string, reason: string): void {
    const entry = this.entries.get(key);
    if (!entry || this.done.has(key)) return;
    const stalled = /stalled more than allowable limit/.test(reason) ? " (its workers stopped while training it, twice: e.g. out of memory)" : "";
    throw new InputError(`${describeJob(entry.job.candidate.name, entry.job.fold, this.s.settings.folds)} failed on a worker: ${reason}${stalled}`);
  }

  private stalled(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.retried++;
    this.log(`${describeJob(entry.job.candidate.name, entry.job.fold, this.s.settings.folds)}: its worker stopped mid-fold; the job is queued again`);
  }

  /** Where each outstanding job is: the events say the same sooner, this catches what they cannot. */
  private async poll(): Promise<void> {
    const keys = this.outstanding();
    const states = await this.states(keys);
    if (!states) return;
    await Promise.all(
      keys.map(async (key, i) => {
        if (this.outcome.settled || this.done.has(key)) return;
        if (states[i] === "completed") await this.collect(key, false);
        else if (states[i] === "active") this.idle.active(Date.now());
        else if (states[i] === "failed") this.failed(key, (await Job.fromId(this.queue, key).catch(() => undefined))?.failedReason ?? "unknown reason");
        // Removed by another run that ended early: queued again.
        else if (states[i] === "unknown") await this.queue.add("fold", this.entries.get(key)!.data, jobOptions(key, this.ttl));
      }),
    );
  }

  /** The states of these jobs, or null when Redis cannot say right now (the lost-connection watch decides about that). */
  private async states(keys: string[]): Promise<string[] | null> {
    return Promise.all(keys.map((key) => this.queue.getJobState(key))).catch(() => null);
  }

  /** While no worker trains any of our folds: a line every noticeMs saying how many wait, and the end at the wait timeout. */
  private watchIdle(): void {
    this.idle.active(Date.now());
    this.every(this.idle.tickMs, async () => {
      if (!this.idle.due(Date.now())) return;
      // A worker may be in a long epoch: a job of ours under way is activity too.
      const keys = this.outstanding();
      const states = await this.states(keys);
      if (!states) return;
      if (states.includes("active")) return this.idle.active(Date.now());
      const due = this.idle.due(Date.now());
      const waiting = `${keys.length} of ${this.entries.size} folds`;
      const start = `start \`${this.workerCommand}\` on a machine with this project built`;
      if (due?.kind === "timeout") {
        throw new InputError(`no worker took any of the ${waiting} waiting on ${this.url} for ${this.options.waitTimeoutSeconds} s (--wait-timeout); ${start}, then rerun: finished folds are kept in the local cache`);
      }
      if (!due) return;
      this.idle.noticed();
      this.log(`still waiting: ${waiting} are queued on ${this.url} and no worker has taken one for ${Math.round(due.idleMs / 1000)} s; ${start}`);
    });
  }

  /** After an early end: jobs nobody has started are taken off the queue (started ones finish there, where a rerun finds them). */
  async takeBackUnstarted(): Promise<void> {
    await withTimeout(this.started, 2000);
    await Promise.allSettled(this.outstanding().map((key) => withTimeout(this.queue.remove(key), 1000)));
  }

  async close(): Promise<void> {
    // A start still under way (the run ended during it) must not add anything after this.
    await withTimeout(this.started, 2000);
    await Promise.allSettled([withTimeout(this.events?.close(), 2000), withTimeout(this.queue.close(), 2000)]);
    this.events?.disconnect().catch(() => undefined);
    this.queue.disconnect().catch(() => undefined);
    this.client.disconnect();
  }
}
