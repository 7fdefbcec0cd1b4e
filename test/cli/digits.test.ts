// cli/digits.ts, the entry point, and cli/command-line.ts, the command line it runs: help, bad
// input (exit 2, one line), internal errors (exit 1, the stack with --verbose), and the compiled bin;
// run as a user runs it (the compiled CLI in a child process) in the folder of small CSVs that
// test/support/cli-work.ts makes. Bad input, refused before any work, runs the same compiled
// command line in this process (runDigitsHere): a process start was nearly all of each run. That
// both ways give the same, and what runDigitsHere refuses to let pass, are checked here too.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, test } from "node:test";
import { assertUserError, digits, digitsHere, digitsWith, help, testCsv, trainCsv, work } from "../support/cli-work";
import { DIGITS_CLI, runDigits, runDigitsHere } from "../support/cli";
import { commands } from "../../cli/command-line";
import type { Command } from "../../cli/common";

/** The files under `dir`, relative, sorted. */
function filesUnder(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[]).map((f) => f.split(path.sep).join("/")).sort();
}

describe("digits --help", () => {
  test("prints the commands at top level and each command's options, exit 0", () => {
    const top = help();
    assert.equal(top.code, 0);
    for (const name of ["data", "select", "train", "evaluate"]) assert.match(top.stdout, new RegExp(`\\n  ${name} `));
    for (const name of ["data", "select", "train", "evaluate"]) {
      const run = help(name);
      assert.equal(run.code, 0, name);
      assert.match(run.stdout, new RegExp(`^Usage: digits ${name}`));
    }
  });

  test("lists every command on a line of its own, its name set apart from its summary by at least two spaces", () => {
    const run = help();
    assert.equal(run.code, 0, run.stderr);
    for (const [name, command] of Object.entries(commands)) {
      const line = run.stdout.split("\n").find((l) => l.trimStart().startsWith(name) && l.includes(command.summary));
      assert.ok(line, `--help lists ${name}:\n${run.stdout}`);
      assert.match(line, new RegExp(`^  ${name} {2,}${command.summary.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`), `${name}'s line: ${JSON.stringify(line)}`);
    }
  });

  test("no command prints the usage on stderr, exit 2", () => {
    const run = digits();
    assert.equal(run.code, 2);
    assert.match(run.stderr, /^Usage: digits <command>/);
  });
});

describe("a command line run in this process (runDigitsHere)", () => {
  test("gives the exit code, stdout and stderr the program gives", async () => {
    const lines = [[], ["--help"], ["select", "--bogus"], ["train", "--epochs", "abc", "--data", "train-small.csv"], ["evaluate", "--model", "no-model", "--data", "test-small.csv"]];
    for (const args of lines) assert.deepEqual(await digitsHere(...args), digits(...args), args.join(" "));
  });

  test("a selection in one thread prints and writes the record the program does, but for its id and times; experiments reads it back as the program does", async () => {
    const select = (records: string) => ["select", "--data", "train-small.csv", "--layers", "none", "--layers", "4", "--folds", "2", "--epochs", "1", "--threads", "1", "--records", records, "--quiet", "--json"];
    const program = digits(...select("parity-program"));
    const here = await digitsHere(...select("parity-here"));
    for (const run of [program, here]) assert.equal(run.code, 0, run.stderr);
    const [byProgram, byHere] = [program, here].map((run) => JSON.parse(run.stdout) as { id: string });
    assert.deepEqual(untimed(byHere), untimed(byProgram));
    const saved = (records: string, id: string) => JSON.parse(fs.readFileSync(path.join(work, records, `${id}.json`), "utf8"));
    assert.deepEqual(untimed(saved("parity-here", byHere.id)), untimed(saved("parity-program", byProgram.id)), "the records written");
    const { id } = byProgram;
    for (const args of [["list"], ["show", id], ["show", id, "--json"]]) {
      const line = ["experiments", ...args, "--records", "parity-program"];
      assert.deepEqual(await digitsHere(...line), digits(...line), line.join(" "));
    }
  });
});

