// `digits experiments`: the selection records of a folder — list, show, compare, note, tag,
// remove — and `prune` for the fold cache. An id may be given by any unique part (a prefix, as in
// git, or the random suffix); files that are
// not records are listed as skipped with the reason and never stop a command (but prune deletes
// nothing while one of them may be a record it cannot read).
import * as fs from "node:fs";
import * as path from "node:path";
import { annotateExperiment, experimentsDir, findExperiment, findRemovable, readExperiments, recordsFolderProblem, removeExperiments, shortestHandles, type SkippedFile } from "../lib/selection/experiments";
import { compareExperiments } from "../lib/selection/record-diff";
import { compareCells, compareCsv, compareMarkdown, compareTable } from "../lib/selection/record-diff-table";
import { parseNote, parseTag } from "../lib/selection/notes";
import { pruneCache, type PruneResult } from "../lib/selection/prune";
import { InputError } from "../lib/core/errors";
import { clock, textTable, visible } from "../lib/core/format";
import { architectureName } from "../lib/model/model";
import { recordPair } from "../lib/selection/latest-winner";
import type { ExperimentRecord } from "../lib/selection/record";
import { err, f4, out, type Command, type Flags } from "./common";
import { printSelection } from "./select";

const SUBCOMMANDS = ["list", "show", "compare", "note", "tag", "remove", "prune"] as const;
const FORMATS = ["table", "md", "csv", "json"] as const;
type Subcommand = (typeof SUBCOMMANDS)[number];

/** What a subcommand is given: the records folder (exists: false for the default one before any select), ids, flags. */
interface Call {
  dir: string;
  exists: boolean;
  ids: string[];
  json: boolean;
  force: boolean;
  flags: Flags;
}

/**
 * The records folder: --records must name a folder that exists (a typo is exit 2, naming it); the
 * default one may not exist yet (no `digits select` has run).
 */
function recordsDir(flags: Flags): { dir: string; exists: boolean } {
  const given = typeof flags.records === "string";
  const dir = given ? path.resolve(flags.records as string) : experimentsDir();
  const problem = recordsFolderProblem(dir);
  if (problem && (given || fs.existsSync(dir))) throw new InputError(problem);
  return { dir, exists: problem === null };
}

function reportSkipped(skipped: readonly SkippedFile[], json: boolean): void {
  if (json) return;
  for (const s of skipped) err(`skipped ${visible(s.file)}: ${visible(s.reason)}`);
}

/** "layers × activations × learning rates" as list shows it. */
function grid(record: ExperimentRecord): string {
  const { config } = record;
  const parts = [config.grid.map((h) => architectureName(h)).join(" ")];
  if (config.activations.length > 1) parts.push(config.activations.join(","));
  if (config.learningRates.length > 1) parts.push(`lr ${config.learningRates.join(",")}`);
  return parts.join(" × ");
}

function listRow(record: ExperimentRecord, handle: string) {
  const best = Math.min(...record.summary.map((s) => (Number.isFinite(s.meanLogLoss) ? s.meanLogLoss : Infinity)));
  return {
    id: record.id,
    handle,
    date: record.startedAt,
    startedAt: record.startedAt,
    finishedAt: record.finishedAt,
    digits: recordPair(record),
    rows: record.data.rows,
    grid: grid(record),
    folds: record.config.folds,
    epochs: record.config.epochs,
    winner: record.winner.architecture,
    bestLogLoss: Number.isFinite(best) ? best : null,
    seconds: record.seconds,
    cache: record.cache,
    note: record.note ?? null,
    tags: record.tags ?? [],
  };
}

/** "2026-11-30 08:37" from an ISO time. */
const minute = (iso: string) => iso.replace("T", " ").slice(0, 16);
/** A note on one line of a table, shortened. */
const short = (note: string | null) => (note === null ? "" : note.replace(/\s+/g, " ").length > 40 ? `${note.replace(/\s+/g, " ").slice(0, 39)}…` : note.replace(/\s+/g, " "));

function list({ dir, json, flags }: Call): void {
  const { records, skipped } = readExperiments(dir);
  const tag = typeof flags.tag === "string" ? parseTag(flags.tag) : null;
  const handles = shortestHandles(records.map((r) => r.record.id));
  const rows = records.filter((r) => tag === null || (r.record.tags ?? []).includes(tag)).map((r) => listRow(r.record, handles.get(r.record.id) ?? r.record.id));
  if (json) return void out(JSON.stringify({ records: rows, skipped }, null, 2));
  reportSkipped(skipped, json);
  if (rows.length === 0) return void out(tag === null ? `no selection records in ${visible(dir)}; \`digits select\` writes one` : `no selection record in ${visible(dir)} is tagged ${tag}`);
  out(
    textTable(
      ["handle", "id", "started", "duration", "pair", "rows", "grid", "folds", "epochs", "winner", "best log loss", "reused/trained", "tags", "note"],
      rows.map((r) => [r.handle, r.id, minute(r.startedAt), clock(r.seconds), `${r.digits[0]},${r.digits[1]}`, r.rows.toLocaleString("en-US"), r.grid, r.folds, r.epochs, r.winner, r.bestLogLoss === null ? "–" : f4(r.bestLogLoss), `${r.cache.reused}/${r.cache.trained}`, r.tags.join(","), short(r.note)]),
    ),
  );
  out("\nA record is found by its handle or any other unique part of its id.");
}

