// `npm run bench`: seconds per epoch of our trainer beside PyTorch and scikit-learn on the same
// job, the wall time of the default model selection with 1 and 2 threads (and with --repeats 3), and that of the pairs
// map (`digits pairs`, which must stay under a minute on two cores), and the report's lab in
// headless Chromium beside the same runs in Node (bench/lab.ts). `-- --only pairs` times the pairs
// map alone, `-- --only race` `--race` against the full run on 48 candidates (./race), `-- --only lab`
// the lab.
// Prints a table and writes the same to reports/bench.json. Not part of `npm test`: timings
// depend on the machine and its load, so they are reported, never asserted.
import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import { median } from "simple-statistics";
import { loadCsv } from "../lib/data/csv";
import type { Dataset } from "../lib/data/dataset";
import { resolveDataPath, DEFAULT_TEST_CSV, DEFAULT_TRAIN_CSV } from "../lib/data/default-files";
import { timeLab, type LabTiming } from "./lab";
import { projectRoot } from "../lib/core/project";
import { writeFileAtomic } from "../lib/core/files";
import { subset } from "../lib/data/split";
import { modelConfig, parameterCount } from "../lib/model/model";
import { Trainer, predictProbabilities } from "../lib/model/train";
import { accuracy, predictLabels } from "../lib/evaluation/metrics";
import { initBackend, tf } from "../lib/model/backend";
// The tfjs peer trains on the whole @tensorflow/tfjs package, as its users load it (tf() has core and layers).
import "@tensorflow/tfjs";
import { selectCandidates } from "../lib/selection/select";
import { DEFAULT_GRID } from "../lib/selection/config";
import { DEFAULT_PAIRS_CONFIG, describePairsConfig } from "../lib/pairs/config";
import { readDigitImages } from "../lib/pairs/images";
import { scorePairs } from "../lib/pairs/score-pairs";
import { findPython, pythonCandidates } from "../lib/report/jupyter";
import { benchRace } from "./race";

/** A Python peer: its script in bench/, what it imports, and how to get that on Debian/Ubuntu. */
interface Peer {
  script: string;
  label: string;
  modules: readonly string[];
  install: string;
}

const TORCH: Peer = { script: "peer_torch.py", label: "PyTorch (1 thread)", modules: ["torch", "numpy", "threadpoolctl"], install: "apt-get install python3-torch python3-threadpoolctl" };
const SKLEARN: Peer = { script: "peer_sklearn.py", label: "scikit-learn MLPClassifier", modules: ["sklearn", "numpy", "threadpoolctl"], install: "apt-get install python3-sklearn python3-threadpoolctl" };

interface TrainerTiming {
  name: string;
  secondsPerEpoch: number;
  epochTimes: number[];
  trainAccuracy: number;
  note?: string;
}

interface Job {
  rows: number;
  layers: number[];
  /** Timed epochs, after `warmup` untimed ones; every trainer trains warmup + epochs in all. */
  epochs: number;
  warmup: number;
  batchSize: number;
  learningRate: number;
  seed: number;
}

