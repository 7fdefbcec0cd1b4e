// The `digits` command line: parse flags, call lib/, print. Errors a user can fix (InputError, bad
// flags, a network too big, training that diverged) print one line and exit 2; anything else is a
// bug: one line saying so and what to report, exit 1, its stack only with --verbose or DIGITS_VERBOSE=1.
// Each command lives in its own file (cli/<command>.ts); this one parses the command line and
// dispatches. The program around it (exit code, a closed pipe, an uncaught error) is ./digits.
import { parseArgs } from "node:util";
import { InputError, isInputError } from "../lib/core/errors";
import { visible } from "../lib/core/format";
import { SelectionCancelled } from "../lib/selection/scheduler";
import { TrainingDiverged } from "../lib/model/train";
import { type Flags, type Command, type Output, out, err, withOutput } from "./common";
import { dataCommand } from "./data";
import { evaluateCommand } from "./evaluate";
import { experimentsCommand } from "./experiments";
import { explainCommand } from "./explain";
import { pairsCommand } from "./pairs";
import { selectCommand } from "./select";
import { trainCommand } from "./train";
import { workerCommand } from "./worker";

export const commands: Record<string, Command> = { data: dataCommand, select: selectCommand, train: trainCommand, evaluate: evaluateCommand, explain: explainCommand, pairs: pairsCommand, experiments: experimentsCommand, worker: workerCommand };

/** The command names' column: the longest name and two spaces, so no summary runs into its name. */
const NAME_COLUMN = Math.max(...Object.keys(commands).map((name) => name.length)) + 2;

const topUsage = `Usage: digits <command> [options]

Tell two handwritten digits apart (MNIST; 0 and 1 unless --digits A,B) with a Dense network.

Commands:
${Object.entries(commands).map(([name, c]) => `  ${name.padEnd(NAME_COLUMN)}${c.summary}`).join("\n")}

Run \`digits <command> --help\` for a command's options. Every command also takes --verbose:
on an internal error (a bug), print its stack trace too (as does DIGITS_VERBOSE=1).`;

/**
 * `--seed -1` as `--seed=-1`: parseArgs refuses a value that starts with a dash after a flag that
 * takes one ("ambiguous"), so a number there would get its message instead of ours.
 */
function attachNegativeNumbers(argv: readonly string[], options: Command["options"]): string[] {
  const result: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const next = argv[i + 1];
    const option = arg.startsWith("--") ? options?.[arg.slice(2)] : undefined;
    if (option?.type === "string" && next !== undefined && /^-(\d|\.\d)/.test(next)) {
      result.push(`${arg}=${next}`);
      i++;
    } else result.push(arg);
  }
  return result;
}

function parseFlags(name: string, command: Command, argv: string[]): { flags: Flags; positionals: string[] } | null {
  let parsed;
  try {
    const args = attachNegativeNumbers(argv, command.options);
    parsed = parseArgs({ args, options: { ...command.options, help: { type: "boolean", short: "h" } }, strict: true, allowPositionals: command.positionals === true });
  } catch (error) {
    // parseArgs' messages name the flag; add where to look for the right ones.
    const message = (error as Error).message
      .replace(/\. To specify a positional argument starting with a '-'.*$/s, "")
      .split("\n")
      .join(" ")
      .replace(/\.$/, "");
    throw new InputError(`${name}: ${message}; see \`digits ${name} --help\``);
  }
  if (parsed.values.help) {
    out(command.usage);
    return null;
  }
  return { flags: parsed.values as Flags, positionals: parsed.positionals };
}

/** --verbose anywhere on the command line, or DIGITS_VERBOSE set to anything but "" or "0". */
function verboseRequested(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): boolean {
  const v = env.DIGITS_VERBOSE;
  return argv.includes("--verbose") || (v !== undefined && v !== "" && v !== "0");
}

/**
 * What the user sees when a command fails, and the exit code: a user's error is its message
 * (exit 2); a cancelled selection says so (130); anything else is a bug in digits, one line saying
 * so and what to send, the stack trace appended only when `verbose` (exit 1).
 */
function describeFailure(error: unknown, verbose: boolean): { text: string; code: number } {
  if (error instanceof TrainingDiverged) {
    return { text: `digits: ${visible(error.what)}; ${TrainingDiverged.fix(error.learningRates, "--learning-rate")}`, code: 2 };
  }
  // A message is one line that may quote a path or a value: shown visible whole.
  if (isInputError(error)) return { text: `digits: ${visible(error.message)}`, code: 2 };
  if (error instanceof SelectionCancelled) return { text: `digits: ${visible(error.message)}; no record written`, code: 130 };
  const what = visible(error instanceof Error ? `${error.name}: ${error.message.split("\n")[0]}` : String(error));
  const line =
    `digits: internal error (a bug in digits, not in your input): ${what}. ` +
    (verbose
      ? "Please report it to the project's issue tracker with the command you ran and this output."
      : "Please report it to the project's issue tracker with the command you ran and the output of the same command run with --verbose (or DIGITS_VERBOSE=1), which adds the stack trace.");
  const stack = verbose && error instanceof Error && error.stack ? `\n${error.stack}` : "";
  return { text: line + stack, code: 1 };
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv.filter((arg) => arg !== "--verbose");
  if (name === undefined) {
    err(topUsage);
    return 2;
  }
  if (name === "-h" || name === "--help" || name === "help") {
    out(topUsage);
    return 0;
  }
  const command = commands[name];
  if (!command) throw new InputError(`unknown command "${name}"; expected one of ${Object.keys(commands).join(", ")} (see \`digits --help\`)`);
  const parsed = parseFlags(name, command, rest);
  if (parsed === null) return 0;
  await command.run(parsed.flags, parsed.positionals);
  return 0;
}

/** Prints a failure of the command line `argv` as describeFailure says; its exit code. */
export function reportFailure(error: unknown, argv: readonly string[]): number {
  const { text, code } = describeFailure(error, verboseRequested(argv));
  err(text);
  return code;
}

/**
 * Runs the command line `argv` (the words after `digits`) to its exit code, a failure reported by
 * reportFailure. Its lines go to this process's stdout and stderr, or to `to`.
 */
export async function runCommandLine(argv: string[], to?: Output): Promise<number> {
  const run = async () => {
    try {
      return await main(argv);
    } catch (error) {
      return reportFailure(error, argv);
    }
  };
  return to ? withOutput(to, run) : run();
}
