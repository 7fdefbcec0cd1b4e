// The pair of digits a run tells apart: A (the negative class, label 0 inside the code) and B (the
// positive class, label 1, so "probability" means P(B)). Everything downstream of the CSV loader
// works on labels 0/1; this module holds the pair itself, how it is written on the command line
// and in file names, and how its digits are named in prose, so that the mapping happens at the
// edges (loading, printing, charts) and the metrics and engine stay binary.
import { InputError } from "./errors";

/** Two distinct digits [A, B]: A is the negative class (label 0), B the positive one (label 1). */
export type Pair = readonly [number, number];

/** MNIST's zeros against ones: the reference task, and what every default means. */
export const DEFAULT_PAIR: Pair = [0, 1];

const WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"];
const PLURALS = ["zeros", "ones", "twos", "threes", "fours", "fives", "sixes", "sevens", "eights", "nines"];

/** True for an integer 0–9. */
export function isDigit(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= 0 && value <= 9;
}

/** Checks a pair given in code (two distinct digits 0–9), throwing InputError naming `where`. */
export function checkPair(pair: readonly number[], where = "digits"): Pair {
  if (pair.length !== 2 || !pair.every(isDigit)) throw new InputError(`${where} [${pair.join(", ")}]: expected two digits 0–9, e.g. [4, 9]`);
  if (pair[0] === pair[1]) throw new InputError(`${where} [${pair.join(", ")}]: the two digits must differ, e.g. [4, 9]`);
  return [pair[0], pair[1]];
}

/** "4,9" (or "4-9", "4 9") → [4, 9]; the order matters: the first is the negative class. */
export function parsePair(spec: string, where = "--digits"): Pair {
  const parts = spec.trim().split(/\s*[,\- ]\s*/);
  if (parts.length !== 2 || !parts.every((p) => /^\d$/.test(p))) {
    throw new InputError(`${where} "${spec}": expected two digits separated by a comma, e.g. 4,9 (the first is the negative class, the second the positive one)`);
  }
  const pair = [Number(parts[0]), Number(parts[1])];
  if (pair[0] === pair[1]) throw new InputError(`${where} "${spec}": the two digits must differ, e.g. 4,9`);
  return [pair[0], pair[1]];
}

/** "4-9": the pair in file and folder names. */
export function pairName(pair: Pair): string {
  return `${pair[0]}-${pair[1]}`;
}

/** "4 vs 9": the pair in prose, tables and charts. */
export function pairLabel(pair: Pair): string {
  return `${pair[0]} vs ${pair[1]}`;
}

export function samePair(a: Pair, b: Pair): boolean {
  return a[0] === b[0] && a[1] === b[1];
}

export function isDefaultPair(pair: Pair): boolean {
  return samePair(pair, DEFAULT_PAIR);
}

/** "four" for 4. */
export function digitWord(digit: number): string {
  return WORDS[digit] ?? String(digit);
}

/** "fours" for 4: "5,923 zeros and 6,742 ones". */
export function digitPlural(digit: number): string {
  return PLURALS[digit] ?? `${digit}s`;
}

/** "n fours" / "1 four", with n written with thousands separators. */
export function countOf(n: number, digit: number): string {
  return `${n.toLocaleString("en-US")} ${n === 1 ? digitWord(digit) : digitPlural(digit)}`;
}

/** The digit of label 0 or 1. */
export function digitOf(pair: Pair, label: number): number {
  return pair[label === 1 ? 1 : 0];
}

/** Where `digits data` writes a pair's files: data/ for the default pair, data/A-B/ for the others. */
export function pairDataDir(pair: Pair): string {
  return isDefaultPair(pair) ? "data" : `data/${pairName(pair)}`;
}

/** The pair's training and test CSVs, relative to the project root. */
export function pairDataFiles(pair: Pair): { train: string; test: string } {
  const dir = pairDataDir(pair);
  return { train: `${dir}/train.csv`, test: `${dir}/test.csv` };
}

/** A folder for a pair's outputs (models, reports): `base` itself for the default pair, base/A-B otherwise. */
export function pairFolder(base: string, pair: Pair): string {
  return isDefaultPair(pair) ? base : `${base}/${pairName(pair)}`;
}