function argValue(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

/** Our trainer, the one `digits train`, the selection and the notebooks use. */
function timeOurs(data: Dataset, job: Job, name: string): TrainerTiming {
  const trainer = new Trainer(data, modelConfig(job.layers), {
    epochs: job.warmup + job.epochs,
    batchSize: job.batchSize,
    learningRate: job.learningRate,
    seed: job.seed,
  });
  for (let e = 0; e < job.warmup; e++) trainer.runEpoch();
  const times: number[] = [];
  while (!trainer.done) times.push(trainer.runEpoch().seconds);
  const acc = accuracy(data.labels, predictLabels(predictProbabilities(trainer.network(), data)));
  return { name, secondsPerEpoch: median(times), epochTimes: times, trainAccuracy: acc };
}

/** TensorFlow.js `model.fit` on the backend in use: what a straightforward port would get. */
async function timeModelFit(data: Dataset, job: Job): Promise<TrainerTiming> {
  const backend = await initBackend({ quiet: true });
  const t = tf();
  const model = t.sequential();
  job.layers.forEach((units, i) => model.add(t.layers.dense({ units, activation: "sigmoid", inputShape: i === 0 ? [data.cols] : undefined })));
  model.add(t.layers.dense({ units: 1, activation: "sigmoid", inputShape: job.layers.length === 0 ? [data.cols] : undefined }));
  model.compile({ optimizer: t.train.adam(job.learningRate), loss: "binaryCrossentropy", metrics: ["accuracy"] });
  const x = t.tensor2d(data.features, [data.rows, data.cols]);
  const y = t.tensor2d(Float32Array.from(data.labels), [data.rows, 1]);
  const times: number[] = [];
  let started = 0;
  const epochs = Math.min(job.epochs, 3) + 1;
  const history = await model.fit(x, y, {
    epochs,
    batchSize: job.batchSize,
    shuffle: true,
    verbose: 0,
    callbacks: {
      onEpochBegin: async () => {
        started = performance.now();
      },
      onEpochEnd: async (epoch) => {
        if (epoch > 0) times.push((performance.now() - started) / 1000);
      },
    },
  });
  const acc = history.history.acc ?? history.history.accuracy;
  t.dispose([x, y]);
  model.dispose();
  return {
    name: `TF.js model.fit (${backend.name})`,
    secondsPerEpoch: median(times),
    epochTimes: times,
    trainAccuracy: Number(acc[acc.length - 1]),
    note: `${epochs - 1} epochs after 1 warm-up; running accuracy of the last epoch`,
  };
}

/**
 * Runs a peer with the first Python (lib/report/jupyter's candidates: $DIGITS_PYTHON alone when set,
 * else the one behind `jupyter`, python3, /usr/bin/python3, python) that can import what the peer
 * needs: the first python3 on PATH is often a pyenv or virtualenv one without torch.
 */
function timePeer(peer: Peer, csv: string, job: Job): TrainerTiming | { name: string; skipped: string } {
  const candidates = pythonCandidates();
  const python = findPython(peer.modules, candidates)?.python;
  if (!python) {
    const where = process.env.DIGITS_PYTHON ? `DIGITS_PYTHON=${process.env.DIGITS_PYTHON}` : `any of ${candidates.join(", ")}`;
    return { name: peer.label, skipped: `no Python with ${peer.modules.join(", ")} (tried ${where}); ${peer.install}, or set DIGITS_PYTHON to a Python that has them` };
  }
  try {
    const out = execFileSync(
      python,
      [join(projectRoot(), "bench", peer.script), "--data", csv, "--rows", String(job.rows), "--layers", job.layers.join(","),
        "--epochs", String(job.epochs), "--warmup", String(job.warmup), "--batch-size", String(job.batchSize),
        "--lr", String(job.learningRate), "--seed", String(job.seed)],
      { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] },
    );
    const result = JSON.parse(out);
    return {
      name: `${peer.label} ${result.version}`,
      secondsPerEpoch: result.medianSecondsPerEpoch,
      epochTimes: result.secondsPerEpoch,
      trainAccuracy: result.trainAccuracy,
      note: `run with ${python}`,
    };
  } catch (error) {
    const stderr = String((error as { stderr?: string }).stderr ?? (error as Error).message);
    return { name: peer.label, skipped: `${python} ${peer.script} failed: ${stderr.trim().split("\n").pop() ?? "no message"}` };
  }
}

async function timeSelection(data: Dataset, threads: number, epochs: number, folds: number, repeats = 1): Promise<number> {
  const started = performance.now();
  await selectCandidates(data, { threads, epochs, folds, repeats });
  return (performance.now() - started) / 1000;
}

/** The cost of repeated k-fold (--repeats 3) beside one repeat, both on 2 threads and nothing cached. */
async function timeRepeats(data: Dataset, epochs: number, folds: number, oneRepeat: number): Promise<{ repeats: number; seconds2Workers: number; ratioToOneRepeat: number }> {
  console.error(`\nThe same with --repeats 3 (${DEFAULT_GRID.length * folds * 3} fold runs), 2 threads …`);
  const seconds = await timeSelection(data, 2, epochs, folds, 3);
  console.log(`Model selection, default grid, --repeats 3: 2 threads ${fmt(seconds, 1)} s (${fmt(seconds / oneRepeat, 2)} × --repeats 1)`);
  return { repeats: 3, seconds2Workers: seconds, ratioToOneRepeat: seconds / oneRepeat };
}

const fmt = (x: number, digits = 4) => x.toFixed(digits);

/** `digits pairs` with the default settings, computed (never a reused record): reading and hashing the IDX files, then all 45 pairs. */
async function timePairs(threads: number): Promise<{ seconds: number; threads: number; settings: string }> {
  const started = performance.now();
  const source = readDigitImages();
  await scorePairs(source.images, { ...DEFAULT_PAIRS_CONFIG }, { threads });
  return { seconds: (performance.now() - started) / 1000, threads, settings: describePairsConfig(DEFAULT_PAIRS_CONFIG) };
}

function printPairs(pairs: { seconds: number; threads: number }): void {
  console.log(`\nPairs map (digits pairs, 45 pairs, default settings), ${pairs.threads} threads: ${fmt(pairs.seconds, 1)} s (limit 60 s)`);
}

/** The report's lab against Node (bench/lab.ts), on the default training and test CSVs. */
function benchLab(quick: boolean): Promise<LabTiming[]> {
  console.error(`\nThe report's lab in headless Chromium against Node: training 25-15, then the default selection …`);
  const epochs = argValue("epochs", quick ? 2 : 20);
  return timeLab(loadCsv(resolveDataPath(DEFAULT_TRAIN_CSV)), loadCsv(resolveDataPath(DEFAULT_TEST_CSV)), {
    epochs,
    selectionEpochs: argValue("selection-epochs", quick ? 2 : 20),
    folds: argValue("selection-folds", quick ? 3 : 5),
  });
}

