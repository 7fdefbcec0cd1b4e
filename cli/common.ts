// Shared by the `digits` commands: the Command shape, output lines, and reading flag values into
// checked settings (every bad value an InputError naming the flag, so the CLI exits 2 with it).
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { DEFAULT_TRAIN_CSV } from "../lib/data/default-files";
import { DEFAULT_PAIR, pairDataFiles, parsePair, samePair, type Pair } from "../lib/core/pair";
import { writeFileAtomic, writeProblem } from "../lib/core/files";
import { isSavedModel, MODEL_FILES, modelFolderProblem } from "../lib/model/persist";
import { InputError, isInputError } from "../lib/core/errors";
import { visible } from "../lib/core/format";
import { ACTIVATIONS, type Activation } from "../lib/model/model";
import { experimentsDir } from "../lib/selection/experiments";
import { concurrencyLimit, defaultThreads } from "../lib/core/pool";
import { memoryLimits } from "../lib/model/memory";

export type Flags = Record<string, string | boolean | string[] | undefined>;

export interface Command {
  summary: string;
  usage: string;
  options: NonNullable<Parameters<typeof parseArgs>[0]>["options"];
  /** Takes words besides its flags (a subcommand, ids); without this a stray word is an error. */
  positionals?: boolean;
  run(flags: Flags, positionals?: string[]): Promise<void>;
}

/**
 * Each line of `text` made visible: the net under every line the CLI prints, so that no raw control
 * or bidi character reaches the terminal even where a value was not passed through visible() by
 * its caller. Callers still pass every value from outside through visible() themselves, which also
 * shows its line feeds as "\n" (here they are the lines' own ends).
 */
const shown = (text: string) => text.split("\n").map(visible).join("\n");

/** Where the commands' lines go. */
export interface Output {
  out(text: string): void;
  err(text: string): void;
  /** The width of err when it is a terminal, where progress is drawn in place; absent or null when it is not. */
  errTerminalWidth?(): number | null;
}

const processOutput: Output = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  errTerminalWidth: () => (process.stderr.isTTY ? process.stderr.columns || 100 : null),
};
let output = processOutput;

export const out = (line = "") => output.out(shown(line) + "\n");
export const err = (line = "") => output.err(shown(line) + "\n");
/** Text for err as it is, no line end added: a progress line drawn in place (its values already visible()). */
export const errDrawn = (text: string) => output.err(text);
/** The width of err when it is a terminal, else null. */
export const errTerminalWidth = (): number | null => output.errTerminalWidth?.() ?? null;

/** Runs `work` with out and err writing to `to` instead of this process's streams (one such run at a time). */
export async function withOutput<T>(to: Output, work: () => Promise<T>): Promise<T> {
  const before = output;
  output = to;
  try {
    return await work();
  } finally {
    output = before;
  }
}

// ---------------------------------------------------------------------------------------------
// Flag values

export function str(flags: Flags, name: string, fallback: string): string {
  const v = flags[name];
  return typeof v === "string" ? v : fallback;
}

export type NumberKind = "int" | "positive-int" | "positive" | "non-negative-int" | "seed";

const EXPECTED_NUMBER: Record<NumberKind, string> = {
  int: "an integer",
  "positive-int": "a whole number ≥ 1",
  positive: "a positive number",
  "non-negative-int": "a whole number ≥ 0",
  seed: "a whole number from 0 to 4294967295",
};

export function num(flags: Flags, name: string, fallback: number, kind: NumberKind): number {
  const v = flags[name];
  if (v === undefined) return fallback;
  const text = String(v).trim();
  const value = Number(text);
  const whole = Number.isInteger(value);
  const ok =
    text !== "" &&
    Number.isFinite(value) &&
    {
      int: whole,
      "positive-int": whole && value >= 1,
      positive: value > 0,
      "non-negative-int": whole && value >= 0,
      // seeds are 32-bit (lib/core/random.ts)
      seed: whole && value >= 0 && value < 2 ** 32,
    }[kind];
  if (!ok) throw new InputError(`--${name} "${v}": expected ${EXPECTED_NUMBER[kind]}`);
  return value;
}

