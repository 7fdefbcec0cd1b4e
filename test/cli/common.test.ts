// cli/common.ts's --binary-only and --digits, shared by train, evaluate and select; run as a user
// runs it (the compiled CLI in a child process; a refusal and a selection in one thread, which
// never start TensorFlow.js, in this process: runDigitsHere) in the folder of small CSVs that
// test/support/cli-work.ts makes.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, test } from "node:test";
import { type ExperimentRecord } from "../../lib/selection/record";
import { assertUserError, digits, digitsHere, help, tenClassBinaryRows, tenClassCsv, work } from "../support/cli-work";

/** [zeros, ones] of a CSV, counted from its text. */
function classCountsOf(file: string): [number, number] {
  const labels = fs.readFileSync(file, "utf8").trimEnd().split("\n").slice(1).map((line) => line.split(",", 1)[0]);
  return [labels.filter((l) => l === "0").length, labels.filter((l) => l === "1").length];
}
describe("--binary-only keeps the 0s and 1s of a ten-class CSV", () => {
  test("without it or --digits, a file of more than two digits is a user error listing them", async () => {
    const listed = /ten-class\.csv: holds 10 digits \(0: \d+ rows, 1: \d+ rows, 2: 5 rows, .*9: 5 rows\); .*--digits A,B.*--binary-only is --digits 0,1/;
    assertUserError(await digitsHere("train", "--data", tenClassCsv, "--model", "models/ten"), listed);
    assertUserError(await digitsHere("select", "--data", tenClassCsv, "--threads", "1", "--records", path.join(work, "records-ten")), listed);
    assert.equal(fs.existsSync(path.join(work, "records-ten")), false);
  });

  test("--binary-only beside another --digits, and a --digits that is not a pair, are user errors", async () => {
    assertUserError(await digitsHere("train", "--data", tenClassCsv, "--binary-only", "--digits", "4,9"), /--binary-only is --digits 0,1 and disagrees with --digits 4,9/);
    assertUserError(await digitsHere("select", "--digits", "4"), /--digits "4": expected two digits separated by a comma/);
    assertUserError(await digitsHere("data", "--digits", "3,3", "--out", "d33"), /--digits "3,3": the two digits must differ/);
  });

  test("train, evaluate and select use only the rows labelled 0 or 1", async () => {
    assert.equal(tenClassBinaryRows, 80);
    const trained = digits("train", "--data", tenClassCsv, "--binary-only", "--layers", "4", "--epochs", "1", "--model", "models/ten");
    assert.equal(trained.code, 0, trained.stderr);
    assert.match(trained.stderr, /on 80 rows of /);

    const evaluated = digits("evaluate", "--data", tenClassCsv, "--binary-only", "--model", path.join(work, "models", "ten"), "--json");
    assert.equal(evaluated.code, 0, evaluated.stderr);
    const [[tn, fp], [fn, tp]] = JSON.parse(evaluated.stdout).confusionMatrix;
    assert.equal(tn + fp + fn + tp, 80);

    const selected = await digitsHere("select", "--data", tenClassCsv, "--binary-only", "--layers", "none", "--folds", "2", "--epochs", "1", "--workers", "1", "--records", path.join(work, "records-ten"), "--json");
    assert.equal(selected.code, 0, selected.stderr);
    const record: ExperimentRecord = JSON.parse(selected.stdout);
    assert.equal(record.data.rows, 80);
    assert.deepEqual(record.data.counts, classCountsOf(tenClassCsv));
  });

  test("each command's help lists --binary-only and --digits", () => {
    for (const name of ["select", "train", "evaluate"]) {
      assert.match(help(name).stdout, /\n  --binary-only /, name);
      assert.match(help(name).stdout, /\n  --digits A,B /, name);
    }
    assert.match(help("data").stdout, /\n  --digits A,B /);
  });
});
