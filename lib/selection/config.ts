// What a model selection is asked to do: the grid of candidates (layer sizes × activations ×
// learning rates), the folds, epochs, seed and batch size, checked and completed with defaults.
import { InputError } from "../core/errors";
import { ACTIVATIONS, architectureName, modelConfig, REFERENCE_ACTIVATION, type Activation } from "../model/model";
import { deriveSeed } from "../core/random";
import { resolveTrainConfig } from "../model/train";

// Types

/**
 * The default grid: logistic regression, three networks smaller than the reference, the
 * reference (25, 15), and two wider ones, so the one-SE rule has both directions to choose from.
 */
export const DEFAULT_GRID: readonly (readonly number[])[] = [[], [8], [16, 8], [25, 15], [64, 32], [128, 64]];

/**
 * Everything that determines a selection's numbers (not how fast it runs). The candidates are
 * the product grid × activations × learningRates, in that order (see `candidates`).
 */
export interface SelectionConfig {
  /** Hidden layer sizes of each architecture; `[]` is logistic regression. */
  grid: number[][];
  /** Hidden-layer activations to try (one for logistic regression, which has none, is enough). */
  activations: Activation[];
  /** Adam learning rates to try. */
  learningRates: number[];
  folds: number;
  /**
   * Times the k folds are cut (repeated stratified k-fold): repeat 0 is the plain k-fold run,
   * repeat r > 0 shuffles with deriveSeed(seed, r). Default 1.
   */
  repeats: number;
  epochs: number;
  batchSize: number;
  seed: number;
  /** Probability above which a prediction is class 1 (for accuracy, precision, recall, F1). */
  threshold: number;
  /** Present when the candidates were raced (`digits select --race`, ./race): how soon and how surely one was stopped. */
  race?: RaceSettings;
}

/**
 * A race's settings: from `minFolds` folds on, a candidate is stopped once the probability that
 * it is practically worse than the best on log loss reaches `confidence` (./race).
 */
export interface RaceSettings {
  minFolds: number;
  confidence: number;
}

export const DEFAULT_SELECTION_CONFIG: Readonly<Omit<SelectionConfig, "grid" | "activations" | "learningRates"> & { activation: Activation; learningRate: number }> = {
  folds: 5,
  repeats: 1,
  epochs: 20,
  batchSize: 32,
  learningRate: 0.001,
  activation: REFERENCE_ACTIVATION,
  seed: 13,
  threshold: 0.5,
};

/** One point of the grid: what a network is and how it trains. */
export interface Candidate {
  /** Layer sizes, plus the activation and learning rate where the grid varies them: "25-15", "25-15 relu lr 0.003". */
  name: string;
  hidden: number[];
  activation: Activation;
  learningRate: number;
}

/** A SelectionConfig's settings, where one activation or learning rate may be given alone (a race is asked for apart: ./select). */
export interface SelectionSettings extends Partial<Omit<SelectionConfig, "race">> {
  /** Shorthand for `activations: [activation]`. */
  activation?: Activation;
  /** Shorthand for `learningRates: [learningRate]`. */
  learningRate?: number;
}

// Parsing and configuration

const LAYERS_HINT = 'expected positive integers separated by commas, e.g. "25,15", or "none" for logistic regression';

/**
 * Hidden layer sizes from a command-line spec: "25,15" → [25, 15]; "", "none" and "logistic"
 * → [] (logistic regression); "25-15" (architectureName's form) is accepted too.
 */
export function parseLayers(spec: string): number[] {
  const text = spec.trim();
  if (text === "" || /^(none|logistic)$/i.test(text)) return [];
  const parts = text.split(/[,-]/);
  return parts.map((part) => {
    const p = part.trim();
    if (!/^\d+$/.test(p) || Number(p) < 1) {
      throw new InputError(`layer spec "${spec}": ${p === "" ? "an empty size" : `"${p}"`} is not a layer size; ${LAYERS_HINT}`);
    }
    const units = Number(p);
    if (units > 100000) throw new InputError(`layer spec "${spec}": ${units} units is more than this tool supports (100000)`);
    return units;
  });
}

/**
 * A grid of architectures from one line of text: layer specs (parseLayers) separated by ";" or
 * spaces, e.g. "none; 8; 25,15". `what` names the text in errors ("DIGITS_GRID=…", "candidates").
 */
export function parseGrid(text: string, what: string): number[][] {
  const grid = text.split(/[;\s]+/).filter((s) => s !== "").map((spec) => {
    try {
      return parseLayers(spec);
    } catch (error) {
      if (error instanceof InputError) throw new InputError(`${what}: ${error.message}`);
      throw error;
    }
  });
  if (grid.length === 0) throw new InputError(`${what}: expected at least one architecture, e.g. "logistic;25,15"`);
  return grid;
}

