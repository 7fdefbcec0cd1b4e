import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { setDisplaySink } from "../../lib/notebook/display";
import { epochProgress, pairsProgressLine, selectionProgress } from "../../lib/notebook/progress";
import type { PairsProgress } from "../../lib/pairs/score-pairs";

/** The lines of each updatable display entry the notebook would get. */
function recorder() {
  const out = { updates: [] as string[][] };
  const ignore = () => undefined;
  setDisplaySink({ html: ignore, markdown: ignore, text: ignore }, () => {
    const entry: string[] = [];
    out.updates.push(entry);
    return { text: (s: string) => entry.push(s) };
  });
  return out;
}

describe("progress", () => {
  it("updates one line per epoch with loss, accuracy and validation", () => {
    const out = recorder();
    try {
      const callbacks = epochProgress(2);
      callbacks.onEpochEnd!(0, { loss: 0.5, acc: 0.9, val_loss: 0.4, val_acc: 0.95, seconds: 1.5 });
      callbacks.onEpochEnd!(1, { loss: 0.25, acc: 0.99, seconds: 1 });
      assert.equal(out.updates.length, 1, "one display entry, updated in place");
      assert.match(out.updates[0][0], /^epoch █+░+ 1\/2: loss 0\.50000, accuracy 90\.00%, validation loss 0\.40000, accuracy 95\.00% \(1\.5 s\)$/);
      assert.match(out.updates[0][1], /2\/2: loss 0\.25000, accuracy 99\.00% \(2\.5 s\)$/);
    } finally {
      setDisplaySink(null);
    }
  });

  it("describes where a selection is: candidate, fold, epoch, elapsed and remaining", () => {
    const out = recorder();
    try {
      // Each selectionProgress keeps its own line; 0 ms between updates shows every report.
      selectionProgress(0)({
        kind: "epoch", candidate: "25-15", hidden: [25, 15], fold: 2, folds: 5, epoch: 7, epochs: 20, loss: 0.01,
        foldsDone: 12, foldsTotal: 30, fraction: 0.42, elapsedSeconds: 65, remainingSeconds: 90, reused: 0,
      });
      selectionProgress(0)({
        kind: "epoch", candidate: "25-15", hidden: [25, 15], fold: 2, folds: 5, epoch: 7, epochs: 20, loss: 0.01,
        foldsDone: 12, foldsTotal: 30, fraction: 0.42, elapsedSeconds: 65, remainingSeconds: 90, reused: 10,
      });
      const [[text], [resumed]] = out.updates;
      assert.match(text, /^█{10}░{14}  42%  25-15, fold 3\/5, epoch 7\/20 \(folds done 12\/30\), 1:05 elapsed, about 1:30 left$/);
      assert.match(resumed, /\(folds done 12\/30, 10 of them from the cache\)/);
      assert.doesNotMatch(text, /\/100/);
    } finally {
      setDisplaySink(null);
    }
  });

  it("updates the pairs map's line at most every interval, and always with the last pair, which says no time is left", () => {
    const out = recorder();
    try {
      const step = (pairsDone: number): PairsProgress => ({
        kind: "pair", pair: [4, 9], fold: 2, folds: 3, pairsDone, pairsTotal: 45, foldsDone: pairsDone * 3, foldsTotal: 135, fraction: pairsDone / 45, elapsedSeconds: 2, remainingSeconds: pairsDone === 45 ? 0 : 88,
      });
      const onProgress = pairsProgressLine(60_000);
      for (let done = 1; done <= 45; done++) onProgress(step(done));
      assert.equal(out.updates.length, 1, "one display entry, updated in place");
      const [first, last] = out.updates[0];
      assert.equal(out.updates[0].length, 2, "the first update and the last, none between");
      assert.match(first, /  2%  pairs done 1\/45 \(latest 4 vs 9\), 0:02 elapsed, about 1:28 left$/);
      assert.match(last, /^█{24} 100%  pairs done 45\/45 \(latest 4 vs 9\), 0:02 elapsed$/);
    } finally {
      setDisplaySink(null);
    }
  });
});
