// Fold cache: finished fold runs stored by what determines them, so a rerun of a selection
// (the same grid, a grid with one more candidate, a run killed half-way) trains only what it
// has not trained before. One fold of one candidate is a pure function of its FoldInputs; its
// key is the SHA-256 of those inputs, and its file, <records folder>/cache/<2 hex>/<key>.json,
// holds the inputs beside the result so an entry can be checked and explained.
//
// Safe under concurrency without locks: each entry is written whole under a temporary name and
// renamed into place (lib/core/files), and two runs that write the same key write the same result.
// A run killed with SIGKILL leaves finished entries complete; its temporary files are removed
// by the next cache opened on the folder.
//
// Nothing read back is believed unchecked: an entry carries a checksum over its key and result
// (lib/selection/fold-check), and the caller says what a result of that fold must look like. An
// entry that does not parse, does not match its key or checksum, or fails the caller's check is
// reported (one warning naming the file and why) and treated as missing: the fold is trained
// again, and rewritten. Entries written before checksums existed cannot be verified: they are
// trained again too, with one line for all of them.
import * as fs from "node:fs";
import * as path from "node:path";
import { writeFileAtomic } from "../core/files";
import { canonicalInputs, foldKey, type FoldInputs } from "./fold-key";
import { foldResultChecksum } from "./fold-check";
import { processAlive } from "../core/processes";

const FOLD_ENTRY_SCHEMA = "binary-digits/fold";

interface FoldEntry<T> {
  schema: typeof FOLD_ENTRY_SCHEMA;
  key: string;
  inputs: FoldInputs;
  result: T;
  /** foldResultChecksum(key, result); absent in entries written before it existed. */
  checksum?: string;
}

/** A fold wanted from the cache, and why a stored result cannot be it (null when it can). */
export interface WantedFold {
  inputs: FoldInputs;
  check(result: unknown): string | null;
}

/** What reading one entry found. */
type EntryRead = { kind: "hit"; result: unknown } | { kind: "missing" } | { kind: "unverifiable" } | { kind: "bad"; reason: string };

// writeFileAtomic's temporary names: .<name>.<pid>.<random>.tmp
const TEMP = /^\.(.+)\.(\d+)\.[0-9a-f]+\.tmp$/;

export class FoldCache {
  /** What was wrong with entries read so far (corrupt, mismatched, unverifiable), one line each. */
  readonly warnings: string[] = [];

  /**
   * `dir` is the cache folder (reports/experiments/cache by default, see experiments.ts). `warn`
   * is told of every entry that could not be used; nothing is thrown for a bad entry.
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

  /** The stored result of one fold, or null (see getAll). */
  get<T>(wanted: WantedFold): T | null {
    return this.getAll<T>([wanted])[0];
  }

  /**
   * The stored result of each fold, or null where there is none or it cannot be used: one warning
   * per entry that fails (file and reason), one for all the entries that have no checksum.
   */
  getAll<T>(wanted: readonly WantedFold[]): (T | null)[] {
    let unverifiable = 0;
    const results = wanted.map(({ inputs, check }) => {
      const key = foldKey(inputs);
      const read = this.read(key, check);
      if (read.kind === "unverifiable") unverifiable++;
      if (read.kind === "bad") this.report(`fold cache entry ${this.file(key)} ${read.reason}; training that fold again`);
      return read.kind === "hit" ? (read.result as T) : null;
    });
    if (unverifiable > 0) {
      const one = unverifiable === 1;
      this.report(
        `${unverifiable} fold cache entr${one ? "y" : "ies"} in ${this.dir} ha${one ? "s" : "ve"} no checksum (written by an older digits), ` +
          `so ${one ? "it cannot" : "they cannot"} be verified; training ${one ? "that fold" : "those folds"} again`,
      );
    }
    return results;
  }

  private report(message: string): void {
    this.warnings.push(message);
    this.warn(message);
  }

  /** One entry, checked: its key, inputs and checksum, then the caller's `check` of the result. */
  private read(key: string, check: WantedFold["check"]): EntryRead {
    let text: string;
    try {
      text = fs.readFileSync(this.file(key), "utf8");
    } catch {
      return { kind: "missing" };
    }
    let entry: FoldEntry<unknown>;
    try {
      entry = JSON.parse(text) as FoldEntry<unknown>;
    } catch (error) {
      return { kind: "bad", reason: `is not valid JSON (${(error as Error).message})` };
    }
    if (!entry || typeof entry !== "object" || entry.schema !== FOLD_ENTRY_SCHEMA || entry.key !== key) return { kind: "bad", reason: "is not an entry for this key" };
    if (!entry.inputs || foldKey(entry.inputs) !== key) return { kind: "bad", reason: "holds inputs that do not match its key" };
    if (entry.checksum === undefined) return { kind: "unverifiable" };
    if (entry.checksum !== foldResultChecksum(key, entry.result)) return { kind: "bad", reason: "does not match its checksum (it was changed after it was written)" };
    const problem = check(entry.result);
    return problem === null ? { kind: "hit", result: entry.result } : { kind: "bad", reason: `cannot be this fold's result: ${problem}` };
  }

  /** Stores a result with its checksum (atomically; a concurrent writer of the same key writes the same scores). */
  put<T>(inputs: FoldInputs, result: T): string {
    const key = foldKey(inputs);
    const file = this.file(key);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const entry: FoldEntry<T> = { schema: FOLD_ENTRY_SCHEMA, key, inputs: canonicalInputs(inputs), result, checksum: foldResultChecksum(key, result) };
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
        if (match && !processAlive(Number(match[2]))) fs.rmSync(path.join(folder, name), { force: true });
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
