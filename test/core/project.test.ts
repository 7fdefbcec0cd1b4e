import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { projectRoot } from "../../lib/core/project";

describe("paths", () => {
  test("projectRoot is the folder of this package's package.json", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(projectRoot(), "package.json"), "utf8"));
    assert.equal(pkg.name, "binary-digits");
  });
});
