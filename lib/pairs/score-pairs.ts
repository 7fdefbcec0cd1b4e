// Scoring every pair: scorePair on each, in this thread or on the pool of threads (lib/core/pool),
// with progress weighted by the work each fold costs. Writes nothing.
import { InputError } from "../core/errors";
import type { Pair } from "../core/pair";
import { runPool, shareArray } from "../core/pool";
import { defaultThreads } from "../core/pool";
import { allPairs, ascending, type PairsConfig } from "./config";
import { digitCounts, type DigitImages } from "./images";
import { scorePair, type PairFold, type PairResult } from "./score-pair";
import { yieldToEventLoop } from "../core/yield";

/** Reported after every scored fold and every finished pair. */
export interface PairsProgress {
  kind: "fold" | "pair";
  pair: Pair;
  /** The fold just scored (on kind "fold"), 0-based; and the number of folds. */
  fold: number;
  folds: number;
  pairsDone: number;
  pairsTotal: number;
  foldsDone: number;
  foldsTotal: number;
  /** Share of the work done, 0…1 (each fold weighted by its pair's images). */
  fraction: number;
  elapsedSeconds: number;
  /** Extrapolated from the work done; null before the first fold. */
  remainingSeconds: number | null;
  /** The finished pair, on kind "pair". */
  result?: PairResult;
}

export interface ScorePairsOptions {
  /** Default: every pair of allPairs(). */
  pairs?: readonly Pair[];
  /** Threads; 1 runs in this thread. Default one per core. */
  threads?: number;
  onProgress?: (progress: PairsProgress) => void;
}

/** @internal What each pairs thread is given once: the images in shared memory, and the settings. */
export interface PairsThreadShared {
  images: DigitImages;
  config: PairsConfig;
}

/** @internal One task of a pairs thread: the pair at `index` of the run. */
export interface PairTask {
  index: number;
  pair: Pair;
}

/** Checks that every digit of the requested pairs has an image for each fold. */
function checkEnoughImages(images: DigitImages, pairs: readonly Pair[], config: PairsConfig, where: string): void {
  const counts = digitCounts(images.labels);
  for (const digit of new Set(pairs.flat())) {
    const available = config.perDigit === null ? counts[digit] : Math.min(counts[digit], config.perDigit);
    if (available < config.folds) {
      throw new InputError(
        `${where}: digit ${digit} has ${counts[digit]} image${counts[digit] === 1 ? "" : "s"}; ${config.folds}-fold cross-validation needs at least ${config.folds} of every digit (lower the folds or use images of all ten digits)`,
      );
    }
  }
}

/** Counts what is done and reports it; results land at their pair's index. */
function progressTracker(images: DigitImages, pairs: readonly Pair[], config: PairsConfig, onProgress: ScorePairsOptions["onProgress"]) {
  // Each fold weighs its pair's images, which is what its training costs.
  const counts = digitCounts(images.labels);
  const size = (d: number) => (config.perDigit === null ? counts[d] : Math.min(counts[d], config.perDigit));
  const weights = pairs.map(([a, b]) => size(a) + size(b));
  const total = weights.reduce((s, w) => s + w, 0) * config.folds;
  const startedMs = performance.now();
  let done = 0, foldsDone = 0, pairsDone = 0;
  const results = new Array<PairResult | undefined>(pairs.length);
  const report = (kind: "fold" | "pair", index: number, fold: number, result?: PairResult) => {
    if (!onProgress) return;
    const elapsed = (performance.now() - startedMs) / 1000;
    const fraction = pairsDone === pairs.length ? 1 : done / total;
    onProgress({
      kind,
      pair: pairs[index],
      fold,
      folds: config.folds,
      pairsDone,
      pairsTotal: pairs.length,
      foldsDone,
      foldsTotal: pairs.length * config.folds,
      fraction,
      elapsedSeconds: elapsed,
      remainingSeconds: fraction >= 1 ? 0 : done > 0 ? (elapsed * (total - done)) / done : null,
      result,
    });
  };
  return {
    results: () => results as PairResult[],
    onFold(index: number, fold: PairFold) {
      done += weights[index];
      foldsDone++;
      report("fold", index, fold.fold);
    },
    onResult(index: number, result: PairResult) {
      results[index] = result;
      pairsDone++;
      report("pair", index, config.folds - 1, result);
    },
  };
}

/**
 * Scores every pair (scorePair), in this thread or spread over threads, and returns the results
 * in the order of `pairs`: the same numbers with any number of threads. The first error (a
 * thread's, or a throw in onProgress) ends the run and every thread.
 */
export async function scorePairs(images: DigitImages, config: PairsConfig, options: ScorePairsOptions = {}, where = "the images"): Promise<PairResult[]> {
  const pairs = (options.pairs ?? allPairs()).map(ascending);
  const threads = options.threads ?? defaultThreads();
  if (!Number.isInteger(threads) || threads < 1) throw new InputError(`threads must be a whole number ≥ 1, got ${threads}`);
  if (images.labels.length !== images.count || images.pixels.length !== images.count * images.cols) {
    throw new InputError(`${where}: ${images.count} images of ${images.cols} pixels do not match ${images.pixels.length} pixel bytes and ${images.labels.length} labels`);
  }
  checkEnoughImages(images, pairs, config, where);
  const tracker = progressTracker(images, pairs, config, options.onProgress);
  if (threads === 1) {
    for (let index = 0; index < pairs.length; index++) {
      tracker.onResult(index, scorePair(images, pairs[index], config, (fold) => tracker.onFold(index, fold)));
      // Let progress output and signals through between pairs.
      await yieldToEventLoop();
    }
    return tracker.results();
  }
  const shared: PairsThreadShared = { images: { ...images, pixels: shareArray(images.pixels), labels: shareArray(images.labels) }, config };
  await runPool<PairTask, PairFold, PairResult>({
    module: "pairs/pair-thread",
    shared,
    tasks: pairs.map((pair, index) => ({ index, pair })),
    threads,
    name: "a pairs thread",
    onProgress: (task, fold) => tracker.onFold(task.index, fold),
    onResult: (task, result) => tracker.onResult(task.index, result),
  });
  return tracker.results();
}
