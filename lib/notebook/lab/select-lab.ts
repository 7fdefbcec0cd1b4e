// "Rerun the selection" (report 02): a panel that reruns notebook 02's model selection in the
// reader's browser, on the rows the notebook cross-validated, with the candidates and settings the
// reader picks, through the functions `digits select` runs, so that the notebook's settings give its
// record's fold scores to the bit. Pure: it returns HTML; display.ts shows it; its page code is
// ./page (select-panel.ts).
import type { Dataset } from "../../data/dataset";
import { datasetFingerprint } from "../../data/fingerprint";
import { InputError } from "../../core/errors";
import { architectureName } from "../../model/model";
import type { ExperimentRecord } from "../../selection/record";
import { escapeHtml } from "../escape";
import { nextId } from "../draw/widget";
import { embedRows, labEngine } from "./embed";
import { LAB_MAX_THREADS, type SelectLabConfig } from "./lab-config";
import { labHtml, LAB_STYLE, runButtons, textField } from "./lab-html";

export interface SelectLabOptions {
  /** The container's id (default: a fresh one). */
  id?: string;
}

/** The panel's candidates (the notebook's grid, ticked), fields, buttons, progress bar and what it does. */
function controls(config: SelectLabConfig, rows: number): string {
  const s = config.settings;
  const boxes = s.grid
    .map((hidden) => `<label style="margin-right:1em"><input type="checkbox" name="candidate" value="${hidden.length === 0 ? "none" : hidden.join(",")}" checked> ${escapeHtml(architectureName(hidden))}</label>`)
    .join("");
  const each = `${s.activations.join(", ")} hidden units and learning rate${s.learningRates.length > 1 ? "s" : ""} ${s.learningRates.join(", ")}`;
  return (
    `<div style="margin:0.3em 0">Candidates: ${boxes}</div>` +
    `<div style="margin:0.3em 0">${textField("More candidates", "candidates", "", 24)}<span style="${LAB_STYLE.note}">e.g. <code>none; 8; 25,15</code></span></div>` +
    `<div style="margin:0.3em 0">` +
    textField("Folds", "folds", String(s.folds), 3) +
    textField("Epochs", "epochs", String(s.epochs), 4) +
    textField("Seed", "seed", String(s.seed), 8) +
    textField("Repeats", "repeats", String(s.repeats), 3) +
    `</div>` +
    runButtons("Run the selection") +
    `<progress data-digits-lab-progress max="1" value="0" style="width:20em"></progress>` +
    `<p style="${LAB_STYLE.note}">Stratified ${s.folds}-fold cross-validation of each candidate (with ${escapeHtml(each)}, batch size ${s.batchSize}, as in the notebook) ` +
    `on the notebook's ${rows.toLocaleString("en-US")} rows, in Web Workers (as many as this machine has cores, at most ${LAB_MAX_THREADS}), ` +
    `then the notebook's one-standard-error rule. Each fold's seed depends on its candidate and fold only, never on which worker runs it or when: ` +
    `a candidate you keep gets the same fold scores whatever else you change, and the notebook's settings give its record's scores.</p>`
  );
}

/**
 * The select panel of notebook 02: `record` is the selection the notebook made (its settings fill
 * the panel; its fold scores are what the page's are compared with), `dataset` the rows it
 * cross-validated (refused unless their fingerprint is the record's). Hooks: data-digits-lab="select",
 * the candidate checkboxes and the fields candidates, folds, epochs, seed and repeats,
 * data-digits-lab-run and -stop, data-digits-lab-progress, data-digits-lab-state, and when done
 * data-digits-lab-record (JSON: summary, winner and every fold's scores).
 */
export function selectLabHtml(record: ExperimentRecord, dataset: Dataset, options: SelectLabOptions = {}): string {
  const fingerprint = datasetFingerprint(dataset);
  if (fingerprint !== record.data.fingerprint) {
    throw new InputError(`the rows given (fingerprint ${fingerprint}) are not those selection ${record.id} ran on (${record.data.fingerprint}); give the dataset it was made from`);
  }
  const c = record.config;
  const config: SelectLabConfig = {
    pair: [record.data.digits[0], record.data.digits[1]],
    settings: {
      grid: c.grid.map((h) => [...h]),
      activations: [...c.activations],
      learningRates: [...c.learningRates],
      folds: c.folds,
      repeats: c.repeats ?? 1,
      epochs: c.epochs,
      batchSize: c.batchSize,
      seed: c.seed,
      threshold: c.threshold,
    },
    rows: embedRows(dataset),
    notebook: {
      folds: record.folds.map((f) => ({ candidate: f.architecture, repeat: f.repeat ?? 0, fold: f.fold, logLoss: f.logLoss, accuracy: f.accuracy })),
      winner: record.winner.architecture,
    },
    engine: labEngine("lab-select-worker"),
  };
  const parts = {
    print: "Rerun the selection: the HTML version of this report reruns this selection in your browser, with candidates and settings of your choice.",
    fallback: "Rerun the selection: this panel runs in JavaScript. Open the HTML report (or run and trust the notebook) to rerun the selection in your browser.",
    controls: controls(config, dataset.rows),
  };
  return labHtml("select", options.id ?? nextId("lab-select"), parts, config);
}
