// `digits explain` and the calibration of `digits evaluate --json`, run as a user runs them (a
// child process, the compiled CLI; bad flags, refused before any work, in this process), checked
// against computations made here from the files they read and write: the model's model.json +
// weights.bin, evaluate's own --predictions file.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, test } from "node:test";
import { ensureDefaultDataset } from "../../lib/data/default-files";
import { runDigits, runDigitsHere, type CliRun } from "../support/cli";

let work = "";

function digits(...args: string[]): CliRun {
  return runDigits(args, { cwd: work });
}

before(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), "digits-explain-"));
  const { train, test } = ensureDefaultDataset();
  const head = (file: string, rows: number) => fs.readFileSync(file, "utf8").split("\n").slice(0, rows + 1).join("\n") + "\n";
  fs.writeFileSync(path.join(work, "train.csv"), head(train, 600));
  fs.writeFileSync(path.join(work, "test.csv"), head(test, 300));
  const trained = digits("train", "--data", "train.csv", "--layers", "25,15", "--epochs", "4", "--model", "m", "--quiet");
  assert.equal(trained.code, 0, trained.stderr);
});

after(() => fs.rmSync(work, { recursive: true, force: true }));

/** The network straight from model.json + weights.bin: per layer its kernel (inputs × units), bias and activation. */
function readWeights(dir: string): { kernel: Float32Array; bias: Float32Array; inputs: number; units: number; activation: string }[] {
  const model = JSON.parse(fs.readFileSync(path.join(dir, "model.json"), "utf8"));
  const bytes = fs.readFileSync(path.join(dir, model.weightsManifest[0].paths[0]));
  const floats = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const specs: { shape: number[] }[] = model.weightsManifest[0].weights;
  const layers = model.modelTopology.config.layers;
  let at = 0;
  return layers.map((layer: { config: { activation: string } }, l: number) => {
    const [inputs, units] = specs[2 * l].shape;
    const kernel = floats.slice(at, (at += inputs * units));
    const bias = floats.slice(at, (at += units));
    return { kernel, bias, inputs, units, activation: layer.config.activation };
  });
}

/** The logit (the output layer before its sigmoid) of scaled inputs x. */
function logit(layers: ReturnType<typeof readWeights>, x: Float64Array): number {
  let values = Array.from(x);
  for (const [l, layer] of layers.entries()) {
    const z = Array.from(layer.bias, (b, j) => values.reduce((sum, v, i) => sum + v * layer.kernel[i * layer.units + j], b));
    if (l === layers.length - 1) return z[0];
    values = z.map((v) => (layer.activation === "relu" ? Math.max(0, v) : layer.activation === "tanh" ? Math.tanh(v) : 1 / (1 + Math.exp(-v))));
  }
  throw new Error("no layers");
}

/** Pixels of data row `index` of a CSV (label first), scaled to [0, 1]. */
function csvPixels(file: string, index: number): Float64Array {
  const line = fs.readFileSync(file, "utf8").split("\n")[index + 1];
  return Float64Array.from(line.split(",").slice(1), (v) => Number(v) / 255);
}

