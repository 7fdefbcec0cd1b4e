// Progress in notebook output: training and selection callbacks that keep one line up to date
// (display.ts's progressLine), and the text of those lines.
import { clock, countBar, formatDuration, percentBar } from "../core/format";
import type { EpochLogs, TrainCallbacks } from "../model/train";
import { pairsProgressText } from "../pairs/ranking";
import type { PairsProgress } from "../pairs/score-pairs";
import type { SelectionProgress } from "../selection/select";
import { progressLine } from "./display";

/** Training callbacks that show "epoch 7/20, loss …, validation …" on one updating line. */
export function epochProgress(epochs: number): TrainCallbacks {
  const write = progressLine();
  let elapsed = 0;
  return {
    onEpochEnd(epoch: number, logs: EpochLogs) {
      elapsed += logs.seconds;
      const val = logs.val_loss !== undefined ? `, validation loss ${logs.val_loss.toFixed(5)}, accuracy ${((logs.val_acc ?? NaN) * 100).toFixed(2)}%` : "";
      write(`epoch ${countBar(epoch + 1, epochs)}: loss ${logs.loss.toFixed(5)}, accuracy ${(logs.acc * 100).toFixed(2)}%${val} (${formatDuration(elapsed)})`);
    },
  };
}

/** The progress line of a model selection: candidate, fold, epoch, elapsed and remaining time. */
function selectionProgressText(p: SelectionProgress): string {
  const remaining = p.remainingSeconds === null ? "" : `, about ${clock(p.remainingSeconds)} left`;
  return (
    `${percentBar(p.fraction)}  ${p.candidate}, fold ${p.fold + 1}/${p.folds}, epoch ${p.epoch}/${p.epochs}` +
    ` (folds done ${p.foldsDone}/${p.foldsTotal}${p.reused > 0 ? `, ${p.reused} of them from the cache` : ""}), ${clock(p.elapsedSeconds)} elapsed${remaining}`
  );
}

/**
 * An onProgress callback for selectCandidates that keeps one line up to date (at most every
 * `intervalMs`, and always when a fold finishes), so a long run shows where it is.
 */
export function selectionProgress(intervalMs = 500): (p: SelectionProgress) => void {
  const write = progressLine();
  let last = -Infinity;
  return (p) => {
    const now = performance.now();
    const finished = p.foldsDone === p.foldsTotal;
    if (p.kind === "epoch" && now - last < intervalMs && !finished) return;
    last = now;
    write(finished ? `done: ${p.foldsTotal} fold runs in ${clock(p.elapsedSeconds)}` : selectionProgressText(p));
  };
}

/**
 * An onProgress callback for the pairs map that keeps one line up to date (at most every
 * `intervalMs`, and always when the last pair is done). Every update holds a Deno cell about 25 ms
 * (display.ts's denoSend): the quick map's 180 updates, one per fold and pair, took 4.5 s of its
 * 6 s on Deno, for 0.7 s of work.
 */
export function pairsProgressLine(intervalMs = 500): (p: PairsProgress) => void {
  const write = progressLine();
  let last = -Infinity;
  return (p) => {
    const now = performance.now();
    if (now - last < intervalMs && p.pairsDone < p.pairsTotal) return;
    last = now;
    write(pairsProgressText(p));
  };
}
