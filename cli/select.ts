// `digits select`: cross-validates a grid of candidates (lib/selection), with
// progress on stderr, and prints the table and the winner; printSelection is shared with `digits experiments show`.
import { describeDropped } from "../lib/data/dataset";
import { recordPair } from "../lib/selection/latest-winner";
import { clock, formatDuration, percentBar, textTable, visible } from "../lib/core/format";
import { ACTIVATIONS, architectureName } from "../lib/model/model";
import { runExperiment } from "../lib/selection/run-experiment";
import { DEFAULT_GRID, DEFAULT_SELECTION_CONFIG, parseLayers } from "../lib/selection/config";
import { defaultThreads } from "../lib/core/pool";
import { type ExperimentRecord } from "../lib/selection/record";
import { annotateExperiment, recordsFolderFiles } from "../lib/selection/experiments";
import { parseNote, parseTag } from "../lib/selection/notes";
import { startedByNpm, watchParent } from "../lib/selection/queue/parent";
import { InputError } from "../lib/core/errors";
import { type SelectionProgress } from "../lib/selection/select";
import { formatLoss } from "../lib/model/train";
import { COMPARISON_USAGE, RACE_USAGE, comparisonFlags, printComparisons, raceFlags } from "./real-differences";
import { raceMark } from "../lib/notebook/real-differences";
import { pastStopsClause } from "../lib/notebook/sources";
import { progressOnStderr } from "./progress";
import { type Command, type Flags, out, err, num, activation, list, trainingFlags, outputFile, checkOutput, writeOutput, f4, TRAINING_OPTIONS, THREADS_OPTIONS, threadsFlag, dataFlagsHelp } from "./common";

/** "fold 2/5", and "of repeat 2/3" with --repeats. */
const foldText = (p: SelectionProgress) => `fold ${p.fold + 1}/${p.folds}${(p.repeats ?? 1) > 1 ? ` of repeat ${(p.repeat ?? 0) + 1}/${p.repeats}` : ""}`;

function selectionProgress(quiet: boolean): { onProgress: (p: SelectionProgress) => void; note: (line: string) => void; done: () => void } {
  return progressOnStderr<SelectionProgress>(quiet, {
    line: (p, remaining) =>
      `${percentBar(p.fraction, { ascii: true })} ${p.candidate} ${foldText(p)} epoch ${p.epoch}/${p.epochs}  elapsed ${clock(p.elapsedSeconds)}  remaining ${remaining}`,
    skippable: (p) => p.kind === "epoch",
    logged(p, remaining) {
      if (p.kind !== "fold" || !p.result) return null;
      const where = `[${p.foldsDone}/${p.foldsTotal}] ${p.candidate} ${foldText(p)}`;
      const clocks = `elapsed ${clock(p.elapsedSeconds)}, remaining ~${remaining}`;
      const d = p.result.diverged;
      if (d) return `${where}: diverged at epoch ${d.epoch} (mean training loss ${formatLoss(d.loss)}), not scored; ${clocks}`;
      return `${where}: validation log loss ${f4(p.result.logLoss)}, accuracy ${f4(p.result.accuracy)} (${formatDuration(p.result.seconds)}); ${clocks}`;
    },
  });
}

/** --folds: a whole number ≥ 2, the same rule (and words) for 0, 1 or "abc". */
function foldsFlag(flags: Flags): number {
  const v = flags.folds;
  if (v === undefined) return DEFAULT_SELECTION_CONFIG.folds;
  const folds = Number(String(v).trim());
  if (String(v).trim() === "" || !Number.isInteger(folds) || folds < 2) {
    throw new InputError(`--folds "${v}": expected a whole number ≥ 2 (each fold is held out once, and trained on the others)`);
  }
  return folds;
}

