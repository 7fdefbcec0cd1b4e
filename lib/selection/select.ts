// Model selection in Node: stratified k-fold cross-validation over a grid of candidates (./plan),
// its folds taken from the fold cache where they pass their check, the rest run by a scheduler
// (this thread, threads, or the queue) with identical results however they run, and the outcome
// (./outcome: summaries, candidate tests, the winner) recorded with where, when and on what it ran.
// With a race (--race, ./race) the rounds are decided one after another, as their folds come in,
// and candidates surely worse than the best stop early (raceFolds says how the folds run).
import * as os from "node:os";
import { randomBytes } from "node:crypto";
import { classCounts, datasetPair, type Dataset } from "../data/dataset";
import { datasetFingerprint } from "../data/fingerprint";
import { resolveDataPath } from "../data/default-files";
import { dependencyVersion, packageVersion, projectRelative } from "../core/project";
import { defaultThreads } from "../core/pool";
import { engineInfo } from "../model/engine";
import { foldInputs, foldKey, type FoldInputs } from "./fold-key";
import { type FoldCache } from "./fold-cache";
import { expectedFold, foldResultProblem } from "./fold-check";
import type { QueueRunOptions } from "./queue/coordinator";
import { foldOf, type FoldJob } from "./fold-run";
import { selectionOutcome } from "./outcome";
import { planSelection, type PlanOptions, type SelectionPlan } from "./plan";
import { ProgressReporter, type SelectionProgress } from "./progress";
import type { CacheCounts, ExperimentRecord, FoldResult, QueueInfo, RaceStop } from "./record";
import { Scheduler, cancelled, runOnThreads, runSerial } from "./scheduler";
import type { RaceSettings } from "./config";
import { raceSettings } from "./race";
import { RaceTrack, type RaceEvents } from "./race-track";

export type { SelectionProgress } from "./progress";

export interface SelectionOptions extends PlanOptions {
  /**
   * Finished folds, stored by what determines them (fold-cache.ts): folds found there, and
   * passing their checks (fold-check.ts), are reused; every fold trained is stored as soon as it
   * finishes, so a killed run resumes.
   */
  cache?: FoldCache;
  /**
   * The one cache switch (the CLI's --no-cache is reuse: false): false trains every fold even when
   * the cache or the queue has it, and the fresh results replace the stored ones. Default true.
   */
  reuse?: boolean;
  /** Told the fold-cache key of every fold of the run, before the cache is read (what the run will use). */
  onKeys?: (keys: readonly string[]) => void;
  /**
   * Told once, before any training, how many folds the cache gives and how many are trained; with
   * a race (race: true), what the cache holds and the most that may train, as the race may stop
   * candidates before their folds.
   */
  onStart?: (plan: { folds: number; race?: boolean } & CacheCounts) => void;
  onProgress?: (progress: SelectionProgress) => void;
  /** Told each time a race (options.race) stops a candidate, after the round that decided it. */
  onRaceStop?: (candidate: string, stop: RaceStop) => void;
  /** Aborting stops the run (threads are terminated) and rejects with SelectionCancelled. */
  signal?: AbortSignal;
  /** Where the data came from, for the record. */
  source?: string;
  /** Run the folds on `digits worker` processes through this BullMQ queue instead of here (queue/). */
  queue?: QueueRunOptions;
  /**
   * Race the candidates (./race): stop each once it is surely worse than the best; unset fields
   * take DEFAULT_RACE's. Absent (the default), every candidate runs every fold.
   */
  race?: Partial<RaceSettings>;
}

/** A plan (./plan) with what Node adds: the data's fingerprint, and each job's inputs and fold-cache key. */
interface KeyedPlan extends SelectionPlan {
  fingerprint: string;
  inputsOf(job: FoldJob): FoldInputs;
  /** The fold-cache key of each job, by job.id. */
  keys: string[];
}

