// The train panel in the page ("Train it yourself", report 03): the fields read as settings, one
// training run on the pool's one thread (a Web Worker running lib/notebook/lab/train-thread on the
// notebook's rows), its loss and accuracy drawn after every epoch, stop as the pool's abort; at the
// end the weights' SHA-256, the test-set metrics and confusion matrix beside the notebook's model,
// and the network handed to the drawing pad.
import { formatDuration } from "../../../core/format";
import { runPool } from "../../../core/pool";
import type { ClassificationMetrics } from "../../../evaluation/metrics";
import { architectureName, modelConfig, weightsBytes, type Network } from "../../../model/model";
import { hook } from "../../draw/page/attach";
import { LAB_NETWORK_EVENT, type LabNetworkDetail } from "../../draw/page-config";
import { tableHtml } from "../../table-html";
import { metricsRows } from "../../tables";
import { trainSettingsOf } from "../fields";
import type { TrainLabConfig, TrainSettings } from "../lab-config";
import type { TrainOutcome, TrainProgress, TrainThreadData } from "../train-run";
import { curvesHtml } from "./curves";
import { fail, fieldValue, openPanel, provideEngine, say, setState, sha256Hex, unpackRows, type Panel } from "./panel";

const THREAD = "notebook/lab/train-thread";

/** The notebook's rows, unpacked for the thread (each run is given them). */
async function threadData(config: TrainLabConfig): Promise<TrainThreadData> {
  const [fit, validation, test] = await Promise.all([config.rows.fit, config.rows.validation, config.rows.test].map(async (rows) => ({ bytes: await unpackRows(rows), rows: rows.rows, cols: rows.cols })));
  return { fit, validation, test, threshold: config.threshold };
}

/** "8 relu, learning rate 0.003, 5 epochs, seed 13". */
function describe(settings: TrainSettings): string {
  const activation = settings.layers.length > 0 ? ` ${settings.activation}` : "";
  return `${architectureName(settings.layers)}${activation}, learning rate ${settings.learningRate}, ${settings.epochs} epoch${settings.epochs === 1 ? "" : "s"}, seed ${settings.seed}`;
}

/** A confusion matrix as a small table: rows the true digit, columns the prediction, mistakes shaded. */
function confusionHtml(title: string, matrix: ClassificationMetrics["confusionMatrix"], pair: readonly [number, number]): string {
  const cell = (n: number, wrong: boolean) => `<td style="padding:0.2em 0.8em;text-align:right;${wrong && n > 0 ? "background:#fde0dd" : ""}">${n.toLocaleString("en-US")}</td>`;
  const rows = matrix.map((row, t) => `<tr><th>true ${pair[t]}</th>${row.map((n, p) => cell(n, t !== p)).join("")}</tr>`).join("");
  return (
    `<table class="dataframe" border="1"><caption style="caption-side:top;text-align:left;font-weight:bold">${title}</caption>` +
    `<tr><th></th><th>predicted ${pair[0]}</th><th>predicted ${pair[1]}</th></tr>${rows}</table>`
  );
}

/** The test-set metrics of both models (one row each, through the notebook's own table) and their confusion matrices side by side. */
function resultsHtml(config: TrainLabConfig, outcome: TrainOutcome, sha: string | null): string {
  const same = sha !== null && sha === config.notebook.weightsSha256;
  const weights =
    sha === null
      ? "This page cannot compute SHA-256 (Web Crypto needs a page from disk, localhost or https)."
      : `Weights SHA-256 (of weights.bin's bytes): <code>${sha}</code>${same ? ", byte-identical to the notebook's model." : `; the notebook's model: <code>${config.notebook.weightsSha256}</code>.`}`;
  const table = tableHtml(metricsRows({ "the notebook's model": config.notebook.test, "trained in this page": outcome.test }), {
    caption: `Test set (${outcome.test.count.toLocaleString("en-US")} digits, digit ${config.pair[1]} the positive class, threshold ${config.threshold})`,
    digits: 5,
  });
  return (
    `<p style="font-size:90%">${weights}</p>${table}` +
    `<div style="display:flex;flex-wrap:wrap;gap:2em;margin-top:0.6em">` +
    confusionHtml("The notebook's model", config.notebook.test.confusionMatrix, config.pair) +
    confusionHtml("Trained in this page", outcome.test.confusionMatrix, config.pair) +
    `</div>`
  );
}

