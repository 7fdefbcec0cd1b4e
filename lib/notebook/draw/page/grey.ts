// Digits on a canvas: intensities 0–255 (ink) as dark grey on white.
import { MNIST_SIDE } from "../image";

/** Writes `count` intensities from `pixels[from…]` into `rgba` (ImageData.data) as opaque grey, ink dark. */
export function paintGrey(rgba: Uint8ClampedArray, pixels: ArrayLike<number>, from: number, count: number): void {
  for (let i = 0; i < count; i++) {
    const grey = 255 - pixels[from + i];
    rgba[4 * i] = rgba[4 * i + 1] = rgba[4 * i + 2] = grey;
    rgba[4 * i + 3] = 255;
  }
}

/** The 28×28 image at `pixels[from…]` drawn on a `width` × `height` canvas, each pixel a block (nearest neighbour). */
export function paintScaled(rgba: Uint8ClampedArray, width: number, height: number, pixels: ArrayLike<number>, from: number): void {
  const scale = width / MNIST_SIDE;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const grey = 255 - pixels[from + Math.floor(y / scale) * MNIST_SIDE + Math.floor(x / scale)];
      const at = 4 * (y * width + x);
      rgba[at] = rgba[at + 1] = rgba[at + 2] = grey;
      rgba[at + 3] = 255;
    }
  }
}
