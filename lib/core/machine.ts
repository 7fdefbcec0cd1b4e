// What this machine offers the work: cores and memory, in Node. Its page twin, machine.page.ts,
// answers the same questions from what a browser tells a page (the page bundler takes it instead).
import * as os from "node:os";

/** Cores this process may use (os.availableParallelism where Node has it). */
export function availableCores(): number {
  return typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length;
}

/** Memory of the machine, or of the container when the process is constrained to less. */
export function machineMemoryBytes(): number {
  const total = os.totalmem();
  const constrained = (process as { constrainedMemory?: () => number | undefined }).constrainedMemory?.();
  return constrained !== undefined && constrained > 0 && constrained < total ? constrained : total;
}
