// Saved models: a folder in the TensorFlow.js layers format (model.json + weights.bin, loadable
// with tf.loadLayersModel) plus training.json, which says how and on what it was trained.
// Written without tfjs-node: the artifacts come from a save handler and are written here.
import { existsSync, readdirSync, readFileSync, statSync, type Dirent } from "node:fs";
import { basename, dirname, extname, join, resolve } from "node:path";
import type * as tfLayers from "@tensorflow/tfjs-layers";
import type { io } from "@tensorflow/tfjs-core";
import { initBackend, tf } from "./backend";
import { InputError } from "../core/errors";
import { fromLayersModel, toLayersModel, type ModelConfig, type Network } from "./model";
import type { History, TrainConfig, TrainResult } from "./train";
import { datasetPair, type Dataset } from "../data/dataset";
import { datasetFingerprint } from "../data/fingerprint";
import { packageVersion } from "../core/project";
import { DEFAULT_PAIR, isDigit, type Pair } from "../core/pair";
import { writeFolderAtomic } from "../core/files";

/** Everything saved beside the weights, so a model can be traced to its config and data. */
export interface TrainingRecord {
  model: ModelConfig;
  train: TrainConfig;
  /** `datasetFingerprint` of the rows it was trained on, and where they came from. */
  data: { fingerprint: string; rows: number; source?: string };
  /**
   * The pair it tells apart: [A, B], its output is P(B). Models saved before pairs existed lack
   * it and were trained on 0 and 1 (see modelPair).
   */
  digits?: [number, number];
  history?: History;
  /** Anything else worth keeping: metrics, the selection record it came from. */
  notes?: Record<string, unknown>;
  savedAt: string;
  versions: { tfjs: string; binaryDigits: string };
}

const MODEL_FILE = "model.json";
const WEIGHTS_FILE = "weights.bin";
export const TRAINING_FILE = "training.json";

/** The files of a saved model, as bytes: pure, so it can be tested without touching disk. */
async function modelArtifacts(
  network: Network,
  record: Omit<TrainingRecord, "savedAt" | "versions">,
): Promise<{ modelJson: string; weights: Uint8Array; training: string }> {
  await initBackend({ quiet: true });
  const t = tf();
  const model = toLayersModel(t, network);
  let captured: io.ModelArtifacts | null = null;
  await model.save(
    t.io.withSaveHandler(async (artifacts) => {
      captured = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON" } };
    }),
  );
  model.dispose();
  const artifacts = captured as io.ModelArtifacts | null;
  if (!artifacts || !artifacts.weightSpecs || !artifacts.weightData) throw new Error("TensorFlow.js returned no weights to save");
  const modelJson = {
    modelTopology: artifacts.modelTopology,
    format: artifacts.format,
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy ?? null,
    weightsManifest: [{ paths: [WEIGHTS_FILE], weights: artifacts.weightSpecs }],
  };
  const full: TrainingRecord = {
    ...record,
    savedAt: new Date().toISOString(),
    versions: { tfjs: t.version_core, binaryDigits: packageVersion() },
  };
  return {
    modelJson: JSON.stringify(modelJson),
    weights: new Uint8Array(t.io.CompositeArrayBuffer.join(artifacts.weightData)),
    training: JSON.stringify(full, null, 2) + "\n",
  };
}

/** Whether `value`, a training.json read back, is one digits wrote: the fields saveModel writes, of their types. */
function isTrainingRecord(value: unknown): value is TrainingRecord {
  const r = value as Partial<TrainingRecord> | null;
  const isObject = (v: unknown) => typeof v === "object" && v !== null && !Array.isArray(v);
  return (
    isObject(r) &&
    typeof r!.savedAt === "string" &&
    isObject(r!.versions) &&
    typeof r!.versions!.binaryDigits === "string" &&
    isObject(r!.model) &&
    Array.isArray(r!.model!.hidden) &&
    isObject(r!.train) &&
    isObject(r!.data) &&
    typeof r!.data!.fingerprint === "string"
  );
}

/** The files a saved model is made of: what saveModel writes, and what no other output may replace. */
export const MODEL_FILES: readonly string[] = [MODEL_FILE, WEIGHTS_FILE, TRAINING_FILE];

/** Whether `dir` holds a model digits saved: its training.json says so. */
export function isSavedModel(dir: string): boolean {
  try {
    return isTrainingRecord(JSON.parse(readFileSync(join(dir, TRAINING_FILE), "utf8")));
  } catch {
    return false;
  }
}

