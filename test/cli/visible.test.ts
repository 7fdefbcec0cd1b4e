// What reaches the terminal: every value the CLI prints that came from a path, a record, a note or
// a file name is shown with its control, bidi and other invisible characters made visible
// (lib/core/format visible), so a value can neither drive the terminal (retitle, recolour, clear)
// nor reorder or fake the lines around it. Run as a user runs it, the compiled CLI, on a hostile
// data path; the selections in one thread and the `experiments` commands (on a hand-edited
// record, a hostile note and a hostile file name) run the same compiled command line in this
// process (runDigitsHere, which fails a command that writes to stderr past that output).
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { before, describe, test } from "node:test";
import { smallCsv, tempDir } from "../support/selection-data";
import { runDigits, runDigitsHere } from "../support/cli";

const digits = (...args: string[]) => runDigits(args, { timeout: 120_000 });
const digitsHere = (...args: string[]) => runDigitsHere(args);

/** A terminal title (OSC 0 … BEL), then red text (CSI 31 m). */
const HOSTILE = "\x1b]0;TITLE\x07\x1b[31m";
/** What must never reach the terminal raw: C0 controls but the line feed, DEL, C1, bidi and the other invisible format characters. */
// eslint-disable-next-line no-control-regex
const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/u;

function assertShownSafely(run: { stdout: string; stderr: string }, what: string): void {
  for (const [stream, text] of [["stdout", run.stdout], ["stderr", run.stderr]] as const) {
    const raw = RAW.exec(text);
    assert.equal(raw, null, `${what}: ${stream} has a raw U+${raw?.[0].codePointAt(0)!.toString(16).padStart(4, "0")}:\n${JSON.stringify(text)}`);
  }
}

describe("a data path with terminal escapes in it", () => {
  let dir = "";
  let csv = "";
  before(() => {
    dir = path.join(tempDir("digits-visible-"), `data${HOSTILE}`);
    fs.mkdirSync(dir);
    csv = path.join(dir, "train.csv");
    fs.copyFileSync(smallCsv(200), csv);
  });

  test("select, train, evaluate, explain and experiments show print it escaped, never raw", () => {
    const records = path.join(dir, "records");
    const model = path.join(dir, "model");
    const select = digits("select", "--data", csv, "--layers", "none", "--folds", "2", "--epochs", "1", "--threads", "1", "--records", records);
    assert.equal(select.code, 0, select.stderr);
    assert.ok(select.stdout.includes("data\\x1b]0;TITLE\\x07\\x1b[31m"), select.stdout);
    assertShownSafely(select, "select");
    const id = /^Record: .*?([^/]+)\.json$/m.exec(select.stdout)![1];
    const show = digits("experiments", "show", id, "--records", records);
    assert.equal(show.code, 0, show.stderr);
    assertShownSafely(show, "experiments show");
    for (const args of [
      ["train", "--data", csv, "--layers", "4", "--epochs", "1", "--model", model],
      ["evaluate", "--data", csv, "--model", model],
      ["explain", "--data", csv, "--model", model, "--rows", "0"],
    ]) {
      const run = digits(...args);
      assert.equal(run.code, 0, run.stderr);
      assert.ok(run.stdout.includes("\\x1b[31m"), `${args[0]} names the path, escaped:\n${run.stdout}`);
      assertShownSafely(run, args[0]);
    }
  });

  test("an error message that quotes the path prints it escaped", async () => {
    const run = await digitsHere("select", "--data", path.join(dir, `missing${HOSTILE}.csv`), "--threads", "1", "--records", path.join(dir, "r2"));
    assert.equal(run.code, 2, run.stderr);
    assert.ok(run.stderr.includes("missing\\x1b]0;TITLE\\x07\\x1b[31m.csv"), run.stderr);
    assertShownSafely(run, "the error");
  });
});

describe("a hand-edited record and a hostile note", () => {
  let records = "";
  let ids: string[] = [];
  before(async () => {
    records = tempDir("digits-visible-records-");
    const csv = smallCsv(200);
    for (const epochs of ["1", "2"]) {
      const run = await digitsHere("select", "--data", csv, "--layers", "none", "--layers", "4", "--folds", "2", "--epochs", epochs, "--threads", "1", "--records", records, "--quiet", "--json");
      assert.equal(run.code, 0, run.stderr);
      ids.push((JSON.parse(run.stdout) as { id: string }).id);
    }
    // The first record, edited by hand: escapes in its data source and in a candidate's name.
    const file = path.join(records, `${ids[0]}.json`);
    const record = JSON.parse(fs.readFileSync(file, "utf8"));
    const evil = `4${HOSTILE}\u202e`;
    record.data.source = `src${HOSTILE}\nWinner: fake`;
    for (const part of [record.summary, record.folds]) for (const row of part) if (row.architecture === "4") row.architecture = evil;
    if (record.winner.architecture === "4") record.winner.architecture = evil;
    for (const c of record.comparisons ?? []) for (const k of ["candidate", "against"]) if (c[k] === "4") c[k] = evil;
    fs.writeFileSync(file, JSON.stringify(record, null, 2));
  });

  test("list, show and compare (table, md, csv) print its values escaped", async () => {
    const runs = [];
    for (const args of [["list"], ["show", ids[0]], ["compare", ids[0], ids[1]], ["compare", ids[0], ids[1], "--format", "md"], ["compare", ids[0], ids[1], "--format", "csv"]]) {
      const run = await digitsHere("experiments", ...args, "--records", records);
      assert.equal(run.code, 0, run.stderr);
      assertShownSafely(run, `experiments ${args.join(" ")}`);
      runs.push(run);
    }
    // The show of the loop above: the record has not changed since.
    const show = runs[1];
    assert.ok(show.stdout.includes("src\\x1b]0;TITLE\\x07\\x1b[31m\\nWinner: fake"), show.stdout);
    assert.doesNotMatch(show.stdout, /^Winner: fake/m, "a value cannot start a line of its own");
  });

  test("a note with a line feed and U+202E is kept as given and printed escaped by show and list", async () => {
    const note = "first line\nWinner: 999 (a fake line)\u202eevil";
    const saved = await digitsHere("experiments", "note", ids[1], note, "--records", records);
    assert.equal(saved.code, 0, saved.stderr);
    const json = JSON.parse((await digitsHere("experiments", "show", ids[1], "--json", "--records", records)).stdout) as { note: string };
    assert.equal(json.note, note, "the note is stored as given");
    const runs = [];
    for (const args of [["show", ids[1]], ["list"]]) {
      const run = await digitsHere("experiments", ...args, "--records", records);
      assert.equal(run.code, 0, run.stderr);
      assertShownSafely(run, `experiments ${args[0]}`);
      assert.doesNotMatch(run.stdout, /^Winner: 999/m);
      runs.push(run);
    }
    const [show] = runs;
    // The show of the loop above, run after the note was saved.
    assert.match(show.stdout, /^Note: first line\\nWinner: 999 \(a fake line\)\\u202eevil$/m);
  });

  test("a file in the records folder whose name has escapes is reported as skipped, escaped", async () => {
    const name = `x${HOSTILE}.json`;
    fs.writeFileSync(path.join(records, name), "not json");
    try {
      const run = await digitsHere("experiments", "list", "--records", records);
      assert.equal(run.code, 0, run.stderr);
      assert.ok(run.stderr.includes("skipped x\\x1b]0;TITLE\\x07\\x1b[31m.json"), run.stderr);
      assertShownSafely(run, "experiments list");
    } finally {
      fs.rmSync(path.join(records, name));
    }
  });
});
