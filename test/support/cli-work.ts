// Shared by the tests of the `digits` command (test/cli/*): a temporary folder, made before the tests,
// holding small CSVs cut from the default files (and a bad pixel, a bad header, a ten-class file);
// the command run there through test/support/cli.ts (the compiled CLI, as installed; `digitsHere`
// runs a command line that never starts TensorFlow.js in this process).
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before } from "node:test";
import { ensureDefaultDataset } from "../../lib/data/default-files";
import { runDigits, runDigitsHere, type CliRun } from "./cli";


export let work = "";
export let trainCsv = "";
export let testCsv = "";
export let tenClassCsv = "";
/** Rows of tenClassCsv labelled 0 or 1. */
export let tenClassBinaryRows = 0;

export type Run = CliRun;

/** `digits ARGS…` run in the work folder. */
export function digits(...args: string[]): Run {
  return digitsWith({}, ...args);
}

/** `digits ARGS…` run in this process in the work folder: a command line that never starts TensorFlow.js (runDigitsHere). */
export function digitsHere(...args: string[]): Promise<Run> {
  return runDigitsHere(args, { cwd: work });
}

const helpRuns = new Map<string, Run>();

/**
 * `digits ARGS… --help`, run once per test file and shared by the tests that read it: help reads
 * and writes nothing, so a second run would print the same, and each run costs a CLI start.
 */
export function help(...args: string[]): Run {
  const key = args.join("\0");
  let run = helpRuns.get(key);
  if (run === undefined) helpRuns.set(key, (run = digits(...args, "--help")));
  return run;
}

/** digits with more Node flags (e.g. a module imported first) and environment variables. */
export function digitsWith(how: { nodeArgs?: string[]; env?: Record<string, string> }, ...args: string[]): Run {
  return runDigits(args, { cwd: work, ...how });
}

/** Exit code 2, one line on stderr saying `expected`, no stack trace, nothing on stdout. */
export function assertUserError(run: Run, expected: RegExp): void {
  assert.equal(run.code, 2, `exit code (stderr: ${run.stderr})`);
  assert.match(run.stderr, expected);
  assert.equal(run.stderr.trim().split("\n").length, 1, `one line on stderr, got:\n${run.stderr}`);
  assert.doesNotMatch(run.stderr, /\n\s+at /);
  assert.equal(run.stdout, "");
}

/** The record files in a records folder (beside its fold cache, cache/). */
export function recordFiles(dir: string): string[] {
  return fs.readdirSync(dir).filter((f) => f.endsWith(".json"));
}

// Registered when the test file imports this module (at its top level, before its own tests).
before(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), "digits-cli-"));
  const { train, test } = ensureDefaultDataset();
  // The header and the first rows of each default file: a few hundred rows of both classes.
  const head = (file: string, rows: number) => firstLines(file, rows + 1).join("\n") + "\n";
  trainCsv = path.join(work, "train-small.csv");
  testCsv = path.join(work, "test-small.csv");
  fs.writeFileSync(trainCsv, head(train, 400));
  fs.writeFileSync(testCsv, head(test, 200));
  const lines = head(test, 3).split("\n");
  fs.writeFileSync(path.join(work, "bad-pixel.csv"), [lines[0], lines[1], lines[2].replace(/,0,/, ",300,"), ""].join("\n"));
  fs.writeFileSync(path.join(work, "bad-header.csv"), "label,a,b\n1,0,0\n");
  // A ten-class file: 120 rows of the 0/1 training head, with every third row relabelled 2–9.
  const [header, ...rows] = head(train, 120).trimEnd().split("\n");
  const tenClass = rows.map((line, i) => (i % 3 === 2 ? `${2 + (i % 8)}${line.slice(1)}` : line));
  tenClassBinaryRows = tenClass.filter((line) => /^[01],/.test(line)).length;
  tenClassCsv = path.join(work, "ten-class.csv");
  fs.writeFileSync(tenClassCsv, [header, ...tenClass].join("\n") + "\n");
});

after(() => fs.rmSync(work, { recursive: true, force: true }));

/**
 * The first `count` lines of a file, read a block at a time: the default training CSV is 23 MB, and
 * every test file that imports this module cut its few hundred rows by reading all of it.
 */
function firstLines(file: string, count: number): string[] {
  const fd = fs.openSync(file, "r");
  try {
    const block = Buffer.alloc(1 << 20);
    const chunks: Buffer[] = [];
    let newlines = 0;
    for (let read = 0; newlines < count && (read = fs.readSync(fd, block, 0, block.length, null)) > 0; ) {
      chunks.push(Buffer.from(block.subarray(0, read)));
      for (let i = 0; i < read; i++) if (block[i] === 10) newlines++;
    }
    return Buffer.concat(chunks).toString("utf8").split("\n").slice(0, count);
  } finally {
    fs.closeSync(fd);
  }
}
