// What the chart tests share: a tiny dataset and readers of a figure's titles.
import type { Figure } from "../../lib/charts/figure";
import type { Dataset } from "../../lib/data/dataset";

// Three 2 × 2 images (pixel values / 255): a blank 0, a full 0 and a 1 with its left column inked.
export function tinyDataset(): Dataset {
  const pixels = [
    [0, 0, 0, 0],
    [255, 255, 255, 255],
    [255, 0, 255, 0],
  ];
  return { features: Float32Array.from(pixels.flat(), (v) => v / 255), labels: Uint8Array.from([0, 0, 1]), rows: 3, cols: 4 };
}

export function titleOf(figure: Figure): string {
  return (figure.layout.title as { text: string }).text;
}

export function annotations(figure: Figure): { text: string; [k: string]: unknown }[] {
  return (figure.layout.annotations ?? []) as { text: string }[];
}
