// Which selection record to trust: `digits train --layers winner` and notebook 03 train the winner
// of the latest record made on the same data (fingerprint) and the same pair of digits. A record
// of other data, another pair or a file that cannot be read is skipped with its reason, so the
// user sees which record was used and why the newer ones were not.
import { DEFAULT_PAIR, samePair, type Pair } from "../core/pair";
import { readExperiments } from "./experiments";
import type { ExperimentRecord } from "./record";

/** A file in the records folder that was not used, and why. */
export interface SkippedRecord {
  /** File name inside the folder. */
  file: string;
  reason: string;
  /** The record's start time, when the file could be read. */
  startedAt?: string;
}

/** What findWinner found: the record used (or null) and the files it passed over. */
export interface WinnerLookup {
  /** The latest matching record, or null when none matches. */
  record: ExperimentRecord | null;
  /** Its file name inside the folder. */
  file: string | null;
  /** Newer records that did not match, and every file that could not be read (newest first). */
  skipped: SkippedRecord[];
}

/** The data a winner is wanted for: the training data's fingerprint and pair. */
export interface RecordTarget {
  fingerprint: string;
  pair: Pair;
}

/** The pair of a record: its own, or 0 and 1 for records written before pairs existed. */
export function recordPair(record: Pick<ExperimentRecord, "data">): Pair {
  const d = record.data?.digits;
  return Array.isArray(d) && d.length === 2 ? [d[0], d[1]] : DEFAULT_PAIR;
}

/** Every record in `dir`, and the files that could not be read as one (see experiments.readExperiments). */
function readRecords(dir: string): { records: { file: string; record: ExperimentRecord }[]; unreadable: SkippedRecord[] } {
  const { records, skipped } = readExperiments(dir);
  return { records, unreadable: skipped.filter((s) => s.file.endsWith(".json")) };
}

/** Why `record` does not fit `target`, or null when it does. */
function mismatch(record: ExperimentRecord, target: RecordTarget): string | null {
  const pair = recordPair(record);
  if (!samePair(pair, target.pair)) return `other pair: ${pair[0]} against ${pair[1]}, not ${target.pair[0]} against ${target.pair[1]}`;
  if (record.data.fingerprint !== target.fingerprint) {
    const source = record.data.source ?? "data in memory";
    return `other data: ${record.data.rows.toLocaleString("en-US")} rows of ${source}, fingerprint ${record.data.fingerprint} (the training data has ${target.fingerprint})`;
  }
  return null;
}

/**
 * The latest record in `dir` (by start time) made on the target's data and pair, with the newer
 * records it passed over and the files it could not read.
 */
export function findWinner(dir: string, target: RecordTarget): WinnerLookup {
  const { records, unreadable } = readRecords(dir);
  const newestFirst = [...records].sort((a, b) => (a.record.startedAt < b.record.startedAt ? 1 : a.record.startedAt > b.record.startedAt ? -1 : a.file < b.file ? 1 : -1));
  const skipped: SkippedRecord[] = [];
  for (const { file, record } of newestFirst) {
    const reason = mismatch(record, target);
    if (reason === null) return { record, file, skipped: [...skipped, ...unreadable] };
    skipped.push({ file, reason, startedAt: record.startedAt });
  }
  return { record: null, file: null, skipped: [...skipped, ...unreadable] };
}

/** "2026-11-25 12:34 UTC" from an ISO time. */
function shortDate(iso: string): string {
  return iso.replace("T", " ").replace(/:\d\d(\.\d+)?Z$/, " UTC");
}

/** "record 20261125T…-1a2b of 2026-11-25 12:34 UTC": which record, and when it ran. */
export function describeRecord(record: ExperimentRecord): string {
  return `record ${record.id} of ${shortDate(record.startedAt)}`;
}

/** One line per skipped file: "20261125….json: other pair: …". */
export function describeSkipped(skipped: readonly SkippedRecord[]): string[] {
  return skipped.map((s) => `${s.file}: ${s.reason}`);
}
