// The experiments store: where selection records live (reports/experiments/ by default, one JSON
// file per run, written atomically) and how they are read back — checked, older schema versions
// upgraded, a newer or unreadable file reported with its reason, never fatal — found by any unique
// part of their id (a prefix as in git, or the random suffix), and removed. The fold cache sits in the records folder
// (<dir>/cache), so the records and the folds they reuse move and prune together (prune.ts).
// What a record holds is record.ts; which record to train from is latest-winner.ts.
import * as fs from "node:fs";
import * as path from "node:path";
import { projectRoot } from "../core/project";
import { InputError, isInputError } from "../core/errors";
import { refusalReason, writeFileAtomic, writeProblem } from "../core/files";
import { withLock } from "../core/lock";
import { ACTIVATIONS, type Activation } from "../model/model";
import { DEFAULT_SELECTION_CONFIG, type SelectionConfig } from "./config";
import { annotate, annotationProblem } from "./notes";
import { raceRecordProblem } from "./race";
import { type ExperimentRecord } from "./record";

/** The newest record schema this code reads and writes. */
const RECORD_SCHEMA_VERSION = 2;

/** reports/experiments under the project root. */
export function experimentsDir(): string {
  return path.join(projectRoot(), "reports", "experiments");
}

/** The fold cache of a records folder: <dir>/cache. */
const CACHE_FOLDER = "cache";

export function foldCacheDir(dir: string = experimentsDir()): string {
  return path.join(dir, CACHE_FOLDER);
}

/** Why `dir` cannot be read as a records folder (missing, not a folder), or null when it can. */
export function recordsFolderProblem(dir: string): string | null {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(dir);
  } catch {
    return `${dir}: no such records folder (check the path; \`digits select --records ${dir}\` creates it)`;
  }
  return stat.isDirectory() ? null : `${dir}: is a file, not a records folder`;
}

/**
 * The files a selection writes in records folder `dir`, relative to it, as the longest names of
 * each kind: a record, a lease, a fold-cache entry in a new shard and in each shard there is.
 */
export function recordsFolderFiles(dir: string): string[] {
  const entry = (shard: string) => path.join(CACHE_FOLDER, shard, `${shard}${"0".repeat(62)}.json`);
  let shards: string[] = [];
  try {
    shards = fs.readdirSync(foldCacheDir(dir)).filter((name) => /^[0-9a-f]{2}$/.test(name));
  } catch {
    // not created yet: a new shard stands for it
  }
  return [`${"0".repeat(8)}T${"0".repeat(9)}Z-0000.json`, `.running-${process.pid}-00000000.json`, entry("00"), ...shards.map(entry)];
}

/**
 * Before any training: the records folder can take the record, the run's lease, and fold-cache
 * entries in every shard (writeProblem). Throws InputError naming the path otherwise.
 */
export function checkRecordsWritable(dir: string): void {
  for (const file of recordsFolderFiles(dir)) {
    const problem = writeProblem(path.join(dir, file));
    if (problem) throw new InputError(`${dir}: cannot hold the records: ${problem}; choose another folder with --records, or make it writable`);
  }
}

/**
 * Writes the record to `dir`/<id>.json (dir created if needed) through a temp file and a
 * rename, so an interrupted or failed write leaves no partial record. Returns the path.
 */
export function saveExperiment(record: ExperimentRecord, dir: string = experimentsDir()): string {
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (error) {
    throw new InputError(`${dir}: cannot create the experiments directory (${(error as Error).message})`);
  }
  const file = path.join(dir, `${record.id}.json`);
  try {
    writeFileAtomic(file, Buffer.from(JSON.stringify(record, null, 2) + "\n", "utf8"));
  } catch (error) {
    if (isInputError(error)) throw error; // a full disk, said as such
    throw new InputError(`${file}: cannot write the record (${(error as Error).message})`);
  }
  return file;
}