function printLab(lab: readonly LabTiming[]): void {
  console.log("\nThe report's lab (page: click to done in headless Chromium; Node: the same run; target ≤ 2×):");
  for (const t of lab) console.log(`  ${t.what}: Node ${fmt(t.nodeSeconds, 1)} s, page ${fmt(t.pageSeconds, 1)} s (${fmt(t.ratio, 2)} ×)`);
}

async function main(): Promise<void> {
  const quick = process.argv.includes("--quick");
  const only = process.argv.includes("--only") ? process.argv[process.argv.indexOf("--only") + 1] : undefined;
  if (only !== undefined && only !== "pairs" && only !== "race" && only !== "lab") throw new Error(`--only ${only}: the items that run alone are "pairs", "race" and "lab"`);
  if (only === "race") return benchRace(quick);
  if (only === "pairs") {
    console.error(`Pairs map: ${describePairsConfig(DEFAULT_PAIRS_CONFIG)}, 2 threads …`);
    printPairs(await timePairs(2));
    return;
  }
  if (only === "lab") {
    printLab(await benchLab(quick));
    return;
  }
  const job: Job = {
    rows: argValue("rows", 6612), // the reference notebook's 75% of Kaggle's 8,816 zeros and ones
    layers: [25, 15],
    epochs: argValue("epochs", quick ? 2 : 15),
    warmup: 1,
    batchSize: 32,
    learningRate: 0.001,
    seed: 13,
  };
  const csv = resolveDataPath(DEFAULT_TRAIN_CSV);
  const full = loadCsv(csv);
  const data = subset(full, Array.from({ length: job.rows }, (_, i) => i));
  const dense: Dataset = { ...data, features: data.features.map((v) => 0.05 + 0.9 * v) };
  console.error(`Benchmark: ${job.rows} rows of ${DEFAULT_TRAIN_CSV}, Dense 784→${job.layers.join("→")}→1 (${parameterCount(modelConfig(job.layers))} parameters), batch ${job.batchSize}, Adam ${job.learningRate}, ${job.epochs} timed epochs after ${job.warmup} warm-up`);

  const ours = timeOurs(data, job, "binary-digits (WASM SIMD kernels)");
  const oursDense = timeOurs(dense, job, "binary-digits, dense input (no zeros)");
  const torch = timePeer(TORCH, csv, job);
  const sklearn = timePeer(SKLEARN, csv, job);
  const fit = await timeModelFit(data, job);
  const rows = [ours, oursDense, torch, sklearn, fit];
  const reference = "secondsPerEpoch" in torch ? torch.secondsPerEpoch : null;

  console.log(`\nSeconds per epoch (median), ${job.rows} rows:`);
  console.log(`${"trainer".padEnd(44)} ${"s/epoch".padStart(8)} ${"× PyTorch".padStart(10)} ${"train acc".padStart(10)}`);
  for (const r of rows) {
    if ("skipped" in r) console.log(`${r.name.padEnd(44)} skipped: ${r.skipped}`);
    else console.log(`${r.name.padEnd(44)} ${fmt(r.secondsPerEpoch).padStart(8)} ${(reference ? fmt(r.secondsPerEpoch / reference, 2) : "–").padStart(10)} ${fmt(r.trainAccuracy, 5).padStart(10)}`);
  }

  const selectionEpochs = argValue("selection-epochs", quick ? 2 : 20);
  const selectionFolds = argValue("selection-folds", quick ? 3 : 5);
  console.error(`\nDefault selection grid (${DEFAULT_GRID.length} architectures × ${selectionFolds} folds × ${selectionEpochs} epochs, ${full.rows} rows), 1 thread then 2 …`);
  const serial = await timeSelection(full, 1, selectionEpochs, selectionFolds);
  const parallel = await timeSelection(full, 2, selectionEpochs, selectionFolds);
  console.log(`\nModel selection, default grid: 1 thread ${fmt(serial, 1)} s, 2 threads ${fmt(parallel, 1)} s (ratio ${fmt(parallel / serial, 2)})`);
  const repeated = await timeRepeats(full, selectionEpochs, selectionFolds, parallel);

  console.error(`\nPairs map: ${describePairsConfig(DEFAULT_PAIRS_CONFIG)}, 2 threads …`);
  const pairs = await timePairs(2);
  printPairs(pairs);

  const lab = await benchLab(quick);
  printLab(lab);

  const report = {
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, cpu: cpus()[0]?.model, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version },
    job,
    trainers: rows.map((r) => ("skipped" in r ? r : { ...r, ratioToPyTorch: reference ? r.secondsPerEpoch / reference : null })),
    selection: { grid: DEFAULT_GRID, folds: selectionFolds, epochs: selectionEpochs, rows: full.rows, seconds1Worker: serial, seconds2Workers: parallel, ratio: parallel / serial, repeated },
    pairs,
    lab,
  };
  const out = join(projectRoot(), "reports", "bench.json");
  mkdirSync(join(projectRoot(), "reports"), { recursive: true });
  writeFileAtomic(out, Buffer.from(JSON.stringify(report, null, 2) + "\n"));
  console.log(`\nWritten ${out}`);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
