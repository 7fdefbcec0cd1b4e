// Notebook parameters from environment variables, so `npm run report` and the tests can run the
// same notebooks quickly (DIGITS_QUICK=1) or with other settings, without editing them.
// A malformed value is a user error naming the variable, never a silent fallback.
import { isAbsolute, join, relative, sep } from "node:path";
import { projectRoot } from "./data";
import { InputError } from "./errors";
import { ACTIVATIONS, architectureName, type Activation } from "./model";
import { latestWinner, parseLayers } from "./selection";

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
 * True when DIGITS_BINARY_ONLY is set to 1/true/yes: the CSVs may hold all ten digits (such as
 * Kaggle's Digit Recognizer train.csv) and only their 0s and 1s are kept (loadCsv's binaryOnly).
 */
export function binaryOnly(env: Env = process.env): boolean {
  return envFlag("DIGITS_BINARY_ONLY", false, env);
}

/** A yes/no variable: 1/true/yes/on or 0/false/no/off, any case; unset or blank is `fallback`. */
export function envFlag(name: string, fallback: boolean, env: Env = process.env): boolean {
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

/**
 * The pair of digits under study from DIGITS_PAIR="A,B" (default 0,1): two distinct digits 0–9,
 * A the negative class and B the positive one, in the order given.
 */
export function envPair(env: Env = process.env): [number, number] {
  const value = raw("DIGITS_PAIR", env);
  if (value === undefined) return [0, 1];
  const match = /^([0-9])\s*,\s*([0-9])$/.exec(value);
  if (!match) throw new InputError(`DIGITS_PAIR=${value}: expected two digits 0–9 separated by a comma, e.g. DIGITS_PAIR=4,9`);
  const pair: [number, number] = [Number(match[1]), Number(match[2])];
  if (pair[0] === pair[1]) throw new InputError(`DIGITS_PAIR=${value}: the two digits must differ, e.g. DIGITS_PAIR=4,9`);
  return pair;
}

/** A path from a variable, or the fallback; relative paths are taken from the project root (notebooks run in notebooks/). */
export function envPath(name: string, fallback: string, env: Env = process.env): string {
  const value = raw(name, env) ?? fallback;
  return isAbsolute(value) ? value : join(projectRoot(), value);
}

/** A path as a reader wants to see it: relative to the project root when inside it. */
export function projectRelative(p: string): string {
  const rel = relative(projectRoot(), p);
  return rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel.split(sep).join("/") : p;
}

/** Hidden layer sizes from a variable such as DIGITS_LAYERS=25,15. */
export function envLayers(name: string, fallback: readonly number[], env: Env = process.env): number[] {
  const value = raw(name, env);
  return value === undefined ? [...fallback] : withName(name, () => parseLayers(value));
}

/** A grid of architectures from a variable such as DIGITS_GRID="logistic;25,15;64,32" (";" or spaces between architectures). */
export function envGrid(name: string, fallback: readonly (readonly number[])[], env: Env = process.env): number[][] {
  const value = raw(name, env);
  if (value === undefined) return fallback.map((h) => [...h]);
  const grid = value.split(/[;\s]+/).filter((s) => s !== "").map((s) => withName(name, () => parseLayers(s)));
  if (grid.length === 0) throw new InputError(`${name}=${value}: expected at least one architecture, e.g. "logistic;25,15"`);
  return grid;
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

/** The network notebook 03 trains, and a sentence saying where that choice came from. */
export interface ArchitectureChoice {
  hidden: number[];
  source: string;
}

/**
 * DIGITS_LAYERS when set; else the winner of the latest selection record in `experimentsDir`;
 * else `fallback` (the reference network).
 */
export function chooseArchitecture(experimentsDir: string, fallback: readonly number[] = [25, 15], env: Env = process.env): ArchitectureChoice {
  const value = raw("DIGITS_LAYERS", env);
  if (value !== undefined) {
    const hidden = envLayers("DIGITS_LAYERS", fallback, env);
    return { hidden, source: `${architectureName(hidden)}, set by DIGITS_LAYERS=${value}` };
  }
  const winner = latestWinner(experimentsDir);
  if (winner) return { hidden: winner, source: `${architectureName(winner)}, the winner of the latest model selection in ${projectRelative(experimentsDir)}` };
  return { hidden: [...fallback], source: `${architectureName(fallback)}, the reference network: no model-selection record yet (run notebook 02 first to choose by evidence)` };
}