export function printSelection(record: ExperimentRecord): void {
  // The column appears only when a candidate diverged, so the usual table stays as it was.
  const anyDiverged = record.summary.some((s) => (s.divergedFolds ?? 0) > 0);
  const rows = record.summary.map((s) => [
    s.architecture + (s.architecture === record.winner.architecture ? " *" : ""),
    s.parameters.toLocaleString("en-US"),
    `${f4(s.meanLogLoss)} ± ${f4(s.sdLogLoss)}`,
    f4(s.seLogLoss),
    `${f4(s.meanAccuracy)} ± ${f4(s.sdAccuracy)}`,
    f4(s.meanPrecision),
    f4(s.meanRecall),
    f4(s.meanF1),
    f4(s.meanAuc),
    s.meanSeconds.toFixed(1),
    ...(anyDiverged ? [(s.divergedFolds ?? 0) > 0 ? `${s.divergedFolds}/${s.folds} folds` : ""] : []),
    ...(record.config.race ? [raceMark(record.config, s)] : []),
  ]);
  const { config } = record;
  const race = config.race ? `; raced (a candidate stopped once P(worse) on log loss ≥ ${config.race.confidence}, from ${config.race.minFolds} folds on)` : "";
  const [a, b] = recordPair(record);
  const variesActivation = config.activations.length > 1;
  const variesRate = config.learningRates.length > 1;
  out(
    `${config.folds}-fold cross-validation${(config.repeats ?? 1) > 1 ? ` repeated ${config.repeats} times (${config.folds * config.repeats} folds; SE corrected for their overlap)` : ""} of ${a} against ${b} on ${record.data.rows.toLocaleString("en-US")} rows (${record.data.source === null ? "in memory" : visible(record.data.source)}), ` +
      `${config.epochs} epoch${config.epochs === 1 ? "" : "s"}, batch ${config.batchSize}, learning rate ${config.learningRates.join(", ")}, ${config.activations.join(", ")}, seed ${config.seed}; ` +
      `${record.workers} thread${record.workers === 1 ? "" : "s"}, ${formatDuration(record.seconds)}; ` +
      `${record.cache.reused + record.cache.trained} fold runs: ${record.cache.reused} reused, ${record.cache.trained} trained${pastStopsClause(record.cache)}${race}`,
  );
  out();
  const header = [variesActivation || variesRate ? "candidate" : "architecture", "params", "log loss (mean ± sd)", "SE", "accuracy (mean ± sd)", "precision", "recall", "F1", "AUC", "s/fold"];
  out(textTable([...header, ...(anyDiverged ? ["diverged"] : []), ...(config.race ? ["race"] : [])], rows));
  out();
  printComparisons(record);
  out();
  const w = record.winner;
  out(`Winner${w.rule === "equivalent" ? " (rule: equivalent)" : ""}: ${visible(w.architecture)} (hidden ${JSON.stringify(w.hidden)}, ${w.hidden.length > 0 ? `${w.activation}, ` : ""}learning rate ${w.learningRate}). ${visible(w.reason)}`);
}

