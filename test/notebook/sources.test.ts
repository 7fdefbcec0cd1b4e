import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { networkSentence, pairsSentence, recordedSentence, savedSentence, type PairsRunSummary } from "../../lib/notebook/sources";
import { modelConfig } from "../../lib/model/model";
import { projectRoot } from "../../lib/core/project";

/** What a renderer shows for numeric character references. */
const decode = (s: string) => s.replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)));
// A folder name that used to end the code span and become an element.
const HOSTILE = "x`<img src=x onerror=alert(1)>`](javascript:alert(2))";
/** The Markdown holds no tag but ours, no backtick, no link syntax. */
function inert(markdown: string): void {
  assert.doesNotMatch(markdown.replace(/<\/?(code)>/g, ""), /[<>`]|\]\(/, markdown);
}

describe("recordedSentence", () => {
  it("counts the fold runs reused and trained, and names the record", () => {
    const text = recordedSentence({ cache: { reused: 2, trained: 4 } }, "reports/experiments/run-1.json");
    assert.equal(decode(text), "6 fold runs: 2 reused from the cache, 4 trained. Recorded in <code>reports/experiments/run-1.json</code>.");
  });

  it("adds the folds a race trained past a stop, which the counts leave out, in the singular or the plural", () => {
    const one = recordedSentence({ cache: { reused: 0, trained: 18, pastStops: 1 } }, "r.json");
    assert.equal(decode(one), "18 fold runs: 0 reused from the cache, 18 trained, and 1 more trained ahead of the round that stopped its candidate (in the fold cache, not in the record). Recorded in <code>r.json</code>.");
    const two = recordedSentence({ cache: { reused: 0, trained: 18, pastStops: 2 } }, "r.json");
    assert.match(decode(two), /, and 2 more trained ahead of the round that stopped their candidates \(in the fold cache, not in the record\)\./);
  });

  it("says first which cache entries failed their check and were trained again, as text", () => {
    const warning = `fold cache entry ${HOSTILE}/ab.json holds a checksum that does not match; training that fold again`;
    const text = recordedSentence({ cache: { reused: 1, trained: 1 } }, "r.json", [warning]);
    inert(text);
    assert.equal(decode(text), `Warning: ${warning}. 2 fold runs: 1 reused from the cache, 1 trained. Recorded in <code>r.json</code>.`);
  });

  it("shows a hostile record path as text", () => {
    const text = recordedSentence({ cache: { reused: 0, trained: 1 } }, `${HOSTILE}/r.json`);
    inert(text);
    assert.ok(decode(text).includes(`<code>${HOSTILE}/r.json</code>`));
  });
});

describe("networkSentence", () => {
  it("states the network, its parameters and learning rate, and where the choice came from", () => {
    const choice = { hidden: [25, 15], activation: "relu" as const, learningRate: 0.003, source: "25-15, the winner of selection record r1 in reports/experiments" };
    const text = networkSentence(choice, modelConfig(choice.hidden, choice.activation));
    assert.equal(decode(text), "**784→25→15→1** (relu), 20,031 parameters, learning rate 0.003: 25-15, the winner of selection record r1 in reports/experiments.");
  });

  it("names no activation for logistic regression", () => {
    const choice = { hidden: [], activation: "sigmoid" as const, learningRate: 0.001, source: "logistic" };
    assert.match(networkSentence(choice, modelConfig([], "sigmoid")), /^\*\*784→1\*\*, 785 parameters/);
  });

  it("shows skipped file names and stored data paths in the source as text", () => {
    const source = `25-15, the winner of selection r1 in ${HOSTILE} (skipped 1 other file: ${HOSTILE}.json: other data: 300 rows of ${HOSTILE}\n.csv)`;
    const text = networkSentence({ hidden: [25, 15], activation: "sigmoid", learningRate: 0.001, source }, modelConfig([25, 15]));
    inert(text.replace(/^\*\*[^*]+\*\*/, ""));
    assert.ok(decode(text).endsWith(`: ${source.replace("\n", " ")}.`));
  });
});

describe("savedSentence", () => {
  it("names the folder as code, whatever it holds", () => {
    assert.equal(decode(savedSentence("models/25-15")), "Saved to <code>models/25-15</code>.");
    inert(savedSentence(HOSTILE));
  });
});

describe("pairsSentence", () => {
  const run = (reused: boolean, perDigit: number | null, path = `${projectRoot()}/reports/pairs/abc.json`): PairsRunSummary => ({
    path,
    reused,
    record: { config: { folds: 3, epochs: 10, batchSize: 32, learningRate: 0.003, seed: 13, perDigit }, createdAt: "2026-11-25T12:00:00.000Z", seconds: 42.25, data: { count: 60000 } },
  });

  it("says the map was reused from its record, and from which, with its settings", () => {
    assert.equal(
      decode(pairsSentence(run(true, null), false)),
      "From <code>reports/pairs/abc.json</code>, computed 2026-11-25 in 42.3 s and reused because the data and settings are unchanged " +
        "(logistic regression, 3-fold cross-validation, 10 epochs (Adam 0.003, batch 32), seed 13, every image, of 60,000 training images).",
    );
  });

  it("says where a new map was saved, and that quick mode's sample is small", () => {
    const text = decode(pairsSentence(run(false, 100), true));
    assert.match(text, /^Computed in 42\.3 s and saved to <code>reports\/pairs\/abc\.json<\/code> \(.*100 images per digit, of 60,000 training images\)\. Quick mode: a small sample; `npx digits pairs` computes the full map/);
  });

  it("first says why a record found was not used, naming its file as text", () => {
    const text = pairsSentence({ ...run(false, null), warnings: [`${HOSTILE}/old.json: edited, computing the map again`] }, false);
    inert(text);
    assert.ok(decode(text).startsWith(`Warning: ${HOSTILE}/old.json: edited, computing the map again. Computed in 42.3 s`));
  });

  it("shows a hostile folder as text", () => {
    const text = pairsSentence(run(false, null, `/tmp/${HOSTILE}/abc.json`), false);
    inert(text);
    assert.ok(decode(text).includes(`<code>/tmp/${HOSTILE}/abc.json</code>`));
  });
});
