import { describe, test, before } from "node:test";
import assert from "node:assert/strict";
import { loadCsv } from "../../lib/data/csv";
import { type Dataset } from "../../lib/data/dataset";
import { datasetFingerprint } from "../../lib/data/fingerprint";
import { csv, row, writeTmp } from "../support/csv-rows";

describe("fingerprint", () => {
  let dataset: Dataset;
  before(() => {
    dataset = loadCsv(writeTmp(csv(row(1, { 0: 255 }), row(0, { 1: 7 }))));
  });

  test("the fingerprint is 16 hex digits and equal for equal data", () => {
    const copy: Dataset = { ...dataset, features: dataset.features.slice(), labels: dataset.labels.slice() };
    assert.match(datasetFingerprint(dataset), /^[0-9a-f]{16}$/);
    assert.equal(datasetFingerprint(copy), datasetFingerprint(dataset));
  });

  test("the fingerprint changes when one pixel changes", () => {
    const features = dataset.features.slice();
    features[1000] = 1 / 255;
    assert.notEqual(datasetFingerprint({ ...dataset, features }), datasetFingerprint(dataset));
  });

  test("the fingerprint changes when one label changes", () => {
    const labels = Uint8Array.from([0, 0]);
    assert.notEqual(datasetFingerprint({ ...dataset, labels }), datasetFingerprint(dataset));
  });
});
