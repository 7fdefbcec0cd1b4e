// Fold cache: finished fold runs stored by what determines them, so a rerun of a selection
// (the same grid, a grid with one more candidate, a run killed half-way) trains only what it
// has not trained before. One fold of one candidate is a pure function of its FoldInputs; its
// key is the SHA-256 of those inputs, and its file, reports/cache/folds/<2 hex>/<key>.json,
// holds the inputs beside the result so an entry can be checked and explained.
//
// Safe under concurrency without locks: each entry is written whole under a temporary name and
// renamed into place (lib/files), and two runs that write the same key write the same result.
// A run killed with SIGKILL leaves finished entries complete; its temporary files are removed
// by the next cache opened on the folder. An entry that does not parse, or whose inputs do not
// match its key, is reported and treated as missing (the fold is trained again, and rewritten).
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { writeFileAtomic } from "../core/files";

/** Everything a fold result depends on. Two runs with equal inputs compute equal results. */
export interface FoldInputs {
  /** datasetFingerprint of the rows the folds are cut from. */
  data: string;
  /** The pair of digits the labels 0 and 1 stand for, where known. */
  digits: readonly [number, number] | null;
  hidden: readonly number[];
  activation: string;
  learningRate: number;
  batchSize: number;
  epochs: number;
  /** The number of folds, and which one is held out. */
  folds: number;
  fold: number;
  seed: number;
  /** The threshold behind accuracy, precision, recall and F1. */
  threshold: number;
  /** SHA-256 of the training kernels (engineInfo().kernelsSha256): other code, other numbers. */
  kernels: string;
}

export const FOLD_ENTRY_SCHEMA = "binary-digits/fold";

interface FoldEntry<T> {
  schema: typeof FOLD_ENTRY_SCHEMA;
  key: string;
  inputs: FoldInputs;
  result: T;
}

/** The inputs in one canonical order, so equal inputs hash equally however they were built. */
function canonical(inputs: FoldInputs): FoldInputs {
  return {
    data: inputs.data,
    digits: inputs.digits ? [inputs.digits[0], inputs.digits[1]] : null,
    hidden: [...inputs.hidden],
    activation: inputs.activation,
    learningRate: inputs.learningRate,
    batchSize: inputs.batchSize,
    epochs: inputs.epochs,
    folds: inputs.folds,
    fold: inputs.fold,
    seed: inputs.seed,
    threshold: inputs.threshold,
    kernels: inputs.kernels,
  };
}

/** The cache key of a fold: hex SHA-256 of its canonical inputs. */
export function foldKey(inputs: FoldInputs): string {
  return createHash("sha256").update(JSON.stringify(canonical(inputs))).digest("hex");
}

/** Whether process `pid` is alive on this machine (a temp file's writer). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

// writeFileAtomic's temporary names: .<name>.<pid>.<random>.tmp
const TEMP = /^\.(.+)\.(\d+)\.[0-9a-f]+\.tmp$/;

export class FoldCache {
  /** What was wrong with entries read so far (corrupt, mismatched), one line each. */
  readonly warnings: string[] = [];

  /**
   * `dir` is the cache folder (reports/cache/folds by default, see experiments.ts). `warn` is told
   * of every entry that could not be used; nothing is thrown for a bad entry.
   */
  constructor(
    readonly dir: string,
    private readonly warn: (message: string) => void = () => undefined,
  ) {
    this.removeStaleTemps();
  }

  /** The file of a key: two levels, so no folder holds more than a few thousand entries. */
  file(key: string): string {
    return path.join(this.dir, key.slice(0, 2), `${key}.json`);
  }

  /**
   * The stored result for these inputs, or null when there is none or it cannot be used.
   * `isResult` checks the result's shape (the caller knows what a result is).
   */
  get<T>(inputs: FoldInputs, isResult: (value: unknown) => value is T): T | null {
    const key = foldKey(inputs);
    const file = this.file(key);
    let text: string;
    try {
      text = fs.readFileSync(file, "utf8");
    } catch {
      return null;
    }
    const problem = (why: string) => {
      const message = `fold cache entry ${file} ${why}; training that fold again`;
      this.warnings.push(message);
      this.warn(message);
      return null;
    };
    let entry: FoldEntry<unknown>;
    try {
      entry = JSON.parse(text) as FoldEntry<unknown>;
    } catch (error) {
      return problem(`is not valid JSON (${(error as Error).message})`);
    }
    if (!entry || entry.schema !== FOLD_ENTRY_SCHEMA || entry.key !== key) return problem("is not an entry for this key");
    if (!entry.inputs || foldKey(entry.inputs) !== key) return problem("holds inputs that do not match its key");
    if (!isResult(entry.result)) return problem("holds no usable result");
    return entry.result;
  }

  /** Stores a result (atomically; a concurrent writer of the same key writes the same bytes). */
  put<T>(inputs: FoldInputs, result: T): string {
    const key = foldKey(inputs);
    const file = this.file(key);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const entry: FoldEntry<T> = { schema: FOLD_ENTRY_SCHEMA, key, inputs: canonical(inputs), result };
    writeFileAtomic(file, JSON.stringify(entry) + "\n");
    return key;
  }

  /** Every key stored. */
  keys(): string[] {
    const keys: string[] = [];
    for (const shard of safeReaddir(this.dir)) {
      if (!/^[0-9a-f]{2}$/.test(shard)) continue;
      for (const name of safeReaddir(path.join(this.dir, shard))) {
        const match = /^([0-9a-f]{64})\.json$/.exec(name);
        if (match) keys.push(match[1]);
      }
    }
    return keys.sort();
  }

  /** Deletes the entries of these keys; returns how many files were removed. */
  remove(keys: Iterable<string>): number {
    let removed = 0;
    for (const key of keys) {
      const file = this.file(key);
      if (fs.existsSync(file)) {
        fs.rmSync(file, { force: true });
        removed++;
      }
    }
    return removed;
  }

  /** Temporary files whose writer is gone (killed mid-write): never part of the cache. */
  private removeStaleTemps(): void {
    for (const shard of safeReaddir(this.dir)) {
      const folder = path.join(this.dir, shard);
      for (const name of safeReaddir(folder)) {
        const match = TEMP.exec(name);
        if (match && !alive(Number(match[2]))) fs.rmSync(path.join(folder, name), { force: true });
      }
    }
  }
}

function safeReaddir(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}
