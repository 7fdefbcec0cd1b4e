// npm run clean-notebooks [-- --check]: removes outputs and execution counts from notebooks/*.ipynb,
// so they are committed clean (the analysis with outputs is what `npm run report` writes), and gives
// every cell an id (nbformat 4.5). --check changes nothing and exits 1 naming the cells to clean.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { projectRoot } from "../lib/core/project";
import { writeFileAtomic } from "../lib/core/files";
import { formatNotebook, stripOutputs, uncleanCells, withCellIds, type Notebook } from "../lib/report/ipynb";

const check = process.argv.includes("--check");
const dir = join(projectRoot(), "notebooks");
let unclean = 0;
for (const name of readdirSync(dir).filter((f) => f.endsWith(".ipynb")).sort()) {
  const file = join(dir, name);
  const notebook = JSON.parse(readFileSync(file, "utf8")) as Notebook;
  const problems = uncleanCells(notebook);
  if (problems.length === 0) continue;
  unclean++;
  if (check) {
    console.error(`notebooks/${name}: ${problems.join("; ")}`);
    continue;
  }
  writeFileAtomic(file, formatNotebook(withCellIds(stripOutputs(notebook))));
  console.log(`notebooks/${name}: cleaned (${problems.length} problem(s))`);
}
if (check && unclean > 0) {
  console.error("run `npm run clean-notebooks` before committing");
  process.exit(1);
}
