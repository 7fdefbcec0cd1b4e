// Which selection record --layers winner and notebook 03 use: the latest of the same data and pair.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { describeRecord, findWinner, recordPair } from "../../lib/selection/latest-winner";
import { saveExperiment } from "../../lib/selection/experiments";
import type { ExperimentRecord } from "../../lib/selection/record";

const DATA = "aaaaaaaaaaaaaaaa";
const PAIR_DATA = "bbbbbbbbbbbbbbbb";

function record(id: string, startedAt: string, hidden: number[], data: Record<string, unknown>): ExperimentRecord {
  return {
    schema: "binary-digits/experiment",
    id,
    startedAt,
    data: { rows: 100, source: "data/train.csv", ...data },
    summary: [],
    winner: { architecture: hidden.join("-") || "logistic", hidden },
  } as unknown as ExperimentRecord;
}

describe("findWinner", () => {
  let dir = "";
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "digits-records-"));
    // Oldest to newest: an old-style record without a pair (0 and 1), one with the pair written,
    // then a 4-vs-9 record on other data, then a 9-vs-4 record whose fingerprint happens to match.
    saveExperiment(record("r1", "2026-01-01T00:00:00.000Z", [25, 15], { fingerprint: DATA }), dir);
    saveExperiment(record("r2", "2026-01-02T00:00:00.000Z", [8], { fingerprint: DATA, digits: [0, 1] }), dir);
    saveExperiment(record("r3", "2026-01-03T00:00:00.000Z", [64, 32], { fingerprint: PAIR_DATA, digits: [4, 9], source: "data/4-9/train.csv", rows: 11791 }), dir);
    saveExperiment(record("r4", "2026-01-04T00:00:00.000Z", [16, 8], { fingerprint: PAIR_DATA, digits: [9, 4] }), dir);
    writeFileSync(join(dir, "broken.json"), '{"schema": "binary-digits/exp');
    writeFileSync(join(dir, "other.json"), '{"hello": 1}');
    writeFileSync(join(dir, ".r5.json.123.tmp"), "half a write");
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test("takes the latest record of the same data and pair, listing the newer ones and the unreadable files with reasons", () => {
    const lookup = findWinner(dir, { fingerprint: DATA, pair: [0, 1] });
    assert.equal(lookup.record?.id, "r2");
    assert.equal(lookup.file, "r2.json");
    assert.deepEqual(
      lookup.skipped.map((s) => [s.file, s.reason.replace(/:.*/s, "")]),
      [["r4.json", "other pair"], ["r3.json", "other pair"], ["broken.json", "corrupt"], ["other.json", "corrupt"]],
    );
    assert.match(lookup.skipped[2].reason, /^corrupt: .*JSON/);
    assert.equal(lookup.skipped[3].reason, "corrupt: not a model-selection record");
    assert.equal(lookup.skipped[1].reason, "other pair: 4 against 9, not 0 against 1");
  });

  test("tells a pair's records apart by order (9 against 4 is not 4 against 9) and by data", () => {
    assert.equal(findWinner(dir, { fingerprint: PAIR_DATA, pair: [4, 9] }).record?.id, "r3");
    assert.equal(findWinner(dir, { fingerprint: PAIR_DATA, pair: [9, 4] }).record?.id, "r4");
    const none = findWinner(dir, { fingerprint: "cccccccccccccccc", pair: [4, 9] });
    assert.equal(none.record, null);
    assert.equal(none.skipped.length, 6);
    assert.match(none.skipped.find((s) => s.file === "r3.json")!.reason, /^other data: 11,791 rows of data\/4-9\/train\.csv, fingerprint bbbbbbbbbbbbbbbb \(the training data has cccccccccccccccc\)$/);
  });

  test("a record written before pairs existed is of 0 and 1", () => {
    assert.deepEqual(recordPair(record("x", "2026-01-01T00:00:00.000Z", [], { fingerprint: DATA })), [0, 1]);
    const old = findWinner(dir, { fingerprint: DATA, pair: [0, 1] });
    assert.notEqual(old.record?.id, "r1", "r2 is newer");
  });

  test("names a record by id and start time", () => {
    assert.equal(describeRecord(record("r2", "2026-01-02T13:45:59.123Z", [], {})), "record r2 of 2026-01-02 13:45 UTC");
  });

  test("an empty or missing folder has no winner and nothing skipped", () => {
    assert.deepEqual(findWinner(join(dir, "missing"), { fingerprint: DATA, pair: [0, 1] }), { record: null, file: null, skipped: [] });
  });
});
