// Started through npm (`npx digits worker`, `npm run …`), a process's parent is npm's shell
// (npm → sh -c → node). Stopping npm with SIGTERM kills that shell, but the signal never reaches
// node, which would go on as an orphan taking jobs. So a queue worker and a coordinator started
// by npm watch their parent, and stop as if told to when it is gone. Run directly (node, a
// supervisor, nohup), a process keeps today's behaviour: only its own signals stop it.
import * as fs from "node:fs";
import { processAlive } from "../../core/processes";

/** Whether npm started this process (npm sets npm_execpath for what it runs: exec, run-script). */
export function startedByNpm(env: NodeJS.ProcessEnv = process.env): boolean {
  return typeof env.npm_execpath === "string" && env.npm_execpath !== "";
}

/** This process's parent now (process.ppid is fixed at start): from /proc on Linux, else null. */
function currentParent(): number | null {
  try {
    const stat = fs.readFileSync("/proc/self/stat", "utf8");
    // "pid (command) state ppid …": the command may hold spaces and parentheses.
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
  } catch {
    return null;
  }
}

/**
 * Calls onGone(pid) once, within about `intervalMs`, after the parent that started this process
 * has exited (this process was handed to another). Returns a function that stops watching. Does
 * nothing for a process whose parent is init already.
 */
export function watchParent(onGone: (pid: number) => void, intervalMs = 1000): () => void {
  const parent = process.ppid;
  if (parent <= 1) return () => undefined;
  const timer = setInterval(() => {
    const now = currentParent();
    if (now === null ? processAlive(parent) : now === parent) return;
    clearInterval(timer);
    onGone(parent);
  }, intervalMs);
  // The watch alone does not keep the process running.
  timer.unref();
  return () => clearInterval(timer);
}
