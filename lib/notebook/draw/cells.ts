// The clickable confusion matrix's data: which test rows fall in each cell, and which are shown.

/** One cell of the confusion matrix: how many test rows, and which are shown (least confident first). */
export interface ConfusionCell {
  truth: 0 | 1;
  predicted: 0 | 1;
  count: number;
  /** Row indices shown when the cell is clicked: all of them, or the `perCell` least confident. */
  rows: number[];
}

/**
 * The four cells `[[tn, fp], [fn, tp]]` (rows are the true label, as in metrics.confusionMatrix),
 * each with the rows to show: the `perCell` closest to the threshold (the interesting ones in a
 * cell of a thousand confident answers), ties by row index.
 */
export function confusionCells(labels: ArrayLike<number>, probabilities: ArrayLike<number>, options: { threshold?: number; perCell?: number } = {}): ConfusionCell[][] {
  const threshold = options.threshold ?? 0.5;
  const perCell = options.perCell ?? 60;
  if (labels.length !== probabilities.length) throw new RangeError(`${labels.length} labels but ${probabilities.length} probabilities`);
  const members: number[][][] = [[[], []], [[], []]];
  for (let i = 0; i < labels.length; i++) {
    const truth = labels[i];
    if (truth !== 0 && truth !== 1) throw new RangeError(`label ${truth} at row ${i}: expected 0 or 1`);
    members[truth][probabilities[i] > threshold ? 1 : 0].push(i);
  }
  return ([0, 1] as const).map((truth) =>
    ([0, 1] as const).map((predicted) => {
      const rows = members[truth][predicted];
      const shown = [...rows].sort((a, b) => Math.abs(probabilities[a] - threshold) - Math.abs(probabilities[b] - threshold) || a - b).slice(0, perCell);
      return { truth, predicted, count: rows.length, rows: shown };
    }),
  );
}
