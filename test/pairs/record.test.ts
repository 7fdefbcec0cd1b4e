// A pairs record read back from reports/pairs/ is believed only when it proves it is the record
// that was written (its checksum) and a map of these settings (45 pairs in order, finite scores
// in range, the configured folds). Any other record is not used: one warning names the file and
// why, and the map is computed again and saved in its place. On the synthetic files of ./synthetic.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, test } from "node:test";
import { engineInfo } from "../../lib/model/engine";
import { DEFAULT_PAIRS_CONFIG, QUICK_PAIRS_CONFIG, resolvePairsConfig } from "../../lib/pairs/config";
import { readDigitImages } from "../../lib/pairs/images";
import { pairsKey, pairsRecordChecksum, pairsRecordProblem, sealPairsRecord, type PairsRecord } from "../../lib/pairs/record";
import { notebookPairs, runPairs, type RunPairsOptions } from "../../lib/pairs/run";
import { runDigitsHere } from "../support/cli";
import { LEARN, syntheticImages, writeIdx } from "./synthetic";

let work = "";
let idx = { images: "", labels: "" };
/** A record as `digits pairs` wrote it, and its text. */
let good: PairsRecord;

const options = (dir: string, warnings: string[] = []): RunPairsOptions => ({ ...idx, ...LEARN, dir, threads: 1, onWarning: (message) => warnings.push(message) });
const readJson = (file: string) => JSON.parse(fs.readFileSync(file, "utf8")) as PairsRecord;
const writeJson = (file: string, value: unknown) => fs.writeFileSync(file, JSON.stringify(value, null, 2) + "\n");
/** A copy of the good record, changed by `edit` and sealed again: its checksum is right, its content is not. */
const resealed = (edit: (record: PairsRecord) => void): PairsRecord => {
  const copy = structuredClone(good);
  edit(copy);
  const { checksum: _, ...content } = copy;
  return sealPairsRecord(content);
};
const eightNine = (record: PairsRecord) => record.pairs.find((p) => p.digits[0] === 8 && p.digits[1] === 9)!;

before(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), "digits-pairs-record-"));
  idx = writeIdx(work, syntheticImages());
  good = (await runPairs(options(path.join(work, "good")))).record;
});

after(() => fs.rmSync(work, { recursive: true, force: true }));

describe("the checksum of a pairs record", () => {
  test("is written with the record, right after its key, and is a sha256 of everything else", () => {
    assert.deepEqual(Object.keys(good).slice(0, 4), ["schema", "schemaVersion", "key", "checksum"]);
    assert.match(good.checksum, /^[0-9a-f]{64}$/);
    assert.equal(pairsRecordChecksum(good), good.checksum);
    assert.equal(pairsRecordProblem(JSON.parse(JSON.stringify(good)), good.key), null);
  });

  test("changes with any number of the record", () => {
    const edited = structuredClone(good);
    edited.pairs[3].folds[1].logLoss += 1e-9;
    assert.notEqual(pairsRecordChecksum(edited), good.checksum);
  });
});

