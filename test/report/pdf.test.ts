// Which Chromium `npm run report -- --pdf` prints with, and how a Chromium that cannot run is said.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { InputError } from "../../lib/core/errors";
import { chromiumPath, launchChromium, requireChromium } from "../../lib/report/pdf";

let dir = "";
/** An executable shell script at `file`. */
function script(file: string, body = "exit 0"): string {
  writeFileSync(file, `#!/bin/sh\n${body}\n`);
  chmodSync(file, 0o755);
  return file;
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), "digits-chromium-"));
  for (const sub of ["path", "chrome", "place", "empty"]) mkdirSync(join(dir, sub));
  script(join(dir, "path", "chromium"));
  script(join(dir, "chrome", "google-chrome"));
  script(join(dir, "place", "browser"));
  script(join(dir, "explicit"));
  writeFileSync(join(dir, "not-executable"), "not a program\n");
  script(join(dir, "failing"), 'echo "chromium: error while loading shared libraries: libfoo.so.1: cannot open shared object file" >&2\nexit 127');
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe("finding Chromium for --pdf", () => {
  const place = () => [join(dir, "place", "browser")];

  it("takes CHROMIUM_PATH first, then chromium (or google-chrome…) on PATH, then the usual places", () => {
    const path = [join(dir, "empty"), join(dir, "path")].join(":");
    assert.equal(chromiumPath({ CHROMIUM_PATH: join(dir, "explicit"), PATH: path }, place()), join(dir, "explicit"));
    assert.equal(chromiumPath({ PATH: path }, place()), join(dir, "path", "chromium"));
    assert.equal(chromiumPath({ PATH: join(dir, "chrome") }, place()), join(dir, "chrome", "google-chrome"));
    // chromium anywhere on PATH comes before google-chrome earlier on it.
    assert.equal(chromiumPath({ PATH: [join(dir, "chrome"), join(dir, "path")].join(":") }, place()), join(dir, "path", "chromium"));
    assert.equal(chromiumPath({ PATH: join(dir, "empty") }, place()), join(dir, "place", "browser"));
    assert.equal(requireChromium({ PATH: path }, []), join(dir, "path", "chromium"));
  });

  it("without any, says that Chromium is not installed and how to get it", () => {
    assert.equal(chromiumPath({ PATH: join(dir, "empty") }, []), null);
    assert.throws(() => requireChromium({ PATH: join(dir, "empty") }, []), (e: unknown) => e instanceof InputError && /Chromium is not installed: .*sudo apt-get install chromium.*CHROMIUM_PATH/.test(e.message));
  });

  it("a CHROMIUM_PATH that cannot be run is an error naming it, not a fall back to another browser", () => {
    const cases: [string, RegExp][] = [
      [join(dir, "missing"), /CHROMIUM_PATH=\S*missing: no such file/],
      [join(dir, "not-executable"), /CHROMIUM_PATH=\S*not-executable: is not executable \(`chmod \+x /],
      [join(dir, "path"), /CHROMIUM_PATH=\S*path: is a folder, not a program/],
    ];
    for (const [file, expected] of cases) {
      assert.equal(chromiumPath({ CHROMIUM_PATH: file, PATH: join(dir, "path") }, place()), null, file);
      assert.throws(() => requireChromium({ CHROMIUM_PATH: file, PATH: join(dir, "path") }, place()), (e: unknown) => e instanceof InputError && expected.test(e.message), file);
    }
  });

  it("a Chromium that does not start is one line with what it said and its exit code", async () => {
    await assert.rejects(launchChromium(join(dir, "failing")), (e: unknown) => {
      assert.ok(e instanceof InputError, String(e));
      assert.equal(e.message.split("\n").length, 1, e.message);
      assert.match(e.message, /^--pdf: Chromium at \S*failing did not start \(chromium: error while loading shared libraries: libfoo\.so\.1: cannot open shared object file; exit code 127\); run `\S*failing --headless --version` to see why/);
      return true;
    });
  });
});
