import assert from "node:assert/strict";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { describe, test } from "node:test";
import { which } from "../../lib/core/executables";

describe("which", () => {
  test("finds the first executable file of that name in PATH's folders, passing over files that cannot run and folders", () => {
    const dir = mkdtempSync(join(tmpdir(), "digits-which-"));
    try {
      for (const sub of ["a", "b", "c"]) mkdirSync(join(dir, sub));
      writeFileSync(join(dir, "a", "tool"), "not executable\n");
      mkdirSync(join(dir, "b", "tool"));
      writeFileSync(join(dir, "c", "tool"), "#!/bin/sh\nexit 0\n");
      chmodSync(join(dir, "c", "tool"), 0o755);
      const PATH = ["", join(dir, "a"), join(dir, "b"), join(dir, "c")].join(delimiter);
      assert.equal(which("tool", { PATH }), join(dir, "c", "tool"));
      assert.equal(which("other", { PATH }), null);
      assert.equal(which("tool", {}), null);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
