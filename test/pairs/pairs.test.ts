// The pairs map (lib/pairs/) and `digits pairs`, on the synthetic IDX files of ./synthetic: every
// pair but 8 vs 9 is separable by one pixel; 8 vs 9 cannot be told apart at all, so its accuracy
// is a coin toss whatever the model learns.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, test } from "node:test";
import { pairsFigure } from "../../lib/charts/pairs";
import { allPairs, resolvePairsConfig } from "../../lib/pairs/config";
import { digitRows, pairRows } from "../../lib/pairs/images";
import { pairRankSentence, rankPairs } from "../../lib/pairs/ranking";
import { runPairs } from "../../lib/pairs/run";
import type { PairResult } from "../../lib/pairs/score-pair";
import { scorePairs } from "../../lib/pairs/score-pairs";
import { envPair } from "../../lib/notebook/params";
import { runDigitsHere, type CliRun } from "../support/cli";
import { LEARN, PER_DIGIT, syntheticImages, writeIdx } from "./synthetic";

let work = "";
let idx = { images: "", labels: "" };

before(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), "digits-pairs-"));
  idx = writeIdx(work, syntheticImages());
});

after(() => fs.rmSync(work, { recursive: true, force: true }));

describe("sampling the images of a pair", () => {
  const labels = Uint8Array.from([3, 5, 3, 7, 5, 3, 3, 5]);

  test("all images of a digit, in source order, when there is no sample size", () => {
    assert.deepEqual([...digitRows(labels, 3, null, 13)], [0, 2, 5, 6]);
    assert.deepEqual([...pairRows(labels, [5, 3], null, 13)], [0, 1, 2, 4, 5, 6, 7]);
  });

  test("a seeded sample is a sorted subset of the digit's images, the same in every pair it is in", () => {
    const sample = [...digitRows(labels, 3, 2, 13)];
    assert.equal(sample.length, 2);
    assert.deepEqual(sample, [...sample].sort((a, b) => a - b));
    for (const row of sample) assert.equal(labels[row], 3);
    assert.deepEqual([...digitRows(labels, 3, 2, 13)], sample);
    const withFive = [...pairRows(labels, [3, 5], 2, 13)].filter((r) => labels[r] === 3);
    const withSeven = [...pairRows(labels, [3, 7], 2, 13)].filter((r) => labels[r] === 3);
    assert.deepEqual(withFive, sample);
    assert.deepEqual(withSeven, sample);
  });
});

describe("scoring every pair", () => {
  let results: PairResult[] = [];

  before(async () => {
    results = await scorePairs(syntheticImages(), resolvePairsConfig({ ...LEARN, folds: 3 }), { threads: 1 });
  });

  test("gives the 45 pairs in order 0-1, 0-2, …, 8-9, each on both digits' images", () => {
    assert.deepEqual(results.map((r) => r.digits), allPairs());
    assert.equal(results.length, 45);
    for (const r of results) {
      assert.equal(r.rows, 2 * PER_DIGIT);
      assert.deepEqual(r.counts, [PER_DIGIT, PER_DIGIT]);
      assert.equal(r.folds.length, 3);
      assert.equal(r.folds.reduce((s, f) => s + f.rows, 0), 2 * PER_DIGIT);
    }
  });

  test("pairs told apart by a pixel are learnt perfectly; 8 vs 9, drawn alike, is a coin toss and the hardest", () => {
    for (const r of results.filter((r) => r.digits.join() !== "8,9")) assert.equal(r.accuracy, 1, `${r.digits}`);
    const same = results.find((r) => r.digits.join() === "8,9")!;
    // Identical images get one probability, so each fold is all one class: its 20 of 40 right.
    assert.equal(same.accuracy, 0.5);
    assert.ok(same.logLoss >= Math.log(2) - 0.01, `log loss ${same.logLoss} of a pair with no signal is about ln 2 or more`);
    assert.deepEqual(rankPairs(results).at(-1)!.digits, [8, 9]);
  });

  test("threads give the same numbers as one thread", async () => {
    const parallel = await scorePairs(syntheticImages(), resolvePairsConfig({ ...LEARN, folds: 3 }), { threads: 2, pairs: [[0, 1], [8, 9], [2, 7]] });
    const serial = [[0, 1], [8, 9], [2, 7]].map((p) => results.find((r) => r.digits.join() === p.join())!);
    assert.deepEqual(parallel.map(({ seconds, ...r }) => r), serial.map(({ seconds, ...r }) => r));
  });

  test("a throw in a progress handler ends a threaded run with that error", async () => {
    const stop = new Error("the progress display broke");
    let calls = 0;
    const onProgress = () => {
      calls++;
      throw stop;
    };
    await assert.rejects(scorePairs(syntheticImages(), resolvePairsConfig({ ...LEARN, folds: 3 }), { threads: 2, onProgress }), (error) => error === stop);
    // The first throw ended the run: no later report reached the handler.
    assert.equal(calls, 1);
  });

  test("a digit without enough images for the folds is a user error naming it", async () => {
    const images = syntheticImages();
    const few = { ...images, labels: images.labels.map((d, i) => (d === 7 && i > 30 ? 6 : d)) };
    await assert.rejects(scorePairs(few, resolvePairsConfig({ folds: 5 }), { threads: 1 }), /digit 7 has 3 images; 5-fold cross-validation needs at least 5/);
  });
});