/** The plan, with the inputs that determine each fold (a fold is a pure function of them) and their keys. */
function keyedPlan(dataset: Dataset, options: SelectionOptions): KeyedPlan {
  const plan = planSelection(dataset, options);
  const fingerprint = datasetFingerprint(dataset);
  const kernels = engineInfo().kernelsSha256;
  const pair = datasetPair(dataset);
  const inputsOf = (job: FoldJob): FoldInputs => foldInputs(job, plan.settings, fingerprint, kernels, pair);
  return { ...plan, fingerprint, inputsOf, keys: plan.jobs.map((job) => foldKey(inputsOf(job))) };
}

/**
 * The folds the cache gives, each checked as a result of its own fold (fold-check.ts), under the
 * name its candidate has in this grid, by job id; the jobs missing from it are to train.
 */
function takeFromCache(plan: KeyedPlan, cols: number, cache: FoldCache | undefined): Map<number, FoldResult> {
  const cached = new Map<number, FoldResult>();
  if (!cache) return cached;
  const found = cache.getAll<FoldResult>(
    plan.jobs.map((job) => {
      const inputs = plan.inputsOf(job);
      const fold = foldOf(plan.folds, job);
      return { inputs, check: (result: unknown) => foldResultProblem(result, expectedFold(inputs, fold, cols)) };
    }),
  );
  plan.jobs.forEach((job, i) => {
    const result = found[i];
    // The candidate's name depends on the grid it is in ("8" alone, "8 relu" beside "8 tanh").
    if (result) cached.set(job.id, { ...result, architecture: job.candidate.name, key: plan.keys[job.id] });
  });
  return cached;
}

/** How trainFolds runs its jobs besides where: a race's order and its skips (Scheduler). */
type TrainOptions = Pick<Scheduler, "inRounds" | "skip"> & {
  /** Told each result once stored in the cache, with its fold-cache key. */
  onResult(job: FoldJob, result: FoldResult): void;
};

/**
 * Trains `toTrain` on `threads` threads (or through the queue), storing each result in the cache
 * the moment it is scored, then handing it on; returns what the queue reports, if one ran.
 */
async function trainFolds(dataset: Dataset, plan: KeyedPlan, toTrain: FoldJob[], threads: number, progress: ProgressReporter, options: SelectionOptions, run: TrainOptions): Promise<QueueInfo | undefined> {
  const scheduler: Scheduler = {
    jobs: toTrain,
    folds: plan.folds,
    settings: plan.settings,
    dataset,
    threads,
    signal: options.signal,
    inRounds: run.inRounds,
    skip: run.skip,
    onEpoch: (job, epoch, loss, seconds) => progress.epoch(job, epoch, loss, seconds),
    onResult(job, result) {
      // Stored the moment it is scored, so a run killed later keeps it.
      options.cache?.put(plan.inputsOf(job), result);
      run.onResult(job, { ...result, key: plan.keys[job.id] });
    },
  };
  // Loaded only here: BullMQ and ioredis are not needed by local runs (nor by the notebooks).
  // Without reuse, results finished in Redis are not taken either: every fold is trained anew.
  if (options.queue) return (require("./queue/coordinator") as typeof import("./queue/coordinator")).runQueued(scheduler, plan.inputsOf, { ...options.queue, reuse: options.reuse !== false && options.queue.reuse !== false });
  if (threads === 1) await runSerial(scheduler);
  else if (threads > 1) await runOnThreads(scheduler);
  return undefined;
}

/** How a run's folds came: from the cache or trained, on how many threads, through a queue, and where a race stopped candidates. */
interface FoldsRun {
  cache: CacheCounts;
  /** The most threads a scheduler call ran on (0 when the cache gave every fold). */
  threads: number;
  queue?: QueueInfo;
  /** A race's settings and its stops (by candidate name); absent without a race. */
  race?: { settings: RaceSettings; stops: ReadonlyMap<string, RaceStop> };
}

