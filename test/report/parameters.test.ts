// npm run report checks every notebook's parameters before the first notebook runs: a bad value
// for notebook 03 stops the run before notebook 01 starts, and nothing is written.
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { InputError } from "../../lib/core/errors";
import { buildReports } from "../../lib/report/report";

test("a bad DIGITS_VALIDATION_FRACTION (notebook 03's) stops the report before any notebook runs, naming the variable", async () => {
  const outDir = mkdtempSync(join(tmpdir(), "digits-report-parameters-"));
  const lines: string[] = [];
  try {
    await assert.rejects(
      buildReports({ outDir, quick: true, env: { DIGITS_VALIDATION_FRACTION: "1.5" }, log: (line) => lines.push(line) }),
      (e: unknown) => e instanceof InputError && /^DIGITS_VALIDATION_FRACTION=1\.5: expected a number above 0 and below 1$/.test(e.message),
    );
    assert.deepEqual(lines, [], "no notebook started");
    assert.deepEqual(readdirSync(outDir).filter((f) => f.endsWith(".html")), []);
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
});
