// One selection run as `digits select` makes it: the CSV loaded, the records folder's fold cache
// opened, the run's lease taken (lease.ts, so prune leaves its folds alone), selectCandidates
// run, the record saved. Everything a user can get wrong is refused before the data is loaded.
import { DEFAULT_TRAIN_CSV } from "../data/default-files";
import { loadCsv, type LoadCsvOptions } from "../data/csv";
import { type LoadedDataset } from "../data/dataset";
import { resolveSelectionConfig } from "./config";
import { checkRecordsWritable, experimentsDir, foldCacheDir, saveExperiment } from "./experiments";
import { FoldCache } from "./fold-cache";
import { takeLease } from "./lease";
import { type ExperimentRecord } from "./record";
import { comparisonSettings } from "./plan";
import { raceSettings } from "./race";
import { selectCandidates, type SelectionOptions } from "./select";

export interface RunExperimentOptions extends SelectionOptions, LoadCsvOptions {
  /** CSV to select on; default data/train.csv (built on first use). */
  data?: string;
  /** Where the record goes; default reports/experiments under the project root. Its fold cache is <dir>/cache. */
  dir?: string;
  /** Told of each unusable cache entry (it is trained again). */
  onCacheWarning?: (message: string) => void;
}

/**
 * Loads the CSV, runs selectCandidates with the records folder's fold cache, saves the record;
 * returns it, its path and the rows of other digits the load dropped (see LoadedDataset). Bad
 * settings and a records folder or cache that cannot be written are InputErrors before the load.
 */
export async function runExperiment(options: RunExperimentOptions = {}): Promise<{ record: ExperimentRecord; path: string; dropped: LoadedDataset["dropped"] }> {
  const { data = DEFAULT_TRAIN_CSV, dir = experimentsDir(), binaryOnly, pair, onCacheWarning, ...selection } = options;
  const config = resolveSelectionConfig(selection); // bad settings fail before the (slow) load
  comparisonSettings(selection);
  if (selection.race) raceSettings(selection.race, config);
  checkRecordsWritable(dir); // and so does a folder the record or the folds cannot go to
  const dataset = loadCsv(data, { binaryOnly, pair });
  const cache = new FoldCache(foldCacheDir(dir), onCacheWarning);
  let lease: ReturnType<typeof takeLease> | undefined;
  try {
    const record = await selectCandidates(dataset, {
      cache,
      ...selection,
      source: data,
      onKeys: (keys) => {
        // Taken before the cache is read: prune must not delete what this run reuses or writes.
        lease = takeLease(dir, keys);
        selection.onKeys?.(keys);
      },
    });
    return { record, path: saveExperiment(record, dir), dropped: dataset.dropped };
  } finally {
    lease?.release();
  }
}
