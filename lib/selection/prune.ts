// Pruning the fold cache of a records folder: the entries no record uses are deleted, and never
// an entry that may still be in use. So nothing is deleted while any record in the folder cannot
// be read (its folds are unknown) unless asked to with force, and the entries a running selection
// named in its lease (lease.ts) are kept whatever the records say.
import * as fs from "node:fs";
import * as path from "node:path";
import { InputError } from "../core/errors";
import { experimentsDir, foldCacheDir, readExperiments, recordsFolderProblem, unreadableRecords, type SkippedFile } from "./experiments";
import { FoldCache } from "./fold-cache";
import { readLeases, type LeaseScan } from "./lease";

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
  /** With force: the files that could not be read and did not protect any entry (absent when none). */
  ignored?: SkippedFile[];
}

/** Why prune stops, file by file, and how to go on. */
function blockedMessage(dir: string, records: readonly SkippedFile[], leases: LeaseScan["unreadable"]): string {
  const reasons = [
    ...records.map((s) => `${s.file} cannot be read (${s.reason}); \`digits experiments remove ${s.file.replace(/\.json$/, "")}\` deletes it`),
    ...leases.map((s) => `${s.file}, the lease of a running selection, cannot be read (${s.reason}); delete it once no \`digits select\` runs on ${dir}`),
  ];
  return (
    `experiments prune: nothing deleted, as the fold-cache entries these files use are unknown: ${reasons.join("; ")}. ` +
    `Or move a file that is not a record out of ${dir}, or prune with --force to delete every entry no readable record or running selection uses`
  );
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
  if (!options.force && unreadable.length + leases.unreadable.length > 0) throw new InputError(blockedMessage(dir, unreadable, leases.unreadable));
  const used = new Set<string>();
  for (const { record } of records) for (const fold of record.folds) if (typeof fold.key === "string") used.add(fold.key);
  for (const { lease } of leases.running) for (const key of lease.keys) used.add(key);
  // Again just before deleting: a selection that started since holds its keys in a new lease.
  for (const { lease } of readLeases(dir).running) for (const key of lease.keys) used.add(key);
  const removed = cache.remove(stored.filter((key) => !used.has(key)));
  for (const file of leases.stale) fs.rmSync(path.join(dir, file), { force: true });
  const ignored = [...unreadable, ...leases.unreadable];
  const kept = new Set(cache.keys());
  const held = (keys: readonly string[]) => keys.filter((key) => kept.has(key)).length;
  return {
    kept: kept.size,
    removed,
    ...(leases.running.length > 0 ? { running: leases.running.map(({ lease }) => ({ pid: lease.pid, host: lease.host, startedAt: lease.startedAt, keys: held(lease.keys) })) } : {}),
    ...(ignored.length > 0 ? { ignored } : {}),
  };
}