describe("digits explain", () => {
  test("saliency equals central differences of the logit computed from model.json + weights.bin; integrated gradients are complete within 1%", () => {
    const run = digits("explain", "--model", "m", "--data", "test.csv", "--rows", "0,1,7", "--json");
    assert.equal(run.code, 0, run.stderr);
    const result = JSON.parse(run.stdout);
    assert.deepEqual([result.digits, result.method, result.steps], [[0, 1], "both", 64]);
    const layers = readWeights(path.join(work, "m"));
    assert.deepEqual(result.rows.map((r: { index: number }) => r.index), [0, 1, 7]);
    for (const row of result.rows) {
      const x = csvPixels(path.join(work, "test.csv"), row.index);
      assert.ok(Math.abs(row.logit - logit(layers, x)) < 1e-4 * Math.max(1, Math.abs(row.logit)));
      assert.ok(Math.abs(row.baselineLogit - logit(layers, new Float64Array(784))) < 1e-4 * Math.max(1, Math.abs(row.baselineLogit)));
      assert.ok(Math.abs(row.probability - 1 / (1 + Math.exp(-row.logit))) < 1e-5);
      const scale = Math.max(...row.saliency.map(Math.abs));
      const h = 1e-3;
      for (let i = 0; i < 784; i++) {
        const up = x.slice();
        const down = x.slice();
        up[i] += h;
        down[i] -= h;
        const numeric = (logit(layers, up) - logit(layers, down)) / (2 * h);
        assert.ok(Math.abs(row.saliency[i] - numeric) <= 1e-4 * scale, `row ${row.index} pixel ${i}: ${row.saliency[i]} against ${numeric}`);
      }
      const sum = row.integratedGradients.reduce((a: number, b: number) => a + b, 0);
      assert.ok(Math.abs(sum - (row.logit - row.baselineLogit)) <= 0.01 * Math.abs(row.logit - row.baselineLogit));
    }
  });

  test("--method picks the maps; the text summary sets the sum against logit − baseline logit", () => {
    const saliency = JSON.parse(digits("explain", "--model", "m", "--data", "test.csv", "--rows", "3", "--method", "saliency", "--json").stdout);
    assert.equal(saliency.rows[0].saliency.length, 784);
    assert.equal(saliency.rows[0].integratedGradients, undefined);
    const text = digits("explain", "--model", "m", "--data", "test.csv", "--rows", "3", "--steps", "16");
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /row 3: a [01], P\(1\) = \d\.\d{4}/);
    assert.match(text.stdout, /integrated gradients \(16 steps\): sum -?\d+\.\d{3} against logit - baseline logit -?\d+\.\d{3}/);
    assert.match(text.stdout, /strongest pixels: \(row \d+, column \d+\) [+-]\d\.\d{3}/);
  });

  test("bad rows, methods and steps end with exit code 2 and one line saying how to fix them", async () => {
    // Refused by the flags' own checks, before any work: run in this process (runDigitsHere).
    const byFlags: [string[], RegExp][] = [
      [[], /--rows I,J,\.\.\. is required/],
      [["--rows", "1,x"], /--rows "1,x": "x" is not a row index/],
      [["--rows", "2,2"], /row 2 is given twice/],
      // Past 2^53 a number rounds: the message quotes the row as typed, not 100000000000000000000.
      [["--rows", "99999999999999999999"], /--rows "99999999999999999999": row 99999999999999999999 is too large/],
      [["--rows", "0", "--method", "gradcam"], /--method "gradcam": expected one of saliency, integrated-gradients, both/],
      [["--rows", "0", "--steps", "0"], /--steps "0"/],
      [["--rows", "0", "--steps", "1e9"], /--steps 1e9: at most 10,000 \(/],
    ];
    // Refused once the model and data are read (the model loads TensorFlow.js): run as a process.
    const byData: [string[], RegExp][] = [
      [["--rows", "300"], /has no data row 300 .*the last one is row 299/],
      // The model tells 0 from 1: explain (not evaluate) is the command to run again.
      [["--rows", "0", "--digits", "4,9"], /--digits 4,9: the model in m tells 0 from 1 .*; explain it with --digits 0,1/],
    ];
    const checks = [...byFlags.map(([args, message]) => ({ args, message, here: true })), ...byData.map(([args, message]) => ({ args, message, here: false }))];
    for (const { args, message, here } of checks) {
      const line = ["explain", "--model", "m", "--data", "test.csv", ...args];
      const run = here ? await runDigitsHere(line, { cwd: work }) : runDigits(line, { cwd: work });
      assert.equal(run.code, 2, `${args.join(" ")}: ${run.stderr}`);
      assert.match(run.stderr, message);
      assert.equal(run.stderr.trim().split("\n").length, 1);
      assert.equal(run.stdout, "");
    }
  });

  test("a model whose weights.bin holds NaN or Infinity is refused by explain and evaluate: exit 2 naming the file", () => {
    for (const [name, value] of [["m-nan", NaN], ["m-inf", -Infinity]] as const) {
      fs.cpSync(path.join(work, "m"), path.join(work, name), { recursive: true });
      const file = path.join(work, name, "weights.bin");
      const bytes = fs.readFileSync(file);
      bytes.writeFloatLE(value, 4 * 10);
      fs.writeFileSync(file, bytes);
      for (const command of [["explain", "--rows", "0"], ["evaluate"]]) {
        const run = digits(...command, "--model", name, "--data", "test.csv");
        assert.equal(run.code, 2, `${command[0]} ${name}: ${run.stderr}`);
        assert.match(run.stderr, new RegExp(`^digits: ${name}/weights.bin: \\S+ value 10 is ${value}; a model's weights must be finite numbers`));
      }
    }
  });

  test("a row of a digit outside the model's pair is refused by name", () => {
    const lines = fs.readFileSync(path.join(work, "test.csv"), "utf8").split("\n");
    lines[2] = "7" + lines[2].slice(1);
    fs.writeFileSync(path.join(work, "with-seven.csv"), lines.join("\n"));
    const run = digits("explain", "--model", "m", "--data", "with-seven.csv", "--rows", "1");
    assert.equal(run.code, 2);
    assert.match(run.stderr, /row 1 of .*with-seven\.csv is not a 0 or a 1/);
  });
});

