// The notebooks' sentences about their results: computed from the numbers and the pair, so a
// report on another pair never repeats what 0 against 1 showed.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  aucSentence,
  balanceSentence,
  confidenceSentence,
  datasetSentence,
  inkSentence,
  metricsSentence,
  mistakesSentence,
  qualitySentence,
  selectionSentence,
  thresholdAccuracy,
  trainingSentence,
} from "../../lib/notebook/findings";
import type { ClassificationMetrics } from "../../lib/evaluation/metrics";
import type { ExperimentRecord } from "../../lib/selection/record";

describe("findings on the data", () => {
  test("the dataset sentence counts rows and classes, and shows the CSV path as text whatever it holds", () => {
    const dataset = { features: new Float32Array(0), labels: Uint8Array.from([0, 1, 1]), rows: 3, cols: 784, pair: [4, 9] as [number, number], dropped: [{ digit: 7, rows: 2 }], rowIndex: Uint32Array.from([0, 1, 3]) };
    assert.equal(
      datasetSentence(dataset, [3, 785], "data/4-9/train.csv"),
      "**3 rows × 785 columns** (a label and 784 pixels per image): 1 four and 2 nines from <code>data&#47;4&#45;9&#47;train&#46;csv</code>; dropped 2 rows of other digits (7: 2).",
    );
    // A backtick used to end the code span, and the tag after it became an element.
    const hostile = datasetSentence(dataset, [3, 785], "x`<img src=x onerror=alert(1)>`.csv");
    assert.match(hostile, / from <code>x&#96;&#60;img src&#61;x onerror&#61;alert&#40;1&#41;&#62;&#96;&#46;csv<\/code>;/);
  });

  test("balance names the pair's digits and the majority baseline", () => {
    assert.equal(
      balanceSentence([40, 60], [4, 9]),
      'The classes are nearly balanced (40.0% fours, 60.0% nines). Accuracy is therefore a fair score, and the baseline to beat is 60.0%: what a "model" that always answers 9 would get.',
    );
    assert.match(balanceSentence([80, 20], [3, 5]), /^The classes are imbalanced \(80\.0% threes, 20\.0% fives\): .*favours the threes.*baseline to beat is 80\.0%: .*always answers 3/);
  });

  test("quality says nothing needs cleaning only when nothing is found", () => {
    const clean = { rows: 10, columns: 785, missingCells: 0, duplicateRows: 0, conflictingDuplicates: 0, blankPixels: 67 };
    assert.match(qualitySentence(clean), /^There are no missing values and no duplicates of either kind, so nothing needs cleaning\. 67 pixels are blank/);
    assert.match(qualitySentence({ ...clean, duplicateRows: 2, conflictingDuplicates: 1 }), /^There are 2 duplicate rows, 1 conflicting duplicates/);
  });

  test("ink: the digit with more blank pixels is the one said to use less ink, whichever it is", () => {
    const counts = (blank: number, inked: number, saturated: number) => {
      const c = new Array(256).fill(0);
      c[0] = blank;
      c[100] = inked;
      c[255] = saturated;
      return c;
    };
    // Fours: 90 blank of 100; nines: 80 of 100. Inked: 10 + 20 = 30 pixels, of which 5 + 10 saturated.
    const sentence = inkSentence({ counts: [counts(90, 5, 5), counts(80, 10, 10)], pair: [4, 9] });
    assert.match(sentence, /^85\.0% of all pixels are blank \(0\)\. Of the inked pixels, 50\.0% are saturated/);
    assert.match(sentence, /Fours have a larger share of blank pixels than nines \(90\.0% against 80\.0%\): they use less ink\.$/);
    assert.match(inkSentence({ counts: [counts(80, 10, 10), counts(90, 5, 5)] }), /Ones have a larger share of blank pixels than zeros/);
    // Half a percentage point apart: no claim about who uses less ink.
    assert.match(inkSentence({ counts: [counts(800, 100, 100), counts(795, 105, 100)], pair: [4, 9] }), /Fours and nines leave about the same share of pixels blank \(80\.0% and 79\.5%\): ink alone will not tell them apart\.$/);
  });

  test("one threshold's best accuracy, either direction, with ties kept together", () => {
    assert.equal(thresholdAccuracy([1, 2, 3, 4], [0, 0, 1, 1]), 1);
    assert.equal(thresholdAccuracy([1, 2, 3, 4], [1, 1, 0, 0]), 1);
    // Equal values cannot be split: best is to put the cut after the first value (3 of 4 right).
    assert.equal(thresholdAccuracy([1, 2, 2, 3], [0, 0, 1, 1]), 0.75);
  });
});

function summary(architecture: string, hidden: number[], meanLogLoss: number, seLogLoss: number, meanAccuracy: number, sdAccuracy: number) {
  return { architecture, hidden, meanLogLoss, seLogLoss, meanAccuracy, sdAccuracy, parameters: 1 };
}

describe("findings on the selection", () => {
  const record = (rows: ReturnType<typeof summary>[], digits?: [number, number]) =>
    ({ config: { folds: 5, epochs: 20, seed: 13 }, data: { digits }, summary: rows }) as unknown as ExperimentRecord;

  test("says logistic regression is enough only when no hidden layer beats it", () => {
    const zeroOne = record([summary("logistic", [], 0.0043, 0.001, 0.9987, 0.001), summary("25-15", [25, 15], 0.0050, 0.001, 0.9986, 0.001)]);
    const text = selectionSentence(zeroOne);
    assert.match(text, /0 against 1, mean validation accuracy runs from 99\.86% \(25-15\) to 99\.87% \(logistic\), every candidate within one standard deviation/);
    assert.match(text, /logistic has the lowest mean log loss \(0\.00430\)\. No network with hidden layers beats logistic regression/);
  });

  test("on a pair where hidden layers help, says so and by how much, and not that logistic regression wins", () => {
    const fourNine = record([summary("logistic", [], 0.0893, 0.0019, 0.9714, 0.002), summary("25-15", [25, 15], 0.0464, 0.0035, 0.9846, 0.0029)], [4, 9]);
    const text = selectionSentence(fourNine);
    assert.match(text, /4 against 9, mean validation accuracy runs from 97\.14% \(logistic\) to 98\.46% \(25-15\): accuracy already separates some of them\./);
    assert.match(text, /25-15 has the lowest mean log loss \(0\.0464\)\. Hidden layers help: 25-15 reaches 0\.0464 against logistic regression's 0\.0893 \(1\.9× lower\), more than their standard errors can explain\.$/);
    assert.doesNotMatch(text, /linear boundary .* enough/);
  });
});

describe("findings on a selection where training diverged", () => {
  test("names the diverged candidates and leaves them out of the comparison", () => {
    const rows = [
      { ...summary("logistic", [], 0.0893, 0.0019, 0.9714, 0.002), divergedFolds: 0 },
      { ...summary("25-15", [25, 15], NaN, NaN, NaN, NaN), divergedFolds: 5 },
    ];
    const text = selectionSentence({ config: { folds: 5, epochs: 20, seed: 13 }, data: { digits: [4, 9] }, summary: rows } as unknown as ExperimentRecord);
    assert.match(text, /from 97\.14% \(logistic\) to 97\.14% \(logistic\)/);
    assert.match(text, / Training diverged for 25-15 \(see the diverged column\): left out here, and never chosen\.$/);
    assert.doesNotMatch(text, /Hidden layers help/);
  });
});

describe("findings on training and evaluation", () => {
  test("training: overfitting is named only when the validation loss turns upwards", () => {
    const flat = { epoch: [0, 1, 2], history: { loss: [0.3, 0.2, 0.1], acc: [0.9, 0.95, 0.97], val_loss: [0.3, 0.25, 0.24], val_acc: [0.9, 0.93, 0.94], seconds: [1, 1, 1] } };
    assert.match(trainingSentence(flat), /lowest after epoch 3 of 3\), so there is no harmful overfitting.*stays above the training loss.*from 90\.00% after the first epoch to 94\.00%\.$/);
    const up = { ...flat, history: { ...flat.history, val_loss: [0.3, 0.2, 0.26] } };
    assert.match(trainingSentence(up), /lowest after epoch 2 \(0\.200\) and has risen 30% since: the model has started to overfit/);
  });

  const metrics = (cm: [[number, number], [number, number]], accuracy: number): ClassificationMetrics =>
    ({ count: 0, accuracy, precision: 0.5, recall: 0.5, f1: 0.5, logLoss: 0.1, auc: 0.9, confusionMatrix: cm });

  test("metrics: errors counted from the test matrix; the reference's 0.999 only for 0 against 1", () => {
    const sets = { validation: { metrics: metrics([[50, 0], [0, 50]], 0.99) }, test: { metrics: metrics([[48, 2], [1, 49]], 0.97) } };
    const text = metricsSentence(sets, [4, 9]);
    assert.match(text, /^On the 100 test digits the model scores accuracy 0\.9700, .*: 3 errors\. That is 2\.0 percentage points below the validation accuracy \(0\.9900\)/);
    assert.doesNotMatch(text, /reference/);
    assert.match(metricsSentence(sets, [0, 1]), /reference notebook reported 0\.999/);
  });

  test("mistakes are counted by kind in the pair's digits, with the confident ones", () => {
    // Labels 0 = four, 1 = nine. Wrong: row 1 (a four at 0.95, confident), row 2 (a nine at 0.4).
    const text = mistakesSentence([0, 0, 1, 1], [0.1, 0.95, 0.4, 0.8], [4, 9]);
    assert.equal(text.split(". ")[0], "2 test digits are misclassified: 1 four taken for nines and 1 nine taken for fours");
    assert.match(text, /1 of them is a confident mistake \(probability below 0\.1 or above 0\.9\)/);
    assert.equal(mistakesSentence([0, 1], [0.2, 0.9], [4, 9]), "Every test digit is classified correctly at threshold 0.5.");
  });

  test("confidence: shares near each end, and how many predictions another threshold changes", () => {
    const text = confidenceSentence([0, 0, 1, 1], [0.05, 0.4, 0.95, 0.6], [4, 9]);
    assert.equal(text, "50.0% of the fours get a probability below 0.1 and 50.0% of the nines one above 0.9; 2 of 4 test digits fall in between. Moving the threshold from 0.5 to 0.3 would change 1 prediction, to 0.7 1.");
  });

  test("AUC in the pair's words", () => {
    assert.equal(aucSentence(0.99, [4, 9]), "AUC 0.99000: a randomly chosen nine gets a higher probability than a randomly chosen four 99.00% of the time (ties counting half).");
    assert.match(aucSentence(NaN), /undefined/);
  });
});
