// cli/progress.ts: progress on stderr, drawn in place on a terminal (its width from the command
// line's Output), whole lines elsewhere; run through withOutput, so no terminal is needed.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { withOutput } from "../../cli/common";
import { progressOnStderr, type ProgressView } from "../../cli/progress";

interface Step {
  done: number;
  remainingSeconds: number | null;
}

const view: ProgressView<Step> = {
  line: (p, remaining) => `step ${p.done} of 3, ${remaining} left \x1b[31m`,
  skippable: (p) => p.done < 3,
  logged: (p, remaining) => (p.done === 2 ? null : `[${p.done}/3] ${remaining} left`),
};

/** What the progress wrote to err, with stderr a terminal `width` columns wide or (null) not one. */
async function drawn(width: number | null, quiet = false): Promise<string> {
  let err = "";
  await withOutput({ out: () => undefined, err: (text) => (err += text), errTerminalWidth: () => width }, async () => {
    const progress = progressOnStderr(quiet, view);
    progress.onProgress({ done: 1, remainingSeconds: 65 });
    progress.note("a note between progress lines");
    progress.onProgress({ done: 2, remainingSeconds: null });
    progress.onProgress({ done: 3, remainingSeconds: 0 });
    progress.done();
  });
  return err;
}

describe("progress on stderr", () => {
  test("on a terminal: one line redrawn in place, cut to the width, values made visible; cleared for a note and at the end", async (t) => {
    // The clock stands still: every report comes less than 100 ms after the one before.
    t.mock.method(Date, "now", () => 1_000_000);
    const clear = "\r\x1b[2K";
    assert.equal(
      await drawn(25),
      `${clear}step 1 of 3, 1:05 left \\` + `${clear}a note between progress lines\n` + `${clear}step 3 of 3, 0:00 left \\` + clear,
      "step 2 is skipped: under 100 ms after step 1, and skippable",
    );
  });

  test("elsewhere: the lines the view logs, whole, and the note", async () => {
    assert.equal(await drawn(null), "[1/3] 1:05 left\na note between progress lines\n[3/3] 0:00 left\n");
  });

  test("--quiet: nothing", async () => {
    assert.equal(await drawn(24, true), "");
    assert.equal(await drawn(null, true), "");
  });
});
