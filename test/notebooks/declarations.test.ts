// Notebooks import the compiled lib/ (dist/lib/*.js + .d.ts), and tslab type-checks every cell
// with its own TypeScript 5.0.4. Declarations emitted by a newer compiler can use syntax 5.0
// cannot read (e.g. Float32Array<ArrayBufferLike>), so check them with tslab's compiler.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, existsSync } from "node:fs";
import { join } from "node:path";

const root = join(__dirname, "..", "..");
const dist = join(root, "dist", "lib");

test("every emitted lib declaration type-checks under tslab's TypeScript 5.0.4", () => {
  const ts = require("@tslab/typescript-for-tslab") as typeof import("typescript");
  assert.equal(ts.version, "5.0.4");
  assert.ok(existsSync(dist), "dist/lib is missing: run `npm run build` (npm test does)");
  const files = (readdirSync(dist, { recursive: true }) as string[]).filter((f) => f.endsWith(".d.ts")).map((f) => join(dist, f));
  assert.ok(files.length >= 8, `expected the lib declarations, found ${files.length}`);
  const program = ts.createProgram(files, {
    strict: true,
    noEmit: true,
    skipLibCheck: false,
    types: ["node"],
    typeRoots: [join(root, "node_modules", "@types")],
    moduleResolution: ts.ModuleResolutionKind.NodeJs,
    target: ts.ScriptTarget.ES2020,
    lib: ["lib.es2020.d.ts", "lib.dom.d.ts"],
  });
  // Only our files' diagnostics are asked for: getPreEmitDiagnostics would also check every
  // declaration of node_modules (most of this test's time) only for the filter to drop what it found there.
  // A file's own diagnostics are the same either way (checked by planting a bad .d.ts in dist/lib).
  const ours = program
    .getSourceFiles()
    .filter((file) => file.fileName.startsWith(dist))
    .flatMap((file) => [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)])
    .map((d) => `${d.file!.fileName}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
  assert.deepEqual(ours, []);
});
