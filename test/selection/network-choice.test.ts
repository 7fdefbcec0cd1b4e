// Which network `digits train` and notebook 03 train, how, and where it is saved: given settings
// over the winner's over the reference's, and one folder per network and pair.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { chooseNetwork, defaultModelDir } from "../../lib/selection/network-choice";
import { saveExperiment } from "../../lib/selection/experiments";
import type { ExperimentRecord } from "../../lib/selection/record";

const DATA = "aaaaaaaaaaaaaaaa";
const target = { fingerprint: DATA, pair: [0, 1] as const };

/** A record whose winner, 8 hidden units, was selected with relu at learning rate 0.01. */
function record(id: string, startedAt: string, fingerprint: string): ExperimentRecord {
  return {
    schema: "binary-digits/experiment",
    schemaVersion: 2,
    id,
    startedAt,
    config: { folds: 5, epochs: 20 },
    data: { rows: 100, source: "data/train.csv", fingerprint, digits: [0, 1] },
    summary: [],
    winner: { architecture: "8 relu lr 0.01", hidden: [8], activation: "relu", learningRate: 0.01 },
  } as unknown as ExperimentRecord;
}

describe("chooseNetwork", () => {
  let records = "";
  before(() => {
    records = mkdtempSync(join(tmpdir(), "digits-network-choice-"));
    saveExperiment(record("old", "2026-01-01T00:00:00.000Z", DATA), records);
    saveExperiment(record("other", "2026-01-02T00:00:00.000Z", "bbbbbbbbbbbbbbbb"), records);
  });
  after(() => rmSync(records, { recursive: true, force: true }));

  test("given layers train with the reference's activation and learning rate, unless those are given too", () => {
    const choice = chooseNetwork({ layers: [16, 8], layersFrom: "--layers 16,8", records, target });
    assert.deepEqual([choice.hidden, choice.activation, choice.learningRate], [[16, 8], "sigmoid", 0.001]);
    assert.equal(choice.source, "16-8, set by --layers 16,8");
    assert.equal(choice.lookup, undefined, "no record is read when the layers are given");
    const tuned = chooseNetwork({ layers: [16, 8], activation: "tanh", learningRate: 0.005, records, target });
    assert.deepEqual([tuned.activation, tuned.learningRate], ["tanh", 0.005]);
  });

  test("no layers is the reference network, 25-15 sigmoid at 0.001", () => {
    const choice = chooseNetwork({ records, target });
    assert.deepEqual([choice.hidden, choice.activation, choice.learningRate, choice.source], [[25, 15], "sigmoid", 0.001, "25-15, the reference network"]);
  });

  test("the winner trains with the activation and learning rate it was selected with, naming its record and the files skipped", () => {
    const choice = chooseNetwork({ layers: "winner", records, recordsShown: "reports/experiments", target });
    assert.deepEqual([choice.hidden, choice.activation, choice.learningRate], [[8], "relu", 0.01]);
    assert.equal(choice.lookup?.record?.id, "old");
    assert.match(choice.source, /^8 relu lr 0\.01, the winner of selection record old of 2026-01-01 00:00 UTC in reports\/experiments \(skipped 1 other file: other\.json: other data: /);
  });

  test("a learning rate or activation given wins over the winner's", () => {
    const choice = chooseNetwork({ layers: "winner", learningRate: 0.02, records, target });
    assert.deepEqual([choice.hidden, choice.activation, choice.learningRate], [[8], "relu", 0.02]);
    assert.equal(chooseNetwork({ layers: "winner", activation: "sigmoid", records, target }).activation, "sigmoid");
  });

  test("without a matching record the winner falls back to the reference, saying why, and the lookup says none matched", () => {
    const choice = chooseNetwork({ layers: "winner", records, target: { fingerprint: "cccccccccccccccc", pair: [0, 1] } });
    assert.deepEqual([choice.hidden, choice.activation, choice.learningRate], [[25, 15], "sigmoid", 0.001]);
    assert.equal(choice.lookup?.record, null);
    assert.match(choice.source, new RegExp(`^25-15, the reference network: no model-selection record in ${records.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} matches this data and pair \\(skipped 2 other files: `));
  });

  test("the folder is models/[A-B/][quick-]<layers>: one per network and pair", () => {
    assert.equal(chooseNetwork({ records, target }).modelDir, "models/25-15");
    assert.equal(chooseNetwork({ layers: "winner", records, target }).modelDir, "models/8");
    assert.equal(chooseNetwork({ layers: [], records, target: { fingerprint: DATA, pair: [4, 9] }, quick: true }).modelDir, "models/4-9/quick-logistic");
    assert.equal(defaultModelDir([25, 15], [9, 4]), "models/9-4/25-15");
  });
});
