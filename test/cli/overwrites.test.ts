// What the CLI never deletes or overwrites, run as a user runs it (the compiled CLI in a child
// process; a command that never starts TensorFlow.js runs the same compiled command line in this
// process, runDigitsHere): a folder that is not a model of this project, files that are not
// records, a command's own inputs and a saved model's files; and notes and tags added to one
// record at the same time (by processes of their own), all kept.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { before, describe, test } from "node:test";
import { smallCsv, tempDir } from "../support/selection-data";
import { type CliRun, runDigits, runDigitsHere, startDigits } from "../support/cli";

type Run = CliRun;

const digits = (...args: string[]): Run => runDigits(args);
const digitsHere = (...args: string[]): Promise<Run> => runDigitsHere(args);

function digitsAsync(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    const child = startDigits(args);
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** Every file under `dir` with its bytes, to compare before and after. */
const snapshot = (dir: string): Record<string, string> =>
  Object.fromEntries(
    (fs.readdirSync(dir, { recursive: true }) as string[])
      .filter((f) => fs.statSync(path.join(dir, f)).isFile())
      .sort()
      .map((f) => [f, fs.readFileSync(path.join(dir, f)).toString("base64")]),
  );

let csv = "";
/** A records folder that `digits select` wrote (its record and fold cache), and the record's id. */
let selected = { records: "", id: "" };
before(async () => {
  csv = smallCsv(200);
  const records = tempDir();
  const run = await digitsHere("select", "--data", csv, "--layers", "none", "--folds", "2", "--epochs", "1", "--threads", "1", "--records", records, "--quiet", "--json");
  assert.equal(run.code, 0, run.stderr);
  selected = { records, id: (JSON.parse(run.stdout) as { id: string }).id };
});

/**
 * A records folder of its own holding the record select wrote, for a test that changes it: a copy
 * of the one run (nothing in a record or its cache names the folder), not a select run per test.
 */
function selectedCopy(): { records: string; id: string } {
  const records = tempDir();
  fs.cpSync(selected.records, records, { recursive: true });
  return { records, id: selected.id };
}

describe("train --model replaces only a model digits saved", () => {
  test("a folder holding a model.json and other files is refused before training, naming what is there, and left as it was", () => {
    const dir = path.join(tempDir(), "app");
    fs.mkdirSync(path.join(dir, "src"), { recursive: true });
    fs.writeFileSync(path.join(dir, "model.json"), "{}");
    fs.writeFileSync(path.join(dir, "README.txt"), "mine");
    fs.writeFileSync(path.join(dir, "src", "app.js"), "console.log(1)");
    const before = snapshot(dir);
    const run = digits("train", "--data", csv, "--layers", "4", "--epochs", "1", "--model", dir);
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /README\.txt, model\.json, src\/ and is not a model digits saved/);
    assert.doesNotMatch(run.stdout, /epoch|saved/i, "refused before any training");
    assert.deepEqual(snapshot(dir), before);
  });

  test("a model digits saved is replaced: its three files are new, every other file there is kept", () => {
    const dir = path.join(tempDir(), "m");
    assert.equal(digits("train", "--data", csv, "--layers", "4", "--epochs", "1", "--model", dir, "--quiet").code, 0);
    fs.writeFileSync(path.join(dir, "README.txt"), "notes on this model");
    const weights = fs.readFileSync(path.join(dir, "weights.bin"));
    const run = digits("train", "--data", csv, "--layers", "4", "--epochs", "2", "--model", dir, "--quiet");
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(fs.readdirSync(dir).sort(), ["README.txt", "model.json", "training.json", "weights.bin"]);
    assert.equal(fs.readFileSync(path.join(dir, "README.txt"), "utf8"), "notes on this model");
    assert.notDeepEqual(fs.readFileSync(path.join(dir, "weights.bin")), weights, "the model was replaced");
  });
});

