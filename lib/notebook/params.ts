// Notebook parameters from environment variables, so `npm run report` and the tests can run the
// same notebooks quickly (DIGITS_QUICK=1) or with other settings, without editing them.
// A malformed value is a user error naming the variable, never a silent fallback.
import { isAbsolute, join, relative, sep } from "node:path";
import { projectRoot, projectRelative } from "../core/project";
import { InputError } from "../core/errors";
import { writeProblem } from "../core/files";
import { modelFolderProblem } from "../model/persist";
import { ACTIVATIONS, REFERENCE_HIDDEN, type Activation } from "../model/model";
import { DEFAULT_TRAIN_CONFIG } from "../model/train";
import { DEFAULT_PAIR, pairDataFiles, parsePair, samePair } from "../core/pair";
import { defaultThreads } from "../core/pool";
import type { RecordTarget } from "../selection/latest-winner";
import { chooseNetwork, type NetworkChoice } from "../selection/network-choice";
import { DEFAULT_GRID, parseGrid, parseLayers, type RaceSettings } from "../selection/config";
import { DEFAULT_RACE, raceSettings } from "../selection/race";

type Env = Record<string, string | undefined>;

function raw(name: string, env: Env): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === "" ? undefined : value.trim();
}

/** True when DIGITS_QUICK is set to 1/true/yes/on: small settings for a fast run (tests, previews). */
export function quickMode(env: Env = process.env): boolean {
  return envFlag("DIGITS_QUICK", false, env);
}

/**
 * Whether notebooks 02 and 03 show the report's lab (the panels that rerun the selection and
 * retrain the network in the reader's browser): DIGITS_LAB=0 leaves the panels and the rows they
 * embed out (`npm run report -- --no-lab`); unset is 1.
 */
export function labMode(env: Env = process.env): boolean {
  return envFlag("DIGITS_LAB", true, env);
}

/**
 * True when DIGITS_BINARY_ONLY is set to 1/true/yes: the CSVs may hold all ten digits (such as
 * Kaggle's Digit Recognizer train.csv) and only their 0s and 1s are kept (loadCsv's binaryOnly).
 */
function binaryOnly(env: Env = process.env): boolean {
  return envFlag("DIGITS_BINARY_ONLY", false, env);
}

/**
 * The pair of digits from DIGITS_PAIR=A,B (A the negative class, B the positive one); unset is
 * 0,1. DIGITS_BINARY_ONLY=1 is the same as DIGITS_PAIR=0,1, and an error beside another pair.
 */
export function envPair(env: Env = process.env): [number, number] {
  const value = raw("DIGITS_PAIR", env);
  const pair = value === undefined ? DEFAULT_PAIR : parsePair(value, "DIGITS_PAIR");
  if (binaryOnly(env) && !samePair(pair, DEFAULT_PAIR)) {
    throw new InputError(`DIGITS_BINARY_ONLY=1 means DIGITS_PAIR=0,1 but DIGITS_PAIR=${value}; unset one of them`);
  }
  return [pair[0], pair[1]];
}

/** A yes/no variable: 1/true/yes/on or 0/false/no/off, any case; unset or blank is `fallback`. */
function envFlag(name: string, fallback: boolean, env: Env = process.env): boolean {
  const value = raw(name, env);
  if (value === undefined) return fallback;
  if (/^(1|true|yes|on)$/i.test(value)) return true;
  if (/^(0|false|no|off)$/i.test(value)) return false;
  throw new InputError(`${name}=${value}: expected 1 or 0 (true/false)`);
}

export function envString(name: string, fallback: string, env: Env = process.env): string {
  return raw(name, env) ?? fallback;
}

/** An integer variable from `min` to `max`; the message names the variable, its value and the range. */
export function envInt(name: string, fallback: number, env: Env = process.env, min = -Infinity, max = Infinity): number {
  const value = raw(name, env);
  if (value === undefined) return fallback;
  const range = Number.isFinite(max) ? ` from ${min} to ${max}` : Number.isFinite(min) ? ` of at least ${min}` : "";
  if (!/^[+-]?\d+$/.test(value)) throw new InputError(`${name}=${value}: expected an integer${range}`);
  const n = Number(value);
  if (n < min || n > max) throw new InputError(`${name}=${value}: expected an integer${range}`);
  return n;
}

