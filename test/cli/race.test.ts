// `digits select --race` through the compiled command line, in this process (runDigitsHere: a
// selection in one thread never starts TensorFlow.js): its flags checked before any work (exit 2
// naming the flag), and a raced selection's table, in `select` and `experiments show`, marking the
// stopped candidates with their folds, P(worse) and the candidate they lost to.
import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { raceFlags } from "../../cli/real-differences";
import { InputError } from "../../lib/core/errors";
import { smallCsv, tempDir } from "../support/selection-data";
import { runDigitsHere } from "../support/cli";

const digitsHere = (...args: string[]) => runDigitsHere(args);

describe("the race's flags", () => {
  test("absent, no race; --race alone takes the defaults; the others set them", () => {
    assert.equal(raceFlags({}), undefined);
    assert.deepEqual(raceFlags({ race: true }), { minFolds: 5, confidence: 0.99 });
    assert.deepEqual(raceFlags({ race: true, "race-min-folds": "3", "race-confidence": "0.95" }), { minFolds: 3, confidence: 0.95 });
  });

  test("a bad value, or a race setting without --race, is an InputError naming the flag", () => {
    for (const [flags, pattern] of [
      [{ race: true, "race-min-folds": "1" }, /--race-min-folds "1"/],
      [{ race: true, "race-min-folds": "2.5" }, /--race-min-folds/],
      [{ race: true, "race-min-folds": "" }, /--race-min-folds/],
      [{ race: true, "race-confidence": "1" }, /--race-confidence "1"/],
      [{ race: true, "race-confidence": "abc" }, /--race-confidence "abc"/],
      [{ "race-confidence": "0.9" }, /--race-confidence needs --race/],
    ] as const) {
      assert.throws(() => raceFlags(flags as Record<string, string | boolean>), (e: unknown) => e instanceof InputError && pattern.test(e.message));
    }
  });
});

describe("digits select --race", () => {
  let csv = "";
  before(() => {
    csv = smallCsv(300);
  });

  test("a bad race setting exits 2 before any training, saying what to change", async () => {
    const records = tempDir();
    for (const [args, pattern] of [
      [["--race", "--race-min-folds", "0"], /--race-min-folds "0": expected a whole number ≥ 2/],
      // 5 folds × 1 repeat: the default minimum of 5 leaves no fold to save.
      [["--race"], /no fold to save.*--repeats/],
    ] as const) {
      const run = await digitsHere("select", "--data", csv, "--layers", "none", "--threads", "1", "--records", records, "--quiet", ...args);
      assert.equal(run.code, 2, run.stderr);
      assert.match(run.stderr, pattern);
      assert.doesNotMatch(run.stderr, /fold runs/);
    }
  });

  test("the table of select and of experiments show marks the stopped candidates; the others ran every fold", async () => {
    const records = tempDir();
    const args = ["--data", csv, "--layers", "none", "--layers", "8", "--learning-rate", "0.001,0.00001", "--folds", "3", "--repeats", "2", "--epochs", "2", "--seed", "13", "--threads", "1"];
    const run = await digitsHere("select", ...args, "--race", "--race-min-folds", "3", "--records", records);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /24 fold runs at most: 0 in the cache, up to 24 to train/);
    // Said when it happens, between the progress lines.
    assert.match(run.stderr, /^race: logistic lr 0\.00001 stopped after 3 of 6 folds: P\(worse\) (> )?0\.\d+ against \S+ lr 0\.001$/m);
    const mark = /logistic lr 0\.00001 .*stopped after 3 of 6 folds: P\(worse\) (0\.9\d+|> 0\.999) against (\S+ lr 0\.001)/;
    assert.match(run.stdout, mark);
    assert.match(run.stdout, /logistic lr 0\.001 .*all 6 folds/);
    assert.match(run.stdout, /raced \(a candidate stopped once P\(worse\) on log loss ≥ 0\.99, from 3 folds on\)/);
    const id = /Record: .*[/\\]([^/\\]+)\.json$/m.exec(run.stdout)?.[1];
    assert.ok(id, run.stdout);
    const show = await digitsHere("experiments", "show", id, "--records", records);
    assert.equal(show.code, 0, show.stderr);
    assert.match(show.stdout, mark, `experiments show (${id})`);
    // The comparisons say which folds each rests on.
    assert.match(show.stdout, /over the folds both have/);
  });
});
