// "Train it yourself" (report 03): a panel that retrains the notebook's network in the reader's
// browser, on the rows the notebook trained, validated and tested on, with the kernels and engine
// the notebook used, so that its own settings give the notebook's weights to the byte (their
// SHA-256 says so) and other settings give what notebook 03 saves when run with them. Pure: it
// returns HTML; display.ts shows it; its page code is ./page (train-panel.ts).
import { createHash } from "node:crypto";
import { datasetPair, type Dataset } from "../../data/dataset";
import { evaluateSet } from "../../evaluation/evaluate";
import { ACTIVATIONS, weightsBytes } from "../../model/model";
import type { TrainResult } from "../../model/train";
import { nextId } from "../draw/widget";
import { embedRows, labEngine } from "./embed";
import type { TrainLabConfig } from "./lab-config";
import { labHtml, LAB_STYLE, runButtons, textField } from "./lab-html";

/** The rows notebook 03 used: trained on (fit), scored after every epoch (validation), and tested on. */
export interface TrainLabRows {
  fit: Dataset;
  validation: Dataset;
  test: Dataset;
}

export interface TrainLabOptions {
  /** The pair the labels stand for (default: the test rows' pair). */
  pair?: readonly [number, number];
  /** A probability above this predicts the pair's second digit (default 0.5, as the notebook's metrics). */
  threshold?: number;
  /** The container's id (default: a fresh one). */
  id?: string;
}

const count = (n: number) => n.toLocaleString("en-US");

/** The panel's fields, filled with the notebook's settings, the buttons and what the panel does. */
function controls(config: TrainLabConfig, rows: TrainLabRows): string {
  const s = config.settings;
  const options = ACTIVATIONS.map((a) => `<option value="${a}"${a === s.activation ? " selected" : ""}>${a}</option>`).join("");
  return (
    `<div style="margin:0.3em 0">` +
    textField("Hidden layers", "layers", s.layers.length === 0 ? "none" : s.layers.join(","), 10) +
    `<label>Activation <select name="activation" style="${LAB_STYLE.field}">${options}</select></label>` +
    textField("Learning rate", "learning-rate", String(s.learningRate)) +
    textField("Epochs", "epochs", String(s.epochs), 4) +
    textField("Seed", "seed", String(s.seed), 8) +
    `</div>` +
    runButtons("Train") +
    `<p style="${LAB_STYLE.note}">Hidden layers as <code>25,15</code>, <code>8</code> or <code>none</code> (logistic regression); batch size ${s.batchSize} as in the notebook. ` +
    `It trains on the notebook's ${count(rows.fit.rows)} rows, scores the ${count(rows.validation.rows)} validation rows after every epoch and the ${count(rows.test.rows)} test digits at the end, ` +
    `in a Web Worker, with the notebook's WebAssembly kernels and training code. The seed sets the initial weights and the order of the rows in each epoch; ` +
    `in the notebook it also drew the validation split, but here the rows stay the notebook's. ` +
    `With the notebook's settings the weights come out byte-identical to the model it saved.</p>` +
    `<div data-digits-lab-chart></div>`
  );
}

/**
 * The train panel of notebook 03: `result` is the notebook's training (its settings fill the
 * panel, its network is what the page's results stand beside), `rows` the rows it used. Hooks:
 * data-digits-lab="train", the fields layers, activation, learning-rate, epochs and seed,
 * data-digits-lab-run and -stop; while and after a run data-digits-lab-state (ready, running, done,
 * stopped, error), data-digits-lab-epochs, data-digits-lab-message, and when done
 * data-digits-lab-weights-sha256 and data-digits-lab-test-accuracy.
 */
export function trainLabHtml(result: TrainResult, rows: TrainLabRows, options: TrainLabOptions = {}): string {
  const { network, config: train } = result;
  const threshold = options.threshold ?? 0.5;
  for (const [name, set] of Object.entries(rows)) {
    if (set.cols !== network.config.inputSize) throw new RangeError(`the ${name} rows have ${set.cols} pixels; the network reads ${network.config.inputSize}`);
  }
  const pair = options.pair ?? datasetPair(rows.test);
  const config: TrainLabConfig = {
    pair: [pair[0], pair[1]],
    threshold,
    settings: { layers: [...network.config.hidden], activation: network.config.activation, learningRate: train.learningRate, epochs: train.epochs, batchSize: train.batchSize, seed: train.seed },
    rows: { fit: embedRows(rows.fit), validation: embedRows(rows.validation), test: embedRows(rows.test) },
    notebook: {
      weightsSha256: createHash("sha256").update(weightsBytes(network)).digest("hex"),
      test: evaluateSet(network, rows.test, threshold).metrics,
    },
    engine: labEngine("lab-train-worker"),
  };
  const parts = {
    print: "Train it yourself: the HTML version of this report retrains this network in your browser, with settings of your choice.",
    fallback: "Train it yourself: this panel runs in JavaScript. Open the HTML report (or run and trust the notebook) to retrain the network in your browser.",
    controls: controls(config, rows),
  };
  return labHtml("train", options.id ?? nextId("lab-train"), parts, config);
}