describe("a pairs record read back", () => {
  test("that was edited is not reused: one warning names the file and says so, and it is computed again and rewritten", async () => {
    const dir = path.join(work, "edited");
    const first = await runPairs(options(dir));
    const record = readJson(first.path);
    // A believable edit: 8 vs 9 (a coin toss) made to look easy.
    eightNine(record).accuracy = 0.9;
    writeJson(first.path, record);

    const warnings: string[] = [];
    const second = await runPairs(options(dir, warnings));
    assert.equal(second.reused, false);
    assert.equal(warnings.length, 1, warnings.join("\n"));
    assert.ok(warnings[0].includes(first.path), warnings[0]);
    assert.match(warnings[0], /was changed after it was written \(its checksum does not match its content\); computing the map again$/);
    assert.deepEqual(second.warnings, warnings);
    assert.equal(eightNine(second.record).accuracy, 0.5);
    // Rewritten whole, in place: the file is the new record, and nothing else is left beside it.
    assert.deepEqual(readJson(first.path), second.record);
    assert.deepEqual(fs.readdirSync(dir), [path.basename(first.path)]);

    const third = await runPairs(options(dir, warnings));
    assert.equal(third.reused, true);
    assert.equal(warnings.length, 1);
  });

  test("that is not JSON (a damaged file) is computed again with a warning saying so", async () => {
    const dir = path.join(work, "damaged");
    const first = await runPairs(options(dir));
    const text = fs.readFileSync(first.path, "utf8");
    fs.writeFileSync(first.path, text.slice(0, text.length / 2));
    const warnings: string[] = [];
    const second = await runPairs(options(dir, warnings));
    assert.equal(second.reused, false);
    assert.equal(warnings.length, 1);
    assert.equal(warnings[0], `pairs record ${first.path} is not valid JSON; computing the map again`);
    assert.equal(pairsRecordProblem(readJson(first.path), first.record.key), null);
  });

  test("without a checksum (written by an older version) is computed again with a warning saying so", async () => {
    const dir = path.join(work, "older");
    const first = await runPairs(options(dir));
    const { checksum: _, ...older } = readJson(first.path);
    writeJson(first.path, older);
    const warnings: string[] = [];
    const second = await runPairs(options(dir, warnings));
    assert.equal(second.reused, false);
    assert.deepEqual(warnings, [`pairs record ${first.path} has no checksum (it was written by an older version of digits pairs); computing the map again`]);
    assert.equal(readJson(first.path).checksum, second.record.checksum);
  });

  test("--force computes without reading the record, so it says nothing about it", async () => {
    const dir = path.join(work, "forced");
    const first = await runPairs(options(dir));
    fs.writeFileSync(first.path, "{");
    const warnings: string[] = [];
    const forced = await runPairs({ ...options(dir, warnings), force: true });
    assert.equal(forced.reused, false);
    assert.deepEqual(warnings, []);
  });
});

