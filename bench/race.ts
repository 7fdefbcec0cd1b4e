// `npm run bench -- --only race`: `digits select --race` against the full run on a grid where
// racing pays, 6 layer sets × 3 activations × 3 learning rates (48 candidates: logistic regression
// has no activation, so it is one per learning rate, not three), on 4 against 9 with --repeats 2
// (480 fold runs in full), both cold (no fold cache) on 2 threads: folds trained,
// wall time and winner of each, with the load average beside each time, as the machine may be
// shared. `--quick` is a smoke run of the same on a few rows and epochs.
import { loadavg } from "node:os";
import { join } from "node:path";
import { mkdirSync } from "node:fs";
import { writeFileAtomic } from "../lib/core/files";
import { pairDataFiles, type Pair } from "../lib/core/pair";
import { projectRoot } from "../lib/core/project";
import { loadCsv } from "../lib/data/csv";
import { resolveDataPath } from "../lib/data/default-files";
import { subset } from "../lib/data/split";
import type { Dataset } from "../lib/data/dataset";
import { ACTIVATIONS } from "../lib/model/model";
import { candidates as gridCandidates, DEFAULT_GRID } from "../lib/selection/config";
import { selectCandidates, type SelectionOptions } from "../lib/selection/select";

const PAIR: Pair = [4, 9];
const LEARNING_RATES = [0.0003, 0.001, 0.003];

/** One timed selection: folds trained, seconds, winner, and the 1-minute load average before and after. */
interface RaceRun {
  mode: "race" | "full";
  foldsTrained: number;
  folds: number;
  seconds: number;
  winner: string;
  stopped: number;
  load: [number, number];
}

async function timed(data: Dataset, options: SelectionOptions, mode: RaceRun["mode"]): Promise<RaceRun> {
  const before = loadavg()[0];
  const started = performance.now();
  const record = await selectCandidates(data, { ...options, ...(mode === "race" ? { race: {} } : {}) });
  const seconds = (performance.now() - started) / 1000;
  return {
    mode,
    // Every fold trained, those ahead of a stop (in the cache, not the record) too: they cost time.
    foldsTrained: record.cache.trained + (record.cache.pastStops ?? 0),
    folds: record.folds.length,
    seconds,
    winner: record.winner.architecture,
    stopped: record.summary.filter((s) => s.stopped).length,
    load: [before, loadavg()[0]],
  };
}

/** Runs the race benchmark, prints its table and writes reports/bench-race.json. */
export async function benchRace(quick: boolean): Promise<void> {
  const full = loadCsv(resolveDataPath(pairDataFiles(PAIR).train), { pair: PAIR });
  const data = quick ? subset(full, Array.from({ length: 600 }, (_, i) => i * Math.floor(full.rows / 600))) : full;
  const options: SelectionOptions = { grid: DEFAULT_GRID.map((layers) => [...layers]), activations: [...ACTIVATIONS], learningRates: LEARNING_RATES, repeats: 2, epochs: quick ? 2 : 20, threads: 2 };
  const candidates = gridCandidates({ grid: options.grid!, activations: options.activations!, learningRates: options.learningRates! }).length;
  console.error(`Race: ${candidates} candidates (${DEFAULT_GRID.length} layer sets × ${ACTIVATIONS.join(", ")} × learning rates ${LEARNING_RATES.join(", ")}), ${PAIR.join(" vs ")}, ${data.rows} rows, 5 folds × 2 repeats, ${options.epochs} epochs, 2 threads, no cache; --race, then the full run …`);
  const runs = [await timed(data, options, "race"), await timed(data, options, "full")];
  console.log(`\nRace against the full run (${candidates} candidates, ${PAIR.join(" vs ")}, --repeats 2):`);
  console.log(`${"run".padEnd(6)} ${"folds trained".padStart(14)} ${"stopped".padStart(8)} ${"seconds".padStart(9)} ${"load (1 min) before → after".padStart(28)}  winner`);
  for (const r of runs) {
    console.log(`${r.mode.padEnd(6)} ${`${r.foldsTrained}`.padStart(14)} ${`${r.stopped}`.padStart(8)} ${r.seconds.toFixed(1).padStart(9)} ${`${r.load[0].toFixed(1)} → ${r.load[1].toFixed(1)}`.padStart(28)}  ${r.winner}`);
  }
  const [race, all] = runs;
  console.log(`The race trained ${((100 * race.foldsTrained) / all.foldsTrained).toFixed(0)}% of the folds in ${((100 * race.seconds) / all.seconds).toFixed(0)}% of the time; same winner: ${race.winner === all.winner ? "yes" : "no"}`);
  const out = join(projectRoot(), "reports", "bench-race.json");
  mkdirSync(join(projectRoot(), "reports"), { recursive: true });
  writeFileAtomic(out, Buffer.from(JSON.stringify({ date: new Date().toISOString(), quick, pair: PAIR, candidates, rows: data.rows, options: { ...options, grid: DEFAULT_GRID }, runs }, null, 2) + "\n"));
  console.log(`Written ${out}`);
}