export function activation(flags: Flags, fallback: Activation): Activation {
  const value = str(flags, "activation", fallback);
  if (!ACTIVATIONS.includes(value as Activation)) throw new InputError(`--activation "${value}": expected one of ${ACTIVATIONS.join(", ")}`);
  return value as Activation;
}

/**
 * The pair asked for on the command line: --digits A,B, or --binary-only (an alias of --digits
 * 0,1); undefined when neither is given (a file of exactly two digits is then that pair).
 */
export function pairFlag(flags: Flags): Pair | undefined {
  const asked = typeof flags.digits === "string" ? parsePair(flags.digits) : undefined;
  if (flags["binary-only"] !== true) return asked;
  if (asked && !samePair(asked, DEFAULT_PAIR)) throw new InputError(`--binary-only is --digits 0,1 and disagrees with --digits ${flags.digits}; give one of them`);
  return DEFAULT_PAIR;
}

/** The threads options: --threads, and --workers, its name before queue workers existed (scripts use it). */
export const THREADS_OPTIONS = { threads: { type: "string" }, workers: { type: "string" } } as const;

/**
 * Threads to run on: --threads N, or --workers N (the same, kept for scripts written before
 * `digits worker`); both with different values is an InputError. Default one per core.
 */
export function threadsFlag(flags: Flags): number {
  const threads = num(flags, "threads", defaultThreads(), "positive-int");
  let requested = threads;
  if (flags.workers !== undefined) {
    const workers = num(flags, "workers", defaultThreads(), "positive-int");
    if (flags.threads !== undefined && workers !== threads) throw new InputError(`--threads ${threads} and --workers ${workers}: --workers is the old name of --threads; give one of them`);
    requested = workers;
  }
  // More threads than cores only share them, and each holds its own copy of a fold's data.
  const limit = concurrencyLimit(requested, { cores: defaultThreads(), memoryBytes: memoryLimits().machineBytes }, flags.workers !== undefined ? "--workers" : "--threads");
  if (limit.reason) err(limit.reason);
  return limit.threads;
}

/** A comma list of flag values ("sigmoid,relu"), each checked by `one` as if given alone. */
export function list<T>(flags: Flags, name: string, fallback: T, one: (single: Flags) => T): T[] {
  const v = flags[name];
  if (typeof v !== "string") return [fallback];
  return v.split(",").map((part) => {
    if (part.trim() === "") throw new InputError(`--${name} "${v}": an empty item; expected values separated by commas, e.g. ${name === "activation" ? "sigmoid,relu" : "0.001,0.003"}`);
    return one({ [name]: part.trim() });
  });
}

/**
 * The help of the flags train and select share for the data and its pair, descriptions starting
 * at `column` (each command aligns its own list).
 */
export function dataFlagsHelp(column: number): string {
  const flag = (name: string) => `  ${name}`.padEnd(column);
  const more = " ".repeat(column);
  return [
    `${flag("--data FILE")}training CSV (default: ${DEFAULT_TRAIN_CSV}, or data/A-B/train.csv with`,
    `${more}--digits A,B; built on first use)`,
    `${flag("--digits A,B")}the two digits to tell apart: A is the negative class, B the positive`,
    `${more}one; rows of other digits (e.g. of Kaggle's ten-class train.csv) are`,
    `${more}dropped. Without it a file of exactly two digits is that pair`,
    `${flag("--binary-only")}the same as --digits 0,1`,
  ].join("\n");
}

/** The flags train and select share: where the data is, how the networks train, where records are. */
export const TRAINING_OPTIONS = {
  data: { type: "string" },
  digits: { type: "string" },
  "binary-only": { type: "boolean" },
  epochs: { type: "string" },
  "batch-size": { type: "string" },
  "learning-rate": { type: "string" },
  activation: { type: "string" },
  seed: { type: "string" },
  records: { type: "string" },
  quiet: { type: "boolean" },
} as const;

export interface TrainingDefaults {
  epochs: number;
  batchSize: number;
  learningRate: number;
  seed: number;
  activation: Activation;
}

export interface TrainingFlags extends TrainingDefaults {
  /** The CSV as the user gave it (resolved by loadCsv); default the pair's training file. */
  data: string;
  /** --digits or --binary-only; undefined lets the file decide. */
  pair: Pair | undefined;
  /** Folder of the selection records. */
  records: string;
}