describe("where a pair ranks", () => {
  // Accuracy falls with a + b, so 0 vs 1 is the easiest and 8 vs 9 the hardest.
  const pairs = allPairs().map(([a, b]) => ({ digits: [a, b] as [number, number], accuracy: 1 - (a + b) / 100, logLoss: (a + b) / 10 + a / 1000 }));

  test("ranks by accuracy, then by log loss", () => {
    const ranked = rankPairs(pairs);
    assert.deepEqual(ranked[0].digits, [0, 1]);
    assert.deepEqual(ranked.at(-1)!.digits, [8, 9]);
    // 0 vs 3 and 1 vs 2 have the same accuracy (0.97); 0 vs 3 has the lower log loss.
    const i03 = ranked.findIndex((p) => p.digits.join() === "0,3");
    assert.deepEqual(ranked[i03 + 1].digits, [1, 2]);
  });

  test("the sentence names the pair in the order given and its place among the 45", () => {
    assert.equal(pairRankSentence(pairs, [0, 1]), "0 vs 1 is the easiest of the 45 pairs (99.00% cross-validated accuracy); the hardest is 8 vs 9 (83.00%).");
    assert.equal(pairRankSentence(pairs, [9, 8]), "9 vs 8 is the hardest of the 45 pairs (83.00% cross-validated accuracy); the easiest is 0 vs 1 (99.00%).");
    // Only 0 vs 1 (sum 1) beats 0 vs 2 (sum 2); only 8 vs 9 (sum 17) is worse than 7 vs 9 (sum 16).
    assert.match(pairRankSentence(pairs, [0, 2]), /^0 vs 2 is the 2nd easiest of the 45 pairs \(98\.00% /);
    assert.match(pairRankSentence(pairs, [9, 7]), /^9 vs 7 is the 2nd hardest of the 45 pairs \(84\.00% .*the easiest is 0 vs 1 \(99\.00%\), the hardest 8 vs 9 \(83\.00%\)\.$/);
    assert.match(pairRankSentence(pairs, [4, 5]), / of the 45 pairs /);
    assert.throws(() => pairRankSentence(pairs.slice(1), [0, 1]), /pair 0 vs 1 is not among the 44 pairs/);
  });
});

// The notebook marks the pair of DIGITS_PAIR; only what the map relies on is checked here.
describe("DIGITS_PAIR (envPair)", () => {
  test("is 0,1 by default and keeps the order given", () => {
    assert.deepEqual(envPair({}), [0, 1]);
    assert.deepEqual(envPair({ DIGITS_PAIR: "4,9" }), [4, 9]);
    assert.deepEqual(envPair({ DIGITS_PAIR: "9,4" }), [9, 4]);
  });

  test("anything but two distinct digits is a user error naming the variable", () => {
    for (const value of ["4", "4,4", "10,1", "a,b", "4,9,1"]) assert.throws(() => envPair({ DIGITS_PAIR: value }), /DIGITS_PAIR/, value);
  });
});

describe("pairsFigure", () => {
  const pairs = allPairs().map(([a, b]) => ({ digits: [a, b] as [number, number], accuracy: 1 - (a + b) / 1000, logLoss: 0.01 * (a + b) }));

  test("is a symmetric 10 × 10 heatmap of error in %, empty on the diagonal", () => {
    const figure = pairsFigure(pairs, [4, 9]);
    assert.equal(figure.data.length, 1);
    const [heatmap] = figure.data;
    assert.equal(heatmap.type, "heatmap");
    const z = heatmap.z as (number | null)[][];
    assert.equal(z.length, 10);
    for (const row of z) assert.equal(row.length, 10);
    for (let d = 0; d < 10; d++) assert.equal(z[d][d], null);
    // 2 vs 7: accuracy 1 - 9/1000 = 0.991, error 0.9%.
    assert.equal(z[2][7], 0.9);
    assert.equal(z[7][2], 0.9);
    assert.equal(z[0][1], 0.1);
    assert.equal(z[9][8], 1.7);
    assert.deepEqual((heatmap.customdata as unknown[][])[7][2], [0.991, 0.09]);
  });

  test("outlines the chosen pair in both of its cells and names it in the title", () => {
    const figure = pairsFigure(pairs, [4, 9]);
    const shapes = figure.layout.shapes as { x0: number; x1: number; y0: number; y1: number; line: { color: string } }[];
    assert.deepEqual(
      shapes.map(({ x0, x1, y0, y1 }) => [x0, x1, y0, y1]),
      [
        [8.5, 9.5, 3.5, 4.5], // row 4, column 9
        [3.5, 4.5, 8.5, 9.5], // row 9, column 4
      ],
    );
    for (const s of shapes) assert.equal(s.line.color, "#1f77b4");
    assert.match((figure.layout.title as { text: string }).text, /outlined: 4 vs 9$/);
  });

  test("a pair missing from the results leaves its cells empty", () => {
    const z = pairsFigure(pairs.slice(1), [0, 1]).data[0].z as (number | null)[][];
    assert.equal(z[0][1], null);
    assert.equal(z[1][0], null);
  });
});

describe("the record", () => {
  const options = (dir: string) => ({ ...idx, ...LEARN, dir, threads: 1 });

  test("is written once, reused while data and settings are unchanged, and recomputed on --force", async () => {
    const dir = path.join(work, "records-reuse");
    const first = await runPairs(options(dir));
    assert.equal(first.reused, false);
    assert.deepEqual(fs.readdirSync(dir), [`${first.record.key}.json`]);
    assert.equal(first.record.pairs.length, 45);

    const second = await runPairs(options(dir));
    assert.equal(second.reused, true);
    assert.equal(second.path, first.path);
    assert.deepEqual(second.record, first.record);

    const forced = await runPairs({ ...options(dir), force: true });
    assert.equal(forced.reused, false);
    assert.equal(forced.record.key, first.record.key);
    assert.notEqual(forced.record.createdAt, first.record.createdAt);
    assert.deepEqual(fs.readdirSync(dir), [`${first.record.key}.json`]);
    assert.deepEqual(JSON.parse(fs.readFileSync(first.path, "utf8")).createdAt, forced.record.createdAt);
  });

  test("is not reused when a setting or the data changes", async () => {
    const dir = path.join(work, "records-change");
    const base = await runPairs(options(dir));
    const moreEpochs = await runPairs({ ...options(dir), epochs: LEARN.epochs + 1 });
    assert.equal(moreEpochs.reused, false);
    assert.notEqual(moreEpochs.record.key, base.record.key);
    const sampled = await runPairs({ ...options(dir), perDigit: 30 });
    assert.equal(sampled.reused, false);
    assert.equal(sampled.record.pairs[0].rows, 60);

    // Same sizes, one pixel changed: other bytes, another key.
    const images = syntheticImages();
    images.pixels[0] = 254;
    const changed = await runPairs({ ...options(dir), ...writeIdx(work, images, "changed") });
    assert.equal(changed.reused, false);
    assert.notEqual(changed.record.data.sha256, base.record.data.sha256);
    assert.equal(fs.readdirSync(dir).length, 4);
    // Threads do not change the numbers, so they do not change the key either.
    assert.equal((await runPairs({ ...options(dir), threads: 3 })).reused, true);
  });

  test("image and label files that do not belong together are a user error", async () => {
    const other = writeIdx(work, { ...syntheticImages(), count: 10, pixels: new Uint8Array(160), labels: Uint8Array.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]) }, "ten");
    await assert.rejects(runPairs({ images: idx.images, labels: other.labels, dir: path.join(work, "never") }), /holds 600 images but .* holds 10 labels/);
    await assert.rejects(runPairs({ images: idx.images, dir: path.join(work, "never") }), /give both an image file and its label file/);
    assert.equal(fs.existsSync(path.join(work, "never")), false);
  });
});

