// Browser side of the rendering harness: renders a notebook's saved outputs the way JupyterLab 4
// and Notebook 7 do (one OutputArea per code cell, their RenderMimeRegistry with the standard
// renderers, optionally jupyterlab-plotly's), in one of four trust states. Bundled by build.mjs;
// test/support/render.ts calls window.renderNotebook and reads the page.
import { OutputArea, OutputAreaModel } from "@jupyterlab/outputarea";
import { RenderMimeRegistry, standardRendererFactories } from "@jupyterlab/rendermime";
import type { IOutput } from "@jupyterlab/nbformat";
import { Widget } from "@lumino/widgets";
// @ts-expect-error: vendored JavaScript without types (see build.mjs)
import { rendererFactory as plotlyRendererFactory } from "jupyterlab-plotly/plotly-renderer";

/**
 * arriving: trusted, outputs added one by one to an attached area, as a running cell's messages come;
 * saved: trusted, the areas built from saved outputs, then attached (a trusted notebook opened);
 * untrusted: a saved notebook opened without trusting it;
 * trusted-later: untrusted, then "Trust Notebook".
 */
export type RenderState = "arriving" | "saved" | "untrusted" | "trusted-later";

async function renderNotebook(cells: IOutput[][], state: RenderState, plotly: boolean): Promise<void> {
  const rendermime = new RenderMimeRegistry({ initialFactories: standardRendererFactories });
  // Rank 0, as jupyterlab-plotly's extension registers it: before text/html (rank 50).
  if (plotly) rendermime.addFactory(plotlyRendererFactory, 0);
  const models: OutputAreaModel[] = [];
  for (const outputs of cells) {
    const model = new OutputAreaModel({ trusted: state === "arriving" || state === "saved", values: state === "arriving" ? [] : outputs });
    const area = new OutputArea({ model, rendermime });
    Widget.attach(area, document.body);
    models.push(model);
    if (state === "arriving") {
      for (const output of outputs) {
        model.add(output);
        // Let the page run what the output brought before the next message, as a live kernel does.
        await new Promise((resolve) => setTimeout(resolve, 0));
      }
    }
  }
  if (state === "trusted-later") for (const model of models) model.trusted = true;
}

(window as unknown as { renderNotebook: typeof renderNotebook }).renderNotebook = renderNotebook;
