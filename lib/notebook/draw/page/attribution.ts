// The drawing pad's overlay: gradient × input of the drawn image on a 28×28 canvas, in the
// charts' diverging colours (the first digit's blue pushes towards it, the second's orange towards
// it) over the digit in light grey, on a scale symmetric about 0 set by the image's largest value.

// CLASS_COLORS of lib/charts/figure.ts (#1f77b4, #ff7f0e): page code imports only draw/'s shared modules.
const TOWARDS_FIRST = [31, 119, 180];
const TOWARDS_SECOND = [255, 127, 14];

/** Writes the overlay of `attribution` (one value per pixel) over `image` (0–255 ink) into `rgba`. */
export function paintAttribution(rgba: Uint8ClampedArray, image: ArrayLike<number>, attribution: ArrayLike<number>): void {
  let largest = 0;
  for (let i = 0; i < attribution.length; i++) largest = Math.max(largest, Math.abs(attribution[i]));
  for (let i = 0; i < image.length; i++) {
    const grey = 255 - 0.3 * image[i];
    const t = largest > 0 ? Math.min(1, Math.abs(attribution[i]) / largest) : 0;
    const colour = attribution[i] < 0 ? TOWARDS_FIRST : TOWARDS_SECOND;
    for (let c = 0; c < 3; c++) rgba[4 * i + c] = Math.round(grey * (1 - t) + colour[c] * t);
    rgba[4 * i + 3] = 255;
  }
}
