// Loaded into the tslab kernel before tslab itself: kernel.json runs
// `node --require dist/lib/report/tslab-preload.js <tslab> kernel …` (./jupyter, kernelSpec).
//
// tslab 1.0.22 binds its five sockets at once (ZmqServer.init) and answers a shell message as soon
// as the shell socket is bound, publishing "busy" on iopub first. If iopub's bind has not finished
// by then, which happens on a busy machine, zeromq throws EBUSY ("Socket is blocked by a bind or
// unbind operation") inside a promise nobody awaits: the kernel never answers kernel_info, and the
// notebook waits until Jupyter gives up on it. Binding iopub before the other sockets closes that
// window; a failed iopub bind still fails the kernel's start, as before.
import type { ZmqServer } from "tslab/dist/jupyter";

type BindSocket = (this: ZmqServer, sock: unknown, port: number) => Promise<void>;

const server = (require("tslab/dist/jupyter") as { ZmqServer: { prototype: { bindSocket: BindSocket } } }).ZmqServer;
const bindSocket = server.prototype.bindSocket;
const iopubBound = new WeakMap<ZmqServer, Promise<void>>();

server.prototype.bindSocket = function (sock, port) {
  if (sock === this.iopub) {
    const bound = bindSocket.call(this, sock, port);
    iopubBound.set(this, bound);
    return bound;
  }
  // init() asks for iopub first, so its bind is under way by the time the others ask.
  return (iopubBound.get(this) ?? Promise.resolve()).then(() => bindSocket.call(this, sock, port));
};