/** Bounds of a number variable, each excluded: { above: 0, below: 1 } is a fraction strictly between. */
type Range = { above?: number; below?: number };

/** Why `n` is outside `range` ("a number above 0 and below 1"), or null. */
function outside(n: number, range: Range): string | null {
  const { above = -Infinity, below = Infinity } = range;
  if (n > above && n < below) return null;
  return `a number${Number.isFinite(above) ? ` above ${above}` : ""}${Number.isFinite(above) && Number.isFinite(below) ? " and" : ""}${Number.isFinite(below) ? ` below ${below}` : ""}`;
}

export function envNumber(name: string, fallback: number, env: Env = process.env, range: Range = {}): number {
  const value = raw(name, env);
  if (value === undefined) return fallback;
  // NaN and ±Infinity are outside every range.
  const problem = outside(Number(value), range);
  if (problem) throw new InputError(`${name}=${value}: expected ${problem}`);
  return Number(value);
}

function withName<T>(name: string, f: () => T): T {
  try {
    return f();
  } catch (error) {
    if (error instanceof InputError) throw new InputError(`${name}: ${error.message}`);
    throw error;
  }
}

/** A path from a variable, or the fallback; relative paths are taken from the project root (notebooks run in notebooks/). */
export function envPath(name: string, fallback: string, env: Env = process.env): string {
  const value = raw(name, env) ?? fallback;
  return isAbsolute(value) ? value : join(projectRoot(), value);
}

/**
 * A folder a notebook writes in (variable `name`, else `fallback` under the project), checked
 * before any work: why it cannot take the notebook's files (and `also`, a check of its own) is an
 * InputError naming the variable and its value, instead of a failure once the work is done.
 */
function checkedOutputFolder(name: string, fallback: string, env: Env, also: (dir: string) => string | null = () => null): string {
  const dir = envPath(name, fallback, env);
  const why = writeProblem(join(dir, "file")) ?? also(dir);
  if (why === null) return dir;
  const value = raw(name, env);
  const what = value === undefined ? `${name} is unset, and its default folder ${projectRelative(dir)}` : `${name}=${value}`;
  throw new InputError(`${what}: ${why}; set ${name} to a folder that can be written`);
}

/** Hidden layer sizes from a variable such as DIGITS_LAYERS=25,15. */
function envLayers(name: string, fallback: readonly number[], env: Env = process.env): number[] {
  const value = raw(name, env);
  return value === undefined ? [...fallback] : withName(name, () => parseLayers(value));
}

/** A grid of architectures from a variable such as DIGITS_GRID="logistic;25,15;64,32" (";" or spaces between architectures). */
export function envGrid(name: string, fallback: readonly (readonly number[])[], env: Env = process.env): number[][] {
  const value = raw(name, env);
  if (value === undefined) return fallback.map((h) => [...h]);
  return parseGrid(value, name);
}

/** A comma list of numbers, such as DIGITS_LEARNING_RATES=0.001,0.003. */
export function envNumbers(name: string, fallback: readonly number[], env: Env = process.env, range: Range = {}): number[] {
  const value = raw(name, env);
  if (value === undefined) return [...fallback];
  return value.split(",").map((part) => {
    const n = part.trim() === "" ? NaN : Number(part);
    if (!Number.isFinite(n)) throw new InputError(`${name}=${value}: "${part.trim()}" is not a number; expected numbers separated by commas, e.g. 0.001,0.003`);
    const problem = outside(n, range);
    if (problem) throw new InputError(`${name}=${value}: ${part.trim()} is not ${problem}`);
    return n;
  });
}