describe("digits pairs", () => {
  /** `digits ARGS…` in this process (runDigitsHere): pairs in one thread never starts TensorFlow.js. */
  const digitsHere = (...args: string[]): Promise<CliRun> => runDigitsHere(args, { cwd: work });
  const userError = (run: CliRun, expected: RegExp) => {
    assert.equal(run.code, 2, `exit code (stderr: ${run.stderr})`);
    assert.match(run.stderr, expected);
    assert.equal(run.stderr.trim().split("\n").length, 1, run.stderr);
    assert.equal(run.stdout, "");
  };
  const synthetic = () => ["--images", idx.images, "--labels", idx.labels, "--epochs", "20", "--learning-rate", "0.05", "--workers", "1"];

  test("--json prints the 45 pairs with accuracy and log loss, and says on stderr when a record is reused", async () => {
    const records = path.join(work, "cli-records");
    const run = await digitsHere("pairs", ...synthetic(), "--records", records, "--json");
    assert.equal(run.code, 0, run.stderr);
    const { pairs } = JSON.parse(run.stdout) as { pairs: { digits: [number, number]; accuracy: number; logLoss: number }[] };
    assert.deepEqual(pairs.map((p) => p.digits), allPairs());
    for (const p of pairs) {
      assert.deepEqual(Object.keys(p), ["digits", "accuracy", "logLoss"]);
      assert.ok(p.accuracy >= 0 && p.accuracy <= 1 && p.logLoss >= 0, JSON.stringify(p));
    }
    assert.equal(pairs.find((p) => p.digits.join() === "8,9")!.accuracy, 0.5);
    assert.equal(pairs.find((p) => p.digits.join() === "3,6")!.accuracy, 1);
    assert.equal(fs.readdirSync(records).length, 1);
    // Progress: one line per pair when stderr is not a terminal.
    assert.equal(run.stderr.split("\n").filter((l) => /^\[\d+\/45\] \d vs \d: accuracy/.test(l)).length, 45);

    const again = await digitsHere("pairs", ...synthetic(), "--records", records, "--json");
    assert.equal(again.code, 0, again.stderr);
    assert.equal(again.stdout, run.stdout);
    assert.match(again.stderr, /reused .*\.json \(same images and settings; --force recomputes\)/);
  });

  test("prints the pairs hardest first, then the easiest and the hardest", async () => {
    const run = await digitsHere("pairs", ...synthetic(), "--per-digit", "all", "--records", path.join(work, "cli-table"), "--quiet");
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stderr, "");
    assert.match(run.stdout, /^logistic regression, 3-fold cross-validation, 20 epochs \(Adam 0\.05, batch 32\), seed 13, every image; 600 images of /);
    const lines = run.stdout.split("\n");
    const header = lines.findIndex((l) => l.startsWith("hardest"));
    assert.match(lines[header + 2], /^1 +8 vs 9 +0\.5000 ± 0\.0000 +50\.00%/);
    assert.equal(lines.filter((l) => /^\d+ +\d vs \d /.test(l)).length, 45);
    assert.match(run.stdout, /^Easiest: \d vs \d \(100\.00%\); hardest: 8 vs 9 \(50\.00%\)\.$/m);
  });

  test("--help, and the command in the top-level help", async () => {
    const help = await digitsHere("pairs", "--help");
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^Usage: digits pairs/);
    assert.match(help.stdout, /--force/);
    assert.match((await digitsHere("--help")).stdout, /\n  pairs +cross-validate logistic regression/);
  });

  test("bad flags exit 2 with one line naming the flag, and write nothing", async () => {
    const records = path.join(work, "cli-bad");
    userError(await digitsHere("pairs", "--folds", "1", "--records", records), /--folds 1: expected a whole number ≥ 2/);
    userError(await digitsHere("pairs", "--per-digit", "2", "--records", records), /--per-digit 2: expected at least as many images as folds \(3\)/);
    userError(await digitsHere("pairs", "--per-digit", "most", "--records", records), /--per-digit "most": expected a whole number of images, or "all"/);
    userError(await digitsHere("pairs", "--images", idx.images, "--records", records), /--images needs --labels too/);
    userError(await digitsHere("pairs", "--images", "no-such", "--labels", idx.labels, "--records", records), /no-such: IDX image file not found/);
    assert.equal(fs.existsSync(records), false);
  });
});
