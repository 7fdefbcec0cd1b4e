// What a selection will do, worked out and checked before anything is read or trained: the settings
// completed with defaults, the candidates, the folds cut from the labels, one job per candidate,
// repeat and fold, and a memory check of the whole grid. Platform-neutral: `digits select`, notebook
// 02 and a report's lab plan alike (the fold cache, keys and records are Node's, in ./select).
import type { Dataset } from "../data/dataset";
import { stratifiedKFold, type Fold } from "../data/split";
import { InputError } from "../core/errors";
import { defaultThreads } from "../core/pool";
import { modelConfig, type ModelConfig } from "../model/model";
import { checkSelectionMemory } from "../model/memory";
import { candidates, repeatSeed, resolveSelectionConfig, type Candidate, type SelectionConfig, type SelectionSettings } from "./config";
import type { FoldJob, FoldSettings } from "./fold-run";
import { DEFAULT_ROPE } from "./candidate-tests";
import { SELECTION_RULES, type ComparisonMetric, type SelectionRule } from "./record";

/** What a plan is asked for: the selection's settings, and how it compares and chooses. */
export interface PlanOptions extends SelectionSettings {
  /** Threads to train on; default one per core. 1 runs in this thread. */
  threads?: number;
  /** Half-widths of the regions of practical equivalence of the candidate tests (default DEFAULT_ROPE). */
  rope?: Partial<Record<ComparisonMetric, number>>;
  /** How the winner is chosen: the one-SE rule (default) or "equivalent" (candidate-tests.ts equivalentRule). */
  rule?: SelectionRule;
}

/** A selection worked out: what runs, on which folds, and how the results will be judged. */
export interface SelectionPlan {
  config: SelectionConfig;
  settings: FoldSettings;
  candidates: Candidate[];
  /** By repeat, then fold. */
  folds: Fold[][];
  /** In grid order, then repeat, then fold order; job.id is the index. */
  jobs: FoldJob[];
  /** Threads asked for. */
  threads: number;
  rope: Record<ComparisonMetric, number>;
  rule: SelectionRule;
}

/**
 * Refuses, before any thread starts, a grid that cannot fit: the largest fold's rows (and their
 * non-zero pixels) with each candidate's network, `concurrent` fold runs at once, plus the copy of the
 * dataset that threads share.
 */
function checkFoldMemory(dataset: Dataset, folds: readonly Fold[], models: ModelConfig[], concurrent: number): void {
  const perRow = new Uint32Array(dataset.rows);
  for (let r = 0; r < dataset.rows; r++) {
    let n = 0;
    for (let c = r * dataset.cols, end = c + dataset.cols; c < end; c++) if (dataset.features[c] !== 0) n++;
    perRow[r] = n;
  }
  const largest = (pick: (fold: Fold) => Uint32Array) => {
    let rows = 0;
    let nonZero = 0;
    for (const fold of folds) {
      const indices = pick(fold);
      let n = 0;
      for (const i of indices) n += perRow[i];
      rows = Math.max(rows, indices.length);
      nonZero = Math.max(nonZero, n);
    }
    return { rows, nonZero };
  };
  // A page from file:// has no SharedArrayBuffer at all (not cross-origin isolated): there nothing is shared yet.
  const isShared = typeof SharedArrayBuffer !== "undefined" && dataset.features.buffer instanceof SharedArrayBuffer;
  const shared = concurrent > 1 && !isShared ? dataset.features.byteLength + dataset.rows : 0;
  checkSelectionMemory(models, largest((f) => f.train), largest((f) => f.validation), concurrent, shared);
}

/** The ROPE half-widths and the rule, checked: an InputError says which is wrong. */
export function comparisonSettings(options: Pick<PlanOptions, "rope" | "rule">): { rope: Record<ComparisonMetric, number>; rule: SelectionRule } {
  const rope = { ...DEFAULT_ROPE, ...options.rope };
  for (const [metric, eps] of Object.entries(rope)) {
    if (!(Number.isFinite(eps) && eps >= 0 && eps < 1)) throw new InputError(`the region of practical equivalence for ${metric} must be a number from 0 to 1, got ${eps}`);
  }
  const rule = options.rule ?? "one-se";
  if (!SELECTION_RULES.includes(rule)) throw new InputError(`rule must be one of ${SELECTION_RULES.join(", ")}, got "${rule}"`);
  return { rope, rule };
}

/** The settings checked, the folds cut and the jobs listed; throws InputError on a bad setting. */
export function planSelection(dataset: Dataset, options: PlanOptions): SelectionPlan {
  const config = resolveSelectionConfig(options);
  const threads = options.threads ?? defaultThreads();
  if (!Number.isInteger(threads) || threads < 1) throw new InputError(`threads must be a whole number ≥ 1, got ${threads}`);
  if (dataset.rows === 0) throw new InputError("the data has no rows");
  // Repeat 0 is the plain k-fold cut; each further repeat shuffles with a seed of its own.
  const folds = Array.from({ length: config.repeats }, (_, r) => stratifiedKFold(dataset.labels, config.folds, repeatSeed(config.seed, r)));
  const { grid: _grid, activations: _activations, learningRates: _learningRates, repeats: _repeats, ...settings } = config;
  const list = candidates(config);
  const jobs: FoldJob[] = [];
  for (const candidate of list) {
    for (let r = 0; r < config.repeats; r++) for (let f = 0; f < config.folds; f++) jobs.push({ id: jobs.length, candidate, fold: f, ...(r > 0 ? { repeat: r } : {}) });
  }
  // Refused before anything trains: the whole grid must fit, this many fold runs at once.
  checkFoldMemory(dataset, folds.flat(), list.map((c) => modelConfig(c.hidden, c.activation, dataset.cols)), Math.min(threads, jobs.length));
  const { rope, rule } = comparisonSettings(options);
  return { config, settings, candidates: list, folds, jobs, threads, rope, rule };
}
