// What a test process must undo however it ends: the child processes it started (killed) and the
// folders it made for them (removed). Undone at exit, and on SIGINT or SIGTERM (the runner
// cancelling a file, Ctrl-C), which run no exit handlers: there the signal is then re-raised, to do
// what it would have done.
import { spawnSync, type ChildProcess } from "node:child_process";

const pending = new Set<() => void>();
let installed = false;

function undoAll(): void {
  for (const undo of [...pending]) {
    pending.delete(undo);
    undo();
  }
}

/** Runs `undo` when the test process ends, unless the returned function is called first. */
export function atTestExit(undo: () => void): () => void {
  if (!installed) {
    installed = true;
    process.once("exit", undoAll);
    for (const signal of ["SIGINT", "SIGTERM"] as const) {
      process.once(signal, () => {
        undoAll();
        process.kill(process.pid, signal);
      });
    }
  }
  pending.add(undo);
  return () => void pending.delete(undo);
}

/** Kills `child` (SIGKILL, then `cleanup`) if the test process ends, even by a signal, while it runs. */
export function killWithTests(child: ChildProcess, cleanup: () => void = () => undefined): void {
  const forget = atTestExit(() => {
    child.kill("SIGKILL");
    cleanup();
  });
  child.once("exit", forget);
}

/** A process id that is not running: a child's, after it has exited. */
export function deadPid(): number {
  return spawnSync(process.execPath, ["-e", "0"]).pid!;
}
