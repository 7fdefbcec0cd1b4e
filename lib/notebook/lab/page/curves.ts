// The train panel's live chart: loss (log scale) and accuracy per epoch, for the rows trained on and
// the validation split, redrawn after every epoch as small SVG panels (no charting library: the
// panel works wherever its script runs, with or without plotly.js on the page).
import { CLASS_COLORS } from "../../../charts/figure";
import type { TrainProgress } from "../train-run";

const WIDTH = 300;
const HEIGHT = 170;
const MARGIN = { left: 48, right: 10, top: 22, bottom: 28 };

interface Series {
  name: string;
  values: number[];
  color: string;
  dash: boolean;
}

/** "0.0123", "1.2e-4": a tick label short enough for the axis. */
function tick(v: number): string {
  return v !== 0 && (Math.abs(v) < 0.001 || Math.abs(v) >= 1000) ? v.toExponential(1) : String(Number(v.toPrecision(3)));
}

/** One panel: the series against epochs 1…`epochs`, y on a log scale when `log`. */
function panel(title: string, series: Series[], epochs: number, log: boolean): string {
  const all = series.flatMap((s) => s.values).filter((v) => Number.isFinite(v) && (!log || v > 0));
  if (all.length === 0) return "";
  const scale = (v: number) => (log ? Math.log10(v) : v);
  let low = Math.min(...all.map(scale));
  let high = Math.max(...all.map(scale));
  if (high - low < 1e-9) [low, high] = [low - 0.5, high + 0.5];
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const x = (epoch: number) => MARGIN.left + (epochs <= 1 ? plotW / 2 : ((epoch - 1) / (epochs - 1)) * plotW);
  const y = (v: number) => MARGIN.top + (1 - (scale(v) - low) / (high - low)) * plotH;
  const lines = series
    .map((s) => {
      const points = s.values.map((v, i) => (Number.isFinite(v) && (!log || v > 0) ? `${x(i + 1).toFixed(1)},${y(v).toFixed(1)}` : "")).filter((p) => p !== "");
      const dots = points.map((p) => `<circle cx="${p.split(",")[0]}" cy="${p.split(",")[1]}" r="2" fill="${s.color}"/>`).join("");
      return `<polyline fill="none" stroke="${s.color}" stroke-width="2"${s.dash ? ' stroke-dasharray="5,3"' : ""} points="${points.join(" ")}"/>${dots}`;
    })
    .join("");
  const unscale = (v: number) => (log ? 10 ** v : v);
  const axes =
    `<line x1="${MARGIN.left}" y1="${MARGIN.top + plotH}" x2="${MARGIN.left + plotW}" y2="${MARGIN.top + plotH}" stroke="#888"/>` +
    `<line x1="${MARGIN.left}" y1="${MARGIN.top}" x2="${MARGIN.left}" y2="${MARGIN.top + plotH}" stroke="#888"/>` +
    `<text x="${MARGIN.left - 4}" y="${MARGIN.top + 4}" text-anchor="end" font-size="10">${tick(unscale(high))}</text>` +
    `<text x="${MARGIN.left - 4}" y="${MARGIN.top + plotH}" text-anchor="end" font-size="10">${tick(unscale(low))}</text>` +
    `<text x="${MARGIN.left}" y="${HEIGHT - 8}" font-size="10">1</text>` +
    `<text x="${MARGIN.left + plotW}" y="${HEIGHT - 8}" text-anchor="end" font-size="10">${epochs}</text>` +
    `<text x="${MARGIN.left + plotW / 2}" y="${HEIGHT - 8}" text-anchor="middle" font-size="10">epoch</text>` +
    `<text x="${MARGIN.left}" y="14" font-size="12" font-weight="bold">${title}</text>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" role="img" aria-label="${title}" style="font-family:sans-serif">${axes}${lines}</svg>`;
}

/** The loss and accuracy panels after the epochs in `points`, out of `epochs`, with a legend. */
export function curvesHtml(points: readonly TrainProgress[], epochs: number): string {
  const [train, validation] = CLASS_COLORS;
  const loss = panel("Loss (log scale)", [
    { name: "training", values: points.map((p) => p.loss), color: train, dash: false },
    { name: "validation", values: points.map((p) => p.valLoss), color: validation, dash: true },
  ], epochs, true);
  const accuracy = panel("Accuracy", [
    { name: "training", values: points.map((p) => p.acc), color: train, dash: false },
    { name: "validation", values: points.map((p) => p.valAcc), color: validation, dash: true },
  ], epochs, false);
  const legend =
    `<div style="font-size:85%;color:#444"><span style="color:${train};font-weight:bold">——</span> rows trained on ` +
    `<span style="color:${validation};font-weight:bold;margin-left:1em">- - -</span> validation split</div>`;
  return `<div style="display:flex;flex-wrap:wrap;gap:1em">${loss}${accuracy}</div>${legend}`;
}
