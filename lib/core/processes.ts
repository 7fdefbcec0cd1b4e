// Processes on this machine: whether one is still alive (the writer of a temporary file, the
// holder of a lease), so what a killed run left behind can be told from what a live one is using.

/** Whether process `pid` is alive on this machine (this process included). */
export function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, under another user.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