describe("what runDigitsHere will not let pass", () => {
  // The compiled command line looks its command up on each call: `data` is swapped for one run.
  const compiled = () => require(path.join(path.dirname(DIGITS_CLI), "command-line.js")) as typeof import("../../cli/command-line");
  async function withData<T>(run: Command["run"], body: () => Promise<T>): Promise<T> {
    const { commands: built } = compiled();
    const data = built.data;
    built.data = { ...data, run };
    try {
      return await body();
    } finally {
      built.data = data;
    }
  }

  test("a command that writes to the process's stderr itself, past the command line's output", async () => {
    const write = process.stderr.write;
    await withData(async () => void process.stderr.write("drawn raw\n"), () => assert.rejects(runDigitsHere(["data"]), /digits data wrote to the process's stderr itself, .*"drawn raw\\n"/));
    assert.equal(process.stderr.write, write, "stderr is this process's own again");
  });

  test("a command that has not ended after the timeout", async () => {
    await withData(() => new Promise(() => undefined), () => assert.rejects(runDigitsHere(["data"], { timeout: 50 }), /digits data had not ended after 0\.05 s/));
  });

  test("a SIGTERM during the run: the run goes on to its end, then the process ends by that signal", () => {
    const script = `
      const { runDigitsHere } = require(${JSON.stringify(path.join(__dirname, "..", "support", "cli.ts"))});
      const { commands } = require(${JSON.stringify(path.join(path.dirname(DIGITS_CLI), "command-line.js"))});
      commands.data = { ...commands.data, run: async () => { process.kill(process.pid, "SIGTERM"); await new Promise((r) => setTimeout(r, 50)); console.log("ran on"); } };
      runDigitsHere(["data"]).then(() => console.log("returned"));`;
    const child = spawnSync(process.execPath, ["--require", "tsx/cjs", "-e", script], { encoding: "utf8", cwd: path.join(__dirname, "..", "..") });
    assert.equal(child.signal, "SIGTERM", child.stderr);
    assert.equal(child.stdout, "ran on\n");
  });
});

/** A record without what differs from one run to the next: its id, and when and how long it ran. */
function untimed(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(untimed);
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(Object.entries(value).filter(([key]) => !/^id$|At$|[sS]econds$/.test(key)).map(([key, v]) => [key, untimed(v)]));
}

describe("bad input ends with exit code 2, one message, and nothing written", () => {
  test("unknown command", async () => assertUserError(await digitsHere("frobnicate"), /unknown command "frobnicate"/));

  test("unknown flag", async () => assertUserError(await digitsHere("select", "--bogus"), /Unknown option '--bogus'/));

  test("--workers is still --threads (its old name); both with different values is a user error", async () => {
    assertUserError(await digitsHere("select", "--threads", "1", "--workers", "2", "--data", trainCsv), /--threads 1 and --workers 2: --workers is the old name of --threads; give one of them/);
    assertUserError(await digitsHere("pairs", "--threads", "2", "--workers", "1"), /--threads 2 and --workers 1/);
    assert.match(help("select").stdout, /\n  --threads N /);
    assert.match(help("pairs").stdout, /\n  --threads N /);
  });

  test("flag without its value, and a stray argument", async () => {
    assertUserError(await digitsHere("train", "--epochs"), /--epochs/);
    assertUserError(await digitsHere("train", "extra"), /Unexpected argument 'extra'/);
  });

  test("numbers that are not numbers", async () => {
    assertUserError(await digitsHere("train", "--epochs", "abc", "--data", trainCsv), /--epochs "abc": expected a whole number/);
    assertUserError(await digitsHere("select", "--threads", "0", "--data", trainCsv), /--threads "0"/);
    assertUserError(await digitsHere("select", "--workers", "0", "--data", trainCsv), /--workers "0"/);
    assertUserError(await digitsHere("select", "--learning-rate=-1", "--data", trainCsv), /--learning-rate "-1"/);
    assertUserError(await digitsHere("select", "--learning-rate", "-1", "--data", trainCsv), /--learning-rate/);
    assertUserError(await digitsHere("train", "--activation", "softmax", "--data", trainCsv), /--activation "softmax"/);
  });

  test("unknown layer spec", async () => {
    const records = path.join(work, "records-layers");
    assertUserError(await digitsHere("select", "--layers", "25,,x", "--data", trainCsv, "--records", records), /layer spec "25,,x"/);
    assertUserError(await digitsHere("train", "--layers", "abc", "--data", trainCsv, "--model", path.join(work, "m-layers")), /layer spec "abc"/);
    assert.equal(fs.existsSync(records), false);
    assert.equal(fs.existsSync(path.join(work, "m-layers")), false);
  });

  test("missing data file", async () => {
    const records = path.join(work, "records-missing");
    assertUserError(await digitsHere("select", "--data", "no-such.csv", "--records", records), /no-such\.csv: file not found/);
    assertUserError(await digitsHere("train", "--data", "no-such.csv", "--model", path.join(work, "m-missing")), /no-such\.csv: file not found/);
    assert.equal(fs.existsSync(records), false);
    assert.equal(fs.existsSync(path.join(work, "m-missing")), false);
  });

  test("missing model folder", async () => {
    assertUserError(await digitsHere("evaluate", "--model", path.join(work, "no-model"), "--data", testCsv), /no model\.json there/);
  });

  test("a negative number after a flag gets our message, with or without '='", async () => {
    for (const command of ["train", "select"]) {
      const spaced = await digitsHere(command, "--seed", "-1", "--data", trainCsv);
      const joined = await digitsHere(command, "--seed=-1", "--data", trainCsv);
      assertUserError(spaced, /--seed "-1": expected a whole number from 0 to 4294967295/);
      assert.equal(spaced.stderr, joined.stderr);
    }
    assertUserError(await digitsHere("train", "--epochs", "-3", "--data", trainCsv), /--epochs "-3": expected a whole number ≥ 1/);
    assertUserError(await digitsHere("train", "--seed", "4294967296", "--data", trainCsv), /--seed "4294967296"/);
  });

  test("a file given as --model is refused with a folder to use instead", async () => {
    const run = await digitsHere("evaluate", "--model", testCsv, "--data", testCsv);
    assertUserError(run, /is a file; a model is a folder written by `digits train`, such as models\/25-15/);
    assert.doesNotMatch(run.stderr, /--model [^ ]*\.csv/);
    const missing = await digitsHere("evaluate", "--model", "some.csv", "--data", testCsv);
    assertUserError(missing, /some\.csv: no such model folder/);
    assert.doesNotMatch(missing.stderr, /--model [^ ]*some\.csv/);
  });

  test("bad CSVs name the line and column; no record, model or predictions file appears", async () => {
    const before = filesUnder(work);
    const records = path.join(work, "records-bad");
    assertUserError(await digitsHere("select", "--data", "bad-pixel.csv", "--records", records, "--out", "copy.json"), /bad-pixel\.csv line 3, column pixel\d+/);
    assertUserError(await digitsHere("train", "--data", "bad-header.csv", "--model", path.join(work, "m-bad")), /bad-header\.csv/);
    // evaluate reads the model first (it knows the pair to keep), so a missing model is what it reports.
    assertUserError(await digitsHere("evaluate", "--data", "bad-pixel.csv", "--model", path.join(work, "no-model"), "--predictions", "p.csv"), /no model\.json there/);
    assert.deepEqual(filesUnder(work), before);
  });
});

describe("an internal error is one line saying it is a bug; the stack only when asked for", () => {
  // A fault the code cannot foresee, simulated by breaking WebAssembly.Instance before the CLI loads.
  const sabotage = () => {
    const file = path.join(work, "sabotage.mjs");
    fs.writeFileSync(file, 'WebAssembly.Instance = function () { throw new TypeError("simulated fault in the kernels"); };\n');
    return ["--import", pathToFileURL(file).href];
  };
  const args = ["train", "--data", "train-small.csv", "--layers", "4", "--epochs", "1", "--model", "models/bug", "--quiet"];

  test("by default: exit 1, one line with the error, that it is a bug, and what to report", () => {
    const run = digitsWith({ nodeArgs: sabotage(), env: { DIGITS_VERBOSE: "" } }, ...args);
    assert.equal(run.code, 1, run.stderr);
    assert.equal(run.stderr.trimEnd().split("\n").length, 1, run.stderr);
    assert.match(
      run.stderr,
      /^digits: internal error \(a bug in digits, not in your input\): TypeError: simulated fault in the kernels\. Please report it .* with the command you ran and the output of the same command run with --verbose \(or DIGITS_VERBOSE=1\)/,
    );
    assert.doesNotMatch(run.stderr, /\n\s+at /);
    assert.equal(fs.existsSync(path.join(work, "models", "bug")), false);
  });

  test("--verbose anywhere, or DIGITS_VERBOSE=1, adds the stack trace", () => {
    for (const run of [
      digitsWith({ nodeArgs: sabotage(), env: { DIGITS_VERBOSE: "" } }, ...args, "--verbose"),
      digitsWith({ nodeArgs: sabotage(), env: { DIGITS_VERBOSE: "" } }, "--verbose", ...args),
      digitsWith({ nodeArgs: sabotage(), env: { DIGITS_VERBOSE: "1" } }, ...args),
    ]) {
      assert.equal(run.code, 1, run.stderr);
      assert.match(run.stderr, /^digits: internal error \(a bug in digits, not in your input\): TypeError: simulated fault in the kernels\./);
      assert.match(run.stderr, /\nTypeError: simulated fault in the kernels\n\s+at /);
    }
  });

  test("--verbose does not change a user error: still one line, exit 2", () => {
    assertUserError(digits("train", "--verbose", "--epochs", "abc", "--data", trainCsv), /--epochs "abc": expected a whole number/);
  });
});

describe("the compiled CLI (dist/cli/digits.js, the installed `digits` bin)", () => {
  const compiled = (...args: string[]) => {
    assert.ok(fs.existsSync(DIGITS_CLI), `${DIGITS_CLI} is missing; run \`npm run build\``);
    return runDigits(args, { cwd: work });
  };
  const lines = (file: string) => fs.readFileSync(file, "latin1").split("\n").length - 1;

  test("--help lists the commands", () => {
    assert.ok(fs.existsSync(DIGITS_CLI), `${DIGITS_CLI} is missing; run \`npm run build\``);
    // The same run of the compiled CLI as the first tests': every digits() of this file runs it.
    const run = help();
    assert.equal(run.code, 0, run.stderr);
    for (const name of ["data", "select", "train", "evaluate"]) assert.match(run.stdout, new RegExp(`\\n  ${name} `));
  });

  test("data --out DIR --quiet writes train.csv (12,666 lines) and test.csv (2,116 lines), printing nothing", () => {
    const run = compiled("data", "--out", "compiled-data", "--quiet");
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, "");
    assert.equal(lines(path.join(work, "compiled-data", "train.csv")), 12666);
    assert.equal(lines(path.join(work, "compiled-data", "test.csv")), 2116);
  });
});