export const selectCommand: Command = {
  summary: "cross-validate a grid of candidates (layer sizes × activations × learning rates) and pick one by the one-SE rule",
  usage: `Usage: digits select [--data FILE] [--digits A,B] [--layers SIZES]... [--folds K]
                     [--epochs N] [--batch-size N] [--learning-rate X,…] [--activation NAME,…]
                     [--repeats R] [--rope X[,Y]] [--rule one-se|equivalent]
                     [--race [--race-min-folds N] [--race-confidence P]]
                     [--seed N] [--threads N] [--queue URL [--wait-timeout S]] [--no-cache]
                     [--out FILE] [--records DIR] [--json] [--quiet] [--note TEXT] [--tag NAME]...

Stratified k-fold cross-validation of each candidate (every --layers × --activation ×
--learning-rate); per candidate the mean and sd of accuracy, precision, recall, F1, log loss and
AUC; the winner is the smallest network whose mean validation log loss is within one standard
error of the best (ties in size: the lower log loss; or see --rule). Under the scores, "which
differences are real": each candidate against the best on accuracy and log loss, by the
corrected resampled t-test and the Bayesian correlated t-test. Writes one JSON record to
reports/experiments/. The same seed gives the same numbers with any number of threads.
Every fold run is kept in the records folder's cache/ under the hash of what determines it
(data, pair, candidate, folds, seed, training kernels): a rerun, a grid with one more candidate or
a run that was killed trains only the folds it does not have yet, with the same numbers.
With --race the folds run in rounds and a candidate surely worse than the best stops early; the
table says where. Its finished folds stay in the cache: a later run without --race trains only
the folds the race skipped, and the same --race run again trains nothing.

Options:
${dataFlagsHelp(24)}
  --layers SIZES        hidden layer sizes, e.g. 25,15; "none" (or "") is logistic regression;
                        repeat for each architecture (default grid: ${DEFAULT_GRID.map((h) => architectureName(h)).join(", ")})
  --folds K             folds, at least 2 (default ${DEFAULT_SELECTION_CONFIG.folds})
  --epochs N            epochs per fold (default ${DEFAULT_SELECTION_CONFIG.epochs})
  --batch-size N        default ${DEFAULT_SELECTION_CONFIG.batchSize}
  --learning-rate X,…    Adam's learning rate; a comma list tries each (default ${DEFAULT_SELECTION_CONFIG.learningRate})
  --activation NAME,…   hidden units: ${ACTIVATIONS.join(", ")}; a comma list tries each
                        (default ${DEFAULT_SELECTION_CONFIG.activation})
${COMPARISON_USAGE}
${RACE_USAGE}
  --seed N              folds, weights and shuffling (default ${DEFAULT_SELECTION_CONFIG.seed})
  --threads N           threads to train on (default: one per core, here ${defaultThreads()}; 1 = this
                        thread only; more than the cores or memory allow is capped, with a line;
                        --workers N, its old name, works too)
  --queue URL           train the folds on \`digits worker\` processes through Redis instead
                        (redis://[:PASSWORD@]HOST:PORT[/DB]); same numbers, see the README;
                        --queue env takes the URL from DIGITS_QUEUE_URL, which keeps a
                        password out of the command line (where \`ps\` shows it to all)
  --wait-timeout S      with --queue: stop (exit 2) when no worker has taken any fold for S
                        seconds (default: wait; every 30 s a line says the folds are waiting)
  --no-cache            train every fold again (the fresh results replace the cached ones; with
                        --queue, results finished in Redis are not taken either)
  --out FILE            also write a copy of the record to FILE
  --note TEXT           a note on the run, kept in its record (\`digits experiments list\` shows it)
  --tag NAME            a tag on the run (repeatable; \`digits experiments list --tag NAME\` finds it)
  --records DIR         where the record goes (default: reports/experiments in the project root);
                        its fold cache is DIR/cache
  --json                print the record as JSON on stdout, nothing else
  --quiet               no progress on stderr
  -h, --help            show this help`,
  options: {
    ...TRAINING_OPTIONS,
    layers: { type: "string", multiple: true },
    folds: { type: "string" },
    repeats: { type: "string" },
    rope: { type: "string" },
    rule: { type: "string" },
    race: { type: "boolean" },
    "race-min-folds": { type: "string" },
    "race-confidence": { type: "string" },
    ...THREADS_OPTIONS,
    queue: { type: "string" },
    "wait-timeout": { type: "string" },
    "no-cache": { type: "boolean" },
    out: { type: "string" },
    json: { type: "boolean" },
    note: { type: "string" },
    tag: { type: "string", multiple: true },
  },
  async run(flags) {
    const layers = flags.layers as string[] | undefined;
    const grid = layers && layers.length > 0 ? layers.map(parseLayers) : DEFAULT_GRID.map((h) => [...h]);
    const activations = list(flags, "activation", DEFAULT_SELECTION_CONFIG.activation, (one) => activation(one, DEFAULT_SELECTION_CONFIG.activation));
    const learningRates = list(flags, "learning-rate", DEFAULT_SELECTION_CONFIG.learningRate, (one) => num(one, "learning-rate", 0, "positive"));
    const { data, pair, records, activation: _activation, learningRate: _learningRate, ...training } = trainingFlags(
      { ...flags, activation: undefined, "learning-rate": undefined },
      DEFAULT_SELECTION_CONFIG,
    );
    const folds = foldsFlag(flags);
    const { repeats, rope, rule } = comparisonFlags(flags);
    const race = raceFlags(flags);
    const threads = threadsFlag(flags);
    const copy = outputFile(flags, "out", [data]);
    checkOutput("records", records, { files: recordsFolderFiles(records), inputs: [data] });
    // Checked before any training, written into the record once it is saved.
    const annotation = { note: typeof flags.note === "string" ? parseNote(flags.note) : undefined, tags: ((flags.tag as string[] | undefined) ?? []).map(parseTag) };

    // Before loading the data: an unreachable Redis is a quick exit 2 with how to start one.
    const waitTimeoutSeconds = flags["wait-timeout"] === undefined ? undefined : num(flags, "wait-timeout", 0, "positive");
    if (waitTimeoutSeconds !== undefined && typeof flags.queue !== "string") throw new InputError("--wait-timeout needs --queue: it is how long to wait for queue workers");
    const queue =
      typeof flags.queue === "string"
        ? await (require("../lib/selection/queue/coordinator") as typeof import("../lib/selection/queue/coordinator")).checkedQueueOptions(flags.queue, { log: flags.quiet === true ? undefined : (line) => err(visible(line)), warn: (message) => err(`warning: ${visible(message)}`), waitTimeoutSeconds })
        : undefined;
    const progress = selectionProgress(flags.quiet === true);
    const abort = new AbortController();
    const onSignal = () => abort.abort();
    process.once("SIGINT", onSignal);
    process.once("SIGTERM", onSignal);
    // npx's shell does not pass SIGTERM on: a coordinator started through npm stops when npm is gone.
    const unwatch = queue && startedByNpm() ? watchParent(() => abort.abort(new Error("npm, which started this run, is gone: model selection cancelled"))) : () => undefined;
    let record: ExperimentRecord;
    let file: string;
    let dropped: { digit: number; rows: number }[];
    try {
      ({ record, path: file, dropped } = await runExperiment({
        ...training,
        grid,
        activations,
        learningRates,
        folds,
        repeats,
        rope,
        rule,
        ...(race ? { race } : {}),
        threads,
        data,
        pair,
        dir: records,
        signal: abort.signal,
        onProgress: progress.onProgress,
        reuse: flags["no-cache"] !== true,
        onStart: (plan) => {
          if (flags.quiet === true) return;
          if (plan.race) err(`${plan.folds} fold runs at most: ${plan.reused} in the cache, up to ${plan.trained} to train (the race stops candidates early)`);
          else err(`${plan.folds} fold runs: ${plan.reused} reused, ${plan.trained} to train`);
        },
        onCacheWarning: (message) => err(`warning: ${visible(message)}`),
        onRaceStop: (name, stop) => progress.note(`race: ${visible(name)} ${raceMark({ folds, repeats }, { stopped: stop })}`),
        ...(queue ? { queue } : {}),
      }));
    } finally {
      progress.done();
      unwatch();
      process.removeListener("SIGINT", onSignal);
      process.removeListener("SIGTERM", onSignal);
    }
    if (annotation.note !== undefined || annotation.tags.length > 0) record = annotateExperiment(record.id, annotation, records);
    if (copy) writeOutput(copy, JSON.stringify(record, null, 2) + "\n");
    if (flags.json) {
      out(JSON.stringify(record, null, 2));
      return;
    }
    printSelection(record);
    if (record.queue) out(`Queue: ${record.queue.remote} folds trained through ${visible(record.queue.url)} by ${visible(record.queue.workers.join(", ")) || "no worker"}`);
    if (dropped.length > 0) out(`${visible(data)}: ${describeDropped(dropped)}`);
    out(`Record: ${visible(file)}${copy ? ` (copy: ${visible(copy)})` : ""}`);
  },
};

