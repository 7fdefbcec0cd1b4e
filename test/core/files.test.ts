import { test, mock } from "node:test";
import assert from "node:assert/strict";
import type * as FsModule from "node:fs";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeFileAtomic, writeFolderAtomic } from "../../lib/core/files";

const withTemp = (fn: (dir: string) => void) => {
  const dir = mkdtempSync(join(tmpdir(), "digits-files-"));
  try {
    fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

test("writeFileAtomic replaces a file whole and leaves no temporary file", () =>
  withTemp((dir) => {
    const file = join(dir, "a.json");
    writeFileAtomic(file, "one");
    writeFileAtomic(file, Buffer.from("two"));
    assert.equal(readFileSync(file, "utf8"), "two");
    assert.deepEqual(readdirSync(dir), ["a.json"]);
  }));

test("writeFolderAtomic replaces a folder by exactly the new files", () =>
  withTemp((dir) => {
    const target = join(dir, "models", "m");
    writeFolderAtomic(target, { "a.txt": "1", "b.txt": "2" });
    writeFolderAtomic(target, { "c.txt": "3" });
    assert.deepEqual(readdirSync(target), ["c.txt"]);
    assert.deepEqual(readdirSync(join(dir, "models")), ["m"]);
  }));

test("a failure while writing the new folder keeps the old one untouched", () =>
  withTemp((dir) => {
    const target = join(dir, "m");
    mkdirSync(target);
    writeFileSync(join(target, "old.txt"), "old");
    assert.throws(() => writeFolderAtomic(target, { "ok.txt": "x", "missing-dir/bad.txt": "y" }));
    assert.deepEqual(readdirSync(dir), ["m"]);
    assert.equal(readFileSync(join(target, "old.txt"), "utf8"), "old");
  }));

test("a failure of the final rename puts the old folder back", () =>
  withTemp((dir) => {
    const target = join(dir, "m");
    mkdirSync(target);
    writeFileSync(join(target, "old.txt"), "old");
    // the CommonJS module object, which lib/core/files.ts calls through
    const fs = require("node:fs") as typeof FsModule;
    const real = fs.renameSync;
    let calls = 0;
    // the first rename moves the old folder aside; make the second (new → target) fail once
    const spy = mock.method(fs, "renameSync", (from: FsModule.PathLike, to: FsModule.PathLike) => {
      calls++;
      if (calls === 2) throw new Error("disk full");
      return real(from, to);
    });
    try {
      assert.throws(() => writeFolderAtomic(target, { "new.txt": "new" }), /disk full/);
    } finally {
      spy.mock.restore();
    }
    assert.deepEqual(readdirSync(dir), ["m"]);
    assert.deepEqual(readdirSync(target), ["old.txt"]);
  }));
