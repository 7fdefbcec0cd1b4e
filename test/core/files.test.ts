import { test, mock } from "node:test";
import assert from "node:assert/strict";
import type * as FsModule from "node:fs";
import { chmodSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync, mkdirSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setFileWriter, writeFileAtomic, writeFolderAtomic, writeProblem } from "../../lib/core/files";

type WriteBytes = NonNullable<Parameters<typeof setFileWriter>[0]>;
/** A DiskError: an InputError (exit 2 in the CLI) that says the disk refused the write. */
const isDiskError = (e: unknown) => e instanceof InputError && e.name === "DiskError";
import { InputError } from "../../lib/core/errors";

const withTemp = (fn: (dir: string) => void) => {
  const dir = mkdtempSync(join(tmpdir(), "digits-files-"));
  try {
    fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

/** Runs `fn` with `write` in place of fs.writeSync, restoring it after. */
const withWriter = (write: WriteBytes, fn: () => void) => {
  setFileWriter(write);
  try {
    fn();
  } finally {
    setFileWriter(null);
  }
};

/** A disk that takes at most `chunk` bytes a call, and `capacity` bytes in all, then says ENOSPC. */
function smallDisk(capacity: number, chunk: number): WriteBytes & { calls: number } {
  let used = 0;
  const write = ((fd: number, bytes: Uint8Array, offset: number, length: number) => {
    write.calls++;
    if (used >= capacity) throw Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" });
    const n = Math.min(length, chunk, capacity - used);
    used += n;
    return writeSync(fd, bytes, offset, n);
  }) as WriteBytes & { calls: number };
  write.calls = 0;
  return write;
}

test("writeFileAtomic replaces a file whole and leaves no temporary file", () =>
  withTemp((dir) => {
    const file = join(dir, "a.json");
    writeFileAtomic(file, "one");
    writeFileAtomic(file, Buffer.from("two"));
    assert.equal(readFileSync(file, "utf8"), "two");
    assert.deepEqual(readdirSync(dir), ["a.json"]);
  }));

test("writeFileAtomic goes on after short writes until every byte is written", () =>
  withTemp((dir) => {
    const file = join(dir, "a.txt");
    const text = "0123456789".repeat(100);
    const disk = smallDisk(Infinity, 7);
    withWriter(disk, () => writeFileAtomic(file, text));
    assert.equal(readFileSync(file, "utf8"), text);
    assert.equal(disk.calls, Math.ceil(text.length / 7));
    assert.deepEqual(readdirSync(dir), ["a.txt"]);
  }));

test("a disk that fills up mid-write: a DiskError naming the file, the old file byte-identical, no temporary file", () =>
  withTemp((dir) => {
    const file = join(dir, "record.json");
    writeFileSync(file, "the old record\n");
    const write = () => withWriter(smallDisk(8192, 4096), () => writeFileAtomic(file, "x".repeat(20_000)));
    assert.throws(write, (e: Error) => isDiskError(e) && e.message.startsWith(`no space left on the disk of ${file}: nothing was changed`));
    assert.equal(readFileSync(file, "utf8"), "the old record\n");
    assert.deepEqual(readdirSync(dir), ["record.json"]);
  }));

test("a write that takes no byte, over quota or failing with EIO: each a DiskError saying which", () =>
  withTemp((dir) => {
    const file = join(dir, "f");
    assert.throws(() => withWriter(() => 0, () => writeFileAtomic(file, "abc")), /^DiskError: no space left on the disk of /);
    const failing = (code: string) => () => {
      throw Object.assign(new Error(code), { code });
    };
    assert.throws(() => withWriter(failing("EDQUOT"), () => writeFileAtomic(file, "abc")), /no space left on the disk of \S+ \(your disk quota is used up\): nothing was changed/);
    assert.throws(() => withWriter(failing("EIO"), () => writeFileAtomic(file, "abc")), /the disk of \S+ failed to write \(an input\/output error, EIO\): nothing was changed/);
    assert.deepEqual(readdirSync(dir), []);
  }));

test("writeFileAtomic through a symbolic link rewrites its target and keeps the link", () =>
  withTemp((dir) => {
    mkdirSync(join(dir, "store"));
    const target = join(dir, "store", "record.json");
    writeFileSync(target, "old");
    const link = join(dir, "link.json");
    symlinkSync(target, link);
    writeFileAtomic(link, "new");
    assert.equal(readFileSync(target, "utf8"), "new");
    assert.equal(realpathSync(link), realpathSync(target), "still a link to the same file");
    assert.deepEqual(readdirSync(join(dir, "store")), ["record.json"]);
  }));

test("writeFolderAtomic writes its files into a folder and keeps every other file there", () =>
  withTemp((dir) => {
    const target = join(dir, "models", "m");
    writeFolderAtomic(target, { "a.txt": "1", "b.txt": "2" });
    writeFileSync(join(target, "README.txt"), "mine");
    writeFolderAtomic(target, { "a.txt": "3", "b.txt": "4" });
    assert.deepEqual(readdirSync(target).sort(), ["README.txt", "a.txt", "b.txt"]);
    assert.deepEqual(["a.txt", "b.txt", "README.txt"].map((f) => readFileSync(join(target, f), "utf8")), ["3", "4", "mine"]);
    assert.deepEqual(readdirSync(join(dir, "models")), ["m"]);
  }));

test("a folder the disk cannot take: a DiskError, the old files byte-identical, no temporary file", () =>
  withTemp((dir) => {
    const target = join(dir, "m");
    writeFolderAtomic(target, { "a.bin": "old a", "b.json": "old b" });
    // the first file fits, the second does not
    assert.throws(() => withWriter(smallDisk(1000, 512), () => writeFolderAtomic(target, { "a.bin": "A".repeat(900), "b.json": "B".repeat(900) })), isDiskError);
    assert.deepEqual(readdirSync(target).sort(), ["a.bin", "b.json"]);
    assert.deepEqual(["a.bin", "b.json"].map((f) => readFileSync(join(target, f), "utf8")), ["old a", "old b"]);
    // and a new folder is not made at all
    assert.throws(() => withWriter(smallDisk(1000, 512), () => writeFolderAtomic(join(dir, "new"), { "a.bin": "A".repeat(900), "b.json": "B".repeat(900) })), isDiskError);
    assert.deepEqual(readdirSync(dir), ["m"]);
  }));

test("a failure of a later rename puts the files renamed before it back", () =>
  withTemp((dir) => {
    const target = join(dir, "m");
    mkdirSync(target);
    writeFileSync(join(target, "a.txt"), "old a");
    writeFileSync(join(target, "b.txt"), "old b");
    // the CommonJS module object, which lib/core/files.ts calls through
    const fs = require("node:fs") as typeof FsModule;
    const real = fs.renameSync;
    let calls = 0;
    // the first rename puts the new a.txt in place; make the second (b.txt) fail
    const spy = mock.method(fs, "renameSync", (from: FsModule.PathLike, to: FsModule.PathLike) => {
      calls++;
      if (calls === 2) throw new Error("disk full");
      return real(from, to);
    });
    try {
      assert.throws(() => writeFolderAtomic(target, { "a.txt": "new a", "b.txt": "new b" }), /disk full/);
    } finally {
      spy.mock.restore();
    }
    assert.deepEqual(readdirSync(target).sort(), ["a.txt", "b.txt"]);
    assert.deepEqual(["a.txt", "b.txt"].map((f) => readFileSync(join(target, f), "utf8")), ["old a", "old b"]);
  }));

test("writeProblem: a path under a file, a folder where a file goes, names and paths too long, a folder without write permission", () =>
  withTemp((dir) => {
    const file = join(dir, "x.csv");
    writeFileSync(file, "");
    assert.equal(writeProblem(join(dir, "new", "deeper", "out.json")), null, "folders that can be made");
    assert.equal(writeProblem(file), null, "a file that can be replaced");
    assert.equal(writeProblem(join(file, "m", "model.json")), `${file} is a file, where a folder is needed`);
    assert.equal(writeProblem(dir), "it is a folder, where a file is written");
    assert.match(writeProblem(join(dir, "n".repeat(256))) ?? "", /^the name "n+…" is 256 bytes long, more than the 255 a file name may have here$/);
    const deep = join(dir, ...Array.from({ length: 41 }, () => "d".repeat(100)), "record.json");
    assert.match(writeProblem(deep) ?? "", /^the path is 4,\d{3} bytes long; with a temporary name beside it, more than the 4,095 a path may have here$/);
    if (process.getuid?.() === 0) return; // root writes anywhere chmod forbids
    const locked = join(dir, "locked");
    mkdirSync(locked);
    chmodSync(locked, 0o500);
    try {
      assert.match(writeProblem(join(locked, "a.json")) ?? "", /locked cannot be written: permission denied/);
    } finally {
      chmodSync(locked, 0o700);
    }
  }));
