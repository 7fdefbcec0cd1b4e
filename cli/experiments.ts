// `digits experiments`: the selection records of a folder — list, show, compare, remove — and
// `prune` for the fold cache. An id may be given by any unique prefix, as in git; files that are
// not records are listed as skipped with the reason and never stop a command (but prune deletes
// nothing while one of them may be a record it cannot read).
import * as fs from "node:fs";
import * as path from "node:path";
import { experimentsDir, findExperiment, findRemovable, readExperiments, recordsFolderProblem, removeExperiments, type SkippedFile } from "../lib/selection/experiments";
import { compareExperiments } from "../lib/selection/compare";
import { pruneCache, type PruneResult } from "../lib/selection/prune";
import { InputError } from "../lib/core/errors";
import { textTable } from "../lib/core/format";
import { architectureName } from "../lib/model/model";
import { recordDigits } from "../lib/selection/latest-winner";
import type { ExperimentRecord } from "../lib/selection/record";
import { err, f4, out, type Command, type Flags } from "./common";
import { printSelection } from "./select";

const SUBCOMMANDS = ["list", "show", "compare", "remove", "prune"] as const;
type Subcommand = (typeof SUBCOMMANDS)[number];

/** What a subcommand is given: the records folder (exists: false for the default one before any select), ids, flags. */
interface Call {
  dir: string;
  exists: boolean;
  ids: string[];
  json: boolean;
  force: boolean;
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
  for (const s of skipped) err(`skipped ${s.file}: ${s.reason}`);
}

/** "layers × activations × learning rates" as list shows it. */
function grid(record: ExperimentRecord): string {
  const { config } = record;
  const parts = [config.grid.map((h) => architectureName(h)).join(" ")];
  if (config.activations.length > 1) parts.push(config.activations.join(","));
  if (config.learningRates.length > 1) parts.push(`lr ${config.learningRates.join(",")}`);
  return parts.join(" × ");
}

function listRow(record: ExperimentRecord) {
  const best = Math.min(...record.summary.map((s) => (Number.isFinite(s.meanLogLoss) ? s.meanLogLoss : Infinity)));
  return {
    id: record.id,
    date: record.startedAt,
    digits: recordDigits(record),
    rows: record.data.rows,
    grid: grid(record),
    folds: record.config.folds,
    epochs: record.config.epochs,
    winner: record.winner.architecture,
    bestLogLoss: Number.isFinite(best) ? best : null,
    seconds: record.seconds,
    cache: record.cache,
  };
}

function list({ dir, json }: Call): void {
  const { records, skipped } = readExperiments(dir);
  const rows = records.map((r) => listRow(r.record));
  if (json) return void out(JSON.stringify({ records: rows, skipped }, null, 2));
  reportSkipped(skipped, json);
  if (rows.length === 0) return void out(`no selection records in ${dir}; \`digits select\` writes one`);
  out(
    textTable(
      ["id", "date", "pair", "rows", "grid", "folds", "epochs", "winner", "best log loss", "seconds", "reused/trained"],
      rows.map((r) => [r.id, r.date.replace("T", " ").slice(0, 16), `${r.digits[0]},${r.digits[1]}`, r.rows.toLocaleString("en-US"), r.grid, r.folds, r.epochs, r.winner, r.bestLogLoss === null ? "–" : f4(r.bestLogLoss), r.seconds.toFixed(1), `${r.cache.reused}/${r.cache.trained}`]),
    ),
  );
}

function show({ dir, ids, json }: Call): void {
  const { record, file } = findExperiment(ids[0], dir);
  if (json) return void out(JSON.stringify(record, null, 2));
  const [a, b] = recordDigits(record);
  out(`Record ${record.id} (${path.join(dir, file)}), ${record.startedAt}, digits ${a} against ${b}`);
  printSelection(record);
}

function compare({ dir, ids, json }: Call): void {
  const records = ids.map((id) => findExperiment(id, dir).record);
  const comparison = compareExperiments(records);
  if (json) return void out(JSON.stringify(comparison, null, 2));
  out(
    textTable(
      ["candidate", "params", ...comparison.runs.map((r) => `${r.id} (${r.digits[0]},${r.digits[1]}; ${r.folds}×${r.epochs})`)],
      comparison.rows.map((row) => [
        row.candidate,
        row.parameters.toLocaleString("en-US"),
        ...row.logLoss.map((v, i) => (v === null ? "–" : `${f4(v)}${comparison.runs[i].winner === row.candidate ? " *" : ""}`)),
      ]),
    ),
  );
  out("\nMean validation log loss per candidate (* = that record's winner).");
  for (const note of comparison.notes) out(`Note: ${note}.`);
}

