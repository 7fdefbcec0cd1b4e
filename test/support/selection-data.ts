// Shared by the selection and experiments tests: a small dataset and grid that cross-validate in seconds.
import { loadCsv } from "../../lib/data/csv";
import type { Dataset } from "../../lib/data/dataset";
import { DEFAULT_TRAIN_CSV } from "../../lib/data/default-files";
import type { SelectionOptions } from "../../lib/selection/select";
import { subset } from "../../lib/data/split";

let small: Dataset | undefined;

/** A few hundred rows spread over the whole training file: both classes, seconds to cross-validate. */
export function smallData(): Dataset {
  if (!small) {
    const full = loadCsv(DEFAULT_TRAIN_CSV);
    const step = Math.floor(full.rows / 300);
    small = subset(full, Array.from({ length: 300 }, (_, i) => i * step));
  }
  return small;
}

export const SMALL: SelectionOptions = { grid: [[], [8]], folds: 3, epochs: 2, seed: 13 };
