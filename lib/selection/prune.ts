// Pruning the fold cache of a records folder: the entries no record uses are deleted, and never
// an entry that may still be in use. So nothing is deleted while any record in the folder cannot
// be read, or does not name the cache entry of each of its folds (its folds are unknown), unless
// asked to with force, and the entries a running selection
// named in its lease (lease.ts) are kept whatever the records say.
import * as fs from "node:fs";
import * as path from "node:path";
import { InputError } from "../core/errors";
import { experimentsDir, foldCacheDir, namedAsRecord, readExperiments, recordsFolderProblem, unreadableRecords, type SkippedFile } from "./experiments";
import { FoldCache } from "./fold-cache";
import { readLeases, type LeaseScan } from "./lease";
import type { ExperimentRecord } from "./record";

export interface PruneOptions {
  /** Delete what no readable record or running selection uses even when some record cannot be read. */
  force?: boolean;
}

export interface PruneResult {
  kept: number;
  removed: number;
  /**
   * The selections running in the folder, whose entries were kept (absent when none): keys counts
   * the entries of the cache it uses, not those it will train later (they are not there yet).
   */
  running?: { pid: number; host: string; startedAt: string; keys: number }[];
  /** With force: the files whose entries are unknown and did not protect any, and why ("cannot be read (…)"; absent when none). */
  ignored?: SkippedFile[];
}

/** Why prune stops, file by file, and how to go on. */
function blockedMessage(dir: string, records: readonly SkippedFile[], unnamed: readonly SkippedFile[], leases: LeaseScan["unreadable"]): string {
  const way = (file: string) =>
    namedAsRecord(file) ? `\`digits experiments remove ${file.replace(/\.json$/, "")}\` deletes it` : `it is not named as digits names records: if it is not one, move it out of ${dir}`;
  const reasons = [
    ...records.map((s) => `${s.file} cannot be read (${s.reason}); ${way(s.file)}`),
    ...unnamed.map((s) => `${s.file} ${s.reason}; ${way(s.file)}`),
    ...leases.map((s) => `${s.file}, the lease of a running selection, cannot be read (${s.reason}); delete it once no \`digits select\` runs on ${dir}`),
  ];
  return (
    `experiments prune: nothing deleted, as the fold-cache entries these files use are unknown: ${reasons.join("; ")}. ` +
    `Or move a file that is not a record out of ${dir}, or prune with --force to delete every entry no readable record or running selection uses`
  );
}

/** The records that do not name the cache entry of each of their folds (edited, or cut): they may use any entry. */
function unnamedFolds(records: readonly { file: string; record: ExperimentRecord }[]): SkippedFile[] {
  return records.flatMap(({ file, record }) => {
    const unnamed = record.folds.filter((fold) => typeof fold.key !== "string").length;
    if (record.folds.length > 0 && unnamed === 0) return [];
    const folds = record.folds.length === 0 ? "lists no folds" : `names no cache entry for ${unnamed} of its ${record.folds.length} folds (no key)`;
    return [{ file, reason: `is a record that ${folds}` }];
  });
}

/**
 * Drops the fold-cache entries of `dir` that no record and no running selection uses, and the
 * leases of selections whose process is gone. Throws InputError when `dir` is not a records
 * folder, and (without force) when a record or lease in it cannot be read, deleting nothing.
 */
export function pruneCache(dir: string = experimentsDir(), options: PruneOptions = {}): PruneResult {
  const problem = recordsFolderProblem(dir);
  if (problem) throw new InputError(problem);
  // Listed first: an entry written after this (by a run that started meanwhile) is not touched.
  const cache = new FoldCache(foldCacheDir(dir));
  const stored = cache.keys();
  // Leases before records: a run saves its record before it drops its lease, so one that ends
  // meanwhile is seen either way.
  const leases = readLeases(dir);
  const { records, skipped } = readExperiments(dir);
  const unreadable = unreadableRecords(skipped);
  const unnamed = unnamedFolds(records);
  if (!options.force && unreadable.length + unnamed.length + leases.unreadable.length > 0) throw new InputError(blockedMessage(dir, unreadable, unnamed, leases.unreadable));
  const used = new Set<string>();
  for (const { record } of records) for (const fold of record.folds) if (typeof fold.key === "string") used.add(fold.key);
  for (const { lease } of leases.running) for (const key of lease.keys) used.add(key);
  // Again just before deleting: a selection that started since holds its keys in a new lease.
  for (const { lease } of readLeases(dir).running) for (const key of lease.keys) used.add(key);
  const removed = cache.remove(stored.filter((key) => !used.has(key)));
  for (const file of leases.stale) fs.rmSync(path.join(dir, file), { force: true });
  const unread = (s: SkippedFile) => ({ file: s.file, reason: `cannot be read (${s.reason})` });
  const ignored = [...unreadable.map(unread), ...unnamed, ...leases.unreadable.map(unread)];
  const kept = new Set(cache.keys());
  const held = (keys: readonly string[]) => keys.filter((key) => kept.has(key)).length;
  return {
    kept: kept.size,
    removed,
    ...(leases.running.length > 0 ? { running: leases.running.map(({ lease }) => ({ pid: lease.pid, host: lease.host, startedAt: lease.startedAt, keys: held(lease.keys) })) } : {}),
    ...(ignored.length > 0 ? { ignored } : {}),
  };
}
