// Quick reports that several test files read: `npm run report -- --quick` on tslab, on Deno,
// for 4 against 9, and notebook 03 alone on another network than its default. Each is built once
// per `npm test` run, by the first test file that asks for it, while the others wait on its lock;
// after that it is only read. The runner (scripts/test.ts) makes the folder they are built in and
// removes it at the end (DIGITS_TEST_SHARED_DIR); a test file run on its own, without the runner,
// builds what it needs in a folder of its own, removed when it exits.
//
// A test reading a shared report never writes in its folder: the pages it changes, the predictions
// it asks the CLI for and its screenshots go to folders of its own.
import { spawn } from "node:child_process";
import { existsSync, linkSync, mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { atTestExit, deadPid, killWithTests } from "./children";
import { processAlive } from "../../lib/core/processes";

const ROOT = join(__dirname, "..", "..");

/** Set by scripts/test.ts for the files of one run: where the shared reports are built. */
export const SHARED_DIR_VARIABLE = "DIGITS_TEST_SHARED_DIR";

/**
 * What each shared report is: the arguments of `npm run report`, the notebook parameters it sets,
 * and whether a killed run's leftovers are planted first.
 */
interface SharedReportSpec {
  args: readonly string[];
  parameters?: Readonly<Record<string, string>>;
  plantKilledRun: boolean;
}

const SHARED_REPORTS = {
  tslab: { args: ["--quick", "--pdf", "--kernel", "tslab"], plantKilledRun: true },
  // Without --pdf: the PDFs are printed by Chromium from the pages, checked on tslab's (quick-reports.ts).
  deno: { args: ["--quick", "--kernel", "deno"], plantKilledRun: true },
  // The runs whose subject is not the kernel (another pair, another network) are on Deno: its
  // kernel took 12 core-seconds for the three notebooks of 4 vs 9 where tslab took 30 (tslab
  // type-checks every cell), on an idle 2-core machine. A kernel carries and displays the outputs
  // lib/ makes: that is checked on both, by the runs above (0 vs 1) and kernels.test.ts. So another
  // pair, and notebook 03 on hidden layers (quick mode picks logistic regression for 0 vs 1), run
  // end to end on Deno only; under Node, lib/'s own tests cover them.
  "4-9": { args: ["--quick", "--pdf", "--digits", "4,9", "--kernel", "deno"], plantKilledRun: false },
  // Notebook 03 for 0 and 1 on a network with hidden units (the quick selection picks logistic
  // regression for them), without the lab: read by explain.test.ts (its first-layer weights) and
  // lab.test.ts (the weights the train panel must give with these settings; --no-lab's page).
  "03-other-network": {
    args: ["--quick", "--pdf", "--no-lab", "03", "--kernel", "deno"],
    parameters: { DIGITS_LAYERS: "8", DIGITS_ACTIVATION: "relu", DIGITS_LEARNING_RATE: "0.003", DIGITS_EPOCHS: "2" },
    plantKilledRun: false,
  },
} as const satisfies Record<string, SharedReportSpec>;

export type SharedReportName = keyof typeof SHARED_REPORTS;

/** A finished quick report. */
export interface SharedReport {
  /** The run's folder: the notebooks' experiments/, model/ and pairs/ folders, and reports/. */
  work: string;
  /** Its --out folder: the HTML and PDF reports, and executed/ with the executed notebooks. */
  out: string;
  /** What `npm run report` printed. */
  output: string;
}

/**
 * The files a run killed outright leaves (a result and an executed notebook under temporary names
 * of a process that is gone), planted in `out` before the tslab and Deno runs: the report must
 * remove them, and quick-reports.ts checks that no temporary file is left.
 */
export function plantKilledRun(out: string): void {
  mkdirSync(join(out, "executed"), { recursive: true });
  const dead = deadPid();
  writeFileSync(join(out, `.02-model-selection.result.${dead}.tmp.json`), "{}");
  writeFileSync(join(out, "executed", `.02-model-selection.ipynb.${dead}.tmp`), "{}");
}

let ownDir: string | null = null;

/** Where shared reports live: the runner's folder, or (a file run on its own) one of this process. */
function sharedDir(): string {
  const given = process.env[SHARED_DIR_VARIABLE];
  if (given) return given;
  if (!ownDir) {
    const dir = mkdtempSync(join(tmpdir(), "digits-test-shared-"));
    atTestExit(() => rmSync(dir, { recursive: true, force: true }));
    ownDir = dir;
  }
  return ownDir;
}

const asked = new Map<SharedReportName, Promise<SharedReport>>();

/** The shared quick report `name`, built first if no test file has built it yet in this run. */
export function sharedReport(name: SharedReportName): Promise<SharedReport> {
  let report = asked.get(name);
  if (!report) {
    const work = join(sharedDir(), `report-${name}`);
    report = buildOnce(work, () => runReport(name, work)).then(() => ({ work, out: join(work, "reports"), output: readFileSync(join(work, "output.txt"), "utf8") }));
    asked.set(name, report);
  }
  return report;
}

/** `npm run report` for a shared report, into `work`; rejects with its output when it fails. */
function runReport(name: SharedReportName, work: string): Promise<void> {
  const spec: SharedReportSpec = SHARED_REPORTS[name];
  const { args, parameters = {}, plantKilledRun: plant } = spec;
  const out = join(work, "reports");
  mkdirSync(work, { recursive: true });
  if (plant) plantKilledRun(out);
  const child = spawn(process.execPath, ["--import", "tsx", join(ROOT, "scripts", "report.ts"), ...args, "--out", out], {
    cwd: ROOT,
    env: { ...process.env, ...parameters, DIGITS_EXPERIMENTS_DIR: join(work, "experiments"), DIGITS_MODEL_DIR: join(work, "model"), DIGITS_PAIRS_DIR: join(work, "pairs") },
    stdio: ["ignore", "pipe", "pipe"],
  });
  killWithTests(child);
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code, signal) => {
      writeFileSync(join(work, "output.txt"), output);
      if (code === 0) resolve();
      else reject(new Error(`npm run report -- ${args.join(" ")} failed (${signal ?? `exit code ${code}`}):\n${output}`));
    });
  });
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Builds `target` with `build` unless it is built already, across the processes of a run: the
 * first to take `target.lock` (a hard link, which exists whole or not at all) builds and marks it
 * `target.done`, or `target.failed` with the reason; the others wait for either.
 */
