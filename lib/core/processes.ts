// Processes on this machine: whether one is still alive (the writer of a temporary file, the
// holder of a lease), so what a killed run left behind can be told from what a live one is using.
import * as fs from "node:fs";

/**
 * Whether /proc says process `pid` has exited and waits to be reaped (state Z, a zombie). An
 * orphan's zombie stays until the machine's init reaps it, which some inits never do: it holds
 * nothing and runs nothing. False where there is no /proc.
 */
function processZombie(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // "pid (command) state …": the command may hold spaces and parentheses.
    return stat.charAt(stat.lastIndexOf(")") + 2) === "Z";
  } catch {
    return false;
  }
}

/** Whether process `pid` is alive on this machine (this process included); a zombie is not. */
export function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: it exists, under another user.
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  return !processZombie(pid);
}
