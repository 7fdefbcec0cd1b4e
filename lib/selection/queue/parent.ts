// Started through npm (`npx digits worker`, `npm run …`), a process's parent is npm's shell
// (npm → sh -c → node). Stopping npm with SIGTERM kills that shell; killing npm with SIGKILL or
// SIGHUP leaves the shell alive (handed to init) and the signal never reaches node, which would go
// on as an orphan taking jobs. So a queue worker and a coordinator started by npm watch, by polling,
// every process from their parent up to npm itself, and stop as if told to when any is gone or
// their parent changed: no signal needs to arrive. Run directly (node, a supervisor, nohup), a
// process keeps today's behaviour: only its own signals stop it.
import * as fs from "node:fs";
import { processAlive } from "../../core/processes";

/** Whether npm started this process (npm sets npm_execpath for what it runs: exec, run-script). */
export function startedByNpm(env: NodeJS.ProcessEnv = process.env): boolean {
  return typeof env.npm_execpath === "string" && env.npm_execpath !== "";
}

/** A process as /proc shows it: its state (Z: exited, not yet reaped), its parent, its start time (ticks since boot: a reused pid differs) and its command line. */
interface ProcessFacts {
  state: string;
  ppid: number;
  startTime: string;
  command: string;
}

/** Process `pid`'s facts from /proc (Linux), or null where it is gone or there is no /proc. */
function processFacts(pid: number | "self"): ProcessFacts | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // "pid (command) state ppid … starttime (field 22) …": the command may hold spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    let command = "";
    try {
      command = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ");
    } catch {
      // Another user's process may hide its command line: it is then not recognised as npm.
    }
    return { state: fields[0], ppid: Number(fields[1]), startTime: fields[19], command };
  } catch {
    return null;
  }
}

/** npm or npx itself (its CLI script, or the title npm gives its process: "npm exec …"). */
const isNpm = (command: string) => /(^|[\s/])(npm|npx)(-cli\.js)?(\s|$)/.test(command) || /^npm /.test(command);

/** How far up to look for npm: npm → sh → node is two levels; a wrapper or two more are allowed. */
const MAX_LEVELS = 4;

/**
 * The processes from this one's parent up to npm (included), each with its start time; just the
 * parent when npm is not found within MAX_LEVELS (or there is no /proc).
 */
function watchedAncestors(parent: number): { pid: number; startTime: string | null }[] {
  const chain: { pid: number; startTime: string | null }[] = [];
  for (let pid = parent, level = 0; pid > 1 && level < MAX_LEVELS; level++) {
    const facts = processFacts(pid);
    if (facts === null) break;
    chain.push({ pid, startTime: facts.startTime });
    if (isNpm(facts.command)) return chain;
    pid = facts.ppid;
  }
  return chain.length > 0 ? [chain[0]] : [{ pid: parent, startTime: null }];
}

/** Whether `ancestor` is the same process as when the watch began. */
function stillThere(ancestor: { pid: number; startTime: string | null }): boolean {
  if (ancestor.startTime === null) return processAlive(ancestor.pid);
  const facts = processFacts(ancestor.pid);
  // A zombie has exited: only its parent has not reaped it yet (an init may never do so).
  return facts !== null && facts.state !== "Z" && facts.startTime === ancestor.startTime;
}

/**
 * Calls onGone(pid) once, within about `intervalMs`, after this process's parent or any process
 * above it up to npm has exited, or this process was handed to another parent; pid is the one gone.
 * Returns a function that stops watching. Does nothing for a process whose parent is init already.
 */
export function watchParent(onGone: (pid: number) => void, intervalMs = 1000): () => void {
  const parent = process.ppid;
  if (parent <= 1) return () => undefined;
  const ancestors = watchedAncestors(parent);
  const timer = setInterval(() => {
    const self = processFacts("self");
    const gone = self !== null && self.ppid !== parent ? parent : ancestors.find((a) => !stillThere(a))?.pid;
    if (gone === undefined) return;
    clearInterval(timer);
    onGone(gone);
  }, intervalMs);
  // The watch alone does not keep the process running.
  timer.unref();
  return () => clearInterval(timer);
}