/** A comma list of hidden activations, such as DIGITS_ACTIVATIONS=sigmoid,relu. */
export function envActivations(name: string, fallback: readonly Activation[], env: Env = process.env): Activation[] {
  const value = raw(name, env);
  if (value === undefined) return [...fallback];
  return value.split(",").map((part) => {
    const a = part.trim();
    if (!ACTIVATIONS.includes(a as Activation)) throw new InputError(`${name}=${value}: "${a}" is not an activation; expected some of ${ACTIVATIONS.join(", ")}, separated by commas`);
    return a as Activation;
  });
}

const POSITIVE: Range = { above: 0 };
/** Seeds are 32-bit (lib/core/random.ts). */
const envSeed = (env: Env) => envInt("DIGITS_SEED", 13, env, 0, 2 ** 32 - 1);

/**
 * The parameters of notebook 01 (its parameters cell reads them here), each checked: a bad value
 * is an InputError naming the variable, its value and what it must be, before any work.
 */
export function explorationParameters(env: Env = process.env) {
  const PAIR = envPair(env);
  return {
    PAIR,
    TRAIN_CSV: envString("DIGITS_TRAIN_CSV", pairDataFiles(PAIR).train, env),
    SEED: envSeed(env),
    QUICK: quickMode(env),
    PAIRS_DIR: checkedOutputFolder("DIGITS_PAIRS_DIR", "reports/pairs", env),
  };
}

/**
 * DIGITS_RACE=1 races the candidates (lib/selection/race.ts), with DIGITS_RACE_MIN_FOLDS and
 * DIGITS_RACE_CONFIDENCE; the settings are checked against the folds here, before any work.
 */
function envRace(design: { folds: number; repeats: number }, env: Env): RaceSettings | undefined {
  const minFolds = envInt("DIGITS_RACE_MIN_FOLDS", DEFAULT_RACE.minFolds, env, 2);
  const confidence = envNumber("DIGITS_RACE_CONFIDENCE", DEFAULT_RACE.confidence, env, { above: 0, below: 1 });
  if (!envFlag("DIGITS_RACE", false, env)) return undefined;
  return withName(`DIGITS_RACE=1 with DIGITS_FOLDS=${design.folds} and DIGITS_REPEATS=${design.repeats}`, () => raceSettings({ minFolds, confidence }, design));
}

/** The parameters of notebook 02, each checked (see explorationParameters). */
export function selectionParameters(env: Env = process.env) {
  const QUICK = quickMode(env);
  const PAIR = envPair(env);
  const FOLDS = envInt("DIGITS_FOLDS", QUICK ? 3 : 5, env, 2);
  const REPEATS = envInt("DIGITS_REPEATS", 1, env, 1);
  return {
    QUICK,
    PAIR,
    TRAIN_CSV: envString("DIGITS_TRAIN_CSV", pairDataFiles(PAIR).train, env),
    GRID: envGrid("DIGITS_GRID", QUICK ? [[], [8], [25, 15]] : DEFAULT_GRID, env),
    FOLDS,
    REPEATS,
    RACE_SETTINGS: envRace({ folds: FOLDS, repeats: REPEATS }, env),
    EPOCHS: envInt("DIGITS_EPOCHS", QUICK ? 2 : 20, env, 1),
    BATCH_SIZE: envInt("DIGITS_BATCH_SIZE", 32, env, 1),
    ACTIVATIONS: envActivations("DIGITS_ACTIVATIONS", ["sigmoid"], env),
    LEARNING_RATES: envNumbers("DIGITS_LEARNING_RATES", [envNumber("DIGITS_LEARNING_RATE", 0.001, env, POSITIVE)], env, POSITIVE),
    SEED: envSeed(env),
    THREADS: envInt("DIGITS_THREADS", envInt("DIGITS_WORKERS", defaultThreads(), env, 1), env, 1),
    EXPERIMENTS_DIR: checkedOutputFolder("DIGITS_EXPERIMENTS_DIR", QUICK ? "reports/quick/experiments" : "reports/experiments", env),
    LAB: labMode(env),
  };
}

