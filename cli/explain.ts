// `digits explain`: which pixels push a saved model's logit towards each digit of its pair, for
// chosen rows of a CSV: saliency and integrated gradients (lib/evaluation/attributions).
import { DEFAULT_TEST_CSV } from "../lib/data/default-files";
import type { LoadedDataset } from "../lib/data/dataset";
import { subset } from "../lib/data/split";
import { digitOf, type Pair } from "../lib/core/pair";
import { InputError } from "../lib/core/errors";
import { visible } from "../lib/core/format";
import { attribute, attributionSum, ATTRIBUTION_METHODS, DEFAULT_STEPS, MAX_STEPS, strongestPixels, type Attribution, type AttributionMethod } from "../lib/evaluation/attributions";
import { REFERENCE_HIDDEN } from "../lib/model/model";
import { predictProbabilities } from "../lib/model/train";
import { type Command, type Flags, out, str, num, pairFlag } from "./common";
import { modelAndData } from "./evaluate";

export const explainCommand: Command = {
  summary: "which pixels push a saved model towards each digit (saliency, integrated gradients)",
  usage: `Usage: digits explain --rows I,J,... [--model DIR] [--data FILE] [--digits A,B]
                      [--method saliency|integrated-gradients|both] [--steps N] [--json]

Attributes the model's logit (its output before the sigmoid; positive pushes towards the second
digit B) to each pixel of the chosen rows, with respect to the scaled input x = pixel / 255:
saliency is the gradient d logit / d x at the image; integrated gradients multiply x by the
average gradient on the straight path from a black image (the baseline) to x, by the
trapezoidal rule with N intervals, and sum to logit - baselineLogit up to the rule's error.

Options:
  --rows I,J,...       rows to explain: 0-based indexes among the CSV's data rows, as in
                       digits evaluate --predictions (required)
  --model DIR          a folder written by digits train (default: models/${REFERENCE_HIDDEN.join("-")}, or
                       models/A-B/${REFERENCE_HIDDEN.join("-")} with --digits A,B)
  --data FILE          CSV the rows are taken from (default: ${DEFAULT_TEST_CSV}, or
                       data/A-B/test.csv for a model of the pair A,B)
  --digits A,B         the model's pair, as a check (required for a model without training.json)
  --binary-only        the same as --digits 0,1
  --method NAME        saliency, integrated-gradients or both (default both)
  --steps N            intervals of the integrated gradients' path (default ${DEFAULT_STEPS}: ${DEFAULT_STEPS + 1} points; at most ${MAX_STEPS})
  --json               print one JSON object {digits, method, steps, rows: [{index, label,
                       probability, logit, baselineLogit, saliency, integratedGradients}]}
                       (each map 784 numbers, pixels row by row), nothing else
  -h, --help           show this help`,
  options: {
    rows: { type: "string" },
    model: { type: "string" },
    data: { type: "string" },
    digits: { type: "string" },
    "binary-only": { type: "boolean" },
    method: { type: "string" },
    steps: { type: "string" },
    json: { type: "boolean" },
  },
  async run(flags) {
    const rows = rowsFlag(flags);
    const method = str(flags, "method", "both") as AttributionMethod;
    if (!ATTRIBUTION_METHODS.includes(method)) throw new InputError(`--method "${method}": expected one of ${ATTRIBUTION_METHODS.join(", ")}`);
    const steps = num(flags, "steps", DEFAULT_STEPS, "positive-int");
    if (steps > MAX_STEPS) throw new InputError(`--steps ${flags.steps}: at most ${MAX_STEPS.toLocaleString("en-US")} (each step is a point of the path, all held in memory at once; ${DEFAULT_STEPS}, the default, is already close to exact)`);
    const { dir, network, pair, data, dataset } = await modelAndData(flags, "explain");
    const kept = keptRows(dataset, rows, data);
    const probabilities = predictProbabilities(network, subset(dataset, kept));
    const explained = kept.map((k, i) => {
      const x = dataset.features.subarray(k * dataset.cols, (k + 1) * dataset.cols);
      return { index: rows[i], label: digitOf(pair, dataset.labels[k]), probability: probabilities[i], ...attribute(network, x, steps) };
    });
    if (flags.json) {
      out(JSON.stringify({ digits: [...pair], method, steps, rows: explained.map((r) => jsonRow(r, method)) }));
      return;
    }
    out(`${visible(dir)}, ${pair[0]} against ${pair[1]}: attributions of the logit (positive pushes towards ${pair[1]}) on ${visible(data)}`);
    for (const r of explained) printRow(r, method, pair, dataset.cols, steps);
  },
};

