import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { Dataset } from "../../lib/data/dataset";
import { classPixelStats, dataQuality, describe as describeValues, describeFeatures, featureFrame, imageFeatures, imageSide, pixelHistogram, sampleIndices } from "../../lib/data/explore";

// 3 × 3 images, intensities 0–255 row by row.
function dataset(images: number[][], labels: number[]): Dataset {
  return { features: Float32Array.from(images.flat(), (v) => v / 255), labels: Uint8Array.from(labels), rows: images.length, cols: 9 };
}

const vertical = [0, 255, 0, 0, 255, 0, 0, 255, 0]; // a "1": middle column
const ring = [255, 255, 255, 255, 0, 255, 255, 255, 255]; // a "0": all but the centre
const blank = [0, 0, 0, 0, 0, 0, 0, 0, 0];

describe("imageFeatures", () => {
  const f = imageFeatures(dataset([vertical, ring, blank, [0, 0, 0, 0, 0, 0, 0, 0, 51]], [1, 0, 0, 1]));

  it("measures ink as the sum of intensities scaled to 0–1", () => {
    assert.deepEqual(Array.from(f.ink, (v) => Math.round(v * 1000) / 1000), [3, 8, 0, 0.2]);
  });

  it("measures the bounding box of the inked pixels", () => {
    assert.deepEqual(Array.from(f.width), [1, 3, 0, 1]);
    assert.deepEqual(Array.from(f.height), [3, 3, 0, 1]);
  });

  it("places the intensity-weighted centroid (column, row from the top left); NaN when blank", () => {
    assert.deepEqual(Array.from(f.centroidX), [1, 1, NaN, 2]);
    assert.deepEqual(Array.from(f.centroidY), [1, 1, NaN, 2]);
  });

  it("rejects images that are not square", () => {
    assert.throws(() => imageFeatures({ features: new Float32Array(6), labels: new Uint8Array(1), rows: 1, cols: 6 }), /not a square/);
  });

  it("finds the side of square images (the one check charts use too)", () => {
    assert.equal(imageSide({ features: new Float32Array(784), labels: new Uint8Array(1), rows: 1, cols: 784 }), 28);
    assert.throws(() => imageSide({ features: new Float32Array(6), labels: new Uint8Array(1), rows: 1, cols: 6 }), /6 pixels per row is not a square/);
  });
});

describe("describe", () => {
  it("gives count, mean, sample sd, min, quartiles (interpolated like numpy) and max", () => {
    const d = describeValues([4, 1, 3, 2]);
    assert.equal(d.count, 4);
    assert.equal(d.mean, 2.5);
    assert.ok(Math.abs(d.sd - 1.2909944487358056) < 1e-12);
    assert.deepEqual([d.min, d.q1, d.median, d.q3, d.max], [1, 1.75, 2.5, 3.25, 4]);
  });

  it("leaves out NaN and handles one or no values", () => {
    assert.equal(describeValues([NaN, 5]).sd, 0);
    assert.equal(describeValues([NaN]).count, 0);
    assert.ok(Number.isNaN(describeValues([]).mean));
  });

  it("describes every feature for class 0 then class 1", () => {
    const rows = describeFeatures(imageFeatures(dataset([vertical, ring], [1, 0])));
    assert.equal(rows.length, 10);
    assert.deepEqual(rows.slice(0, 2).map((r) => [r.feature, r.class, r.mean]), [["ink mass (sum of intensities)", 0, 8], ["ink mass (sum of intensities)", 1, 3]]);
  });
});

describe("featureFrame", () => {
  it("is a danfo DataFrame that can be grouped by label", () => {
    const frame = featureFrame(imageFeatures(dataset([vertical, ring, ring], [1, 0, 0])));
    assert.deepEqual(frame.columns, ["label", "ink", "width", "height", "centroidX", "centroidY"]);
    const grouped = frame.groupby(["label"]).agg({ ink: "mean" });
    assert.deepEqual(grouped.values, [[0, 8], [1, 3]]);
  });
});

describe("pixelHistogram and classPixelStats", () => {
  const ds = dataset([vertical, ring, ring], [1, 0, 0]);

  it("counts every intensity per class", () => {
    const h = pixelHistogram(ds);
    assert.equal(h.counts[0][255], 16);
    assert.equal(h.counts[0][0], 2);
    assert.equal(h.counts[1][255], 3);
    assert.equal(h.counts[1][0], 6);
    assert.equal(h.counts[0].reduce((a, b) => a + b, 0), 18);
  });

  it("gives each class's mean image and pixel variance", () => {
    const s = classPixelStats(dataset([vertical, ring, blank], [1, 0, 0]));
    assert.equal(s.side, 3);
    assert.deepEqual(s.count, [2, 1]);
    assert.deepEqual(Array.from(s.mean[0]), ring.map((v) => v / 2));
    assert.deepEqual(Array.from(s.variance[0]).slice(0, 2), [127.5 ** 2, 127.5 ** 2]);
    assert.deepEqual(Array.from(s.variance[1]), new Array(9).fill(0));
  });
});

describe("dataQuality", () => {
  it("counts duplicates, conflicting duplicates and pixels blank in every image", () => {
    const q = dataQuality(dataset([vertical, ring, vertical, ring], [1, 0, 1, 1]));
    assert.deepEqual(q, { rows: 4, columns: 10, missingCells: 0, duplicateRows: 1, conflictingDuplicates: 1, blankPixels: 0 });
    assert.equal(dataQuality(dataset([vertical], [1])).blankPixels, 6);
  });
});

describe("sampleIndices", () => {
  it("draws distinct rows, the same for the same seed", () => {
    const a = sampleIndices(1000, 100, 13);
    assert.equal(new Set(a).size, 100);
    assert.ok(a.every((i) => i < 1000));
    assert.deepEqual(sampleIndices(1000, 100, 13), a);
    assert.notDeepEqual(sampleIndices(1000, 100, 14), a);
  });

  it("gives every row when asked for more rows than there are", () => {
    assert.deepEqual(Array.from(sampleIndices(3, 10, 1)).sort(), [0, 1, 2]);
  });
});