describe("outputs never overwrite the command's inputs or a saved model's files", () => {
  test("select --out the data file, directly or through a link: exit 2 before any work, the data unchanged", async () => {
    const dir = tempDir();
    const victim = path.join(dir, "victim.csv");
    fs.copyFileSync(csv, victim);
    const link = path.join(dir, "link.csv");
    fs.symlinkSync(victim, link);
    const bytes = fs.readFileSync(victim);
    for (const out of [victim, link]) {
      const run = await digitsHere("select", "--data", victim, "--layers", "none", "--folds", "2", "--epochs", "1", "--threads", "1", "--records", path.join(dir, "records"), "--out", out);
      assert.equal(run.code, 2, run.stderr);
      assert.match(run.stderr, /an input of this command/);
    }
    assert.deepEqual(fs.readFileSync(victim), bytes);
    assert.equal(fs.existsSync(path.join(dir, "records")), false, "nothing trained or written");
  });

  test("evaluate --predictions the data file or a file of the model: exit 2, both unchanged", () => {
    const dir = tempDir();
    const model = path.join(dir, "m");
    assert.equal(digits("train", "--data", csv, "--layers", "4", "--epochs", "1", "--model", model, "--quiet").code, 0);
    const data = path.join(dir, "x.csv");
    fs.copyFileSync(csv, data);
    const before = { ...snapshot(model), data: fs.readFileSync(data).toString("base64") };
    const asData = digits("evaluate", "--model", model, "--data", data, "--predictions", data);
    assert.equal(asData.code, 2, asData.stderr);
    assert.match(asData.stderr, /an input of this command/);
    const asModel = digits("evaluate", "--model", model, "--data", data, "--predictions", path.join(model, "model.json"));
    assert.equal(asModel.code, 2, asModel.stderr);
    assert.match(asModel.stderr, /a file of the model saved in/);
    assert.deepEqual({ ...snapshot(model), data: fs.readFileSync(data).toString("base64") }, before);
  });
});

describe("experiments remove removes only records", () => {
  test("an id that starts package.json or tsconfig.json removes nothing and says they are not records", async () => {
    const { records, id } = selectedCopy();
    fs.writeFileSync(path.join(records, "package.json"), '{"name":"app"}');
    fs.writeFileSync(path.join(records, "tsconfig.json"), '{"compilerOptions":{}}');
    const before = snapshot(records);
    for (const wanted of ["t", "package"]) {
      const run = await digitsHere("experiments", "remove", wanted, "--records", records);
      assert.equal(run.code, 2, run.stderr);
      assert.match(run.stderr, /is not a record of digits, which never deletes it/);
    }
    assert.deepEqual(snapshot(records), before);
    assert.equal((await digitsHere("experiments", "remove", id, "--records", records)).code, 0, "a record is still removed by its id");
    assert.deepEqual(fs.readdirSync(records).filter((f) => f.endsWith(".json")).sort(), ["package.json", "tsconfig.json"]);
  });
});

describe("notes and tags on one record", () => {
  test("ten tags added at the same time are all kept", async () => {
    const { records, id } = selectedCopy();
    const runs = await Promise.all(Array.from({ length: 10 }, (_, i) => digitsAsync("experiments", "tag", id, `t${i}`, "--records", records)));
    for (const run of runs) assert.equal(run.code, 0, run.stderr);
    const record = JSON.parse(fs.readFileSync(path.join(records, `${id}.json`), "utf8")) as { tags: string[] };
    assert.deepEqual([...record.tags].sort(), Array.from({ length: 10 }, (_, i) => `t${i}`).sort());
    assert.deepEqual(fs.readdirSync(records).filter((f) => f.includes(".lock")), [], "no lock left behind");
  });

  test("a record that is a symbolic link is updated in place: its target gets the note, the link stays a link", async () => {
    const { records: store, id } = selectedCopy();
    const records = tempDir();
    fs.symlinkSync(path.join(store, `${id}.json`), path.join(records, `${id}.json`));
    const run = await digitsHere("experiments", "note", id, "kept in the store", "--records", records);
    assert.equal(run.code, 0, run.stderr);
    assert.ok(fs.lstatSync(path.join(records, `${id}.json`)).isSymbolicLink());
    assert.equal((JSON.parse(fs.readFileSync(path.join(store, `${id}.json`), "utf8")) as { note: string }).note, "kept in the store");
  });
});

describe("prune", () => {
  test("a record whose folds have no key blocks prune like an unreadable one: no entry removed", async () => {
    const { records, id } = selectedCopy();
    const file = path.join(records, `${id}.json`);
    const record = JSON.parse(fs.readFileSync(file, "utf8")) as { folds: { key?: string }[] };
    for (const fold of record.folds) delete fold.key;
    fs.writeFileSync(file, JSON.stringify(record, null, 2));
    const cache = snapshot(path.join(records, "cache"));
    assert.ok(Object.keys(cache).length > 0);
    const run = await digitsHere("experiments", "prune", "--records", records);
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /names no cache entry for \d+ of its \d+ folds/);
    assert.deepEqual(snapshot(path.join(records, "cache")), cache);
  });
});
