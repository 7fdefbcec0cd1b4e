// compare's table, its Markdown and CSV, ids by any unique part and the shortest handles, notes and tags: pure functions.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { compareCsv, compareMarkdown, compareTable } from "../../lib/selection/record-diff-table";
import { matchIds, shortestHandles } from "../../lib/selection/experiments";
import { annotate, annotationProblem, parseNote, parseTag } from "../../lib/selection/notes";
import type { ExperimentRecord } from "../../lib/selection/record";
import { InputError } from "../../lib/core/errors";

/** A record with the fields compare reads: two candidates, "" and "8". */
function record(id: string, epochs: number, logLoss: [number, number]): ExperimentRecord {
  const summary = (architecture: string, meanLogLoss: number) => ({ architecture, meanLogLoss, meanAccuracy: 0.9, meanAuc: 0.99 });
  return {
    id,
    startedAt: "2026-11-30T08:37:00.000Z",
    data: { fingerprint: "f".repeat(64), rows: 100, digits: [0, 1] },
    config: { grid: [[], [8]], activations: ["sigmoid"], learningRates: [0.001], folds: 3, epochs, batchSize: 32, seed: 13, threshold: 0.5 },
    summary: [summary("logistic", logLoss[0]), summary("8", logLoss[1])],
    winner: { architecture: "8" },
  } as unknown as ExperimentRecord;
}

const A = record("20261130T0837-53cd", 1, [0.3, 0.2]);
const B = record("20261130T0838-a1b2", 2, [0.3, 0.1]);

describe("experiments compare as a table", () => {
  it("--only-changed keeps the settings and candidates that differ: here epochs and candidate 8", () => {
    const table = compareTable([A, B], { onlyChanged: true });
    assert.deepEqual(table.rows.map((r) => r.name), ["epochs", "8 · log loss", "8 · accuracy", "8 · AUC"]);
    assert.deepEqual(table.rows[0].values, ["1", "2"]);
  });

  it("without it, shows every setting and candidate", () => {
    const names = compareTable([A, B]).rows.map((r) => r.name);
    assert.ok(names.includes("seed") && names.includes("pair") && names.includes("logistic · log loss") && names.includes("winner"));
  });

  it("--baseline adds each record's difference to the baseline for every metric", () => {
    const table = compareTable([A, B], { baseline: A.id });
    const row = table.rows.find((r) => r.name === "8 · log loss")!;
    assert.deepEqual(row.delta!.map((d) => Number(d!.toFixed(10))), [0, -0.1]);
    assert.throws(() => compareTable([A, B], { baseline: "other" }), RangeError);
    assert.match(compareCsv(table), /^name,20261130T0837-53cd \(baseline\),20261130T0838-a1b2,Δ 20261130T0838-a1b2\n/);
  });

  it("--only-changed shows runs that differ only in repeats, the rule or the ROPE", () => {
    const differing: [string, Partial<ExperimentRecord["config"]>][] = [
      ["repeats", { repeats: 3 }],
      ["rule", { rule: "equivalent" }],
      ["rope accuracy", { rope: { accuracy: 0.01, logLoss: 0.002 } }],
    ];
    const same = { ...A, config: { ...A.config, repeats: 1, rule: "one-se", rope: { accuracy: 0.002, logLoss: 0.002 } } } as ExperimentRecord;
    for (const [name, change] of differing) {
      const other = { ...same, config: { ...same.config, ...change } } as ExperimentRecord;
      const rows = compareTable([same, other], { onlyChanged: true }).rows;
      assert.deepEqual(rows.map((r) => r.name), [name], `runs differing in ${name}`);
    }
  });

  it("shows an old record's settings as it ran: one cut of the folds, its winner's rule or the one-SE rule, its comparisons' ROPE or 'not recorded'", () => {
    const withTests = { ...B, winner: { ...B.winner, rule: "equivalent" }, comparisons: [{ metric: "accuracy", rope: 0.005 }] } as unknown as ExperimentRecord;
    const value = (table: ReturnType<typeof compareTable>, name: string) => table.rows.find((r) => r.name === name)!.values;
    const table = compareTable([A, withTests]);
    assert.deepEqual(value(table, "repeats"), ["1", "1"]);
    assert.deepEqual(value(table, "rule"), ["one-se", "equivalent"]);
    assert.deepEqual(value(table, "rope accuracy"), ["not recorded", "0.005"]);
    assert.deepEqual(value(table, "rope log loss"), ["not recorded", "not recorded"]);
  });

  it("lists a config field it has no name for by its own key, 'not recorded' where a record lacks it", () => {
    const raced = { ...B, config: { ...B.config, race: { after: 3, alpha: 0.05 } } } as unknown as ExperimentRecord;
    const rows = compareTable([A, raced], { onlyChanged: true }).rows;
    assert.deepEqual(rows.find((r) => r.name === "race")?.values, ["not recorded", '{"after":3,"alpha":0.05}']);
  });

  it("writes CSV with quoted fields and Markdown with escaped pipes", () => {
    const odd = { ...B, config: { ...B.config, activations: ["relu", "tanh"] } } as ExperimentRecord;
    const csv = compareCsv(compareTable([A, odd], { onlyChanged: true }));
    assert.match(csv, /^activations,sigmoid,"relu,tanh"$/m);
    const piped = { ...B, winner: { ...B.winner, architecture: "a|b" } } as ExperimentRecord;
    assert.match(compareMarkdown(compareTable([A, piped], { onlyChanged: true })), /^\| winner \| 8 \| a\\\|b \|$/m);
  });
});

describe("ids a person can type", () => {
  const ids = ["20261130T083701-53cd", "20261130T083702-a1b2", "20261201T090000-53ce"];
  it("finds a record by its whole id, a unique start, or any unique part such as its suffix", () => {
    assert.deepEqual(matchIds("53cd", ids), [ids[0]]);
    assert.deepEqual(matchIds("20261201", ids), [ids[2]]);
    assert.deepEqual(matchIds("a1", ids), [ids[1]]);
    assert.deepEqual(matchIds("53c", ids), [ids[0], ids[2]]);
    assert.deepEqual(matchIds("2026113", ids), [ids[0], ids[1]]);
  });
  it("gives each record its shortest unique suffix of at least four characters", () => {
    assert.deepEqual([...shortestHandles(ids).values()], ["53cd", "a1b2", "53ce"]);
    assert.deepEqual([...shortestHandles(["x-0000", "y-0000"]).values()], ["x-0000", "y-0000"]);
  });
});

describe("notes and tags", () => {
  it("adds tags sorted and once each, and replaces the note", () => {
    const once = annotate(A, { note: "first", tags: ["b", "a"] });
    const twice = annotate(once, { note: "second", tags: ["a", "c"] });
    assert.deepEqual(twice.tags, ["a", "b", "c"]);
    assert.equal(twice.note, "second");
  });
  it("refuses tags and notes a record could not hold, and flags them when read back", () => {
    assert.throws(() => parseTag("has space"), InputError);
    assert.throws(() => parseTag("-x"), InputError);
    assert.throws(() => parseNote("  "), InputError);
    assert.equal(parseTag("v1.2_best"), "v1.2_best");
    assert.match(annotationProblem({ tags: ["ok", "<b>"] }) ?? "", /corrupt/);
    assert.match(annotationProblem({ tags: "x" }) ?? "", /not a list/);
    assert.equal(annotationProblem({ note: "fine", tags: ["a"] }), null);
  });
});