/** Every fold of every candidate: the cache's, and the rest trained in one scheduler call. */
async function everyFold(dataset: Dataset, plan: KeyedPlan, cached: ReadonlyMap<number, FoldResult>, toTrain: FoldJob[], results: FoldResult[], progress: ProgressReporter, options: SelectionOptions): Promise<FoldsRun> {
  results.push(...plan.jobs.flatMap((job) => cached.get(job.id) ?? []));
  // No more threads than fold jobs to train: the record and the CLI say how many really ran.
  const threads = Math.min(plan.threads, toTrain.length);
  const onResult = (job: FoldJob, result: FoldResult) => {
    results.push(result);
    progress.fold(job, result);
  };
  const queue = await trainFolds(dataset, plan, toTrain, threads, progress, options, { onResult });
  return { cache: { reused: cached.size, trained: toTrain.length }, threads, queue };
}

/** What a race's decisions tell: the progress bar's totals, and options.onRaceStop. */
function raceEvents(progress: () => ProgressReporter, options: SelectionOptions): RaceEvents {
  return {
    round: (reused) => progress().reused(reused),
    stop(candidate, stop, later, untrained) {
      options.onRaceStop?.(candidate, stop);
      progress().stopped(candidate, later, untrained);
    },
  };
}

/** A race's rounds through a queue, reported as one queued run. */
function queueOfRounds(rounds: readonly QueueInfo[]): QueueInfo | undefined {
  if (rounds.length === 0) return undefined;
  const sum = (key: "remote" | "reused" | "dropped" | "retried") => rounds.reduce((n, q) => n + q[key], 0);
  return { url: rounds[0].url, remote: sum("remote"), reused: sum("reused"), dropped: sum("dropped"), workers: [...new Set(rounds.flatMap((q) => q.workers))].sort(), retried: sum("retried") };
}

/**
 * The race (./race, ./race-track): the folds the cache gives, and the rest trained, the decisions
 * made round by round in order. On threads, every job left goes to the pool at once, by round, and
 * a job whose candidate was stopped by the time its turn comes is passed over: the threads never
 * wait for a round's decision, which comes as soon as its folds are in. Through a queue, one round
 * at a time (a worker never holds a fold of a candidate already stopped). Either way, and with a
 * warm cache or a cold one, the decisions and the record are a round-by-round race's.
 */
async function raceFolds(dataset: Dataset, plan: KeyedPlan, track: RaceTrack, progress: ProgressReporter, options: SelectionOptions): Promise<FoldsRun> {
  const onResult = (job: FoldJob, result: FoldResult) => {
    if (track.arrive(job, result)) progress.fold(job, result);
  };
  const queued: QueueInfo[] = [];
  let threads = 0;
  track.start();
  if (options.queue) {
    for (let round = 0; round < track.roundCount; round++) {
      if (options.signal?.aborted) throw cancelled(options.signal);
      const toTrain = track.toTrain(round);
      const roundThreads = Math.min(plan.threads, toTrain.length);
      const queue = await trainFolds(dataset, plan, toTrain, roundThreads, progress, options, { onResult });
      if (queue) queued.push(queue);
      threads = Math.max(threads, roundThreads);
    }
  } else {
    const toTrain = track.allToTrain();
    threads = Math.min(plan.threads, toTrain.length);
    await trainFolds(dataset, plan, toTrain, threads, progress, options, { onResult, inRounds: true, skip: (job) => track.stopped(job) });
  }
  const pastStops = track.pastStops();
  return { cache: { reused: track.reused, trained: track.trained, ...(pastStops > 0 ? { pastStops } : {}) }, threads, queue: queueOfRounds(queued), race: { settings: track.settings, stops: track.stops } };
}

/** What a finished run is recorded with besides its results. */
interface RunFacts extends FoldsRun {
  started: Date;
  seconds: number;
  source?: string;
}

/** The versions of what computed a record's numbers. */
function versions(): ExperimentRecord["versions"] {
  return { node: process.version, tfjs: dependencyVersion("@tensorflow/tfjs"), binaryDigits: packageVersion(), simpleStatistics: dependencyVersion("simple-statistics"), assemblyscript: dependencyVersion("assemblyscript") };
}

