// Which network to train, how it trains, and where it is saved: one policy for `digits train`
// and notebook 03. Layers given explicitly win; else, when asked for, the winner of the latest
// selection record made on the same data and pair (latest-winner.ts), with the activation and
// learning rate it was selected with; else the reference network. An activation or learning rate
// given explicitly wins over the winner's. The same network and pair always get the same folder.
import { architectureName, REFERENCE_ACTIVATION, REFERENCE_HIDDEN, type Activation } from "../model/model";
import { DEFAULT_TRAIN_CONFIG } from "../model/train";
import { pairFolder, type Pair } from "../core/pair";
import { describeRecord, describeSkipped, findWinner, type RecordTarget, type WinnerLookup } from "./latest-winner";

/** What was asked for: each field left out falls to the winner's (when asked for), then the reference's. */
export interface NetworkRequest {
  /**
   * Hidden sizes given (`--layers 25,15`, DIGITS_LAYERS), "winner" for the winner of the latest
   * matching record in `records` (the reference when none matches), or absent for the reference.
   */
  layers?: readonly number[] | "winner";
  /** Where given layers came from, for the sentence: "DIGITS_LAYERS=16,8". */
  layersFrom?: string;
  /** The hidden activation given (`--activation`); wins over the winner's. */
  activation?: Activation;
  /** Adam's learning rate given (`--learning-rate`, DIGITS_LEARNING_RATE); wins over the winner's. */
  learningRate?: number;
  /** The folder of selection records (read only for "winner"). */
  records: string;
  /** The records folder as a sentence names it (default `records`). */
  recordsShown?: string;
  /** The training data the winner must have been selected on. */
  target: RecordTarget;
  /** DIGITS_QUICK: the folder gets a `quick-` prefix, so a quick run never replaces a full model. */
  quick?: boolean;
}

/** The network to train and a sentence saying where that choice came from. */
export interface NetworkChoice {
  hidden: number[];
  activation: Activation;
  learningRate: number;
  /** "8 relu lr 0.01, the winner of selection record … in reports/experiments", or why the reference. */
  source: string;
  /** The default folder to save it in, relative: models/[A-B/][quick-]<layers> (defaultModelDir). */
  modelDir: string;
  /** When the winner was asked for: the record used (null when none matched) and the files skipped. */
  lookup?: WinnerLookup;
}

/**
 * Where a network is saved unless told otherwise: models/<layers> for 0 and 1 (models/25-15),
 * models/A-B/<layers> for another pair, with `quick-` before the layers in quick mode.
 */
export function defaultModelDir(hidden: readonly number[], pair: Pair, quick = false): string {
  return `${pairFolder("models", pair)}/${quick ? "quick-" : ""}${architectureName(hidden)}`;
}

/** The network, its activation and learning rate (given > the winner's > the reference's), where the choice came from, and its folder. */
export function chooseNetwork(request: NetworkRequest): NetworkChoice {
  const pick = (hidden: readonly number[], activation: Activation, learningRate: number, source: string, lookup?: WinnerLookup): NetworkChoice => ({
    hidden: [...hidden],
    activation: request.activation ?? activation,
    learningRate: request.learningRate ?? learningRate,
    source,
    modelDir: defaultModelDir(hidden, request.target.pair, request.quick),
    ...(lookup ? { lookup } : {}),
  });
  const reference = (why: string, lookup?: WinnerLookup) =>
    pick(REFERENCE_HIDDEN, REFERENCE_ACTIVATION, DEFAULT_TRAIN_CONFIG.learningRate, `${architectureName(REFERENCE_HIDDEN)}, the reference network${why}`, lookup);
  const { layers } = request;
  if (layers === undefined) return reference("");
  if (layers !== "winner") {
    return pick(layers, REFERENCE_ACTIVATION, DEFAULT_TRAIN_CONFIG.learningRate, `${architectureName(layers)}, set by ${request.layersFrom ?? "the caller"}`);
  }
  const lookup = findWinner(request.records, request.target);
  const where = request.recordsShown ?? request.records;
  const skipped = lookup.skipped.length === 0 ? "" : ` (skipped ${lookup.skipped.length} other file${lookup.skipped.length === 1 ? "" : "s"}: ${describeSkipped(lookup.skipped).join("; ")})`;
  if (!lookup.record) return reference(`: no model-selection record in ${where} matches this data and pair${skipped}`, lookup);
  const { winner } = lookup.record;
  return pick(winner.hidden, winner.activation, winner.learningRate, `${winner.architecture}, the winner of selection ${describeRecord(lookup.record)} in ${where}${skipped}`, lookup);
}