describe("a pairs record whose checksum matches", () => {
  const problem = (edit: (record: PairsRecord) => void) => pairsRecordProblem(JSON.parse(JSON.stringify(resealed(edit))), good.key);

  test("is used only with the 45 pairs in order", () => {
    assert.equal(problem((r) => r.pairs.pop()), "is inconsistent (it holds 44 pairs, not 45)");
    assert.equal(problem((r) => ([r.pairs[0], r.pairs[1]] = [r.pairs[1], r.pairs[0]])), "is inconsistent (pair 0 vs 1 is [0,2] where 0 vs 1 belongs)");
  });

  test("is used only with finite scores in range", () => {
    // NaN is written as null in JSON.
    assert.equal(problem((r) => (eightNine(r).accuracy = NaN)), "is inconsistent (pair 8 vs 9 has accuracy null, not a number from 0 to 1)");
    assert.equal(problem((r) => (eightNine(r).accuracy = 1.5)), "is inconsistent (pair 8 vs 9 has accuracy 1.5, not a number from 0 to 1)");
    assert.equal(problem((r) => (r.pairs[0].logLoss = -0.1)), "is inconsistent (pair 0 vs 1 has log loss -0.1, not a finite number ≥ 0)");
    assert.equal(problem((r) => (r.pairs[0].folds[2].accuracy = Infinity)), "is inconsistent (pair 0 vs 1 fold 2 has accuracy null, not a number from 0 to 1)");
  });

  test("is used only with the configured folds, agreeing with the pair's numbers", () => {
    assert.equal(problem((r) => r.pairs[5].folds.pop()), "is inconsistent (pair 0 vs 6 has 2 folds, the settings say 3)");
    assert.equal(problem((r) => (r.pairs[5].folds[1].fold = 0)), "is inconsistent (pair 0 vs 6 fold 1 says it is fold 0)");
    assert.equal(problem((r) => (r.pairs[5].folds[1].rows += 1)), "is inconsistent (pair 0 vs 6 has folds of 121 images in all, not its 120)");
    assert.match(problem((r) => (eightNine(r).accuracy = 0.9)) ?? "", /^is inconsistent \(pair 8 vs 9 has accuracy 0\.9, not the mean of its folds' \(0\.5\)\)$/);
  });

  test("is used only for the settings, images and kernels its key stands for", () => {
    assert.match(problem((r) => (r.config.folds = 2)) ?? "", /^is inconsistent \(its settings, images and kernels are not the ones its key stands for\)$/);
    assert.match(problem((r) => (r.data.sha256 = "0".repeat(64))) ?? "", /not the ones its key stands for/);
    assert.match(pairsRecordProblem(good, "0123456789abcdef") ?? "", /not the ones its key stands for/);
  });

  test("is used only when what is shown beside the map is believable", () => {
    assert.equal(problem((r) => (r.seconds = -1)), "is inconsistent (its time -1 is not a finite number of seconds ≥ 0)");
    assert.equal(problem((r) => (r.createdAt = "yesterday")), "is inconsistent (its date is not an ISO 8601 time in UTC)");
    // Text from the file is never quoted: a warning may be shown as Markdown in notebook 01.
    assert.equal(problem((r) => ((r.pairs[0] as unknown as { accuracy: string }).accuracy = "<img src=x onerror=alert(1)>")), "is inconsistent (pair 0 vs 1 has accuracy a string, not a number from 0 to 1)");
  });

  test("and is inconsistent is not reused: one warning, and it is computed again", async () => {
    const dir = path.join(work, "inconsistent");
    const first = await runPairs(options(dir));
    writeJson(first.path, resealed((r) => r.pairs.pop()));
    const warnings: string[] = [];
    const second = await runPairs(options(dir, warnings));
    assert.equal(second.reused, false);
    assert.deepEqual(warnings, [`pairs record ${first.path} is inconsistent (it holds 44 pairs, not 45); computing the map again`]);
    assert.equal(readJson(first.path).pairs.length, 45);
  });
});

describe("digits pairs and a record it cannot use", () => {
  test("prints one warning on stderr naming the file and why, even with --quiet, and the recomputed map", async () => {
    const records = path.join(work, "cli-records");
    const args = ["pairs", "--images", idx.images, "--labels", idx.labels, "--epochs", "20", "--learning-rate", "0.05", "--workers", "1", "--records", records, "--json", "--quiet"];
    const digitsHere = () => runDigitsHere(args, { cwd: work });
    const first = await digitsHere();
    assert.equal(first.code, 0, first.stderr);
    const [name] = fs.readdirSync(records);
    const file = path.join(records, name);
    const record = readJson(file);
    eightNine(record).accuracy = 0.9;
    writeJson(file, record);

    const second = await digitsHere();
    assert.equal(second.code, 0, second.stderr);
    assert.equal(second.stderr, `warning: pairs record ${file} was changed after it was written (its checksum does not match its content); computing the map again\n`);
    assert.equal(second.stdout, first.stdout);
  });
});

describe("notebook 01 and a record it cannot use", () => {
  test("in quick mode, a damaged full map is named in a warning and the quick map is computed instead", async () => {
    const dir = path.join(work, "notebook");
    fs.mkdirSync(dir);
    const full = pairsKey(resolvePairsConfig(DEFAULT_PAIRS_CONFIG), readDigitImages().sha256, engineInfo().kernelsSha256);
    const damaged = path.join(dir, `${full}.json`);
    fs.writeFileSync(damaged, "{");
    const warnings: string[] = [];
    const pairs = await notebookPairs({ quick: true, dir, onWarning: (message) => warnings.push(message) });
    assert.equal(pairs.reused, false);
    assert.deepEqual(pairs.record.config, resolvePairsConfig(QUICK_PAIRS_CONFIG));
    assert.equal(warnings.length, 1);
    assert.equal(warnings[0], `pairs record ${damaged} is not valid JSON; not using it`);
    assert.deepEqual(pairs.warnings, warnings);
    // The damaged full map is left for `digits pairs` to replace; the quick map is saved beside it.
    assert.equal(fs.readFileSync(damaged, "utf8"), "{");
    assert.equal(fs.readdirSync(dir).length, 2);
  });
});
