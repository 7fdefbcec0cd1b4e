// Synthetic IDX files for the pairs tests, small enough to score all 45 pairs in a second: 4 × 4
// images where each digit 0–8 inks a pixel of its own, and 9 is drawn exactly like 8.
import * as fs from "node:fs";
import * as path from "node:path";
import type { DigitImages } from "../../lib/pairs/images";

/** Images of each digit in the synthetic files. */
export const PER_DIGIT = 60;
/** Settings under which a one-pixel difference is learnt: 80 rows per training fold, batch 8. */
export const LEARN = { epochs: 20, batchSize: 8, learningRate: 0.05 } as const;

/** 10 × PER_DIGIT images of 4 × 4, digits interleaved: digit d inks pixel min(d, 8), all ink pixel 15 at half. */
export function syntheticImages(): DigitImages {
  const count = 10 * PER_DIGIT;
  const cols = 16;
  const pixels = new Uint8Array(count * cols);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const digit = i % 10;
    labels[i] = digit;
    pixels[i * cols + Math.min(digit, 8)] = 255;
    pixels[i * cols + 15] = 128;
  }
  return { pixels, labels, count, cols };
}

export function writeIdx(dir: string, images: DigitImages, name = "synthetic"): { images: string; labels: string } {
  const header = (values: number[]) => {
    const b = Buffer.alloc(4 * values.length);
    values.forEach((v, i) => b.writeUInt32BE(v, 4 * i));
    return b;
  };
  const files = { images: path.join(dir, `${name}-images-idx3-ubyte`), labels: path.join(dir, `${name}-labels-idx1-ubyte`) };
  fs.writeFileSync(files.images, Buffer.concat([header([2051, images.count, 4, 4]), images.pixels]));
  fs.writeFileSync(files.labels, Buffer.concat([header([2049, images.count]), images.labels]));
  return files;
}
