// What both lab panels' HTML shares: a container with the panel's kind, the line it prints as (the
// PDF has no scripts), the text shown where scripts do not run, the controls (shown by the page
// code once it runs), the message and results areas, and the script that starts it.
import { escapeHtml } from "../escape";
import { bundleScript, pageBundle } from "../draw/widget";
import { LAB_GLOBAL, type LabConfigs } from "./lab-config";

/** The panels' look, kept plain (they sit in notebooks and reports, light or dark). */
export const LAB_STYLE = {
  button: "font:inherit;padding:0.25em 0.8em;margin:0 0.4em 0.4em 0;cursor:pointer",
  field: "font:inherit;margin:0 1em 0.4em 0.3em",
  note: "font-size:90%;color:#444;max-width:48em",
};

const FALLBACK_STYLE = "padding:0.5em;color:#666;font-style:italic";

// On paper only the print line shows: a form and a chart that cannot run would be noise.
const PRINT_CSS =
  "<style>@media print { .binary-digits-lab > :not([data-digits-lab-print]) { display: none !important; } " +
  ".binary-digits-lab > [data-digits-lab-print] { display: block !important; } }</style>";

/** What a panel is made of: the lines it prints and falls back to, and its controls (HTML). */
export interface PanelParts {
  /** The one line the PDF shows: what the HTML version can do. */
  print: string;
  /** Shown where the page code cannot run (an untrusted notebook). */
  fallback: string;
  /** The controls and notes, above the message and results. */
  controls: string;
}

/** A panel of `kind` in the container `id`, started with `config`. */
export function labHtml<K extends keyof LabConfigs>(kind: K, id: string, parts: PanelParts, config: LabConfigs[K]): string {
  return (
    `<div id="${escapeHtml(id)}" class="binary-digits-lab" data-digits-lab="${kind}" style="font-family:sans-serif;margin:0.5em 0">` +
    PRINT_CSS +
    `<p data-digits-lab-print style="display:none;font-style:italic">${escapeHtml(parts.print)}</p>` +
    `<p data-digits-fallback style="${FALLBACK_STYLE}">${escapeHtml(parts.fallback)}</p>` +
    `<div data-digits-lab-body style="display:none">${parts.controls}` +
    `<div data-digits-lab-message role="status" style="margin:0.4em 0;color:#444"></div>` +
    `<div data-digits-lab-results></div></div></div>\n` +
    bundleScript(pageBundle("lab-page"), LAB_GLOBAL, kind, id, config)
  );
}

/** A text field `name` labelled `label`, holding `value`. */
export function textField(label: string, name: string, value: string, size = 8): string {
  return `<label>${escapeHtml(label)} <input type="text" name="${name}" value="${escapeHtml(value)}" size="${size}" spellcheck="false" style="${LAB_STYLE.field}"></label>`;
}

/** The run and stop buttons: data-digits-lab-run, data-digits-lab-stop. */
export function runButtons(run: string): string {
  return (
    `<div><button type="button" data-digits-lab-run style="${LAB_STYLE.button}">${escapeHtml(run)}</button>` +
    `<button type="button" data-digits-lab-stop disabled style="${LAB_STYLE.button}">Stop</button></div>`
  );
}
