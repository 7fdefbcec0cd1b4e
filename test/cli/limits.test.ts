// Failing early, not late: output paths that cannot be written are refused before any training,
// a record that cannot be removed says why, and more threads than the machine has are capped
// with one line. Run as a user runs them (the compiled CLI in a child process); a selection in one
// thread and `experiments` run the same compiled command line in this process (runDigitsHere).
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { before, describe, test } from "node:test";
import { smallCsv, tempDir } from "../support/selection-data";
import { type CliRun, runDigits, runDigitsHere } from "../support/cli";
import { immutable } from "../support/folders";

type Run = CliRun;

const digits = (...args: string[]): Run => runDigits(args);
const digitsHere = (...args: string[]): Promise<Run> => runDigitsHere(args);

/** Exit 2, one line on stderr matching `expected`, nothing on stdout (so nothing was trained). */
function assertRefused(run: Run, expected: RegExp): void {
  assert.equal(run.code, 2, `exit code (stderr: ${run.stderr})`);
  assert.match(run.stderr, expected);
  assert.equal(run.stderr.trim().split("\n").length, 1, run.stderr);
  assert.equal(run.stdout, "");
}

let csv = "";
before(() => {
  csv = smallCsv(200);
});

const train = (model: string) => digits("train", "--data", csv, "--layers", "4", "--epochs", "1", "--model", model);
const select = (records: string, ...more: string[]) => digitsHere("select", "--data", csv, "--layers", "none", "--folds", "2", "--epochs", "1", "--threads", "1", "--records", records, ...more);

describe("output paths are checked before any training", () => {
  test("train --model and select --out below a file: exit 2 naming the file in the way", async () => {
    const dir = tempDir();
    const file = path.join(dir, "x.csv");
    fs.writeFileSync(file, "a file");
    assertRefused(train(path.join(file, "m")), new RegExp(`^digits: --model ${file}/m: ${file} is a file, where a folder is needed`));
    assertRefused(await select(path.join(dir, "records"), "--out", path.join(file, "out.json")), new RegExp(`^digits: --out ${file}/out.json: ${file} is a file, where a folder is needed`));
    assert.deepEqual(fs.readdirSync(dir), ["x.csv"]);
  });

  test("train --model and select --out into an immutable folder: exit 2 saying it may be immutable", async (t) => {
    const dir = tempDir();
    const skip = await immutable(dir, async () => {
      assertRefused(train(path.join(dir, "m")), /cannot be written: operation not permitted; it may be immutable/);
      assertRefused(await select(path.join(os.tmpdir(), `digits-records-${process.pid}`), "--out", path.join(dir, "out.json")), /^digits: --out \S+: \S+ cannot be written: operation not permitted; it may be immutable/);
    });
    if (skip) return t.skip(skip);
    assert.deepEqual(fs.readdirSync(dir), []);
  });

  test("--records with a 4,000-character path: exit 2 saying the path is too long", async () => {
    const dir = tempDir();
    const records = path.join(dir, ...Array.from({ length: 40 }, () => "r".repeat(99)));
    assertRefused(await select(records), /^digits: --records \S+: the path is 4,\d{3} bytes long; with a temporary name beside it, more than the 4,095 a path may have here/);
  });
});

describe("limits", () => {
  test("remove of an immutable record: exit 2 saying why, the record kept", async (t) => {
    const records = tempDir();
    const run = await select(records, "--quiet", "--json");
    assert.equal(run.code, 0, run.stderr);
    const { id } = JSON.parse(run.stdout) as { id: string };
    const file = path.join(records, `${id}.json`);
    const skip = await immutable(file, async () => assertRefused(await digitsHere("experiments", "remove", id, "--records", records), /^digits: experiments remove: nothing removed, as \S+ cannot be changed: operation not permitted; it may be immutable/));
    if (skip) return t.skip(skip);
    assert.ok(fs.existsSync(file));
  });

  test("select --threads 99 and --workers 99 are capped at the machine's cores, with one line", () => {
    const cores = os.availableParallelism();
    for (const flag of ["--threads", "--workers"]) {
      const run = digits("select", "--data", csv, "--layers", "none", "--folds", "2", "--epochs", "1", flag, "99", "--records", tempDir(), "--quiet", "--json");
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stderr, new RegExp(`^${flag} 99: capped at \\d+, because this machine`, "m"));
      assert.ok((JSON.parse(run.stdout) as { workers: number }).workers <= cores);
    }
  });
});
