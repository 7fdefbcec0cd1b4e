// What the Node side of the lab hands its page code: each panel's config (written into its <script>
// as JSON), the rows and engine they carry, and the name the page script's exports go by. Types
// only, shared by the panels' builders and lib/notebook/lab/page, so both sides of the page boundary
// are checked against one definition.
import type { ClassificationMetrics } from "../../evaluation/metrics";
import type { Activation } from "../../model/model";
import type { SelectionConfig } from "../../selection/config";

/** The variable the bundled page script (dist/lab-page.js, an IIFE) assigns its exports to. */
export const LAB_GLOBAL = "binaryDigitsLab";

/** The most threads the select panel trains on, whatever the reader's machine has. */
export const LAB_MAX_THREADS = 8;

/**
 * Rows as a page carries them: one label byte per row (0 or 1), then each row's pixels as the
 * CSV's 0–255 intensities, one byte each, gzip-compressed, in base64. The page rebuilds the
 * Dataset (features pixel / 255 in float32) exactly as loadCsv made it (rows.ts).
 */
export interface EmbeddedRows {
  rows: number;
  cols: number;
  gzip: string;
}

/** What a panel trains with: the WebAssembly kernels' bytes (base64) and SHA-256, and the script of its threads. */
export interface LabEngine {
  kernels: string;
  sha256: string;
  /** The bundled thread script (dist/lab-train-worker.js or dist/lab-select-worker.js), started as Web Workers from a blob URL. */
  worker: string;
}

/** How the notebook trained its network: what the train panel starts filled with. */
export interface TrainSettings {
  layers: number[];
  activation: Activation;
  learningRate: number;
  epochs: number;
  batchSize: number;
  seed: number;
}

/** What the train panel's page code receives. */
export interface TrainLabConfig {
  pair: [number, number];
  threshold: number;
  settings: TrainSettings;
  /** The rows notebook 03 trained on, validated on after every epoch, and tested on. */
  rows: { fit: EmbeddedRows; validation: EmbeddedRows; test: EmbeddedRows };
  /** The notebook's own model: the SHA-256 of its weights.bin bytes and its test-set metrics. */
  notebook: { weightsSha256: string; test: ClassificationMetrics };
  engine: LabEngine;
}

/** One fold's scores, as the select panel compares and reports them. */
export interface LabFoldScore {
  candidate: string;
  repeat: number;
  fold: number;
  logLoss: number;
  accuracy: number;
}

/** What the select panel's page code receives. */
export interface SelectLabConfig {
  pair: [number, number];
  /** The selection's settings, as notebook 02 recorded them (its record's config). */
  settings: SelectionConfig;
  /** The rows notebook 02 cross-validated. */
  rows: EmbeddedRows;
  /** The notebook's record: every fold's scores and the winner, to say whether the page's equal them. */
  notebook: { folds: LabFoldScore[]; winner: string };
  engine: LabEngine;
}

/** Each panel the page script starts, by name, with its config. */
export interface LabConfigs {
  train: TrainLabConfig;
  select: SelectLabConfig;
}

/** What data-digits-lab-record holds when the select panel is done. */
export interface LabRecord {
  summary: { candidate: string; folds: number; meanLogLoss: number; meanAccuracy: number }[];
  winner: string;
  folds: LabFoldScore[];
}
