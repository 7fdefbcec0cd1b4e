// What a fold result read back from the fold cache or Redis must prove (lib/selection/fold-check):
// a genuine result passes, and each way a stored result can be wrong is named.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { stratifiedKFold } from "../../lib/data/split";
import { resolveSelectionConfig, candidates } from "../../lib/selection/config";
import { expectedFold, foldResultChecksum, foldResultProblem, type ExpectedFold } from "../../lib/selection/fold-check";
import { FoldRun, type FoldJob } from "../../lib/selection/fold-run";
import { foldInputs, foldKey } from "../../lib/selection/fold-key";
import { smallData } from "../support/selection-data";

const config = resolveSelectionConfig({ grid: [[8]], folds: 2, epochs: 2, seed: 13 });
const { grid: _g, activations: _a, learningRates: _l, ...settings } = config;
const data = smallData();
const folds = stratifiedKFold(data.labels, config.folds, config.seed);
const job: FoldJob = { id: 0, candidate: candidates(config)[0], fold: 1 };
const inputs = foldInputs(job, settings, "fingerprint", "kernels", [0, 1]);
const expected: ExpectedFold = expectedFold(inputs, folds[1], data.cols);

function genuine(): Record<string, unknown> {
  const run = new FoldRun(data, folds[1], job, settings);
  while (!run.done) run.step();
  // As stored: through JSON, like a cache file or a Redis result.
  return JSON.parse(JSON.stringify(run.result()));
}

describe("a fold result read back", () => {
  const result = genuine();

  test("is accepted when it is what the fold computes", () => {
    assert.equal(foldResultProblem(result, expected), null);
  });

  test("is refused, saying why, when it claims another fold, candidate or row count", () => {
    assert.match(foldResultProblem({ ...result, fold: 7 }, expected)!, /fold 7, not fold 1 of 2/);
    assert.match(foldResultProblem({ ...result, hidden: [16] }, expected)!, /another candidate/);
    assert.match(foldResultProblem({ ...result, validationRows: 1 }, expected)!, /validation rows/);
    // The one-SE rule prefers the smallest network: a smaller count would change the winner.
    assert.match(foldResultProblem({ ...result, parameters: 1 }, expected)!, /1 parameters, not 6289/);
    assert.match(foldResultProblem({ ...result, seed: 999 }, expected)!, /training seed is 999/);
  });

  test("is refused when a score is missing, out of range or disagrees with its confusion matrix", () => {
    assert.match(foldResultProblem({ ...result, logLoss: null }, expected)!, /log loss is null/);
    assert.match(foldResultProblem({ ...result, auc: 1.5 }, expected)!, /auc is 1.5/);
    assert.match(foldResultProblem({ ...result, confusionMatrix: [] }, expected)!, /not 2×2 counts/);
    const [[tn, fp], [fn, tp]] = result.confusionMatrix as number[][];
    assert.match(foldResultProblem({ ...result, confusionMatrix: [[tn + fp, 0], [fn, tp]] }, expected)!, /disagrees with its confusion matrix/);
    assert.match(foldResultProblem({ ...result, confusionMatrix: [[tn, fp], [fn, tp + 1]] }, expected)!, /counts \d+ rows, the fold has/);
  });

  test("that says training diverged must have no scores and a matrix of zeros", () => {
    const diverged = { ...result, diverged: { epoch: 2, loss: 9 } };
    const unscored = { ...diverged, accuracy: null, precision: null, recall: null, f1: null, logLoss: null, auc: null, confusionMatrix: [[0, 0], [0, 0]] };
    assert.equal(foldResultProblem(unscored, expected), null);
    assert.match(foldResultProblem({ ...unscored, confusionMatrix: [] }, expected)!, /not all zeros/);
    assert.match(foldResultProblem({ ...unscored, logLoss: 0.001 }, expected)!, /has a logLoss/);
    assert.match(foldResultProblem({ ...unscored, diverged: { epoch: 3, loss: 9 } }, expected)!, /impossible epoch/);
  });

  test("has a checksum that changes with any number in it", () => {
    const key = foldKey(inputs);
    assert.equal(foldResultChecksum(key, result), foldResultChecksum(key, JSON.parse(JSON.stringify(result))));
    assert.notEqual(foldResultChecksum(key, result), foldResultChecksum(key, { ...result, logLoss: (result.logLoss as number) / 2 }));
    assert.notEqual(foldResultChecksum(key, result), foldResultChecksum(foldKey({ ...inputs, fold: 0 }), result));
  });
});
