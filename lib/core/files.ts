// Files: the one way this project writes output — whole or not at all. A file (or a set of files
// in a folder) is written beside its destination under a temporary name, every byte of it (a
// write on a full disk may take fewer bytes than it was given), fsynced, and renamed into place,
// so a failure or an interrupted run never leaves a half-written file where a user looks, and the
// file it replaces stays as it was. A disk that refuses a write (full, over quota, failing) is a
// DiskError naming the path: a user's problem to fix (exit 2), never a "saved" over lost data.
// writeProblem says before any work whether a path can be written at all.
import * as fs from "node:fs";
import * as path from "node:path";
import { randomBytes } from "node:crypto";
import { InputError } from "./errors";

/** Writes bytes[offset, offset + length) to `fd`; returns how many it wrote, which may be fewer. */
type WriteBytes = (fd: number, bytes: Uint8Array, offset: number, length: number) => number;

const systemWrite: WriteBytes = (fd, bytes, offset, length) => fs.writeSync(fd, bytes, offset, length);
let writeBytes: WriteBytes = systemWrite;

/**
 * Replaces how bytes reach a file (tests give short counts and disk errors: a full disk cannot be
 * made on every machine); null restores fs.writeSync.
 */
export function setFileWriter(write: WriteBytes | null): void {
  writeBytes = write ?? systemWrite;
}

/** The longest file name (bytes) and path (bytes, with its terminating NUL) Linux takes. */
const NAME_MAX = 255;
const PATH_MAX = 4096;