/** --rows "3,17": distinct whole numbers ≥ 0, in the order given. */
function rowsFlag(flags: Flags): number[] {
  const v = flags.rows;
  if (typeof v !== "string") throw new InputError("explain: --rows I,J,... is required: the 0-based indexes of the CSV's data rows to explain, e.g. --rows 0,1,2");
  const rows = v.split(",").map((part) => {
    const text = part.trim();
    if (!/^\d+$/.test(text)) throw new InputError(`--rows "${v}": "${part}" is not a row index; expected whole numbers ≥ 0 separated by commas, e.g. 0,1,2`);
    // Past 2^53 a number is rounded, and a message would quote a row the user did not type.
    if (!Number.isSafeInteger(Number(text))) throw new InputError(`--rows "${v}": row ${text} is too large to be a row of a CSV; rows are 0-based indexes among the data rows`);
    return Number(text);
  });
  const repeated = rows.find((r, i) => rows.indexOf(r) !== i);
  if (repeated !== undefined) throw new InputError(`--rows "${v}": row ${repeated} is given twice`);
  return rows;
}

/** Each asked row's place in the loaded dataset (file rows of other digits were dropped). */
function keptRows(dataset: LoadedDataset, rows: readonly number[], data: string): number[] {
  const place = new Map<number, number>();
  dataset.rowIndex.forEach((fileRow, k) => place.set(fileRow, k));
  return rows.map((r) => {
    const k = place.get(r);
    if (k !== undefined) return k;
    const last = dataset.rowIndex.length > 0 ? dataset.rowIndex[dataset.rowIndex.length - 1] : -1;
    if (r > last) throw new InputError(`--rows: ${data} has no data row ${r} of the digits ${dataset.pair.join(" and ")} (the last one is row ${last}); rows are 0-based indexes among the data rows`);
    throw new InputError(`--rows: row ${r} of ${data} is not a ${dataset.pair[0]} or a ${dataset.pair[1]} (the model's pair), so the model cannot explain it; choose rows of its pair (see digits evaluate --predictions)`);
  });
}

type Explained = Attribution & { index: number; label: number; probability: number };

function jsonRow(r: Explained, method: AttributionMethod): Record<string, unknown> {
  const row: Record<string, unknown> = { index: r.index, label: r.label, probability: r.probability, logit: r.logit, baselineLogit: r.baselineLogit };
  if (method !== "integrated-gradients") row.saliency = Array.from(r.saliency);
  if (method !== "saliency") row.integratedGradients = Array.from(r.integratedGradients);
  return row;
}

/** "(row 14, column 15) +0.412": a pixel of a square image and its attribution. */
function pixel(index: number, value: number, cols: number): string {
  const side = Math.round(Math.sqrt(cols));
  const where = side * side === cols ? `(row ${Math.floor(index / side)}, column ${index % side})` : `pixel ${index}`;
  return `${where} ${value >= 0 ? "+" : ""}${value.toFixed(3)}`;
}

function printRow(r: Explained, method: AttributionMethod, pair: Pair, cols: number, steps: number): void {
  out();
  out(`row ${r.index}: a ${r.label}, P(${pair[1]}) = ${r.probability.toFixed(4)}, logit ${r.logit.toFixed(3)}, baseline logit (black image) ${r.baselineLogit.toFixed(3)}`);
  if (method !== "saliency") {
    const sum = attributionSum(r.integratedGradients);
    const expected = r.logit - r.baselineLogit;
    const gap = expected === 0 ? "" : ` (${((Math.abs(sum - expected) / Math.abs(expected)) * 100).toFixed(2)}% apart)`;
    out(`  integrated gradients (${steps} steps): sum ${sum.toFixed(3)} against logit - baseline logit ${expected.toFixed(3)}${gap}`);
    out(`    strongest pixels: ${strongestPixels(r.integratedGradients, 5).map((p) => pixel(p.index, p.value, cols)).join(", ")}`);
  }
  if (method !== "integrated-gradients") {
    out(`  saliency: largest gradients ${strongestPixels(r.saliency, 5).map((p) => pixel(p.index, p.value, cols)).join(", ")}`);
  }
}