function remove({ dir, ids, json }: Call): void {
  // Resolve every id first: one bad id removes nothing. The same record named twice is removed (and told) once.
  const found = new Map(ids.map((id) => findRemovable(id, dir)).map((f) => [f.file, f]));
  const removed = removeExperiments([...found.keys()], dir);
  if (json) return void out(JSON.stringify({ removed }, null, 2));
  for (const f of found.values()) out(f.record ? `removed ${f.record.id} (${path.join(dir, f.file)})` : `removed ${path.join(dir, f.file)}, which could not be read (${f.reason})`);
  out(`${found.size === 1 ? "Its" : "Their"} folds stay in the cache: \`digits experiments prune\` drops the ones no record uses.`);
}

function prune({ dir, exists, json, force }: Call): void {
  const result: PruneResult = exists ? pruneCache(dir, { force }) : { kept: 0, removed: 0 };
  if (json) return void out(JSON.stringify(result, null, 2));
  const entries = (n: number) => `${n} entr${n === 1 ? "y" : "ies"}`;
  out(`fold cache ${path.join(dir, "cache")}: removed ${entries(result.removed)} no record uses, kept ${result.kept}`);
  for (const run of result.running ?? []) out(`kept the ${entries(run.keys)} of the selection running since ${run.startedAt} (pid ${run.pid} on ${run.host})`);
  for (const s of result.ignored ?? []) err(`--force: ignored ${s.file}, which cannot be read (${s.reason}); the entries it used may be gone`);
}

const RUN: Record<Subcommand, { ids: [number, number]; run(call: Call): void }> = {
  list: { ids: [0, 0], run: list },
  show: { ids: [1, 1], run: show },
  compare: { ids: [2, Infinity], run: compare },
  remove: { ids: [1, Infinity], run: remove },
  prune: { ids: [0, 0], run: prune },
};

export const experimentsCommand: Command = {
  summary: "list, show, compare and remove selection records; prune the fold cache",
  usage: `Usage: digits experiments list [--records DIR] [--json]
       digits experiments show ID [--records DIR] [--json]
       digits experiments compare ID ID… [--records DIR] [--json]
       digits experiments remove ID… [--records DIR] [--json]
       digits experiments prune [--records DIR] [--force] [--json]

The records digits select writes (reports/experiments/ by default). An ID is any unique prefix
of a record's id, as in git (\`digits experiments list\` shows them).

  list      one row per record, oldest first: id, date, pair, rows, grid, folds, epochs, winner,
            best mean log loss, seconds, folds reused/trained from the cache
  show      a record's per-candidate table and its winner with the reason, as select prints them
  compare   the candidates' mean validation log loss side by side; records on other data or
            another pair than the first are marked, as their scores do not compare
  remove    deletes records (their folds stay in the cache until prune); a .json file that cannot
            be read as a record is removed by the start of its name
  prune     deletes the fold-cache entries that no record in the folder uses. It never deletes an
            entry a running \`digits select\` on the folder uses, and deletes nothing while a
            record in the folder cannot be read (remove it, or use --force)

Options:
  --records DIR   the records folder (default: reports/experiments in the project root)
  --force         prune even when some record cannot be read: its entries may be deleted
  --json          print JSON on stdout, nothing else
  -h, --help      show this help`,
  options: { records: { type: "string" }, json: { type: "boolean" }, force: { type: "boolean" } },
  positionals: true,
  async run(flags, positionals = []) {
    const [sub, ...ids] = positionals;
    if (!SUBCOMMANDS.includes(sub as Subcommand)) {
      throw new InputError(`experiments: ${sub === undefined ? "no subcommand" : `unknown subcommand "${sub}"`}; expected one of ${SUBCOMMANDS.join(", ")} (see \`digits experiments --help\`)`);
    }
    const command = RUN[sub as Subcommand];
    const [min, max] = command.ids;
    if (ids.length < min) throw new InputError(`experiments ${sub}: give ${min === 1 ? "an experiment id" : `at least ${min} experiment ids`} (any unique prefix; \`digits experiments list\` shows them)`);
    if (ids.length > max) throw new InputError(`experiments ${sub}: takes ${max === 0 ? "no ids" : "one id"}, got ${ids.join(" ")}`);
    if (flags.force === true && sub !== "prune") throw new InputError(`experiments ${sub}: --force is for prune only`);
    command.run({ ...recordsDir(flags), ids, json: flags.json === true, force: flags.force === true });
  },
};