// .<name>.<pid>.<random>.tmp; a long name is shortened so that the temporary one fits NAME_MAX.
const tempName = (target: string) => {
  let name = path.basename(target);
  while (Buffer.byteLength(name) > NAME_MAX - 30) name = name.slice(0, -1);
  return path.join(path.dirname(target), `.${name}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
};

const DISK_ERRORS: Record<string, (shown: string) => string> = {
  ENOSPC: (shown) => `no space left on the disk of ${shown}: nothing was changed. Free some space there, or write elsewhere`,
  EDQUOT: (shown) => `no space left on the disk of ${shown} (your disk quota is used up): nothing was changed. Free some space there, or write elsewhere`,
  EIO: (shown) => `the disk of ${shown} failed to write (an input/output error, EIO): nothing was changed. Check the disk (\`dmesg\` says more), or write elsewhere`,
};

/** A write the disk refused: full, over quota or failing. Nothing was changed; exit 2 in the CLI. */
class DiskError extends InputError {
  constructor(
    readonly path: string,
    readonly code: string,
  ) {
    super(DISK_ERRORS[code](path));
    this.name = "DiskError";
  }
}

/** `error` as a DiskError when the disk of `target` refused the write, else unchanged. */
function diskError(target: string, error: unknown): unknown {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return code !== undefined && code in DISK_ERRORS && !(error instanceof DiskError) ? new DiskError(target, code) : error;
}

/** Where writing `file` lands: a symbolic link is followed, so its target is updated in place, not replaced by a copy. */
function landing(file: string): string {
  try {
    return fs.realpathSync(file);
  } catch {
    return file; // not there yet (or a dangling link, which the new file replaces)
  }
}

/** Writes every byte to a new file `file`, then fsyncs it; a write that takes no byte is a full disk. */
function writeWhole(file: string, bytes: Uint8Array): void {
  // wx: a temporary name is new; a link planted under it is never followed.
  const fd = fs.openSync(file, "wx");
  try {
    let done = 0;
    while (done < bytes.length) {
      const wrote = writeBytes(fd, bytes, done, bytes.length - done);
      if (!(wrote > 0)) throw Object.assign(new Error(`${file}: the disk took no more bytes after ${done}`), { code: "ENOSPC" });
      done += wrote;
    }
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

const asBytes = (contents: Uint8Array | string) => (typeof contents === "string" ? Buffer.from(contents, "utf8") : contents);

/**
 * Writes `file` atomically: every byte to a temporary file in the same folder, fsync, rename. On
 * any failure the temporary file is removed and `file` is as it was; a full or failing disk is a
 * DiskError. A `file` that is a symbolic link has its target rewritten.
 */
export function writeFileAtomic(file: string, contents: Uint8Array | string): void {
  const target = landing(file);
  const tmp = tempName(target);
  try {
    writeWhole(tmp, asBytes(contents));
    fs.renameSync(tmp, target);
  } catch (error) {
    fs.rmSync(tmp, { force: true });
    throw diskError(file, error);
  }
}

/**
 * Writes `files` (name → contents) into folder `dir` as one change, keeping every other file
 * there: each is written whole under a temporary name first, then all are renamed into place in
 * order (put the one readers open first last); if anything fails, the files are as they were. A
 * folder that does not exist yet is made complete beside its place, then renamed in.
 */
export function writeFolderAtomic(dir: string, files: Record<string, Uint8Array | string>): void {
  if (!fs.existsSync(dir)) return createFolder(dir, files);
  const moves: { from: string; to: string }[] = [];
  try {
    for (const [name, contents] of Object.entries(files)) {
      const to = landing(path.join(dir, name));
      const from = tempName(to);
      moves.push({ from, to });
      writeWhole(from, asBytes(contents));
    }
    replaceFiles(moves);
  } catch (error) {
    throw diskError(dir, error);
  } finally {
    for (const { from } of moves) fs.rmSync(from, { force: true });
  }
}

/** A new folder `dir` holding exactly `files`, or (on any failure) no folder at all. */
function createFolder(dir: string, files: Record<string, Uint8Array | string>): void {
  const tmp = tempName(dir);
  try {
    fs.mkdirSync(path.dirname(dir), { recursive: true });
    fs.mkdirSync(tmp);
    for (const [name, contents] of Object.entries(files)) writeWhole(path.join(tmp, name), asBytes(contents));
    fs.renameSync(tmp, dir);
  } catch (error) {
    throw diskError(dir, error);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * Renames each `from` onto its `to`, in order, as one change: if a rename fails, the files renamed
 * before it get their previous contents back (or are removed if they did not exist), so the
 * destinations end all new or all as they were. Every destination stays in place throughout (each
 * rename replaces it atomically); the old contents are kept under a hard link (or a copy) beside
 * `from` until the last rename succeeds. Put the file readers open last.
 */
export function replaceFiles(moves: readonly { from: string; to: string }[]): void {
  const done: { to: string; backup: string | null }[] = [];
  try {
    for (const [i, { from, to }] of moves.entries()) {
      // The last rename needs no backup: if it fails, its destination is untouched.
      const backup = i < moves.length - 1 && fs.existsSync(to) ? `${from}.old` : null;
      if (backup) keepCopy(to, backup);
      try {
        fs.renameSync(from, to);
      } catch (error) {
        if (backup) fs.rmSync(backup, { force: true });
        throw error;
      }
      done.push({ to, backup });
    }
  } catch (error) {
    for (const { to, backup } of done.reverse()) {
      if (backup) fs.renameSync(backup, to);
      else fs.rmSync(to, { force: true });
    }
    throw error;
  }
  for (const { backup } of done) if (backup) fs.rmSync(backup, { force: true });
}

function keepCopy(file: string, backup: string): void {
  fs.rmSync(backup, { force: true });
  try {
    fs.linkSync(file, backup);
  } catch {
    fs.copyFileSync(file, backup); // no hard links on this file system
  }
}

/** Why the system refused to write `shown`, by error code, in words with what to do. */
export function refusalReason(code: string | undefined, shown: string): string | undefined {
  const why: Record<string, string> = {
    EACCES: `permission denied (\`ls -ld ${shown}\`; \`chmod u+w ${shown}\` or run as its owner)`,
    EPERM: `operation not permitted; it may be immutable or append-only (\`lsattr -d ${shown}\` shows an i or an a; \`sudo chattr -i ${shown}\` clears it)`,
    EROFS: "it is on a read-only file system",
    EEXIST: "a file stands where a folder is needed; move the file away",
    ENOTDIR: "a file stands where a folder of this path is needed; move the file away",
    ENOSPC: "the disk is full",
    EDQUOT: "the disk quota is used up",
    ENAMETOOLONG: "the name is too long for this system",
  };
  return code === undefined ? undefined : why[code];
}

/** The nearest folder or file on the way up from `file` that exists (the root at worst). */
function nearestExisting(file: string): string {
  let existing = path.dirname(file);
  while (!fs.existsSync(existing) && path.dirname(existing) !== existing) existing = path.dirname(existing);
  return existing;
}

/**
 * Why `file` cannot be written by writeFileAtomic (created with its folders, or replaced), or null
 * when it can: asked before any work, so that a long run does not end in a failed write. Its
 * names must fit the system's limits (with room for the temporary name), the nearest existing
 * folder on its path must be a folder this process can write into (access(2), which refuses root
 * too on a read-only file system or an immutable folder), and an existing `file` must be a file
 * that is not immutable.
 */
export function writeProblem(file: string): string | null {
  const target = landing(path.resolve(file));
  const long = target.split(path.sep).find((part) => Buffer.byteLength(part) > NAME_MAX);
  if (long !== undefined) return `the name "${long.slice(0, 24)}…" is ${Buffer.byteLength(long)} bytes long, more than the ${NAME_MAX} a file name may have here`;
  const bytes = Buffer.byteLength(tempName(target));
  if (bytes >= PATH_MAX) return `the path is ${Buffer.byteLength(target).toLocaleString("en-US")} bytes long; with a temporary name beside it, more than the ${(PATH_MAX - 1).toLocaleString("en-US")} a path may have here`;
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(target);
  } catch {
    // not there yet: its folder decides
  }
  if (stat?.isDirectory()) return "it is a folder, where a file is written";
  const folder = nearestExisting(target);
  if (!fs.statSync(folder).isDirectory()) return `${folder} is a file, where a folder is needed`;
  const checks: { where: string; mode: number }[] = [{ where: folder, mode: fs.constants.W_OK | fs.constants.X_OK }];
  if (stat) checks.push({ where: target, mode: fs.constants.W_OK });
  for (const { where, mode } of checks) {
    try {
      fs.accessSync(where, mode);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // A file this user may not write is still replaced by a rename; an immutable one is not.
      if (where === target && code !== "EPERM") continue;
      return `${where} cannot be written: ${refusalReason(code, where) ?? code ?? (error as Error).message}`;
    }
  }
  return null;
}
