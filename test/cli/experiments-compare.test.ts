// `digits experiments compare` on records of real selections that differ only in how candidates are
// compared (--rope, --rule) or in --repeats, run through the compiled command line in this process
// (runDigitsHere: neither command starts TensorFlow.js): each such setting is stored in the
// record's config and shown by --only-changed.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, test } from "node:test";
import { smallCsv, tempDir } from "../support/selection-data";
import { runDigitsHere } from "../support/cli";

const digitsHere = (...args: string[]) => runDigitsHere(args);

describe("experiments compare --only-changed", () => {
  test("shows the row of --rope, --rule or --repeats when two runs differ only in it; the record stores rope and rule", async () => {
    const records = tempDir("digits-compare-");
    const csv = smallCsv(200);
    const select = async (...flags: string[]) => {
      const run = await digitsHere("select", "--data", csv, "--layers", "none", "--layers", "4", "--folds", "2", "--epochs", "1", "--threads", "1", "--records", records, "--quiet", "--json", ...flags);
      assert.equal(run.code, 0, run.stderr);
      return (JSON.parse(run.stdout) as { id: string }).id;
    };
    const base = await select();
    const stored = JSON.parse(fs.readFileSync(path.join(records, `${base}.json`), "utf8")) as { config: Record<string, unknown> };
    assert.deepEqual([stored.config.rope, stored.config.rule, stored.config.repeats], [{ accuracy: 0.002, logLoss: 0.002 }, "one-se", 1]);
    for (const [flags, row] of [[["--rope", "0.01"], "rope accuracy"], [["--rule", "equivalent"], "rule"], [["--repeats", "2"], "repeats"]] as const) {
      const other = await select(...flags);
      const run = await digitsHere("experiments", "compare", base, other, "--only-changed", "--format", "csv", "--records", records);
      assert.equal(run.code, 0, run.stderr);
      const names = run.stdout.trim().split("\n").slice(1).map((line) => line.split(",")[0]);
      assert.ok(names.includes(row), `${flags.join(" ")}: compare --only-changed shows ${row}:\n${run.stdout}`);
    }
  });
});
