// How to start a thread on one of lib/'s own modules, whether this code runs compiled
// (dist/lib/**/*.js) or from TypeScript sources through tsx (tests, `node --require tsx/cjs`).
import * as path from "node:path";

const LIB = path.join(__dirname, "..");

/**
 * The Worker arguments for lib/`module` (e.g. "pairs/pair-thread"): the file with this module's
 * own extension, so dist/lib/pairs/pair-thread.js when compiled; from sources, a thread does not
 * inherit tsx's loader, so it gets a snippet that registers tsx and then requires the .ts file.
 */
export function threadEntry(module: string): { entry: string; eval: boolean } {
  const ext = path.extname(__filename);
  const file = path.join(LIB, `${module}${ext}`);
  if (ext !== ".ts") return { entry: file, eval: false };
  let tsx: string;
  try {
    tsx = require.resolve("tsx/cjs/api", { paths: [__dirname] });
  } catch {
    throw new Error(`running from TypeScript sources (${__filename}) needs tsx to start threads; build with \`npm run build\` or use one worker`);
  }
  return { entry: `require(${JSON.stringify(tsx)}).register();\nrequire(${JSON.stringify(file)});`, eval: true };
}