/** DIGITS_ACTIVATION, one hidden activation that overrides the winner's, or undefined. */
function envActivation(env: Env): Activation | undefined {
  if (raw("DIGITS_ACTIVATION", env) === undefined) return undefined;
  const activations = envActivations("DIGITS_ACTIVATION", [], env);
  if (activations.length !== 1) throw new InputError(`DIGITS_ACTIVATION=${raw("DIGITS_ACTIVATION", env)}: expected one activation, one of ${ACTIVATIONS.join(", ")}`);
  return activations[0];
}

/**
 * The parameters of notebook 03, each checked (see explorationParameters). DIGITS_LAYERS,
 * DIGITS_ACTIVATION and DIGITS_LEARNING_RATE are checked here too, though envNetwork reads them once the data is known.
 */
export function trainingParameters(env: Env = process.env) {
  const QUICK = quickMode(env);
  const PAIR = envPair(env);
  envLayers("DIGITS_LAYERS", REFERENCE_HIDDEN, env);
  envNumber("DIGITS_LEARNING_RATE", DEFAULT_TRAIN_CONFIG.learningRate, env, POSITIVE);
  envActivation(env);
  // The model's own folder is known once the data is (envNetwork): here, DIGITS_MODEL_DIR or models/.
  checkedOutputFolder("DIGITS_MODEL_DIR", "models", env, (dir) => (raw("DIGITS_MODEL_DIR", env) === undefined ? null : modelFolderProblem(dir)));
  return {
    QUICK,
    PAIR,
    TRAIN_CSV: envString("DIGITS_TRAIN_CSV", pairDataFiles(PAIR).train, env),
    TEST_CSV: envString("DIGITS_TEST_CSV", pairDataFiles(PAIR).test, env),
    EXPERIMENTS_DIR: envPath("DIGITS_EXPERIMENTS_DIR", QUICK ? "reports/quick/experiments" : "reports/experiments", env),
    EPOCHS: envInt("DIGITS_EPOCHS", QUICK ? 3 : 20, env, 1),
    BATCH_SIZE: envInt("DIGITS_BATCH_SIZE", 32, env, 1),
    VALIDATION_FRACTION: envNumber("DIGITS_VALIDATION_FRACTION", 0.25, env, { above: 0, below: 1 }),
    SEED: envSeed(env),
    LAB: labMode(env),
  };
}

/**
 * What `npm run report` checks before the first notebook runs: every notebook's parameters, by
 * the functions their parameters cells call, so a bad value in notebook 03's stops the run before
 * notebook 01 starts.
 */
export function checkReportParameters(env: Env): void {
  for (const read of [explorationParameters, selectionParameters, trainingParameters]) read(env);
}

/**
 * The network notebook 03 trains (chooseNetwork in lib/selection/network-choice): DIGITS_LAYERS
 * when set; else the winner of the latest selection record in `experimentsDir` made on the same
 * data (fingerprint) and pair as `target`, with the activation and learning rate it was selected
 * with; else the reference network, saying why. DIGITS_ACTIVATION (sigmoid, relu or tanh) and
 * DIGITS_LEARNING_RATE override the winner's. Its folder is models/[A-B/][quick-]<layers>, the one
 * `digits train` saves the same network in.
 */
export function envNetwork(experimentsDir: string, target: RecordTarget, quick: boolean, env: Env = process.env): NetworkChoice {
  const learningRate = raw("DIGITS_LEARNING_RATE", env) === undefined ? undefined : envNumber("DIGITS_LEARNING_RATE", DEFAULT_TRAIN_CONFIG.learningRate, env, POSITIVE);
  const activation = envActivation(env);
  const layers = raw("DIGITS_LAYERS", env);
  const choice = chooseNetwork({
    layers: layers === undefined ? "winner" : envLayers("DIGITS_LAYERS", REFERENCE_HIDDEN, env),
    layersFrom: `DIGITS_LAYERS=${layers}`,
    activation,
    learningRate,
    records: experimentsDir,
    recordsShown: projectRelative(experimentsDir),
    target,
    quick,
  });
  const noRecord = choice.lookup !== undefined && choice.lookup.record === null;
  return noRecord ? { ...choice, source: `${choice.source} (run notebook 02 on this data first to choose by evidence)` } : choice;
}
