// The clickable confusion matrix in the page: a click on a cell shows that cell's test digits,
// each with its row and P(second digit), or "none" for an empty cell.
import { MNIST_SIDE } from "../image";
import { base64Bytes } from "../network";
import type { ConfusionCellsConfig, PageCell } from "../page-config";
import { hideFallback, hook } from "./attach";
import { paintGrey } from "./grey";

/** Starts the matrix in `root` (the container confusionCellsHtml wrote). */
export function confusionCells(root: HTMLElement, config: ConfusionCellsConfig): void {
  const pixels = base64Bytes(config.pixels);
  const view = hook(root, "data-digits-cell-view");
  hideFallback(root);
  const buttons = root.querySelectorAll<HTMLElement>("[data-digits-cell]");
  for (let n = 0; n < buttons.length; n++) {
    const button = buttons[n];
    button.addEventListener("click", () => {
      const key = (button.getAttribute("data-digits-cell") || "").split(",");
      const cell = config.cells.filter((c) => String(c.truth) === key[0] && String(c.predicted) === key[1])[0];
      for (let m = 0; m < buttons.length; m++) buttons[m].style.outline = "";
      button.style.outline = "3px solid #d62728";
      showCell(view, config, cell, pixels);
    });
  }
}

/** Fills the panel with the cell's heading and digits (or "none"). */
function showCell(view: HTMLElement, config: ConfusionCellsConfig, cell: PageCell, pixels: Uint8Array): void {
  view.innerHTML = "";
  const heading = document.createElement("div");
  heading.style.fontWeight = "bold";
  heading.style.marginBottom = "0.4em";
  const what = "True " + config.pair[cell.truth] + ", predicted " + config.pair[cell.predicted] + ": ";
  heading.textContent =
    what + cell.count + " test digit" + (cell.count === 1 ? "" : "s") +
    (cell.rows.length < cell.count ? ", showing the " + cell.rows.length + " least confident" : "");
  view.appendChild(heading);
  if (cell.count === 0) {
    const none = document.createElement("div");
    none.setAttribute("data-digits-none", "");
    none.textContent = "none";
    view.appendChild(none);
    return;
  }
  const grid = document.createElement("div");
  grid.style.display = "flex";
  grid.style.flexWrap = "wrap";
  grid.style.gap = "0.5em";
  for (let k = 0; k < cell.rows.length; k++) grid.appendChild(digitFigure(cell.rows[k], cell.probabilities[k], config.pair[1], pixels, (cell.at + k) * MNIST_SIDE * MNIST_SIDE));
  view.appendChild(grid);
}

/** One test digit: its 28×28 image (from `pixels[from…]`), row and P(second digit). */
function digitFigure(row: number, p: number, second: number, pixels: Uint8Array, from: number): HTMLElement {
  const figure = document.createElement("figure");
  figure.style.margin = "0";
  figure.style.textAlign = "center";
  figure.setAttribute("data-digits-row", String(row));
  const canvas = document.createElement("canvas");
  canvas.width = MNIST_SIDE;
  canvas.height = MNIST_SIDE;
  canvas.style.cssText = "width:56px;height:56px;image-rendering:pixelated;border:1px solid #ccc";
  const ctx = canvas.getContext("2d") as CanvasRenderingContext2D;
  const image = ctx.createImageData(MNIST_SIDE, MNIST_SIDE);
  paintGrey(image.data, pixels, from, MNIST_SIDE * MNIST_SIDE);
  ctx.putImageData(image, 0, 0);
  const caption = document.createElement("figcaption");
  caption.style.fontSize = "80%";
  caption.innerHTML = "row " + row + "<br>P(" + second + ") = <span data-digits-value=\"" + p + "\">" + p.toFixed(4) + "</span>";
  figure.appendChild(canvas);
  figure.appendChild(caption);
  return figure;
}
