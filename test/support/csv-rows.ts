// Shared by the data tests: MNIST-shaped CSV text built row by row, and this test file's temporary
// folder (removed when its tests end) to write it to.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after } from "node:test";
import { CSV_HEADER_NAMES } from "../../lib/data/dataset";

export const HEADER = CSV_HEADER_NAMES.join(",");

/** One CSV row: the label, then 784 pixels that are "0" except those given by index. */
export function row(label: string | number, cells: Record<number, string | number> = {}): string {
  const out: string[] = [String(label)];
  for (let i = 0; i < 784; i++) out.push(i in cells ? String(cells[i]) : "0");
  return out.join(",");
}

/** A well-formed file: header, the rows, "\n" line endings and a trailing newline. */
export function csv(...rows: string[]): string {
  return [HEADER, ...rows].join("\n") + "\n";
}

/** A temporary folder for the importing test file. */
export const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "digits-data-test-"));
// Registered when the test file imports this module (at its top level, so it runs last).
after(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

let fileNo = 0;
/** Writes the text to a new numbered .csv file in tmp and returns its path. */
export function writeTmp(content: string | Buffer): string {
  const file = path.join(tmp, `case-${++fileNo}.csv`);
  fs.writeFileSync(file, content);
  return file;
}
