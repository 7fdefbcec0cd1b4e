// What an executed notebook shows, read back by the report, notebook and PDF tests.
import { joinText, type Notebook } from "../../lib/report/ipynb";

/** All outputs' MIME data of one kind (e.g. "text/html") in the notebook, in order. */
export function outputsOfType(notebook: Notebook, mime: string): string[] {
  const out: string[] = [];
  for (const cell of notebook.cells) {
    for (const output of cell.outputs ?? []) {
      if (output.data && mime in output.data) out.push(joinText(output.data[mime]));
    }
  }
  return out;
}