/**
 * Why a model must not be saved into `dir` ("it holds README.txt, src/ and is not a model…"), or
 * null when it may: a folder that does not exist, is empty, or holds a model digits saved (whose
 * other files are kept). Anything else is never overwritten: the message names what is there.
 */
export function modelFolderProblem(dir: string): string | null {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    // A file (not one further up the path, which writeProblem names), or not there yet.
    return existsSync(dir) && statSync(dir).isFile() ? "it is a file, not a model folder; choose another folder" : null;
  }
  if (entries.length === 0 || isSavedModel(dir)) return null;
  const names = entries.map((e) => (e.isDirectory() ? `${e.name}/` : e.name)).sort();
  const shown = names.length > 4 ? `${names.slice(0, 4).join(", ")} and ${names.length - 4} more` : names.join(", ");
  const why = names.includes(TRAINING_FILE) ? `its ${TRAINING_FILE} is not one digits writes` : names.includes(MODEL_FILE) ? `it has a ${MODEL_FILE} but no ${TRAINING_FILE}` : `it has no ${TRAINING_FILE}`;
  return `it holds ${shown} and is not a model digits saved (${why}); digits replaces only its own models: choose another folder, or empty this one`;
}

/**
 * Saves into folder `dir` (created if needed): a new folder is written complete beside its place
 * and renamed in; in a folder holding an earlier model, the three files are replaced as one change
 * and any other file there is kept. A failure never leaves half a model: the earlier one stays. A
 * folder that is not a model digits saved (modelFolderProblem) is an InputError, and untouched.
 */
export async function saveModel(dir: string, network: Network, record: Omit<TrainingRecord, "savedAt" | "versions">): Promise<string> {
  const target = resolve(dir);
  const problem = modelFolderProblem(target);
  if (problem) throw new InputError(`${dir}: ${problem}`);
  const { modelJson, weights, training } = await modelArtifacts(network, record);
  // model.json last: it is what a reader opens first.
  writeFolderAtomic(target, { [WEIGHTS_FILE]: weights, [TRAINING_FILE]: training, [MODEL_FILE]: modelJson });
  return target;
}

/** Saves a training result with the record that traces it: config, data fingerprint, history. */
export function saveTrained(dir: string, result: TrainResult, data: Dataset, source?: string, notes?: Record<string, unknown>): Promise<string> {
  return saveModel(dir, result.network, {
    model: result.network.config,
    train: result.config,
    data: { fingerprint: datasetFingerprint(data), rows: data.rows, source },
    digits: [...datasetPair(data)],
    history: result.history,
    notes,
  });
}

/**
 * The pair a saved model tells apart, from its training.json (`trainingFile`, for messages): its
 * `digits`, or 0 and 1 for a record written before pairs existed (no `digits`). null without a
 * training.json: the weights alone do not say which digits they tell apart, so the caller must be
 * told. Digits that are not a pair are an InputError naming the file.
 */
export function modelPair(record: TrainingRecord | null, trainingFile: string = TRAINING_FILE): Pair | null {
  if (record === null) return null;
  const d: unknown = record.digits;
  if (d === undefined) return DEFAULT_PAIR;
  if (Array.isArray(d) && d.length === 2 && d.every(isDigit) && d[0] !== d[1]) return [d[0], d[1]];
  throw new InputError(`${trainingFile}: "digits" is ${JSON.stringify(d)}, not two different digits 0–9; correct it (e.g. "digits": [4, 9], the model's output being P(9)) or train the model again`);
}

export interface LoadedModel {
  network: Network;
  /** null for a model saved elsewhere (plain TensorFlow.js) without training.json. */
  record: TrainingRecord | null;
  /** The TensorFlow.js model itself, for users who want to call `predict` on tensors. */
  layersModel: tfLayers.LayersModel;
}

const BYTES_PER_VALUE: Record<string, number> = { float32: 4, int32: 4, bool: 1 };

/** The first weight that is not a finite number ("dense_Dense1/kernel value 12 is NaN"), or null. */
function nonFiniteWeight(specs: readonly io.WeightsManifestEntry[], buffer: ArrayBuffer): string | null {
  let offset = 0;
  for (const spec of specs) {
    const count = spec.shape.reduce((a, b) => a * b, 1);
    const bytes = count * (BYTES_PER_VALUE[spec.dtype] ?? 4);
    if (spec.dtype === "float32") {
      const values = new Float32Array(buffer.slice(offset, offset + bytes));
      const at = values.findIndex((v) => !Number.isFinite(v));
      if (at >= 0) return `${spec.name} value ${at} is ${values[at]}`;
    }
    offset += bytes;
  }
  return null;
}