/** Each value once: the first time it is listed twice is an InputError naming it. */
function once<T>(values: readonly T[], what: string, show: (v: T) => string = String): T[] {
  const seen = new Set<string>();
  for (const v of values) {
    const key = show(v);
    if (seen.has(key)) throw new InputError(`${what} ${key} is in the grid twice; list each once`);
    seen.add(key);
  }
  return [...values];
}

/** Fills in defaults and checks every setting, throwing InputError with what to change. */
export function resolveSelectionConfig(options: SelectionSettings = {}): SelectionConfig {
  const grid = once((options.grid ?? DEFAULT_GRID).map((hidden) => [...hidden]), "architecture", (h) => architectureName(h));
  if (grid.length === 0) throw new InputError("the grid of architectures is empty; give at least one (e.g. --layers 25,15)");
  const activations = once(options.activations ?? [options.activation ?? DEFAULT_SELECTION_CONFIG.activation], "activation");
  if (activations.length === 0) throw new InputError(`no activation to try; give at least one of ${ACTIVATIONS.join(", ")}`);
  for (const activation of activations) {
    if (!ACTIVATIONS.includes(activation)) throw new InputError(`activation must be one of ${ACTIVATIONS.join(", ")}, got "${activation}"`);
  }
  for (const hidden of grid) modelConfig(hidden, activations[0]);
  const learningRates = once(options.learningRates ?? [options.learningRate ?? DEFAULT_SELECTION_CONFIG.learningRate], "learning rate");
  if (learningRates.length === 0) throw new InputError("no learning rate to try; give at least one (e.g. 0.001)");
  const train = learningRates.map((learningRate) =>
    resolveTrainConfig({
      epochs: options.epochs ?? DEFAULT_SELECTION_CONFIG.epochs,
      batchSize: options.batchSize ?? DEFAULT_SELECTION_CONFIG.batchSize,
      learningRate,
      seed: options.seed ?? DEFAULT_SELECTION_CONFIG.seed,
    }),
  )[0];
  const folds = options.folds ?? DEFAULT_SELECTION_CONFIG.folds;
  if (!Number.isInteger(folds) || folds < 2) throw new InputError(`folds must be a whole number ≥ 2, got ${folds}`);
  const repeats = options.repeats ?? DEFAULT_SELECTION_CONFIG.repeats;
  if (!Number.isInteger(repeats) || repeats < 1 || repeats > 100) throw new InputError(`repeats must be a whole number from 1 to 100, got ${repeats}`);
  const threshold = options.threshold ?? DEFAULT_SELECTION_CONFIG.threshold;
  if (!(threshold >= 0 && threshold < 1)) throw new InputError(`threshold must be in [0, 1), got ${threshold}`);
  return { grid, activations, learningRates, folds, repeats, epochs: train.epochs, batchSize: train.batchSize, seed: train.seed, threshold };
}

/**
 * The name of a candidate: its layer sizes, then the settings the grid varies ("25-15 relu lr
 * 0.003"). Settings every candidate shares are left out (they are in the record's config), so the
 * default grid keeps the plain names "logistic", "25-15".
 */
function candidateName(hidden: readonly number[], activation: Activation, learningRate: number, varies: { activation: boolean; learningRate: boolean }): string {
  const parts = [architectureName(hidden)];
  if (varies.activation && hidden.length > 0) parts.push(activation);
  if (varies.learningRate) parts.push(`lr ${learningRate}`);
  return parts.join(" ");
}

/**
 * The grid's candidates: every architecture × activation × learning rate, in that order.
 * Logistic regression has no hidden layer, so it is tried once per learning rate, not once per
 * activation (it would train the same network under several names).
 */
export function candidates(config: Pick<SelectionConfig, "grid" | "activations" | "learningRates">): Candidate[] {
  const varies = { activation: config.activations.length > 1, learningRate: config.learningRates.length > 1 };
  const list: Candidate[] = [];
  for (const hidden of config.grid) {
    const activations = hidden.length === 0 ? config.activations.slice(0, 1) : config.activations;
    for (const activation of activations) {
      for (const learningRate of config.learningRates) {
        list.push({ name: candidateName(hidden, activation, learningRate, varies), hidden: [...hidden], activation, learningRate });
      }
    }
  }
  return list;
}

/**
 * The training seed of one fold run. Derived from the hidden sizes themselves (not their
 * position in the grid), so an architecture gets the same numbers in any grid, order or schedule.
 * Not from the activation or learning rate: candidates that differ only in those start from the
 * same weights and see the rows in the same order, so their difference is theirs, not the seed's.
 */
export function foldSeed(seed: number, hidden: readonly number[], fold: number): number {
  return deriveSeed(seed, hidden.length, ...hidden, fold);
}

/**
 * The seed a repeat cuts its folds with and derives its training seeds from: repeat 0 is the
 * selection's own seed (so a one-repeat run is exactly the plain k-fold run), repeat r > 0 an
 * independent one derived from it.
 */
export function repeatSeed(seed: number, repeat: number): number {
  return repeat === 0 ? seed : deriveSeed(seed, repeat);
}
