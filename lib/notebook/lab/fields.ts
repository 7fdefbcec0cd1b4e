// The lab panels' fields read as settings: what the reader typed, checked before anything trains,
// each problem an InputError naming the field and saying what to type. Platform-neutral: the page
// calls it, and the tests check it in Node.
import { InputError } from "../../core/errors";
import { ACTIVATIONS, modelConfig, type Activation } from "../../model/model";
import { resolveTrainConfig } from "../../model/train";
import { parseGrid, parseLayers, resolveSelectionConfig, type SelectionConfig } from "../../selection/config";
import type { TrainSettings } from "./lab-config";

/** A whole number typed in the field `label` ("epochs"). */
function wholeNumber(label: string, text: string): number {
  const value = text.trim();
  if (!/^\d+$/.test(value)) throw new InputError(`${label}: ${value === "" ? "empty" : `"${value}" is not a whole number`}; type one, e.g. 20`);
  return Number(value);
}

/** A number typed in the field `label` ("learning rate"): 0.001, 1e-3. */
function decimalNumber(label: string, text: string): number {
  const value = text.trim();
  const n = value === "" ? NaN : Number(value);
  if (!Number.isFinite(n)) throw new InputError(`${label}: ${value === "" ? "empty" : `"${value}" is not a number`}; type one, e.g. 0.001`);
  return n;
}

/** The train panel's fields as the reader filled them in. */
export interface TrainFields {
  layers: string;
  activation: string;
  learningRate: string;
  epochs: string;
  seed: string;
}

/** The training the fields ask for (the batch size stays the notebook's); InputError for what cannot train. */
export function trainSettingsOf(fields: TrainFields, notebook: TrainSettings): TrainSettings {
  let layers: number[];
  try {
    layers = parseLayers(fields.layers);
  } catch (error) {
    if (error instanceof InputError) throw new InputError(`hidden layers: ${error.message}`);
    throw error;
  }
  const activation = fields.activation as Activation;
  if (!ACTIVATIONS.includes(activation)) throw new InputError(`activation: "${fields.activation}" is not one of ${ACTIVATIONS.join(", ")}`);
  modelConfig(layers, activation);
  const train = resolveTrainConfig({
    epochs: wholeNumber("epochs", fields.epochs),
    batchSize: notebook.batchSize,
    learningRate: decimalNumber("learning rate", fields.learningRate),
    seed: wholeNumber("seed", fields.seed),
  });
  return { layers, activation, learningRate: train.learningRate, epochs: train.epochs, batchSize: train.batchSize, seed: train.seed };
}

/** The select panel's fields: the notebook's candidates left ticked (their layer specs), more typed in, and the settings. */
export interface SelectFields {
  ticked: string[];
  candidates: string;
  folds: string;
  epochs: string;
  seed: string;
  repeats: string;
}

/**
 * The selection the fields ask for: the ticked candidates in the notebook's order, then those typed
 * in (e.g. "none; 8; 25,15"); the activations, learning rates, batch size and threshold stay the
 * notebook's. InputError for a setting that cannot run.
 */
export function selectSettingsOf(fields: SelectFields, notebook: SelectionConfig): SelectionConfig {
  const grid = fields.ticked.map((spec) => parseLayers(spec));
  if (fields.candidates.trim() !== "") grid.push(...parseGrid(fields.candidates, "candidates"));
  if (grid.length === 0) throw new InputError("no candidates: tick one of the notebook's, or type some, e.g. none; 8; 25,15");
  const settings: SelectionConfig = {
    ...notebook,
    grid,
    folds: wholeNumber("folds", fields.folds),
    epochs: wholeNumber("epochs", fields.epochs),
    seed: wholeNumber("seed", fields.seed),
    repeats: wholeNumber("repeats", fields.repeats),
  };
  resolveSelectionConfig(settings);
  return settings;
}