export function trainingFlags(flags: Flags, defaults: TrainingDefaults): TrainingFlags {
  const pair = pairFlag(flags);
  return {
    data: str(flags, "data", pair ? pairDataFiles(pair).train : DEFAULT_TRAIN_CSV),
    pair: pair,
    epochs: num(flags, "epochs", defaults.epochs, "positive-int"),
    batchSize: num(flags, "batch-size", defaults.batchSize, "positive-int"),
    learningRate: num(flags, "learning-rate", defaults.learningRate, "positive"),
    seed: num(flags, "seed", defaults.seed, "seed"),
    activation: activation(flags, defaults.activation),
    records: typeof flags.records === "string" ? path.resolve(flags.records) : experimentsDir(),
  };
}

/** Whether paths `a` and `b` name one file: the same resolved path, the same real path (links followed), or the same file on disk (a hard link). */
function sameFile(a: string, b: string): boolean {
  const real = (p: string) => {
    try {
      return fs.realpathSync(p);
    } catch {
      return path.resolve(p);
    }
  };
  if (path.resolve(a) === path.resolve(b) || real(a) === real(b)) return true;
  try {
    const [x, y] = [fs.statSync(a), fs.statSync(b)];
    return x.dev === y.dev && x.ino === y.ino;
  } catch {
    return false;
  }
}

/** What an output flag writes: `files`, names inside the folder it names (a file output: none), and what it must not overwrite. */
export interface OutputCheck {
  files?: readonly string[];
  /** The command's input files: an output is never one of them. */
  inputs?: readonly (string | undefined)[];
  /** The output is a model (train --model): a model digits saved there is replaced, any other folder refused (modelFolderProblem). */
  model?: boolean;
}

/**
 * Checks, before any work, that output flag `--flag` may write `given` (a file, or with
 * check.files a folder and the files it writes there): every such file can be written
 * (writeProblem: folders that are files, permissions, immutable folders, names too long), is none
 * of the command's inputs, and is no file of a saved model (unless the output is that model).
 * Throws an InputError "--flag PATH: why" otherwise; returns the resolved path. The one check of
 * every output flag of every command.
 */
export function checkOutput(flag: string, given: string, check: OutputCheck = {}): string {
  if (given.trim() === "") throw new InputError(`--${flag}: expected a ${check.files ? "folder" : "file"} path`);
  const target = path.resolve(given);
  const refuse = (why: string) => new InputError(`--${flag} ${given}: ${why}`);
  const files = check.files ? check.files.map((name) => path.join(target, name)) : [target];
  const foreign = check.model ? modelFolderProblem(target) : null;
  if (foreign) throw refuse(foreign);
  for (const file of files) {
    const input = (check.inputs ?? []).find((i) => i !== undefined && sameFile(i, file));
    if (input !== undefined) throw refuse(`${file === target ? "it" : file} is ${input}, an input of this command, which the output would overwrite; write it elsewhere`);
    const real = fs.existsSync(file) ? fs.realpathSync(file) : file;
    if (!check.model && MODEL_FILES.includes(path.basename(real)) && isSavedModel(path.dirname(real))) {
      throw refuse(`${file === target ? "it" : file} is a file of the model saved in ${path.dirname(real)}, which the output would overwrite; write it elsewhere`);
    }
    const problem = writeProblem(file);
    if (problem) throw refuse(`${problem}; fix that, or give --${flag} another path`);
  }
  return target;
}

/** The path of output flag `name`, checked (checkOutput), or undefined when the flag is not given. */
export function outputFile(flags: Flags, name: string, inputs: readonly (string | undefined)[] = []): string | undefined {
  const v = flags[name];
  return typeof v === "string" ? checkOutput(name, v, { inputs }) : undefined;
}

export function writeOutput(file: string, text: string): void {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    writeFileAtomic(file, Buffer.from(text, "utf8"));
  } catch (error) {
    if (isInputError(error)) throw error; // a full disk, said as such
    throw new InputError(`${file}: cannot write (${(error as Error).message})`);
  }
}

export const f4 = (x: number) => (Number.isFinite(x) ? x.toFixed(4) : String(x));
