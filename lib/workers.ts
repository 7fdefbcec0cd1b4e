// Workers: how to start a worker thread on one of lib/'s own modules, whether this code runs
// compiled (dist/lib/*.js) or from TypeScript sources through tsx (tests, `node --import tsx`).
import * as path from "node:path";

/**
 * The Worker arguments for lib/`name` (e.g. "pairs-worker"): the file next to this module with
 * the same extension, so dist/lib/pairs-worker.js when compiled; from sources, a worker does not
 * inherit tsx's loader, so it gets a snippet that registers tsx and then requires the .ts file.
 */
export function workerEntry(name: string): { entry: string; eval: boolean } {
  const ext = path.extname(__filename);
  const file = path.join(__dirname, `${name}${ext}`);
  if (ext !== ".ts") return { entry: file, eval: false };
  let tsx: string;
  try {
    tsx = require.resolve("tsx/cjs/api", { paths: [__dirname] });
  } catch {
    throw new Error(`running from TypeScript sources (${__filename}) needs tsx to start worker threads; build with \`npm run build\` or use one worker`);
  }
  return { entry: `require(${JSON.stringify(tsx)}).register();\nrequire(${JSON.stringify(file)});`, eval: true };
}