/** Why a parsed file is not a record this code can read, or null when it is one. */
function recordProblem(value: unknown): string | null {
  const r = value as Partial<ExperimentRecord> | null;
  if (!r || typeof r !== "object" || r.schema !== "binary-digits/experiment") return "corrupt: not a model-selection record";
  const version = r.schemaVersion as unknown;
  if (Number.isInteger(version) && (version as number) > RECORD_SCHEMA_VERSION) {
    return `schema version ${version}, newer than this digits reads (up to ${RECORD_SCHEMA_VERSION}); update digits to read it`;
  }
  if (version !== undefined && version !== 1 && version !== 2) return `corrupt: schema version ${JSON.stringify(version)} is not one digits writes`;
  if (!Array.isArray(r.summary) || !r.winner || !r.data || typeof r.startedAt !== "string") return "corrupt: not a model-selection record";
  if (r.folds !== undefined && !Array.isArray(r.folds)) return "corrupt: its folds are not a list";
  // Version 1 may lack it (upgradeRecord fills it in); version 2 always writes it, and upgradeRecord reads it.
  const config = r.config as unknown;
  if (version === 2 && (typeof config !== "object" || config === null || Array.isArray(config))) return "corrupt: it has no config (the settings of its selection)";
  return winnerProblem(r.winner as Partial<ExperimentRecord["winner"]>) ?? raceRecordProblem({ config: r.config, summary: r.summary }) ?? annotationProblem(r);
}

/** The winner is what notebook 03 and `train --layers winner` train and name: its settings must be ones we train. */
function winnerProblem(w: Partial<ExperimentRecord["winner"]>): string | null {
  if (w.hidden !== undefined && !(Array.isArray(w.hidden) && w.hidden.every((n) => Number.isInteger(n) && n > 0))) return "corrupt: its winner's layer sizes are not positive whole numbers";
  // Version 1 records have neither: upgradeRecord gives them the grid's.
  if (w.activation !== undefined && !ACTIVATIONS.includes(w.activation)) return `corrupt: its winner's activation is not one of ${ACTIVATIONS.join(", ")}`;
  if (w.learningRate !== undefined && !(typeof w.learningRate === "number" && Number.isFinite(w.learningRate) && w.learningRate > 0)) {
    return "corrupt: its winner's learning rate is not a number > 0";
  }
  return null;
}

/**
 * A record as version 2: version 1 had one activation and one learning rate for the whole grid
 * (config.activation, config.learningRate), which become the lists and each row's own settings.
 */
function upgradeRecord(record: ExperimentRecord): ExperimentRecord {
  // Records before --repeats cut the folds once.
  if (record.schemaVersion === 2) return { ...record, config: { ...record.config, repeats: record.config.repeats ?? 1 }, folds: record.folds ?? [] };
  const old = (record.config ?? {}) as SelectionConfig & { activation?: Activation; learningRate?: number };
  const activation = old.activation ?? DEFAULT_SELECTION_CONFIG.activation;
  const learningRate = old.learningRate ?? DEFAULT_SELECTION_CONFIG.learningRate;
  const { activation: _a, learningRate: _l, ...rest } = old;
  const settings = { activation, learningRate };
  return {
    ...record,
    schemaVersion: 2,
    config: { ...rest, repeats: 1, activations: [activation], learningRates: [learningRate] },
    cache: record.cache ?? { reused: 0, trained: (record.folds ?? []).length },
    folds: (record.folds ?? []).map((f) => ({ ...settings, ...f })),
    summary: record.summary.map((s) => ({ ...settings, ...s })),
    winner: { ...settings, ...record.winner },
  };
}

/** A file in a records folder that is not a usable record, and why. */
export interface SkippedFile {
  file: string;
  reason: string;
}

