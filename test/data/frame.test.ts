import { describe, test, before } from "node:test";
import assert from "node:assert/strict";
import { InputError } from "../../lib/core/errors";
import { loadCsv } from "../../lib/data/csv";
import { type Dataset } from "../../lib/data/dataset";
import { toDataFrame } from "../../lib/data/frame";
import { csv, row, writeTmp } from "../support/csv-rows";

describe("toDataFrame", () => {
  let dataset: Dataset;
  before(() => {
    dataset = loadCsv(writeTmp(csv(row(1, { 0: 255, 406: 200 }), row(0, { 1: 7 }), row(1))));
  });

  test("has one row per image and columns label, pixel0 … pixel783 holding integers 0–255", () => {
    const df = toDataFrame(dataset);
    assert.deepEqual(df.shape, [3, 785]);
    assert.deepEqual(df.columns.slice(0, 3), ["label", "pixel0", "pixel1"]);
    assert.equal(df.columns[784], "pixel783");
    const values = df.values as number[][];
    assert.deepEqual(values[0].slice(0, 2), [1, 255]);
    assert.equal(values[0][407], 200);
    assert.deepEqual(values[1].slice(0, 3), [0, 0, 7]);
    assert.deepEqual(df.column("label").values, [1, 0, 1]);
  });

  test("columns selects a subset in the given order", () => {
    const df = toDataFrame(dataset, { columns: ["pixel406", "label"] });
    assert.deepEqual(df.shape, [3, 2]);
    assert.deepEqual(df.values, [[200, 1], [0, 0], [0, 1]]);
  });

  test("an unknown column is an InputError", () => {
    assert.throws(() => toDataFrame(dataset, { columns: ["label", "pixel784"] }), (e: unknown) => e instanceof InputError && e.message.includes('"pixel784"'));
  });
});
