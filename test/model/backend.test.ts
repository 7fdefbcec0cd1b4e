import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";

const root = join(__dirname, "..", "..");
const probe = `require(${JSON.stringify(join(root, "lib", "model", "backend"))}).initBackend().then((i) => console.log(JSON.stringify(i)))`;
const run = (env: Record<string, string>) => {
  const out = execFileSync(process.execPath, ["--import", "tsx", "-e", probe], {
    cwd: root,
    env: { ...process.env, ...env },
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
  return JSON.parse(out.trim().split("\n").pop()!);
};

test("danfo's overridden tfjs-node (really plain tfjs) is not taken for tfjs-node: WASM is chosen", (t) => {
  const manifest = JSON.parse(readFileSync(join(root, "node_modules/@tensorflow/tfjs-node/package.json"), "utf8"));
  if (manifest.name === "@tensorflow/tfjs-node") {
    t.skip("the real @tensorflow/tfjs-node is installed, so there is no overridden copy to check");
    return;
  }
  assert.equal(manifest.name, "@tensorflow/tfjs");
  const info = run({ DIGITS_BACKEND: "" });
  assert.equal(info.name, "wasm");
  assert.match(info.reason, /tfjs-node is not installed/);
});

test("DIGITS_BACKEND=cpu asks for the plain CPU backend", () => {
  const info = run({ DIGITS_BACKEND: "cpu" });
  assert.equal(info.name, "cpu");
  assert.equal(info.reason, "asked for by DIGITS_BACKEND");
});
