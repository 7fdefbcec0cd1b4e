// Notebook parameters from environment variables, so `npm run report` and the tests can run the
// same notebooks quickly (DIGITS_QUICK=1) or with other settings, without editing them.
// A malformed value is a user error naming the variable, never a silent fallback.
import { isAbsolute, join, relative, sep } from "node:path";
import { projectRoot, projectRelative } from "../core/project";
import { InputError } from "../core/errors";
import { ACTIVATIONS, REFERENCE_HIDDEN, type Activation } from "../model/model";
import { DEFAULT_TRAIN_CONFIG } from "../model/train";
import { DEFAULT_PAIR, parsePair, samePair } from "../core/pair";
import type { RecordTarget } from "../selection/latest-winner";
import { chooseNetwork, type NetworkChoice } from "../selection/network-choice";
import { parseGrid, parseLayers } from "../selection/config";

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

export function envInt(name: string, fallback: number, env: Env = process.env, min = -Infinity): number {
  const value = raw(name, env);
  if (value === undefined) return fallback;
  if (!/^[+-]?\d+$/.test(value)) throw new InputError(`${name}=${value}: expected an integer`);
  const n = Number(value);
  if (n < min) throw new InputError(`${name}=${value}: expected an integer of at least ${min}`);
  return n;
}

export function envNumber(name: string, fallback: number, env: Env = process.env): number {
  const value = raw(name, env);
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n)) throw new InputError(`${name}=${value}: expected a number`);
  return n;
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
export function envNumbers(name: string, fallback: readonly number[], env: Env = process.env): number[] {
  const value = raw(name, env);
  if (value === undefined) return [...fallback];
  return value.split(",").map((part) => {
    const n = part.trim() === "" ? NaN : Number(part);
    if (!Number.isFinite(n)) throw new InputError(`${name}=${value}: "${part.trim()}" is not a number; expected numbers separated by commas, e.g. 0.001,0.003`);
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

/**
 * The network notebook 03 trains (chooseNetwork in lib/selection/network-choice): DIGITS_LAYERS
 * when set; else the winner of the latest selection record in `experimentsDir` made on the same
 * data (fingerprint) and pair as `target`, with the activation and learning rate it was selected
 * with; else the reference network, saying why. DIGITS_ACTIVATION (sigmoid, relu or tanh) and
 * DIGITS_LEARNING_RATE override the winner's. Its folder is models/[A-B/][quick-]<layers>, the one
 * `digits train` saves the same network in.
 */
export function envNetwork(experimentsDir: string, target: RecordTarget, quick: boolean, env: Env = process.env): NetworkChoice {
  const learningRate = raw("DIGITS_LEARNING_RATE", env) === undefined ? undefined : envNumber("DIGITS_LEARNING_RATE", DEFAULT_TRAIN_CONFIG.learningRate, env);
  const activations = raw("DIGITS_ACTIVATION", env) === undefined ? undefined : envActivations("DIGITS_ACTIVATION", [], env);
  if (activations !== undefined && activations.length !== 1) throw new InputError(`DIGITS_ACTIVATION=${raw("DIGITS_ACTIVATION", env)}: expected one activation, one of ${ACTIVATIONS.join(", ")}`);
  const layers = raw("DIGITS_LAYERS", env);
  const choice = chooseNetwork({
    layers: layers === undefined ? "winner" : envLayers("DIGITS_LAYERS", REFERENCE_HIDDEN, env),
    layersFrom: `DIGITS_LAYERS=${layers}`,
    activation: activations?.[0],
    learningRate,
    records: experimentsDir,
    recordsShown: projectRelative(experimentsDir),
    target,
    quick,
  });
  const noRecord = choice.lookup !== undefined && choice.lookup.record === null;
  return noRecord ? { ...choice, source: `${choice.source} (run notebook 02 on this data first to choose by evidence)` } : choice;
}