/** Why `dir` holds no model, and what to give instead: a model is a folder, never a file. */
function noModelMessage(dir: string): string {
  const example = "a folder written by `digits train`, such as models/25-15";
  let isFile = false;
  try {
    isFile = statSync(dir).isFile();
  } catch {
    // does not exist
  }
  if (isFile && basename(dir) === MODEL_FILE) return `${dir}: give the model's folder, ${dirname(dir)}, not its ${MODEL_FILE}`;
  if (isFile) return `${dir}: is a file; a model is ${example}`;
  if (extname(dir) !== "") {
    return `${dir}: no such model folder; a model is ${example} (train one with \`npx digits train --model models/NAME\`)`;
  }
  return `${dir}: no ${MODEL_FILE} there; a model is ${example}. Train one first with \`npx digits train --model ${dir}\``;
}

/**
 * What a model folder says of itself, read before any of TensorFlow.js is (so that a command can
 * refuse a model of another pair at once): its training.json, or null when it has none. An
 * InputError when the folder holds no model.json, or its training.json is not JSON.
 */
export function readModelRecord(dir: string): TrainingRecord | null {
  if (!existsSync(join(dir, MODEL_FILE))) throw new InputError(noModelMessage(dir));
  const trainingPath = join(dir, TRAINING_FILE);
  if (!existsSync(trainingPath)) return null;
  try {
    return JSON.parse(readFileSync(trainingPath, "utf8")) as TrainingRecord;
  } catch (error) {
    throw new InputError(`${trainingPath} is not valid JSON (${(error as Error).message}); retrain the model or delete that file`);
  }
}

/** Loads a folder written by `saveModel` (or any TF.js layers model of Dense layers). */
export async function loadModel(dir: string): Promise<LoadedModel> {
  const record = readModelRecord(dir);
  const modelPath = join(dir, MODEL_FILE);
  let modelJson: io.ModelJSON;
  try {
    modelJson = JSON.parse(readFileSync(modelPath, "utf8"));
  } catch (error) {
    throw new InputError(`${modelPath} is not valid JSON (${(error as Error).message})`);
  }
  await initBackend({ quiet: true });
  const t = tf();
  const artifacts = await t.io.getModelArtifactsForJSON(modelJson, async (manifest) => {
    const specs = manifest.flatMap((group) => group.weights);
    const buffers = manifest.flatMap((group) =>
      group.paths.map((p) => {
        const file = join(dir, p);
        if (!existsSync(file)) throw new InputError(`${dir}: weights file ${p} named in ${MODEL_FILE} is missing`);
        const bytes = readFileSync(file);
        return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
      }),
    );
    const expected = specs.reduce((sum, spec) => sum + spec.shape.reduce((a, b) => a * b, 1) * (BYTES_PER_VALUE[spec.dtype] ?? 4), 0);
    const found = buffers.reduce((sum, b) => sum + b.byteLength, 0);
    if (found !== expected) {
      const files = manifest.flatMap((group) => group.paths).join(", ");
      throw new InputError(
        `${dir}: ${files} is ${found < expected ? "truncated" : "corrupt"} (${found.toLocaleString("en-US")} bytes; ${MODEL_FILE} describes ` +
          `${expected.toLocaleString("en-US")}). Restore the folder from a copy, or train the model again with \`npx digits train --model ${dir}\``,
      );
    }
    const joined = t.io.CompositeArrayBuffer.join(buffers);
    const bad = nonFiniteWeight(specs, joined);
    if (bad) {
      const files = manifest.flatMap((group) => group.paths.map((p) => join(dir, p))).join(", ");
      throw new InputError(`${files}: ${bad}; a model's weights must be finite numbers (training diverged, or the file was damaged). Train the model again with \`npx digits train --model ${dir}\``);
    }
    return [specs, joined];
  });
  let layersModel: tfLayers.LayersModel;
  try {
    layersModel = await t.loadLayersModel(t.io.fromMemory(artifacts));
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`${dir}: TensorFlow.js could not read the model (${(error as Error).message})`);
  }
  return { network: fromLayersModel(layersModel, dir), record, layersModel };
}