function show({ dir, ids, json }: Call): void {
  const { record, file } = findExperiment(ids[0], dir);
  if (json) return void out(JSON.stringify(record, null, 2));
  const [a, b] = recordPair(record);
  out(`Record ${visible(record.id)} (${visible(path.join(dir, file))}), digits ${a} against ${b}`);
  out(`Started ${visible(record.startedAt)}, finished ${visible(record.finishedAt)} (${clock(record.seconds)})`);
  if (record.tags && record.tags.length > 0) out(`Tags: ${visible(record.tags.join(", "))}`);
  if (record.note) out(`Note: ${visible(record.note)}`);
  printSelection(record);
}

function compareFormat(flags: Flags): (typeof FORMATS)[number] {
  const format = flags.format === undefined ? (flags.json === true ? "json" : "table") : String(flags.format);
  if (!(FORMATS as readonly string[]).includes(format)) throw new InputError(`--format ${format}: expected one of ${FORMATS.join(", ")}`);
  if (flags.json === true && format !== "json") throw new InputError(`--json and --format ${format} disagree; give one of them`);
  return format as (typeof FORMATS)[number];
}

function compare({ dir, ids, flags }: Call): void {
  const format = compareFormat(flags);
  const found = ids.map((id) => findExperiment(id, dir).record);
  const baseline = typeof flags.baseline === "string" ? findExperiment(flags.baseline, dir).record : undefined;
  // A baseline not among the records compared joins them, first.
  const records = baseline && !found.some((r) => r.id === baseline.id) ? [baseline, ...found] : found;
  if (records.length < 2) throw new InputError("experiments compare: give at least 2 experiment ids (or one and --baseline ID)");
  const table = compareTable(records, { onlyChanged: flags["only-changed"] === true, baseline: baseline?.id });
  // JSON keeps compareExperiments' runs, rows and notes as before, and adds the table.
  if (format === "json") return void out(JSON.stringify({ ...compareExperiments(records), table }, null, 2));
  // Both end with a line feed, which out adds back.
  if (format === "md") return void out(compareMarkdown(table).slice(0, -1));
  if (format === "csv") return void out(compareCsv(table).slice(0, -1));
  const cells = compareCells(table);
  out(textTable(cells.header.map((h, i) => (i === 0 ? "setting / candidate" : h)), cells.rows));
  out(`\nMean over the folds of each candidate's validation metrics${table.baseline ? `; Δ = the record's value − ${visible(table.baseline)}'s` : ""}.`);
  if (flags["only-changed"] === true) out("Only the settings and candidates that differ between the records are shown.");
  for (const note of compareExperiments(records).notes) out(`Note: ${visible(note)}.`);
}

function note({ dir, ids }: Call): void {
  const [id, text] = ids;
  const record = annotateExperiment(id, { note: parseNote(text) }, dir);
  out(`${visible(record.id)}: note saved`);
}

function tag({ dir, ids }: Call): void {
  const [id, ...names] = ids;
  const tags = names.map(parseTag);
  const record = annotateExperiment(id, { tags }, dir);
  out(`${visible(record.id)}: tags ${visible((record.tags ?? []).join(", "))}`);
}

function remove({ dir, ids, json }: Call): void {
  // Resolve every id first: one bad id removes nothing. The same record named twice is removed (and told) once.
  const found = new Map(ids.map((id) => findRemovable(id, dir)).map((f) => [f.file, f]));
  const removed = removeExperiments([...found.keys()], dir);
  if (json) return void out(JSON.stringify({ removed }, null, 2));
  for (const f of found.values()) out(f.record ? `removed ${visible(f.record.id)} (${visible(path.join(dir, f.file))})` : `removed ${visible(path.join(dir, f.file))}, which could not be read (${visible(f.reason ?? "")})`);
  out(`${found.size === 1 ? "Its" : "Their"} folds stay in the cache: \`digits experiments prune\` drops the ones no record uses.`);
}

function prune({ dir, exists, json, force }: Call): void {
  const result: PruneResult = exists ? pruneCache(dir, { force }) : { kept: 0, removed: 0 };
  if (json) return void out(JSON.stringify(result, null, 2));
  const entries = (n: number) => `${n} entr${n === 1 ? "y" : "ies"}`;
  out(`fold cache ${visible(path.join(dir, "cache"))}: removed ${entries(result.removed)} no record uses, kept ${entries(result.kept)}`);
  // Counts of the same kept entries (a record may use some of them too), never of folds not trained yet.
  for (const run of result.running ?? []) out(`  of which ${run.keys} ${run.keys === 1 ? "is" : "are"} used by the selection running since ${visible(run.startedAt)} (pid ${run.pid} on ${visible(run.host)})`);
  for (const s of result.ignored ?? []) err(`--force: ignored ${visible(s.file)}, which ${visible(s.reason)}; the entries it used may be gone`);
}

