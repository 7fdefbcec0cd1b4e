// `digits experiments` compare flags, notes and tags, handles, run through the compiled command
// line in this process (runDigitsHere: neither they nor the quick selections of a small CSV they
// read start TensorFlow.js).
import assert from "node:assert/strict";
import * as fs from "node:fs";
import { before, describe, test } from "node:test";
import { runDigitsHere, type CliRun } from "../support/cli";
import { smallCsv, tempDir } from "../support/selection-data";

function digitsHere(...args: string[]): Promise<CliRun> {
  return runDigitsHere(args);
}

let csv = "";
before(() => {
  csv = smallCsv(200);
});

const select = (records: string, ...more: string[]) => digitsHere("select", "--data", csv, "--layers", "none", "--layers", "4", "--folds", "2", "--workers", "1", "--records", records, "--quiet", "--json", ...more);
const idOf = (run: { stdout: string }) => (JSON.parse(run.stdout) as { id: string }).id;

describe("digits experiments compare", () => {
  test("--only-changed --format csv of two records differing only in epochs shows the epochs row and the metrics", async () => {
    const records = tempDir();
    const a = idOf(await select(records, "--epochs", "1"));
    const b = idOf(await select(records, "--epochs", "2"));
    const run = await digitsHere("experiments", "compare", a.slice(-4), b.slice(-4), "--only-changed", "--format", "csv", "--records", records);
    assert.equal(run.code, 0, run.stderr);
    const lines = run.stdout.trimEnd().split("\n");
    assert.equal(lines[0], `name,${a},${b}`);
    assert.equal(lines[1], "epochs,1,2");
    for (const line of lines.slice(2)) assert.match(line, /^(winner|(logistic|4) · (log loss|accuracy|AUC)),/);
    const md = await digitsHere("experiments", "compare", a, b, "--baseline", a, "--format", "md", "--records", records);
    assert.match(md.stdout, new RegExp(`^\\| setting / candidate \\| ${a} \\(baseline\\) \\| ${b} \\| Δ ${b} \\|$`, "m"));
    assert.equal((await digitsHere("experiments", "compare", a, b, "--format", "xml", "--records", records)).code, 2);
  });
});

describe("notes and tags", () => {
  test("are recorded by select, added later, listed and filtered, kept by a rerun on the cache and by remove and prune", async () => {
    const records = tempDir();
    const bad = await select(records, "--epochs", "1", "--tag", "not ok");
    assert.equal(bad.code, 2);
    assert.deepEqual(fs.readdirSync(records).filter((f) => f.endsWith(".json")), [], "nothing trained or written for a bad tag");
    const first = idOf(await select(records, "--epochs", "1", "--note", "a, \"quoted\" | note", "--tag", "base"));
    // The same selection again: every fold from the cache, a new record without the first one's note.
    const rerun = await select(records, "--epochs", "1");
    const second = JSON.parse(rerun.stdout) as { id: string; cache: { reused: number }; note?: string };
    assert.equal(second.cache.reused, 4);
    assert.equal(second.note, undefined);
    assert.equal((await digitsHere("experiments", "tag", second.id.slice(-4), "rerun", "base", "--records", records)).code, 0);
    assert.equal((await digitsHere("experiments", "note", second.id, "from the cache", "--records", records)).code, 0);
    const list = JSON.parse((await digitsHere("experiments", "list", "--json", "--records", records)).stdout) as { records: { id: string; handle: string; note: string | null; tags: string[]; startedAt: string; seconds: number }[] };
    assert.deepEqual(list.records.map((r) => [r.note, r.tags]), [["a, \"quoted\" | note", ["base"]], ["from the cache", ["base", "rerun"]]]);
    assert.deepEqual(list.records.map((r) => r.handle), [first.slice(-4), second.id.slice(-4)]);
    const tagged = await digitsHere("experiments", "list", "--tag", "rerun", "--records", records);
    assert.match(tagged.stdout, new RegExp(second.id));
    assert.doesNotMatch(tagged.stdout, new RegExp(first));
    assert.equal((await digitsHere("experiments", "remove", second.id, "--records", records)).code, 0);
    assert.equal((await digitsHere("experiments", "prune", "--records", records)).code, 0);
    const shown = await digitsHere("experiments", "show", first.slice(-4), "--records", records);
    assert.match(shown.stdout, /^Tags: base$/m);
    assert.match(shown.stdout, /^Note: a, "quoted" \| note$/m);
    assert.match(shown.stdout, /^Started .*, finished .* \(\d+:\d\d\)$/m);
  });
});
