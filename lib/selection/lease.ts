// Leases: how a running selection shows itself to `digits experiments prune`. Before it reads the
// fold cache, a run writes .running-<pid>-<hex>.json into its records folder, naming every cache
// key it will use; it removes the file when it ends, after its record is saved. prune keeps the
// entries of every lease whose process is alive, and ignores (and removes) a lease whose process
// is gone, as after a SIGKILL. The file starts with a dot, so the store never lists it as a record.
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { writeFileAtomic } from "../core/files";
import { processAlive } from "../core/processes";

export const LEASE_SCHEMA = "binary-digits/selection-lease";

/** What a lease file holds. */
export interface Lease {
  schema: typeof LEASE_SCHEMA;
  pid: number;
  /** os.hostname() of the run: a pid on another machine cannot be checked, so its lease is kept. */
  host: string;
  startedAt: string;
  /** The fold-cache keys of every fold of the run. */
  keys: string[];
}

const LEASE_FILE = /^\.running-(\d+)-[0-9a-f]+\.json$/;

/** Writes this process's lease on `keys` into `dir` (created if needed); release() removes it. */
export function takeLease(dir: string, keys: readonly string[]): { file: string; release(): void } {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `.running-${process.pid}-${randomBytes(4).toString("hex")}.json`);
  const lease: Lease = { schema: LEASE_SCHEMA, pid: process.pid, host: os.hostname(), startedAt: new Date().toISOString(), keys: [...keys] };
  writeFileAtomic(file, JSON.stringify(lease) + "\n");
  return { file, release: () => fs.rmSync(file, { force: true }) };
}

function isLease(value: unknown): value is Lease {
  const l = value as Partial<Lease> | null;
  return !!l && l.schema === LEASE_SCHEMA && Number.isInteger(l.pid) && typeof l.host === "string" && Array.isArray(l.keys) && l.keys.every((k) => typeof k === "string");
}

/** The leases in `dir`: of running selections, of processes that are gone, and files that cannot be read as one. */
export interface LeaseScan {
  running: { file: string; lease: Lease }[];
  /** File names of leases whose process on this machine is gone. */
  stale: string[];
  unreadable: { file: string; reason: string }[];
}

export function readLeases(dir: string): LeaseScan {
  const scan: LeaseScan = { running: [], stale: [], unreadable: [] };
  let names: string[];
  try {
    names = fs.readdirSync(dir).sort();
  } catch {
    return scan;
  }
  for (const file of names.filter((name) => LEASE_FILE.test(name))) {
    let value: unknown;
    try {
      value = JSON.parse(fs.readFileSync(path.join(dir, file), "utf8"));
    } catch (error) {
      // Gone between the listing and the read: that run just ended.
      if ((error as NodeJS.ErrnoException).code === "ENOENT") continue;
      scan.unreadable.push({ file, reason: `corrupt: ${(error as Error).message.split("\n")[0]}` });
      continue;
    }
    if (!isLease(value)) scan.unreadable.push({ file, reason: "corrupt: not a selection lease" });
    else if (value.host === os.hostname() && !processAlive(value.pid)) scan.stale.push(file);
    else scan.running.push({ file, lease: value });
  }
  return scan;
}