/** The settings in the fields, or null after saying what is wrong with them. */
function readSettings(panel: Panel, config: TrainLabConfig): TrainSettings | null {
  const root = panel.root;
  try {
    return trainSettingsOf(
      { layers: fieldValue(root, "layers"), activation: fieldValue(root, "activation"), learningRate: fieldValue(root, "learning-rate"), epochs: fieldValue(root, "epochs"), seed: fieldValue(root, "seed") },
      config.settings,
    );
  } catch (error) {
    fail(panel, error);
    return null;
  }
}

/** Starts the train panel in `root` (the container trainLabHtml wrote). */
export function trainPanel(root: HTMLElement, config: TrainLabConfig): void {
  const panel = openPanel(root);
  const chart = hook(root, "data-digits-lab-chart");
  let data: Promise<TrainThreadData> | null = null;
  let running: AbortController | null = null;
  setState(panel, "ready");

  const run = async (): Promise<void> => {
    if (running) return;
    const settings = readSettings(panel, config);
    if (!settings) return;
    const stop = (running = new AbortController());
    const points: TrainProgress[] = [];
    for (const name of ["data-digits-lab-weights-sha256", "data-digits-lab-test-accuracy", "data-digits-lab-epochs"]) root.removeAttribute(name);
    panel.results.innerHTML = "";
    chart.innerHTML = "";
    setState(panel, "running");
    say(panel, `Training ${describe(settings)}…`);
    try {
      const shared = await (data ??= threadData(config));
      provideEngine(THREAD, config.engine);
      let outcome: TrainOutcome | null = null;
      await runPool<TrainSettings, TrainProgress, TrainOutcome>({
        module: THREAD,
        shared,
        tasks: [settings],
        threads: 1,
        name: "the training thread",
        onProgress: (_, p) => {
          points.push(p);
          chart.innerHTML = curvesHtml(points, settings.epochs);
          root.setAttribute("data-digits-lab-epochs", String(p.epoch));
          say(panel, `Epoch ${p.epoch} of ${settings.epochs}: loss ${p.loss.toFixed(4)}, validation accuracy ${p.valAcc.toFixed(4)} (${p.seconds.toFixed(2)} s).`);
        },
        onResult: (_, result) => (outcome = result),
        signal: stop.signal,
      });
      await finish(panel, config, settings, outcome!);
    } catch (error) {
      if (!stop.signal.aborted) return fail(panel, error);
      say(panel, `Stopped after ${points.length} of ${settings.epochs} epochs.`);
      setState(panel, "stopped");
    } finally {
      running = null;
    }
  };
  panel.run.addEventListener("click", () => void run());
  panel.stop.addEventListener("click", () => running?.abort());
}

/** A run's end: its SHA-256 and test accuracy on the panel, the results shown, the network sent to the drawing pad. */
async function finish(panel: Panel, config: TrainLabConfig, settings: TrainSettings, outcome: TrainOutcome): Promise<void> {
  const network: Network = { config: modelConfig(settings.layers, settings.activation, outcome.layers[0].inputs), layers: outcome.layers };
  const sha = await sha256Hex(weightsBytes(network));
  const root = panel.root;
  root.setAttribute("data-digits-lab-weights-sha256", sha ?? "");
  root.setAttribute("data-digits-lab-test-accuracy", String(outcome.test.accuracy));
  panel.results.innerHTML = resultsHtml(config, outcome, sha);
  say(panel, `Trained ${describe(settings)} in ${formatDuration(outcome.seconds)}: test accuracy ${outcome.test.accuracy.toFixed(5)}. The drawing pad below now uses this network.`);
  setState(panel, "done");
  const detail: LabNetworkDetail = { pair: config.pair, network, name: describe(settings), probabilities: outcome.probabilities };
  document.dispatchEvent(new CustomEvent(LAB_NETWORK_EVENT, { detail }));
}
