// What the two lab panels do alike in the page: their hooks, state and messages, the rows they
// carry unpacked (once, when first run), and the engine handed to the pool's threads.
import { isInputError } from "../../../core/errors";
import { provideThreadSource } from "../../../core/threads";
import { base64Bytes } from "../../draw/network";
import { hideFallback, hook } from "../../draw/page/attach";
import type { EmbeddedRows, LabEngine } from "../lab-config";

/** data-digits-lab-state: ready, running, done (the results are shown), stopped, or error (a message says why). */
export type LabState = "ready" | "running" | "done" | "stopped" | "error";

/** A panel's elements, found by their hooks (written by the builders in lib/notebook/lab). */
export interface Panel {
  root: HTMLElement;
  run: HTMLButtonElement;
  stop: HTMLButtonElement;
  /** What went wrong, or how far a run got. */
  message: HTMLElement;
  results: HTMLElement;
}

/** Finds the panel's elements and shows its controls in place of the text shown where scripts do not run. */
export function openPanel(root: HTMLElement): Panel {
  hideFallback(root);
  hook(root, "data-digits-lab-body").style.display = "";
  return {
    root,
    run: hook<HTMLButtonElement>(root, "data-digits-lab-run"),
    stop: hook<HTMLButtonElement>(root, "data-digits-lab-stop"),
    message: hook(root, "data-digits-lab-message"),
    results: hook(root, "data-digits-lab-results"),
  };
}

/** Sets the state (data-digits-lab-state) and which buttons work in it. */
export function setState(panel: Panel, state: LabState): void {
  panel.root.setAttribute("data-digits-lab-state", state);
  panel.run.disabled = state === "running";
  panel.stop.disabled = state !== "running";
}

/** Shows `text` under the controls: a problem in red, anything else in grey. */
export function say(panel: Panel, text: string, problem = false): void {
  panel.message.textContent = text;
  panel.message.style.color = problem ? "#b00020" : "#444";
}

/** Ends a run that failed: an InputError's message as it is (what to change), anything else as a bug. */
export function fail(panel: Panel, error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  say(panel, isInputError(error) ? message : `Something went wrong (a bug, not your settings): ${message}`, true);
  setState(panel, "error");
}

/** The value of the field `name` of the panel. */
export function fieldValue(root: HTMLElement, name: string): string {
  const field = root.querySelector(`[name="${name}"]`) as HTMLInputElement | HTMLSelectElement | null;
  return field ? field.value : "";
}

// Declared here because the TypeScript `npm run typecheck` finds first (tslab's 5.0) has no
// DecompressionStream in its DOM lib; every browser the lab runs in has it.
declare const DecompressionStream: new (format: "gzip") => TransformStream<Uint8Array, Uint8Array>;

/** Rows as written by embedRows, unpacked: labels then pixels, one byte each. */
export async function unpackRows(rows: EmbeddedRows): Promise<Uint8Array> {
  const stream = new Blob([base64Bytes(rows.gzip)]).stream().pipeThrough(new DecompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** Hands the pool the thread script of `module` and, as each thread's set-up, the kernels' bytes. */
export function provideEngine(module: string, engine: LabEngine): void {
  provideThreadSource(module, engine.worker, { bytes: base64Bytes(engine.kernels), sha256: engine.sha256 });
}

/** The SHA-256 of `bytes` in hex (Web Crypto: pages from disk and localhost have it), or null where the page has none. */
export async function sha256Hex(bytes: Uint8Array): Promise<string | null> {
  if (typeof crypto === "undefined" || !crypto.subtle) return null;
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}
