// Locks: one process at a time reads, changes and writes back a file (a record's notes and tags),
// so that changes made at the same time are all kept instead of the last write winning. The lock
// is a file beside it, .<name>.lock, created exclusively (open with O_EXCL: one process alone can
// make it) and holding who took it; it is removed when the change is written. A live holder is
// waited for, a bounded time; a lock whose holder is gone (a process of this machine no longer
// alive, or a lock older than a change ever takes) is taken over, so a killed run blocks no one.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { randomBytes } from "node:crypto";
import { InputError } from "./errors";
import { processAlive } from "./processes";

/** What a lock file holds. */
interface Holder {
  pid: number;
  host: string;
  since: string;
  /** Tells this taking of the lock from any other, so a holder removes only its own lock. */
  token: string;
}

export interface LockOptions {
  /** How long to wait for a live holder before giving up (default 10 s; a change takes milliseconds). */
  waitMs?: number;
  /** A lock older than this is a holder that died elsewhere (on another machine: its pid cannot be asked). Default 2 minutes. */
  staleMs?: number;
}

const lockFile = (file: string) => path.join(path.dirname(file), `.${path.basename(file)}.lock`);

/** Sleeps this thread (a lock is waited for by synchronous code). */
const pause = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** Creates the lock file, or returns false when another holder has it. */
function take(lock: string, holder: Holder): boolean {
  let fd: number;
  try {
    fd = fs.openSync(lock, "wx");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  }
  // A few dozen bytes written once, not writeFileAtomic: the exclusive create is the lock, and a
  // reader that finds it empty or cut short treats it as held (see heldBy).
  try {
    fs.writeFileSync(fd, JSON.stringify(holder));
  } finally {
    fs.closeSync(fd);
  }
  return true;
}

/** The lock's holder, "unknown" while it is being written (or was cut short), null when there is no lock. */
function heldBy(lock: string): { holder: Holder | "unknown"; ageMs: number } | null {
  let text: string;
  let stat: fs.Stats;
  try {
    stat = fs.statSync(lock);
    text = fs.readFileSync(lock, "utf8");
  } catch {
    return null;
  }
  const ageMs = Date.now() - stat.mtimeMs;
  try {
    const h = JSON.parse(text) as Holder;
    if (Number.isInteger(h.pid) && typeof h.host === "string" && typeof h.token === "string") return { holder: h, ageMs };
  } catch {
    // being written
  }
  return { holder: "unknown", ageMs };
}

function isStale(held: { holder: Holder | "unknown"; ageMs: number }, staleMs: number): boolean {
  if (held.holder === "unknown") return held.ageMs > Math.min(staleMs, 10_000);
  if (held.holder.host === os.hostname() && !processAlive(held.holder.pid)) return true;
  return held.ageMs > staleMs;
}

/**
 * Removes a stale lock. It is renamed away first (one process alone can rename it) and removed
 * only if it is the one judged stale; a lock taken meanwhile by someone else is put back.
 */
function breakStale(lock: string, judged: Holder | "unknown"): void {
  const aside = `${lock}.${process.pid}.${randomBytes(4).toString("hex")}.stale`;
  try {
    fs.renameSync(lock, aside);
  } catch {
    return; // someone else broke it first
  }
  const now = heldBy(aside);
  const same = now !== null && (judged === "unknown" ? now.holder === "unknown" : now.holder !== "unknown" && now.holder.token === judged.token);
  if (!same) {
    try {
      fs.linkSync(aside, lock);
    } catch {
      // taken again already: its holder goes first
    }
  }
  fs.rmSync(aside, { force: true });
}

/**
 * Runs `body` holding the lock of `file`, and returns what it returns. Waits for a live holder up
 * to options.waitMs, then throws an InputError naming the holder and the lock file.
 */
export function withLock<T>(file: string, body: () => T, options: LockOptions = {}): T {
  const { waitMs = 10_000, staleMs = 120_000 } = options;
  const lock = lockFile(file);
  const mine: Holder = { pid: process.pid, host: os.hostname(), since: new Date().toISOString(), token: randomBytes(8).toString("hex") };
  const deadline = Date.now() + waitMs;
  while (!take(lock, mine)) {
    const held = heldBy(lock);
    if (held === null) continue; // released meanwhile
    if (isStale(held, staleMs)) {
      breakStale(lock, held.holder);
      continue;
    }
    if (Date.now() > deadline) {
      const who = held.holder === "unknown" ? "another process" : `process ${held.holder.pid} on ${held.holder.host} (since ${held.holder.since})`;
      throw new InputError(`${file} is being changed by ${who}; try again, or delete ${lock} if no digits is running`);
    }
    // A varied pause, so that waiting processes do not retry in step.
    pause(5 + (randomBytes(1)[0] % 20));
  }
  try {
    return body();
  } finally {
    const held = heldBy(lock);
    if (held !== null && held.holder !== "unknown" && held.holder.token === mine.token) fs.rmSync(lock, { force: true });
  }
}