/** oldest first, by start time then id */
function byStart(a: ExperimentRecord, b: ExperimentRecord): number {
  return a.startedAt < b.startedAt ? -1 : a.startedAt > b.startedAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** One file of a records folder: a record, or why it is not one. */
function readRecordFile(dir: string, file: string): { record: ExperimentRecord } | { reason: string } {
  if (!file.endsWith(".json")) return { reason: "not a record (records are .json files)" };
  let value: unknown;
  try {
    value = JSON.parse(fs.readFileSync(path.join(dir, file), "utf8"));
  } catch (error) {
    return { reason: `corrupt: ${(error as Error).message.split("\n")[0]}` };
  }
  const problem = recordProblem(value);
  return problem === null ? { record: upgradeRecord(value as ExperimentRecord) } : { reason: problem };
}

/**
 * Every record in `dir`, oldest first, with its file name, and every other file with the reason
 * it was skipped (not JSON, JSON of something else, a newer schema, not a .json file). Temp files,
 * leases of running selections (both start with a dot) and the fold cache are ours and not reported.
 */
export function readExperiments(dir: string = experimentsDir()): { records: { file: string; record: ExperimentRecord }[]; skipped: SkippedFile[] } {
  let names: string[];
  try {
    names = fs.readdirSync(dir).sort();
  } catch {
    return { records: [], skipped: [] };
  }
  const records: { file: string; record: ExperimentRecord }[] = [];
  const skipped: SkippedFile[] = [];
  for (const file of names) {
    if (file.startsWith(".") || file === CACHE_FOLDER) continue;
    const read = readRecordFile(dir, file);
    if ("record" in read) records.push({ file, record: read.record });
    else skipped.push({ file, reason: read.reason });
  }
  records.sort((a, b) => byStart(a.record, b.record));
  return { records, skipped };
}

/** The records in `dir` (default reports/experiments), oldest first; files that are not records are left out (see readExperiments). */
export function listExperiments(dir: string = experimentsDir()): ExperimentRecord[] {
  return readExperiments(dir).records.map((r) => r.record);
}

/** The .json files of `dir` that are not readable records: what a record that cannot be read may be. */
export function unreadableRecords(skipped: readonly SkippedFile[]): SkippedFile[] {
  return skipped.filter((s) => s.file.endsWith(".json"));
}

const listHint = (dir: string) => `\`digits experiments list${dir === experimentsDir() ? "" : ` --records ${dir}`}\` shows the ids`;

/**
 * Which of `ids` a person means by `wanted`: the id itself, else the one id it starts (as git finds
 * commits), else the one id it is any other part of (the random suffix "53cd" included). Returns
 * the matching ids: one when found, several when ambiguous, none when not.
 */
export function matchIds(wanted: string, ids: readonly string[]): string[] {
  if (ids.includes(wanted)) return [wanted];
  const prefixed = ids.filter((id) => id.startsWith(wanted));
  if (prefixed.length === 1) return prefixed;
  const anywhere = ids.filter((id) => id.includes(wanted));
  return prefixed.length > 1 && anywhere.length > prefixed.length ? prefixed : anywhere;
}

/** The shortest handle that finds each id among `ids` (matchIds): a suffix of at least `min` characters, else the whole id. */
export function shortestHandles(ids: readonly string[], min = 4): Map<string, string> {
  const handles = new Map<string, string>();
  for (const id of ids) {
    let handle = id;
    for (let length = Math.min(min, id.length); length < id.length; length++) {
      const suffix = id.slice(-length);
      const found = matchIds(suffix, ids);
      if (found.length === 1 && found[0] === id) {
        handle = suffix;
        break;
      }
    }
    handles.set(id, handle);
  }
  return handles;
}

/**
 * The record `wanted` names, by its whole id or any unique part of it (matchIds): an InputError
 * when none or several match, listing the candidates.
 */
export function findExperiment(prefix: string, dir: string = experimentsDir()): { file: string; record: ExperimentRecord } {
  const wanted = prefix.trim().replace(/\.json$/, "");
  if (wanted === "") throw new InputError(`an experiment id is empty; ${listHint(dir)}`);
  const { records, skipped } = readExperiments(dir);
  const ids = matchIds(wanted, records.map((r) => r.record.id));
  const matches = records.filter((r) => ids.includes(r.record.id));
  if (matches.length === 1) return matches[0];
  const how = matches.every((m) => m.record.id.startsWith(wanted)) ? "the start" : "part";
  if (matches.length > 1) throw new InputError(`"${wanted}" is ${how} of ${matches.length} experiment ids (${matches.map((m) => m.record.id).join(", ")}); give more of the id`);
  const unreadable = unreadableRecords(skipped).filter((s) => s.file.startsWith(wanted));
  if (unreadable.length > 0) {
    throw new InputError(`"${wanted}" matches no readable record: ${unreadable.map((s) => `${s.file} cannot be read (${s.reason})`).join("; ")}`);
  }
  throw new InputError(`no experiment in ${dir} has an id starting with "${wanted}" or with it in it; ${listHint(dir)}`);
}

/** The name every record is written under: <id>.json, the id its start time and a random suffix. */
const RECORD_NAME = /^\d{8}T\d{9}Z-[0-9a-f]{4}\.json$/;

/** Whether `file` is named as digits names a record (a record file it cannot read may be one, cut short). */
export const namedAsRecord = (file: string) => RECORD_NAME.test(file);

/**
 * What `remove` takes: a record by its id (or any unique part, see matchIds), or else a file
 * named as digits names records that cannot be read as one (a record cut short, say), by the same
 * rule. Nothing else is ever removed: a file that is not a record (package.json) is an InputError
 * saying so, even when `wanted` starts its name.
 */
export function findRemovable(wanted: string, dir: string = experimentsDir()): { file: string; record: ExperimentRecord | null; reason?: string } {
  try {
    return findExperiment(wanted, dir);
  } catch (error) {
    const id = wanted.trim().replace(/\.json$/, "");
    if (id === "") throw error;
    const { skipped } = readExperiments(dir);
    const broken = unreadableRecords(skipped).filter((s) => namedAsRecord(s.file));
    const matched = matchIds(id, broken.map((s) => s.file.replace(/\.json$/, "")));
    if (matched.length === 1) {
      const found = broken.find((s) => s.file === `${matched[0]}.json`)!;
      return { file: found.file, record: null, reason: found.reason };
    }
    const foreign = skipped.filter((s) => !namedAsRecord(s.file) && s.file.startsWith(id));
    if (matched.length === 0 && foreign.length > 0) {
      const listed = foreign.map((s) => `${s.file} (${s.reason})`).join(", ");
      throw new InputError(`"${id}" is the id of no record in ${dir}: ${listed} ${foreign.length === 1 ? "is not a record" : "are not records"} of digits, which never deletes ${foreign.length === 1 ? "it" : "them"}; ${listHint(dir)}`);
    }
    throw error;
  }
}

/** Why `file` cannot be deleted (an immutable file or folder, a folder without write permission), or null. */
function deleteProblem(file: string): string | null {
  const checks = [
    { where: path.dirname(file), mode: fs.constants.W_OK | fs.constants.X_OK },
    { where: file, mode: fs.constants.W_OK },
  ];
  for (const { where, mode } of checks) {
    try {
      fs.accessSync(where, mode);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // Deleting a file takes its folder's permission, not the file's; an immutable file refuses anyway.
      if (where === file && code !== "EPERM") continue;
      return `${where} cannot be changed: ${refusalReason(code, where) ?? code}`;
    }
  }
  return null;
}

/**
 * Deletes records (by file, each once); the fold cache keeps its entries until pruneCache. Every
 * file is checked first: one that cannot be deleted is an InputError saying why, and nothing is deleted.
 */
export function removeExperiments(files: readonly string[], dir: string = experimentsDir()): string[] {
  const removed = [...new Set(files)];
  const problems = removed.map((file) => deleteProblem(path.join(dir, file))).filter((p) => p !== null);
  if (problems.length > 0) throw new InputError(`experiments remove: nothing removed, as ${problems.join("; ")}`);
  for (const file of removed) {
    try {
      fs.unlinkSync(path.join(dir, file));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOENT") continue; // removed meanwhile
      throw new InputError(`experiments remove: ${path.join(dir, file)} cannot be removed: ${refusalReason(code, path.join(dir, file)) ?? (error as Error).message}`);
    }
  }
  return removed;
}

/**
 * Adds a note (replacing the earlier one) or tags to the record `id` names, rewriting its file
 * atomically (the target of a file that is a link); returns the updated record. Under the
 * record's lock, read afresh: notes and tags added at the same time by other processes are all
 * kept. The fold cache is untouched: the record's folds are the same.
 */
export function annotateExperiment(id: string, change: { note?: string; tags?: readonly string[] }, dir: string = experimentsDir()): ExperimentRecord {
  const { file } = findExperiment(id, dir);
  const where = path.join(dir, file);
  return withLock(fs.realpathSync(where), () => {
    const read = readRecordFile(dir, file);
    if (!("record" in read)) throw new InputError(`${where}: ${read.reason}; it changed while the note or tags were added`);
    const updated = annotate(read.record, change);
    try {
      writeFileAtomic(where, Buffer.from(JSON.stringify(updated, null, 2) + "\n", "utf8"));
    } catch (error) {
      if (isInputError(error)) throw error; // a full disk, said as such
      throw new InputError(`${where}: cannot write the record (${(error as Error).message})`);
    }
    return updated;
  });
}
