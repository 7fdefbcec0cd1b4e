// A private Redis for the queue tests: Debian's redis-server on a free loopback port, in a
// temporary folder, persisting nothing, stopped (and its folder removed) whatever happens,
// including when the test process itself exits early or is stopped by a signal (killWithTests in
// ./children, which the queue tests also use for the workers they start).
//
// Without redis-server a user's `npm test` skips these tests with the reason; under CI=true it
// is a failure instead (.ci/run installs it).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { killWithTests } from "./children";

/** Why the queue tests cannot run here (null when they can). */
export function redisMissing(): string | null {
  const probe = spawnSync("redis-server", ["--version"], { encoding: "utf8" });
  return probe.status === 0 ? null : "redis-server is not installed (`sudo apt-get install redis-server`)";
}

/** `{ skip: reason }` for node:test, or throws under CI so that a missing redis-server fails the run. */
export function skipUnlessRedis(): { skip: string | false } {
  const missing = redisMissing();
  if (missing && process.env.CI === "true") throw new Error(`CI=true but ${missing}`);
  return { skip: missing ?? false };
}

/** A loopback port nothing listens on (at the moment of asking). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

export interface TestRedis {
  url: string;
  port: number;
  process: ChildProcess;
  /** Kills the server (SIGKILL: nothing to save) and removes its folder; safe to call twice. */
  stop(): Promise<void>;
}

/** Starts redis-server and resolves once it accepts connections. */
export async function startRedis(): Promise<TestRedis> {
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "digits-redis-"));
  const child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--dir", dir, "--save", "", "--appendonly", "no"], { stdio: ["ignore", "pipe", "pipe"] });
  killWithTests(child, () => fs.rmSync(dir, { recursive: true, force: true }));
  let output = "";
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGKILL");
      await exited;
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    await new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        if (/Ready to accept connections/.test(output)) resolve();
      };
      child.stdout!.on("data", onData);
      child.stderr!.on("data", onData);
      child.once("exit", (code) => reject(new Error(`redis-server exited (code ${code}) before it was ready:\n${output}`)));
      child.once("error", reject);
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: `redis://127.0.0.1:${port}`, port, process: child, stop };
}