export async function buildOnce(target: string, build: () => Promise<void>): Promise<void> {
  const [done, failed, lock] = [`${target}.done`, `${target}.failed`, `${target}.lock`];
  for (;;) {
    if (existsSync(done)) return;
    if (existsSync(failed)) throw new Error(`${target} could not be built by another test file: ${readFileSync(failed, "utf8")}`);
    if (takeLock(lock)) {
      try {
        if (existsSync(done) || existsSync(failed)) continue;
        try {
          await build();
        } catch (error) {
          writeFileSync(failed, error instanceof Error ? error.message : String(error));
          throw error;
        }
        writeFileSync(done, "");
        return;
      } finally {
        rmSync(lock, { force: true });
      }
    }
    const holder = lockHolder(lock);
    // A holder that is gone was killed mid-build: its half-built folder cannot be trusted, and the run is failing already.
    if (holder !== null && !processAlive(holder) && !existsSync(done) && !existsSync(failed)) {
      throw new Error(`${target}: the test process building it (pid ${holder}) is gone without finishing; run the tests again`);
    }
    await pause(250);
  }
}

/** The process id in `lock`, or null when it was released meanwhile. */
function lockHolder(lock: string): number | null {
  try {
    return Number(readFileSync(lock, "utf8"));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}

/** Takes `lock` for this process: true when it did, false when another holds it. */
function takeLock(lock: string): boolean {
  const mine = `${lock}.${process.pid}.tmp`;
  writeFileSync(mine, `${process.pid}\n`);
  try {
    linkSync(mine, lock);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  } finally {
    unlinkSync(mine);
  }
}
