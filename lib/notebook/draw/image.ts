// A drawing as MNIST's digits were made. Shared by Node (tests, the pad's "random test digit"
// check) and the page (lib/notebook/draw/page, bundled by the build): it imports nothing and uses
// only what both have (Math, typed arrays), which compiling it under both tsconfigs checks.

/** Side of the square image the network reads, and of the box a digit is scaled to fit. */
export const MNIST_SIDE = 28;
const MNIST_BOX = 20;

/** The bounding box of the ink (`ink[y * width + x]` > 0), inclusive; x1 < 0 when there is none. */
function inkBox(ink: ArrayLike<number>, width: number, height: number): { x0: number; y0: number; x1: number; y1: number } {
  let x0 = width, y0 = height, x1 = -1, y1 = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (ink[y * width + x] > 0) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
    }
  }
  return { x0, y0, x1, y1 };
}

/**
 * The box `w` × `h` of ink at (x0, y0) scaled to fit MNIST_BOX × MNIST_BOX keeping its aspect
 * ratio, each target pixel the mean ink of the area it covers, rounded to 0–255 (row-major, tw × th).
 */
function scaledPatch(ink: ArrayLike<number>, width: number, box: { x0: number; y0: number; w: number; h: number }): { patch: Float64Array; tw: number; th: number } {
  const { x0, y0, w, h } = box;
  // Integer coordinates: source pixel x spans [MNIST_BOX·x, MNIST_BOX·x + MNIST_BOX), target pixel i
  // spans [m·i, m·i + m), so overlaps are exact integers and a target pixel's grey is Σ overlapX·overlapY·ink / m².
  const m = Math.max(w, h);
  const tw = Math.ceil((w * MNIST_BOX) / m);
  const th = Math.ceil((h * MNIST_BOX) / m);
  const rowsScaled = new Float64Array(h * tw);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const v = ink[(y0 + y) * width + x0 + x];
      if (!(v > 0)) continue;
      const from = MNIST_BOX * x;
      const to = from + MNIST_BOX;
      for (let i = Math.floor(from / m); i * m < to; i++) {
        const overlap = Math.min(to, (i + 1) * m) - Math.max(from, i * m);
        rowsScaled[y * tw + i] += overlap * v;
      }
    }
  }
  const patch = new Float64Array(th * tw);
  for (let y = 0; y < h; y++) {
    const from = MNIST_BOX * y;
    const to = from + MNIST_BOX;
    for (let j = Math.floor(from / m); j * m < to; j++) {
      const overlap = Math.min(to, (j + 1) * m) - Math.max(from, j * m);
      for (let i = 0; i < tw; i++) patch[j * tw + i] += overlap * rowsScaled[y * tw + i];
    }
  }
  for (let k = 0; k < patch.length; k++) patch[k] = Math.min(255, Math.round(patch[k] / (m * m)));
  return { patch, tw, th };
}

/**
 * A drawing as MNIST's digits were made: the bounding box of the ink (`ink[y * width + x]` > 0,
 * 0–255) is scaled to fit 20×20 keeping its aspect ratio, each target pixel taking the mean ink
 * of the area it covers (anti-aliased grey); the result is put in a 28×28 frame with its centre of
 * mass (in pixel indices) on pixel (14, 14), as in MNIST, where it lies within half a pixel of 14.
 * Returns 784 intensities 0–255, row-major, all 0 for an empty drawing.
 */
export function mnistImage(ink: ArrayLike<number>, width: number, height: number): Uint8Array {
  const side = MNIST_SIDE;
  const out = new Uint8Array(side * side);
  const { x0, y0, x1, y1 } = inkBox(ink, width, height);
  if (x1 < 0) return out;
  const { patch, tw, th } = scaledPatch(ink, width, { x0, y0, w: x1 - x0 + 1, h: y1 - y0 + 1 });
  let total = 0, sumX = 0, sumY = 0;
  for (let j = 0; j < th; j++) {
    for (let i = 0; i < tw; i++) {
      const v = patch[j * tw + i];
      total += v;
      sumX += v * i;
      sumY += v * j;
    }
  }
  if (total === 0) return out;
  const dx = Math.round(side / 2 - sumX / total);
  const dy = Math.round(side / 2 - sumY / total);
  for (let j = 0; j < th; j++) {
    for (let i = 0; i < tw; i++) {
      const x = i + dx;
      const y = j + dy;
      if (x >= 0 && x < side && y >= 0 && y < side) out[y * side + x] = patch[j * tw + i];
    }
  }
  return out;
}
