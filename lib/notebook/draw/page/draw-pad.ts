// The drawing pad in the page: what is drawn (mouse, pen, touch) or a loaded test digit goes
// through mnistImage and the network's forward pass, once per animation frame while drawing, and
// the pad shows the 28×28 image the network receives, which of its pixels push towards each digit
// (gradient × input), P(second digit) and the prediction. When a report's lab trains a network in
// the page (LAB_NETWORK_EVENT), the pad switches to it, with a select to go back to the notebook's.
import type { Network } from "../../../model/model";
import { mnistImage, MNIST_SIDE } from "../image";
import { base64Bytes, decodeNetwork, forwardProbability, gradientTimesInput } from "../network";
import { LAB_NETWORK_EVENT, type DrawPadConfig, type LabNetworkDetail } from "../page-config";
import { hideFallback, hook } from "./attach";
import { paintAttribution } from "./attribution";
import { paintGrey, paintScaled } from "./grey";

/** One pad on the page: its config, elements (found by their hooks), network and state. */
interface Pad {
  config: DrawPadConfig;
  canvas: HTMLCanvasElement;
  ctx: CanvasRenderingContext2D;
  /** The 28×28 canvas showing what the network receives. */
  view: CanvasRenderingContext2D;
  /** The 28×28 overlay: which pixels push towards each digit (gradient × input). */
  attribution: CanvasRenderingContext2D;
  probability: HTMLElement;
  prediction: HTMLElement;
  /** Says what is on the canvas: a prompt, "your drawing", or the loaded test row. */
  source: HTMLElement;
  stroke: HTMLInputElement;
  /** The notebook's network, and the one the report's lab trained in the page (once it has). */
  networks: { notebook: Network; lab: LabNetworkDetail | null };
  /** Which of the two answers: the select data-digits-model. */
  model: HTMLSelectElement;
  /** The test rows' pixels, 784 bytes each, in config.rows order. */
  pixels: Uint8Array;
  width: number;
  height: number;
  /** `loaded`: the index in config.rows of the test digit on the canvas, -1 for none (or a drawing). */
  state: { drawing: boolean; x: number; y: number; next: number; frame: number; loaded: number };
}

/** Starts the pad in `root` (the container drawPadHtml wrote). */
export function drawPad(root: HTMLElement, config: DrawPadConfig): void {
  const canvas = hook<HTMLCanvasElement>(root, "data-digits-draw");
  const pad: Pad = {
    config,
    canvas,
    ctx: canvas.getContext("2d", { willReadFrequently: true }) as CanvasRenderingContext2D,
    view: hook<HTMLCanvasElement>(root, "data-digits-input").getContext("2d") as CanvasRenderingContext2D,
    attribution: hook<HTMLCanvasElement>(root, "data-digits-attribution").getContext("2d") as CanvasRenderingContext2D,
    probability: hook(root, "data-digits-probability"),
    prediction: hook(root, "data-digits-prediction"),
    source: hook(root, "data-digits-source"),
    stroke: hook<HTMLInputElement>(root, "data-digits-stroke"),
    networks: { notebook: decodeNetwork(config.network), lab: null },
    model: hook<HTMLSelectElement>(root, "data-digits-model"),
    pixels: base64Bytes(config.pixels),
    width: canvas.width,
    height: canvas.height,
    state: { drawing: false, x: 0, y: 0, next: 0, frame: 0, loaded: -1 },
  };
  hideFallback(root);
  root.setAttribute("data-digits-network", "notebook");
  blank(pad);
  update(pad);
  listenToPointer(pad);
  listenToControls(root, pad);
  listenToLab(root, pad);
}

/** The network the pad answers with: the lab's when it has one and it is chosen, else the notebook's. */
function network(pad: Pad): Network {
  return pad.model.value === "lab" && pad.networks.lab ? pad.networks.lab.network : pad.networks.notebook;
}

