#!/usr/bin/env node
// The `digits` program: runs the command line (./command-line) and sets the exit code from it;
// what only a process has is here: a closed stdout, and an error thrown outside the command's promise.
import { reportFailure, runCommandLine } from "./command-line";

if (require.main === module) {
  // `digits select --json | head` closes stdout early; that is not an error worth a stack.
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw error;
  });
  const argv = process.argv.slice(2);
  // An error thrown outside the command's promise (an event handler, a timer) is reported as one
  // it throws is, not as Node's raw stack trace.
  process.on("uncaughtException", (error) => {
    process.exitCode = reportFailure(error, argv);
    process.exit();
  });
  runCommandLine(argv).then((code) => {
    process.exitCode = code;
  });
}
