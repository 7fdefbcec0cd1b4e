// lib/report/tslab-preload.ts: with it loaded, tslab's kernel binds its iopub socket before its
// shell socket, so no shell message can arrive while a "busy" status has nowhere to go. Run on
// tslab's own ZmqServer with sockets that only record when they are bound.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import "../../lib/report/tslab-preload";
import { ZmqServer } from "tslab/dist/jupyter";

/** A socket whose bind takes `ms` and is logged when it starts and ends. */
function socket(name: string, ms: number, log: string[]): { bind(address: string): Promise<void> } {
  return {
    bind: async (address) => {
      log.push(`${name} bind ${address}`);
      await new Promise((resolve) => setTimeout(resolve, ms));
      log.push(`${name} bound`);
    },
  };
}

describe("tslab's kernel with the preload", () => {
  test("binds the shell socket only once iopub is bound, however slow iopub's bind is", async () => {
    const log: string[] = [];
    const server = new ZmqServer({} as never, "/nowhere.json");
    const sockets = { iopub: socket("iopub", 50, log), shell: socket("shell", 1, log) };
    Object.assign(server, { connInfo: { transport: "tcp", ip: "127.0.0.1" }, ...sockets });
    // As ZmqServer.init asks: every socket at once, iopub first.
    const bind = (server as unknown as { bindSocket(sock: unknown, port: number): Promise<void> }).bindSocket.bind(server);
    await Promise.all([bind(sockets.iopub, 5001), bind(sockets.shell, 5002)]);
    assert.deepEqual(log, ["iopub bind tcp://127.0.0.1:5001", "iopub bound", "shell bind tcp://127.0.0.1:5002", "shell bound"]);
  });

  test("a failed iopub bind fails the shell's too, so the kernel's start fails as it did", async () => {
    const server = new ZmqServer({} as never, "/nowhere.json");
    const iopub = { bind: () => Promise.reject(new Error("Address already in use")) };
    let shellBound = false;
    const shell = { bind: async () => void (shellBound = true) };
    Object.assign(server, { connInfo: { transport: "tcp", ip: "127.0.0.1" }, iopub, shell });
    const bind = (server as unknown as { bindSocket(sock: unknown, port: number): Promise<void> }).bindSocket.bind(server);
    await assert.rejects(Promise.all([bind(iopub, 5001), bind(shell, 5002)]), /Address already in use/);
    assert.equal(shellBound, false);
  });
});