describe("digits evaluate --json calibration", () => {
  test("the README's quick start shows its output with the keys it starts with, in order", () => {
    const run = digits("evaluate", "--model", "m", "--data", "test.csv", "--json");
    assert.equal(run.code, 0, run.stderr);
    const keys = Object.keys(JSON.parse(run.stdout));
    const readme = fs.readFileSync(path.join(__dirname, "..", "..", "README.md"), "utf8");
    const shown = /npx digits evaluate [^\n]*--json +# (\{.*\})$/m.exec(readme);
    assert.ok(shown, "the README's quick start runs evaluate --json and shows its output");
    const shownKeys = [...shown[1].matchAll(/"(\w+)":/g)].map((m) => m[1]);
    assert.deepEqual(shownKeys, keys.slice(0, shownKeys.length), `README shows ${shown[1]}; evaluate --json prints the keys ${keys.join(", ")}`);
    assert.ok(shownKeys.length >= 2);
  });

  test("its bins and ECE equal a computation from its own --predictions file", () => {
    const run = digits("evaluate", "--model", "m", "--data", "test.csv", "--predictions", "p.csv", "--json");
    assert.equal(run.code, 0, run.stderr);
    const { ece, calibration } = JSON.parse(run.stdout);
    const rows = fs.readFileSync(path.join(work, "p.csv"), "utf8").trim().split("\n").slice(1).map((line) => line.split(","));
    const n = rows.length;
    let expectedEce = 0;
    assert.equal(calibration.bins.length, 10);
    for (let b = 0; b < 10; b++) {
      const lower = b / 10;
      const upper = (b + 1) / 10;
      const inBin = rows.filter(([, , p]) => Number(p) >= lower && (Number(p) < upper || (b === 9 && Number(p) <= 1)));
      const bin = calibration.bins[b];
      assert.deepEqual([bin.lower, bin.upper, bin.count], [lower, upper, inBin.length]);
      if (inBin.length === 0) {
        assert.deepEqual([bin.meanProbability, bin.fractionPositive], [null, null]);
        continue;
      }
      const mean = inBin.reduce((s, [, , p]) => s + Number(p), 0) / inBin.length;
      const positive = inBin.filter(([, label]) => label === "1").length / inBin.length;
      assert.ok(Math.abs(bin.meanProbability - mean) < 1e-12);
      assert.ok(Math.abs(bin.fractionPositive - positive) < 1e-12);
      expectedEce += (inBin.length / n) * Math.abs(positive - mean);
    }
    assert.ok(Math.abs(ece - expectedEce) < 1e-12);
    assert.equal(calibration.bins.reduce((s: number, b: { count: number }) => s + b.count, 0), n);
  });
});
