// lib/core/processes: a process that has exited is not alive, even while nobody has reaped it (a
// zombie): an orphan's zombie stays until init reaps it, and some inits never do, so a test or a
// lock that waited on it would wait for ever.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import { test } from "node:test";
import { processAlive } from "../../lib/core/processes";
import { deadPid } from "../support/children";

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The process's state as /proc shows it ("S", "Z", …), or null when it is gone. */
function procState(pid: number): string | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.charAt(stat.lastIndexOf(")") + 2);
  } catch {
    return null;
  }
}

test("a running process is alive, this one included; one that has exited and been reaped is not", () => {
  assert.equal(processAlive(process.pid), true);
  assert.equal(processAlive(process.ppid), true);
  assert.equal(processAlive(deadPid()), false);
});

test("a zombie (exited, its parent never reaps it) is not alive", { skip: fs.existsSync("/proc/self/stat") ? false : "no /proc here" }, async () => {
  // The shell starts `sleep 0.1` and becomes `sleep 30`, which never reaps it: a zombie for 30 s.
  const parent = spawn("sh", ["-c", "sleep 0.1 & echo $!; exec sleep 30"], { stdio: ["ignore", "pipe", "ignore"] });
  try {
    const pid = Number(await new Promise<string>((resolve) => parent.stdout!.once("data", (chunk: Buffer) => resolve(chunk.toString()))));
    for (let tries = 0; procState(pid) !== "Z" && tries < 300; tries++) await pause(50);
    assert.equal(procState(pid), "Z", `pid ${pid} became a zombie`);
    // kill(pid, 0) still finds it: only /proc's state tells.
    assert.doesNotThrow(() => process.kill(pid, 0));
    assert.equal(processAlive(pid), false);
    assert.equal(processAlive(parent.pid!), true);
    assert.notEqual(procState(parent.pid!), "Z");
  } finally {
    parent.kill("SIGKILL");
  }
});