const RUN: Record<Subcommand, { ids: [number, number]; run(call: Call): void }> = {
  list: { ids: [0, 0], run: list },
  show: { ids: [1, 1], run: show },
  compare: { ids: [1, Infinity], run: compare },
  note: { ids: [2, 2], run: note },
  tag: { ids: [2, Infinity], run: tag },
  remove: { ids: [1, Infinity], run: remove },
  prune: { ids: [0, 0], run: prune },
};

export const experimentsCommand: Command = {
  summary: "list, show, compare and remove selection records; prune the fold cache",
  usage: `Usage: digits experiments list [--tag NAME] [--records DIR] [--json]
       digits experiments show ID [--records DIR] [--json]
       digits experiments compare ID ID… [--only-changed] [--baseline ID] [--format table|md|csv|json] [--records DIR]
       digits experiments note ID "TEXT" [--records DIR]
       digits experiments tag ID NAME… [--records DIR]
       digits experiments remove ID… [--records DIR] [--json]
       digits experiments prune [--records DIR] [--force] [--json]

The records digits select writes (reports/experiments/ by default). An ID is the whole id or any
unique part of it: its start, as in git, or its random suffix (\`list\` shows the shortest handle).

  list      one row per record, oldest first: handle, id, start time, duration, pair, rows, grid,
            folds, epochs, winner, best mean log loss, folds reused/trained, tags, note
  show      a record's start, duration, tags and note, its per-candidate table and its winner
  compare   the records' settings (pair, data, grid, folds, epochs, …) and each candidate's mean
            validation log loss, accuracy and AUC, side by side; records on other data or another
            pair than the first are marked, as their scores do not compare
  note      sets a record's note (replacing an earlier one)
  tag       adds tags to a record (letters, digits, ".", "_", "-")
  remove    deletes records (their folds stay in the cache until prune), by id; a file named as
            a record that cannot be read is removed by its id too. A file that is not a record
            is never deleted
  prune     deletes the fold-cache entries that no record in the folder uses. It never deletes an
            entry a running \`digits select\` on the folder uses, and deletes nothing while a
            record in the folder cannot be read (remove it, or use --force)

Options:
  --records DIR     the records folder (default: reports/experiments in the project root)
  --tag NAME        list: only the records tagged NAME
  --only-changed    compare: only the settings and candidates that differ between the records
  --baseline ID     compare: each record's difference to this one for every metric (it joins
                    the comparison when not among the IDs)
  --format F        compare: table (default), md (a Markdown table), csv or json
  --force           prune even when some record cannot be read: its entries may be deleted
  --json            print JSON on stdout, nothing else
  -h, --help        show this help`,
  options: {
    records: { type: "string" },
    json: { type: "boolean" },
    force: { type: "boolean" },
    tag: { type: "string" },
    "only-changed": { type: "boolean" },
    baseline: { type: "string" },
    format: { type: "string" },
  },
  positionals: true,
  async run(flags, positionals = []) {
    const [sub, ...ids] = positionals;
    if (!SUBCOMMANDS.includes(sub as Subcommand)) {
      throw new InputError(`experiments: ${sub === undefined ? "no subcommand" : `unknown subcommand "${sub}"`}; expected one of ${SUBCOMMANDS.join(", ")} (see \`digits experiments --help\`)`);
    }
    const command = RUN[sub as Subcommand];
    const [min, max] = command.ids;
    if (sub === "note" && ids.length !== 2) throw new InputError('experiments note: give an experiment id and the note, e.g. digits experiments note 53cd "more epochs"');
    if (sub === "tag" && ids.length < 2) throw new InputError("experiments tag: give an experiment id and one or more tags, e.g. digits experiments tag 53cd baseline");
    if (ids.length < min) throw new InputError(`experiments ${sub}: give ${min === 1 ? "an experiment id" : `at least ${min} experiment ids`} (any unique part; \`digits experiments list\` shows them)`);
    if (ids.length > max) throw new InputError(`experiments ${sub}: takes ${max === 0 ? "no ids" : "one id"}, got ${ids.join(" ")}`);
    const only: [string, Subcommand][] = [["force", "prune"], ["tag", "list"], ["only-changed", "compare"], ["baseline", "compare"], ["format", "compare"]];
    for (const [flag, owner] of only) if (flags[flag] !== undefined && sub !== owner) throw new InputError(`experiments ${sub}: --${flag} is for ${owner} only`);
    command.run({ ...recordsDir(flags), ids, json: flags.json === true, force: flags.force === true, flags });
  },
};