/** "20261125T123456789Z-1a2b": sorts by start time; the suffix keeps simultaneous runs apart. */
function experimentId(started: Date): string {
  return `${started.toISOString().replace(/[-:.]/g, "")}-${randomBytes(2).toString("hex")}`;
}

/** The record of a finished selection: its outcome, and where and how it was computed. */
function buildRecord(dataset: Dataset, plan: KeyedPlan, results: FoldResult[], run: RunFacts): ExperimentRecord {
  const { race } = run;
  const { folds, summary, comparisons, winner } = selectionOutcome(plan, results, race ? [...race.stops.keys()] : []);
  const engine = engineInfo();
  return {
    schema: "binary-digits/experiment",
    schemaVersion: 2,
    kind: "model-selection",
    id: experimentId(run.started),
    startedAt: run.started.toISOString(),
    finishedAt: new Date().toISOString(),
    seconds: run.seconds,
    // How the candidates are compared and the winner chosen change the outcome: stored with the settings,
    // and a raced record says how it raced (each candidate says whether it was stopped).
    config: { ...plan.config, rope: plan.rope, rule: plan.rule, ...(race ? { race: race.settings } : {}) },
    workers: run.threads,
    cache: { ...run.cache, ...(run.queue ? { remote: run.queue.remote } : {}) },
    data: {
      source: run.source === undefined ? null : projectRelative(resolveDataPath(run.source)),
      fingerprint: plan.fingerprint,
      rows: dataset.rows,
      cols: dataset.cols,
      counts: classCounts(dataset.labels),
      digits: [...datasetPair(dataset)],
    },
    versions: versions(),
    backend: `${engine.engine}, sha256 ${engine.kernelsSha256}; TensorFlow.js only saves and loads models`,
    machine: { platform: process.platform, arch: process.arch, cpus: defaultThreads(), cpuModel: os.cpus()[0]?.model ?? "unknown" },
    folds,
    summary: race ? summary.map((s) => ({ ...s, stopped: race.stops.get(s.architecture) ?? null })) : summary,
    winner,
    comparisons,
    ...(run.queue ? { queue: run.queue } : {}),
  };
}

/**
 * Cross-validates every candidate of the grid on `dataset` (stratified k-fold, the same folds
 * for all, so candidates are compared on the same rows) and names a winner by the one-SE rule.
 * Results depend only on the data and the SelectionConfig: the same with 1 or N threads, in any
 * order. Returns the record; nothing is written but fold-cache entries (see runExperiment).
 */
export async function selectCandidates(dataset: Dataset, options: SelectionOptions = {}): Promise<ExperimentRecord> {
  const started = new Date();
  const startedMs = performance.now();
  const plan = keyedPlan(dataset, options);
  const race = options.race ? raceSettings(options.race, plan.config) : undefined;
  options.onKeys?.(plan.keys);
  const cached = takeFromCache(plan, dataset.cols, options.reuse === false ? undefined : options.cache);
  const toTrain = plan.jobs.filter((job) => !cached.has(job.id));
  options.onStart?.({ folds: plan.jobs.length, reused: cached.size, trained: toTrain.length, ...(race ? { race: true } : {}) });
  const results: FoldResult[] = [];
  // A race counts the cache's folds as its rounds reach them.
  const totals = { jobs: plan.jobs.length, reused: race ? 0 : cached.size, folds: plan.config.folds, repeats: plan.config.repeats, epochs: plan.config.epochs };
  const track: RaceTrack | undefined = race ? new RaceTrack(plan, race, cached, raceEvents(() => progress, options)) : undefined;
  const progress: ProgressReporter = new ProgressReporter(toTrain, totals, startedMs, () => track?.foldsDone() ?? results.length, options.onProgress);
  const run = track ? await raceFolds(dataset, plan, track, progress, options) : await everyFold(dataset, plan, cached, toTrain, results, progress, options);
  return buildRecord(dataset, plan, track?.results ?? results, { ...run, started, seconds: progress.elapsed(), source: options.source });
}
