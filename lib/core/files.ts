// Files: the one way this project writes output — whole or not at all. A file (or a folder of
// files) is written beside its destination under a temporary name and renamed into place, so a
// failure or an interrupted run never leaves a half-written file where a user looks.
import * as fs from "node:fs";
import * as path from "node:path";
import { randomBytes } from "node:crypto";

const tempName = (target: string) => path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);

/** Writes `file` atomically (temp file in the same folder, fsync, rename). */
export function writeFileAtomic(file: string, contents: Uint8Array | string): void {
  const tmp = tempName(file);
  try {
    const fd = fs.openSync(tmp, "w");
    try {
      fs.writeSync(fd, typeof contents === "string" ? Buffer.from(contents, "utf8") : contents);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
  } catch (error) {
    fs.rmSync(tmp, { force: true });
    throw error;
  }
}

/**
 * Replaces folder `dir` by one holding exactly `files` (name → contents). The new folder is
 * complete before it takes the old one's place; if anything fails, the old folder is kept.
 */
export function writeFolderAtomic(dir: string, files: Record<string, Uint8Array | string>): void {
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  const tmp = tempName(dir);
  const old = `${tmp}-old`;
  let movedOld = false;
  try {
    fs.mkdirSync(tmp);
    for (const [name, contents] of Object.entries(files)) fs.writeFileSync(path.join(tmp, name), contents);
    if (fs.existsSync(dir)) {
      fs.renameSync(dir, old);
      movedOld = true;
    }
    fs.renameSync(tmp, dir);
    movedOld = false;
  } catch (error) {
    if (movedOld) fs.renameSync(old, dir); // put the previous folder back
    throw error;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.rmSync(old, { recursive: true, force: true });
  }
}
