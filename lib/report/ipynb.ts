// Notebook files (.ipynb, nbformat 4) as data: find error outputs, name a cell for a message,
// strip outputs before committing. No Jupyter needed.

export interface NotebookOutput {
  output_type: string;
  name?: string;
  text?: string | string[];
  data?: Record<string, string | string[] | unknown>;
  ename?: string;
  evalue?: string;
  traceback?: string[];
  [key: string]: unknown;
}

export interface NotebookCell {
  cell_type: "code" | "markdown" | "raw";
  source: string | string[];
  metadata: Record<string, unknown>;
  outputs?: NotebookOutput[];
  execution_count?: number | null;
  id?: string;
  [key: string]: unknown;
}

export interface Notebook {
  cells: NotebookCell[];
  metadata: Record<string, unknown>;
  nbformat: number;
  nbformat_minor: number;
}

/** Joins nbformat's multi-line strings (a string or a list of lines). */
export function joinText(value: string | string[] | unknown): string {
  return Array.isArray(value) ? value.join("") : typeof value === "string" ? value : "";
}

export function cellSource(cell: NotebookCell): string {
  return joinText(cell.source);
}

/**
 * "cell 12 (code cell 7: `const result = await train(…`)": how to point a reader at a cell.
 * Numbers count from 1 as Jupyter's UI shows them.
 */
export function describeCell(notebook: Notebook, index: number): string {
  const cell = notebook.cells[index];
  if (!cell) return `cell ${index + 1}`;
  const sameKind = notebook.cells.slice(0, index + 1).filter((c) => c.cell_type === cell.cell_type).length;
  const firstLine = cellSource(cell)
    .split("\n")
    .map((l) => l.trim())
    .find((l) => l !== "" && !l.startsWith("//"));
  const excerpt = firstLine ? `: \`${firstLine.length > 70 ? firstLine.slice(0, 69) + "…" : firstLine}\`` : "";
  return `cell ${index + 1} (${cell.cell_type} cell ${sameKind}${excerpt})`;
}

/** Where and what went wrong in an executed notebook. */
export interface CellError {
  index: number;
  ename: string;
  evalue: string;
}

/** Error outputs of every code cell, in order (an executed notebook should have none). */
export function cellErrors(notebook: Notebook): CellError[] {
  const out: CellError[] = [];
  notebook.cells.forEach((cell, index) => {
    for (const output of cell.outputs ?? []) {
      if (output.output_type === "error") out.push({ index, ename: output.ename ?? "Error", evalue: output.evalue ?? "" });
    }
  });
  return out;
}

/** What keeps a notebook from being committed as is: outputs, execution counts. Empty when clean. */
export function uncleanCells(notebook: Notebook): string[] {
  const problems: string[] = [];
  notebook.cells.forEach((cell, index) => {
    // nbformat 4.5 requires an id on every cell (nbformat warns MissingIDFieldWarning on each run without).
    if (typeof cell.id !== "string" || cell.id === "") problems.push(`${describeCell(notebook, index)} has no id`);
    if (cell.cell_type !== "code") return;
    if ((cell.outputs ?? []).length > 0) problems.push(`${describeCell(notebook, index)} has outputs`);
    if (cell.execution_count !== null && cell.execution_count !== undefined) problems.push(`${describeCell(notebook, index)} has an execution count`);
  });
  return problems;
}

/**
 * The notebook with an id on every cell (nbformat 4.5): a cell without one gets one made from its
 * heading or first words ("which-differences-are-real", "const-all-loadcsv"), unique in the notebook,
 * so that ids stay readable and do not change from one clean-up to the next.
 */
export function withCellIds(notebook: Notebook): Notebook {
  const taken = new Set(notebook.cells.map((c) => c.id).filter((id): id is string => typeof id === "string" && id !== ""));
  const cells = notebook.cells.map((cell) => {
    if (typeof cell.id === "string" && cell.id !== "") return cell;
    const words = joinText(cell.source).replace(/^[#\s/]+/, "").toLowerCase().match(/[a-z0-9]+/g) ?? ["cell"];
    // Up to four whole words, and no more than 32 characters of them.
    const base = words.slice(0, 4).reduce((id, word) => (id === "" ? word : `${id}-${word}`.length <= 32 ? `${id}-${word}` : id), "");
    let id = base;
    for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
    taken.add(id);
    // Keys in Jupyter's (sorted) order, so that a cleaned notebook diffs as Jupyter would write it.
    return Object.fromEntries(Object.entries({ ...cell, id }).sort(([a], [b]) => a.localeCompare(b))) as NotebookCell;
  });
  return { ...notebook, cells };
}

/** The notebook without outputs, execution counts, per-cell execution metadata and timings, or the run's metadata. */
export function stripOutputs(notebook: Notebook): Notebook {
  const { binary_digits: _run, ...metadata } = notebook.metadata;
  return {
    ...notebook,
    metadata,
    cells: notebook.cells.map((cell) => {
      if (cell.cell_type !== "code") return cell;
      const metadata = { ...cell.metadata };
      delete metadata.execution;
      delete metadata.timing;
      delete metadata.collapsed;
      delete metadata.scrolled;
      return { ...cell, metadata, outputs: [], execution_count: null };
    }),
  };
}

/** Serialises as Jupyter does (1-space indent, trailing newline), so clean files diff quietly. */
export function formatNotebook(notebook: Notebook): string {
  return JSON.stringify(notebook, null, 1) + "\n";
}
