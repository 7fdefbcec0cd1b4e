// Shared by the selection and experiments tests: a small dataset and grid that cross-validate in
// seconds, a CSV of the first rows of the training file, and temporary folders removed after the tests.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after } from "node:test";
import { DEFAULT_TRAIN_CSV, ensureDefaultDataset } from "../../lib/data/default-files";
import { loadCsv } from "../../lib/data/csv";
import { type Dataset } from "../../lib/data/dataset";
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

/** A runExperiment grid over smallCsv(): two candidates, three folds, two epochs, in this thread. */
export const RUN = { grid: [[], [8]], folds: 3, epochs: 2, seed: 13, threads: 1 };

const temps: string[] = [];
// Registered when the test file imports this module (at its top level, so it runs last).
after(() => {
  for (const dir of temps) fs.rmSync(dir, { recursive: true, force: true });
});

/** A new temporary folder, removed when the test file ends. */
export function tempDir(prefix = "digits-selection-"): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  temps.push(dir);
  return dir;
}

let trainLines: string[] | undefined;

/** A CSV of the first `rows` rows of data/train.csv (both classes; MNIST's order is mixed). */
export function smallCsv(rows = 300): string {
  // The file is built on first use, and read once per test file: loadCsv here parsed all 12,665
  // rows on every call (about a second each) only to have them built.
  if (!trainLines) {
    ensureDefaultDataset();
    trainLines = fs.readFileSync(path.join(__dirname, "..", "..", DEFAULT_TRAIN_CSV), "utf8").split("\n");
  }
  const file = path.join(tempDir(), "small.csv");
  fs.writeFileSync(file, trainLines.slice(0, rows + 1).join("\n") + "\n");
  return file;
}
