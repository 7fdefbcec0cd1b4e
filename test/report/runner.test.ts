// lib/report/runner.ts: the paragraph a failed notebook run becomes, here for a file the runner
// could not write (report.test.ts runs real notebooks into these failures).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { refusalReason } from "../../lib/core/files";
import { failureMessage } from "../../lib/report/runner";

describe("a failed run whose executed notebook could not be saved", () => {
  const failed = (code: string | undefined, error: string) =>
    failureMessage("notebooks/01.ipynb", { status: "error", kind: "error", cell: null, ename: "Error", evalue: "the data is gone", write_error: { path: "reports/executed/01.ipynb", error, code } }, null);

  test("says the notebook's own error first, then the write, in the words the project's writes use for its code", () => {
    const [first, second] = failed("ENOSPC", "No space left on device").split("\n");
    assert.equal(first, "notebooks/01.ipynb failed: Error: the data is gone");
    assert.equal(second, `(and the executed notebook could not be saved: cannot write reports/executed/01.ipynb: ${refusalReason("ENOSPC", "reports/executed/01.ipynb")})`);
    assert.match(second, /the disk is full\)$/);
  });

  test("an error code without words of the project's keeps Python's message", () => {
    assert.match(failed("EBADF", "Bad file descriptor"), /cannot write reports\/executed\/01\.ipynb: Bad file descriptor\)$/);
    assert.match(failed(undefined, "something odd"), /: something odd\)$/);
  });
});
