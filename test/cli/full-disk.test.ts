// A nearly full disk, for real: a 300 KiB tmpfs (mounted here as root; skipped, with the reason,
// where mounting is refused) that the commands write into. Every write that does not fit is exit
// 2 "no space left on the disk of PATH: nothing was changed", the file it would have replaced is
// byte-identical, and no temporary file is left behind; nothing says "saved".
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, test } from "node:test";
import { smallCsv, tempDir } from "../support/selection-data";
import { type CliRun, runDigits, runDigitsHere } from "../support/cli";

type Run = CliRun;

/** train and evaluate, as a user runs them: in a child process. */
const digits = (...args: string[]): Run => runDigits(args);
/** select in one thread and experiments, which never start TensorFlow.js: in this process (runDigitsHere). */
const digitsHere = (...args: string[]): Promise<Run> => runDigitsHere(args);

/** Exit 2 with one line: no space left on the disk of `file`, nothing changed. */
function assertDiskFull(run: Run, file: string): void {
  assert.equal(run.code, 2, `exit code (stdout: ${run.stdout}; stderr: ${run.stderr})`);
  assert.equal(run.stderr.trim().split("\n").length, 1, run.stderr);
  assert.ok(run.stderr.startsWith(`digits: no space left on the disk of ${file}: nothing was changed`), run.stderr);
  assert.doesNotMatch(run.stdout, /saved|Record:/);
}

/** Every file under `dir`, relative to it. */
const filesUnder = (dir: string): string[] => (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => fs.statSync(path.join(dir, f)).isFile()).sort();
const temporary = (dir: string) => filesUnder(dir).filter((f) => f.endsWith(".tmp") || f.includes(".tmp."));

let disk = "";
let unavailable: string | null = null;

before(() => {
  // Not a tempDir(): those are removed before this file's own after() unmounts the disk.
  disk = fs.mkdtempSync(path.join(os.tmpdir(), "digits-full-disk-"));
  const mount = spawnSync("mount", ["-t", "tmpfs", "-o", "size=300k", "tmpfs", disk], { encoding: "utf8" });
  if (mount.error || mount.status !== 0) unavailable = `cannot mount a small tmpfs here (${mount.error?.message ?? mount.stderr.trim()}); the full-disk tests need root`;
});

after(() => {
  if (unavailable === null) spawnSync("umount", ["-l", disk]);
  fs.rmSync(disk, { recursive: true, force: true });
});

/** Fills the tmpfs until `bytes` are left free (a filler file, replaced on each call). */
function leaveFree(bytes: number): void {
  const filler = path.join(disk, "filler");
  fs.rmSync(filler, { force: true });
  const stats = fs.statfsSync(disk);
  fs.writeFileSync(filler, Buffer.alloc(stats.bavail * stats.bsize - bytes));
}

describe("on a nearly full disk, a write that does not fit changes nothing and says so", () => {
  test("experiments note: exit 2, the record byte-identical, no temporary file", async (t) => {
    if (unavailable) return t.skip(unavailable);
    leaveFree(200 * 1024);
    const records = path.join(disk, "note");
    const select = await digitsHere("select", "--data", smallCsv(200), "--layers", "none", "--folds", "2", "--epochs", "1", "--threads", "1", "--records", records, "--quiet", "--json");
    assert.equal(select.code, 0, select.stderr);
    const id = (JSON.parse(select.stdout) as { id: string }).id;
    const file = path.join(records, `${id}.json`);
    const before = fs.readFileSync(file);
    // The record and its note need more than this; the short write used to be renamed in.
    leaveFree(8192);
    assertDiskFull(await digitsHere("experiments", "note", id, "n".repeat(1900), "--records", records), file);
    assert.deepEqual(fs.readFileSync(file), before);
    assert.deepEqual(temporary(records), []);
  });

  test("select --records on the full disk: exit 2, the earlier record byte-identical, no new record, no temporary file", async (t) => {
    if (unavailable) return t.skip(unavailable);
    leaveFree(200 * 1024);
    const records = path.join(disk, "select");
    const csv = smallCsv(200);
    const first = await digitsHere("select", "--data", csv, "--layers", "none", "--folds", "2", "--epochs", "1", "--threads", "1", "--records", records, "--quiet", "--json");
    assert.equal(first.code, 0, first.stderr);
    const earlier = filesUnder(records).filter((f) => f.endsWith(".json") && !f.startsWith("cache"));
    const bytes = earlier.map((f) => fs.readFileSync(path.join(records, f)));
    leaveFree(8192);
    const run = await digitsHere("select", "--data", csv, "--layers", "none", "--layers", "8", "--folds", "2", "--epochs", "2", "--threads", "1", "--records", records, "--quiet");
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /^digits: no space left on the disk of \S+: nothing was changed/);
    assert.doesNotMatch(run.stdout, /Record:/);
    assert.deepEqual(filesUnder(records).filter((f) => f.endsWith(".json") && !f.startsWith("cache")), earlier, "no new record");
    assert.deepEqual(earlier.map((f) => fs.readFileSync(path.join(records, f))), bytes);
    assert.deepEqual(temporary(records), []);
    // Every cache entry that was written is whole: the next run reads each one without a warning.
    leaveFree(200 * 1024);
    const rerun = await digitsHere("select", "--data", csv, "--layers", "none", "--folds", "2", "--epochs", "1", "--threads", "1", "--records", records, "--quiet");
    assert.equal(rerun.code, 0, rerun.stderr);
    assert.doesNotMatch(rerun.stderr, /warning/);
  });

  test("evaluate --predictions on the full disk: exit 2, the earlier predictions byte-identical, no temporary file", (t) => {
    if (unavailable) return t.skip(unavailable);
    leaveFree(200 * 1024);
    const work = tempDir();
    const model = path.join(work, "m");
    const trained = digits("train", "--data", smallCsv(300), "--layers", "4", "--epochs", "1", "--model", model, "--quiet");
    assert.equal(trained.code, 0, trained.stderr);
    const out = path.join(disk, "predictions");
    const predictions = path.join(out, "pred.csv");
    assert.equal(digits("evaluate", "--model", model, "--data", smallCsv(100), "--predictions", predictions).code, 0);
    const before = fs.readFileSync(predictions);
    leaveFree(4096);
    assertDiskFull(digits("evaluate", "--model", model, "--data", smallCsv(300), "--predictions", predictions), predictions);
    assert.deepEqual(fs.readFileSync(predictions), before);
    assert.deepEqual(temporary(out), []);
  });
});