/** Switches to each network the report's lab trains for this pair, and back to the notebook's when asked. */
function listenToLab(root: HTMLElement, pad: Pad): void {
  document.addEventListener(LAB_NETWORK_EVENT, (event) => {
    const detail = (event as CustomEvent<LabNetworkDetail>).detail;
    if (!detail || detail.pair[0] !== pad.config.pair[0] || detail.pair[1] !== pad.config.pair[1]) return;
    pad.networks.lab = detail;
    const option = pad.model.querySelector('option[value="lab"]') as HTMLOptionElement;
    option.textContent = "trained in this page: " + detail.name;
    hook(root, "data-digits-model-choice").style.display = "block";
    pad.model.value = "lab";
    switched(root, pad);
  });
  pad.model.addEventListener("change", () => switched(root, pad));
}

/** After a change of network: the answer again, and the loaded test digit's sentence for the network now used. */
function switched(root: HTMLElement, pad: Pad): void {
  root.setAttribute("data-digits-network", pad.model.value === "lab" && pad.networks.lab ? "lab" : "notebook");
  if (pad.state.loaded >= 0) pad.source.textContent = testDigitText(pad, pad.state.loaded);
  update(pad);
}

/** Reads the canvas, shows the image the network receives, and the network's answer. */
function update(pad: Pad): void {
  pad.state.frame = 0;
  const rgba = pad.ctx.getImageData(0, 0, pad.width, pad.height).data;
  const ink = new Uint8Array(pad.width * pad.height);
  for (let i = 0; i < ink.length; i++) ink[i] = 255 - rgba[4 * i];
  const image = mnistImage(ink, pad.width, pad.height);
  const shown = pad.view.createImageData(MNIST_SIDE, MNIST_SIDE);
  paintGrey(shown.data, image, 0, image.length);
  pad.view.putImageData(shown, 0, 0);
  const inked = image.some((v) => v > 0);
  const net = network(pad);
  const overlay = pad.attribution.createImageData(MNIST_SIDE, MNIST_SIDE);
  paintAttribution(overlay.data, image, inked ? gradientTimesInput(net, image) : new Float64Array(image.length));
  pad.attribution.putImageData(overlay, 0, 0);
  showAnswer(pad, inked ? forwardProbability(net.layers, net.config.activation, image) : null);
}

/** P(second digit) as text (its exact value in data-digits-value) and the prediction; dashes for an empty canvas. */
function showAnswer(pad: Pad, p: number | null): void {
  if (p === null) {
    pad.probability.textContent = "–";
    pad.probability.removeAttribute("data-digits-value");
    pad.prediction.textContent = "–";
    return;
  }
  const [a, b] = pad.config.pair;
  pad.probability.textContent = p.toFixed(4);
  pad.probability.setAttribute("data-digits-value", String(p));
  pad.prediction.textContent = String(p > pad.config.threshold ? b : a);
}

function schedule(pad: Pad): void {
  if (!pad.state.frame) pad.state.frame = requestAnimationFrame(() => update(pad));
}

function blank(pad: Pad): void {
  pad.ctx.fillStyle = "#fff";
  pad.ctx.fillRect(0, 0, pad.width, pad.height);
}

/** Says that the canvas now holds a drawing (drawn over the test digit, if one was loaded). */
function drawn(pad: Pad): void {
  const source = pad.source;
  pad.state.loaded = -1;
  if (source.hasAttribute("data-digits-row")) {
    source.removeAttribute("data-digits-row");
    source.textContent = "Your drawing (on top of the test digit).";
  } else if (!source.getAttribute("data-digits-drawn")) source.textContent = "Your drawing.";
  source.setAttribute("data-digits-drawn", "1");
}

/** Where the pointer is, in canvas pixels (the canvas may be shown at another size). */
function point(pad: Pad, e: PointerEvent): { x: number; y: number } {
  const rect = pad.canvas.getBoundingClientRect();
  return { x: ((e.clientX - rect.left) * pad.width) / rect.width, y: ((e.clientY - rect.top) * pad.height) / rect.height };
}

function strokeWidth(pad: Pad, e: PointerEvent): number {
  const base = Number(pad.stroke.value);
  // A pen's pressure thins or thickens its stroke; a mouse or finger draws at the chosen width.
  return e.pointerType === "pen" && e.pressure > 0 ? base * (0.4 + 1.2 * e.pressure) : base;
}

