// Numbers that must not move: a refactor, a cache, a queue or another worker count may change how
// results are computed, never what they are. Pinned from the CLI on 2026-11-30 (commit 1bc3359),
// before lib/ was reorganised by stage; a change here is a change in behaviour, to be justified.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, test } from "node:test";
import { runDigits } from "./support/cli";

const ROOT = path.resolve(__dirname, "..");
let work = "";

function digits(...args: string[]): string {
  const run = runDigits(args, { cwd: work });
  assert.equal(run.code, 0, `digits ${args.join(" ")}: ${run.stderr}`);
  return run.stdout;
}

const sha256 = (bytes: string | Uint8Array) => createHash("sha256").update(bytes).digest("hex");
type Fold = Record<string, unknown>;
/** A record's fold results: their scores, training curves and cache keys (not their timings). */
const foldsDigest = (folds: Fold[]) =>
  sha256(JSON.stringify(folds.map((f) => ["architecture", "fold", "seed", "accuracy", "precision", "recall", "f1", "logLoss", "auc", "confusionMatrix", "history", "key"].map((k) => f[k]))));

describe("pinned outputs (seed 7, 400 rows of data/train.csv)", () => {
  before(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), "digits-pinned-"));
    digits("data", "--quiet");
    // Every 31st row of the default training file: 400 rows, both digits.
    const lines = fs.readFileSync(path.join(ROOT, "data", "train.csv"), "utf8").split("\n");
    const rows = lines.slice(1).filter((l) => l !== "");
    const step = Math.floor(rows.length / 400);
    const small = [lines[0], ...Array.from({ length: 400 }, (_, i) => rows[i * step])].join("\n") + "\n";
    fs.writeFileSync(path.join(work, "small.csv"), small);
  });
  after(() => fs.rmSync(work, { recursive: true, force: true }));

  test("a selection's fold scores, means and winner", () => {
    const record = JSON.parse(
      digits("select", "--data", "small.csv", "--layers", "none", "--layers", "8", "--activation", "sigmoid,relu", "--folds", "2", "--epochs", "3", "--seed", "7", "--records", "rec", "--json", "--quiet"),
    );
    assert.equal(foldsDigest(record.folds), "df3eb0841161ff50708321d50261af97c2fc55dd05d227007481c97bcd166b70");
    assert.deepEqual(
      record.summary.map((s: { architecture: string; meanLogLoss: number }) => [s.architecture, s.meanLogLoss]),
      [
        ["logistic", 0.34532930538076967],
        ["8 sigmoid", 0.44239554667571157],
        ["8 relu", 0.19075132529494626],
      ],
    );
    assert.equal(record.winner.winner, "8 relu");
  });

  test("a trained model's weights.bin and evaluate --json", () => {
    digits("train", "--data", "small.csv", "--layers", "8", "--epochs", "3", "--seed", "7", "--model", "m8", "--quiet");
    assert.equal(sha256(fs.readFileSync(path.join(work, "m8", "weights.bin"))), "72a1d1aea098be5b01e4fa65c1c2aeb199e3ca864cdff66216a6782d8b0dab20");
    // ece and calibration were added by issue 20; the scores pinned before it are unchanged.
    const { ece, calibration, ...scores } = JSON.parse(digits("evaluate", "--model", "m8", "--data", "small.csv", "--json"));
    assert.equal(ece, 0.2845411920262225);
    assert.deepEqual(calibration.bins.map((b: { count: number }) => b.count), [0, 128, 45, 18, 13, 75, 118, 3, 0, 0]);
    assert.deepEqual(scores, {
      digits: [0, 1],
      accuracy: 0.9625,
      precision: 0.9846938775510204,
      recall: 0.9414634146341463,
      f1: 0.9625935162094763,
      logLoss: 0.38186792149074905,
      auc: 0.9908442776735459,
      confusionMatrix: [
        [192, 3],
        [12, 193],
      ],
    });
  });
});
