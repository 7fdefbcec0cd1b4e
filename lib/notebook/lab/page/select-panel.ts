// The select panel in the page ("Rerun the selection", report 02): the fields read as a selection's
// settings, then the very functions `digits select` and notebook 02 run — planSelection, runOnThreads
// (its threads Web Workers running lib/selection/fold-thread, as many as the reader's cores, capped)
// and selectionOutcome — so the same settings give the same fold scores, summary and winner. It ends
// with the notebook's table and sentences about its own run, and says whether its fold scores equal
// the notebook's record.
import { availableCores } from "../../../core/machine";
import type { Dataset } from "../../../data/dataset";
import type { SelectionConfig } from "../../../selection/config";
import { selectionOutcome, type SelectionOutcome } from "../../../selection/outcome";
import { planSelection, type SelectionPlan } from "../../../selection/plan";
import type { FoldResult } from "../../../selection/record";
import { runOnThreads } from "../../../selection/scheduler";
import { hook } from "../../draw/page/attach";
import { selectionSentence } from "../../findings";
import { tableHtml } from "../../table-html";
import { selectionRows, winnerParagraphs, type SelectionResults } from "../../tables";
import { selectSettingsOf } from "../fields";
import { LAB_MAX_THREADS, type LabFoldScore, type LabRecord, type SelectLabConfig } from "../lab-config";
import { markdownHtml } from "../markdown";
import { datasetFromBytes } from "../rows";
import { fail, fieldValue, openPanel, provideEngine, say, setState, unpackRows, type Panel } from "./panel";

const THREAD = "selection/fold-thread";

/** The settings in the fields, or null after saying what is wrong with them. */
function readSettings(panel: Panel, config: SelectLabConfig): SelectionConfig | null {
  const root = panel.root;
  const ticked = Array.from(root.querySelectorAll<HTMLInputElement>('input[name="candidate"]')).filter((box) => box.checked).map((box) => box.value);
  try {
    return selectSettingsOf(
      { ticked, candidates: fieldValue(root, "candidates"), folds: fieldValue(root, "folds"), epochs: fieldValue(root, "epochs"), seed: fieldValue(root, "seed"), repeats: fieldValue(root, "repeats") },
      config.settings,
    );
  } catch (error) {
    fail(panel, error);
    return null;
  }
}

const scoreKey = (s: Pick<LabFoldScore, "candidate" | "repeat" | "fold">) => `${s.candidate}/${s.repeat}/${s.fold}`;

/** What data-digits-lab-record holds: the summary, the winner and every fold's scores. */
function labRecord(outcome: SelectionOutcome): LabRecord {
  return {
    summary: outcome.summary.map((s) => ({ candidate: s.architecture, folds: s.folds, meanLogLoss: s.meanLogLoss, meanAccuracy: s.meanAccuracy })),
    winner: outcome.winner.architecture,
    folds: outcome.folds.map((f) => ({ candidate: f.architecture, repeat: f.repeat ?? 0, fold: f.fold, logLoss: f.logLoss, accuracy: f.accuracy })),
  };
}

/**
 * Whether this run's fold scores equal the notebook's record where both ran the same fold: the same
 * candidate, repeat and fold, cut and trained with the same folds, epochs, batch size and seed.
 */
function compared(config: SelectLabConfig, settings: SelectionConfig, record: LabRecord): string {
  const notebook = config.settings;
  if (settings.folds !== notebook.folds || settings.epochs !== notebook.epochs || settings.seed !== notebook.seed) {
    return "With other folds, epochs or seed than the notebook's, no fold is the notebook's to compare with.";
  }
  const theirs = new Map(config.notebook.folds.map((s) => [scoreKey(s), s]));
  const shared = record.folds.filter((s) => theirs.has(scoreKey(s)));
  if (shared.length === 0) return "None of these folds is in the notebook's record (no candidate in common).";
  const same = shared.filter((s) => {
    const t = theirs.get(scoreKey(s))!;
    return Object.is(t.logLoss, s.logLoss) && Object.is(t.accuracy, s.accuracy);
  });
  return same.length === shared.length
    ? `All ${shared.length} folds this run shares with notebook 02's record have the same log loss and accuracy, to the last bit.`
    : `Only ${same.length} of the ${shared.length} folds this run shares with notebook 02's record have the same scores.`;
}

/** The notebook's summary table, the winner and what the scores show, about this run. */
function resultsHtml(config: SelectLabConfig, plan: SelectionPlan, outcome: SelectionOutcome, dataset: Dataset): string {
  const results: SelectionResults = { config: plan.config, summary: outcome.summary, winner: outcome.winner, data: { cols: dataset.cols, digits: config.pair } };
  return (
    tableHtml(selectionRows(results), { caption: "Validation scores per candidate in this page (★ = winner)", digits: 5 }) +
    markdownHtml(winnerParagraphs(results)) +
    markdownHtml(selectionSentence(results))
  );
}

/** Starts the select panel in `root` (the container selectLabHtml wrote). */
export function selectPanel(root: HTMLElement, config: SelectLabConfig): void {
  const panel = openPanel(root);
  const bar = hook<HTMLProgressElement>(root, "data-digits-lab-progress");
  let dataset: Promise<Dataset> | null = null;
  let running: AbortController | null = null;
  setState(panel, "ready");

  const run = async (): Promise<void> => {
    if (running) return;
    const settings = readSettings(panel, config);
    if (!settings) return;
    const stop = (running = new AbortController());
    root.removeAttribute("data-digits-lab-record");
    panel.results.innerHTML = "";
    bar.value = 0;
    setState(panel, "running");
    try {
      const data = await (dataset ??= unpackRows(config.rows).then((bytes) => datasetFromBytes(bytes, config.rows.rows, config.rows.cols)));
      const plan = planSelection(data, { ...settings, threads: Math.min(LAB_MAX_THREADS, availableCores()) });
      const threads = Math.min(plan.threads, plan.jobs.length);
      const epochs = plan.jobs.length * plan.config.epochs;
      let done = 0;
      say(panel, `Running ${plan.jobs.length} folds (${plan.candidates.length} candidates × ${plan.config.folds} folds${plan.config.repeats > 1 ? ` × ${plan.config.repeats} repeats` : ""}) on ${threads} thread${threads === 1 ? "" : "s"}…`);
      provideEngine(THREAD, config.engine);
      const results: FoldResult[] = [];
      await runOnThreads({
        jobs: plan.jobs,
        folds: plan.folds,
        settings: plan.settings,
        dataset: data,
        threads: plan.threads,
        onEpoch: () => {
          bar.value = ++done / epochs;
        },
        onResult: (_, result) => {
          results.push(result);
          root.setAttribute("data-digits-lab-folds-done", String(results.length));
        },
        signal: stop.signal,
      });
      const outcome = selectionOutcome(plan, results);
      const record = labRecord(outcome);
      root.setAttribute("data-digits-lab-record", JSON.stringify(record));
      panel.results.innerHTML = resultsHtml(config, plan, outcome, data);
      say(panel, `Done: ${plan.jobs.length} folds on ${threads} thread${threads === 1 ? "" : "s"}. ${compared(config, settings, record)}`);
      setState(panel, "done");
    } catch (error) {
      if (!stop.signal.aborted) return fail(panel, error);
      say(panel, "Stopped: nothing is kept of an unfinished selection.");
      setState(panel, "stopped");
    } finally {
      running = null;
    }
  };
  panel.run.addEventListener("click", () => void run());
  panel.stop.addEventListener("click", () => running?.abort());
}
