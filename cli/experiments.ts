// `digits experiments`: the selection records of a folder — list, show, compare, remove — and
// `prune` for the fold cache. An id may be given by any unique prefix, as in git; files that are
// not records are listed as skipped with the reason and never stop a command.
import * as path from "node:path";
import { compareExperiments, experimentsDir, findExperiment, pruneCache, readExperiments, removeExperiments, type SkippedFile } from "../lib/selection/experiments";
import { InputError } from "../lib/core/errors";
import { textTable } from "../lib/core/format";
import { architectureName } from "../lib/model/model";
import { recordDigits } from "../lib/selection/latest-winner";
import type { ExperimentRecord } from "../lib/selection/record";
import { err, f4, out, type Command, type Flags } from "./common";
import { printSelection } from "./select";

const SUBCOMMANDS = ["list", "show", "compare", "remove", "prune"] as const;
type Subcommand = (typeof SUBCOMMANDS)[number];

function recordsDir(flags: Flags): string {
  return typeof flags.records === "string" ? path.resolve(flags.records) : experimentsDir();
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

export const experimentsCommand: Command = {
  summary: "list, show, compare and remove selection records; prune the fold cache",
  usage: `Usage: digits experiments list [--records DIR] [--json]
       digits experiments show ID [--records DIR] [--json]
       digits experiments compare ID ID… [--records DIR] [--json]
       digits experiments remove ID… [--records DIR] [--json]
       digits experiments prune [--records DIR] [--json]

The records digits select writes (reports/experiments/ by default). An ID is any unique prefix
of a record's id, as in git (\`digits experiments list\` shows them).

  list      one row per record, oldest first: id, date, pair, rows, grid, folds, epochs, winner,
            best mean log loss, seconds, folds reused/trained from the cache
  show      a record's per-candidate table and its winner with the reason, as select prints them
  compare   the candidates' mean validation log loss side by side; records on other data or
            another pair than the first are marked, as their scores do not compare
  remove    deletes records (their folds stay in the cache until prune)
  prune     deletes the fold-cache entries that no record in the folder uses

Options:
  --records DIR   the records folder (default: reports/experiments in the project root)
  --json          print JSON on stdout, nothing else
  -h, --help      show this help`,
  options: { records: { type: "string" }, json: { type: "boolean" } },
  positionals: true,
  async run(flags, positionals = []) {
    const [sub, ...ids] = positionals;
    if (!SUBCOMMANDS.includes(sub as Subcommand)) {
      throw new InputError(`experiments: ${sub === undefined ? "no subcommand" : `unknown subcommand "${sub}"`}; expected one of ${SUBCOMMANDS.join(", ")} (see \`digits experiments --help\`)`);
    }
    const dir = recordsDir(flags);
    const json = flags.json === true;
    const wantIds = (min: number, max: number) => {
      if (ids.length < min) throw new InputError(`experiments ${sub}: give ${min === 1 ? "an experiment id" : `at least ${min} experiment ids`} (any unique prefix; \`digits experiments list\` shows them)`);
      if (ids.length > max) throw new InputError(`experiments ${sub}: takes ${max === 0 ? "no ids" : "one id"}, got ${ids.join(" ")}`);
    };
    switch (sub as Subcommand) {
      case "list": {
        wantIds(0, 0);
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
        return;
      }
      case "show": {
        wantIds(1, 1);
        const { record, file } = findExperiment(ids[0], dir);
        if (json) return void out(JSON.stringify(record, null, 2));
        const [a, b] = recordDigits(record);
        out(`Record ${record.id} (${path.join(dir, file)}), ${record.startedAt}, digits ${a} against ${b}`);
        printSelection(record);
        return;
      }
      case "compare": {
        wantIds(2, Infinity);
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
        return;
      }
      case "remove": {
        wantIds(1, Infinity);
        // Resolve every id first: one bad id removes nothing.
        const found = ids.map((id) => findExperiment(id, dir));
        const removed = removeExperiments(found.map((f) => f.file), dir);
        if (json) return void out(JSON.stringify({ removed }, null, 2));
        for (const f of found) out(`removed ${f.record.id} (${path.join(dir, f.file)})`);
        out("Its folds stay in the cache: `digits experiments prune` drops the ones no record uses.");
        return;
      }
      case "prune": {
        wantIds(0, 0);
        const result = pruneCache(dir);
        if (json) return void out(JSON.stringify(result, null, 2));
        out(`fold cache ${path.join(dir, "cache")}: removed ${result.removed} entr${result.removed === 1 ? "y" : "ies"} no record uses, kept ${result.kept}`);
        return;
      }
    }
  },
};