/** Draws from the last point to the event's. */
function line(pad: Pad, e: PointerEvent): void {
  const p = point(pad, e);
  const ctx = pad.ctx;
  ctx.strokeStyle = "#000";
  ctx.lineCap = "round";
  ctx.lineJoin = "round";
  ctx.lineWidth = strokeWidth(pad, e);
  ctx.beginPath();
  ctx.moveTo(pad.state.x, pad.state.y);
  ctx.lineTo(p.x, p.y);
  ctx.stroke();
  pad.state.x = p.x;
  pad.state.y = p.y;
}

function listenToPointer(pad: Pad): void {
  const { canvas, state } = pad;
  const stop = (): void => {
    if (!state.drawing) return;
    state.drawing = false;
    if (state.frame) cancelAnimationFrame(state.frame);
    update(pad);
  };
  canvas.addEventListener("pointerdown", (e) => {
    if (e.pointerType === "mouse" && e.button !== 0) return;
    e.preventDefault();
    try {
      canvas.setPointerCapture(e.pointerId);
    } catch {
      // synthetic events have no capturable pointer
    }
    state.drawing = true;
    const p = point(pad, e);
    state.x = p.x;
    state.y = p.y;
    line(pad, e);
    drawn(pad);
    schedule(pad);
  });
  canvas.addEventListener("pointermove", (e) => {
    if (!state.drawing) return;
    e.preventDefault();
    const events = typeof e.getCoalescedEvents === "function" ? e.getCoalescedEvents() : [];
    if (events.length === 0) line(pad, e);
    for (let i = 0; i < events.length; i++) line(pad, events[i]);
    schedule(pad);
  });
  canvas.addEventListener("pointerup", stop);
  canvas.addEventListener("pointercancel", stop);
  canvas.addEventListener("lostpointercapture", stop);
}

function listenToControls(root: HTMLElement, pad: Pad): void {
  pad.stroke.addEventListener("input", () => {
    hook(root, "data-digits-stroke-value").textContent = pad.stroke.value;
  });
  hook(root, "data-digits-clear").addEventListener("click", () => clear(pad));
  hook(root, "data-digits-random").addEventListener("click", () => loadTestDigit(pad));
}

function clear(pad: Pad): void {
  const [a, b] = pad.config.pair;
  blank(pad);
  pad.state.loaded = -1;
  pad.source.removeAttribute("data-digits-row");
  pad.source.removeAttribute("data-digits-drawn");
  pad.source.textContent = "Draw a " + a + " or a " + b + ".";
  update(pad);
}

/** Puts the next of the config's test rows on the canvas, scaled up, and says which row it is. */
function loadTestDigit(pad: Pad): void {
  const { config, state } = pad;
  const k = state.next % config.rows.length;
  state.next += 1;
  const big = pad.ctx.createImageData(pad.width, pad.height);
  paintScaled(big.data, pad.width, pad.height, pad.pixels, k * MNIST_SIDE * MNIST_SIDE);
  pad.ctx.putImageData(big, 0, 0);
  state.loaded = k;
  pad.source.setAttribute("data-digits-row", String(config.rows[k]));
  pad.source.removeAttribute("data-digits-drawn");
  pad.source.textContent = testDigitText(pad, k);
  update(pad);
}

/** "Test row 12 (a 1); the evaluation gave P(1) = 0.9998.", by the network the pad uses. */
function testDigitText(pad: Pad, k: number): string {
  const { config } = pad;
  const row = config.rows[k];
  const lab = pad.model.value === "lab" ? pad.networks.lab : null;
  const p = lab ? lab.probabilities[row] : config.probabilities ? config.probabilities[k] : null;
  const by = lab ? "the network trained in this page gives" : "the evaluation gave";
  return "Test row " + row + " (a " + config.labels[k] + ")" + (p === null ? "." : "; " + by + " P(" + config.pair[1] + ") = " + p.toFixed(4) + ".");
}
