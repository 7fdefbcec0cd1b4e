// The notebooks run cell by cell in Jupyter Notebook on the deno kernel: the checks of ./notebook-ui.ts
// (a file per kernel, so that the runner can run the two at once).
import { describeLiveNotebooks } from "./notebook-ui";

describeLiveNotebooks("deno");
