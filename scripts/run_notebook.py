"""Executes one notebook on a Jupyter kernel and exports it as HTML (used by `npm run report`).

usage: run_notebook.py NOTEBOOK --kernel NAME --timeout SECONDS --executed OUT.ipynb --html OUT.html

Writes the executed notebook (also when a cell fails, up to that cell) and the HTML (only on
success). Progress goes to stdout, one line per code cell; the last stdout line is the result,
RESULT_PREFIX followed by JSON naming the failing cell, if any. The result travels on stdout, not
in a file, so that a folder that cannot be written never hides what happened in the notebook: a
failed write is reported in the result beside the cell's own error. The caller owns the output
paths (temporary files it renames, and removes on failure).

SIGINT or SIGTERM stops the run: the kernel is shut down, nothing is written, and the exit code is
128 + the signal's number, so an interrupted `npm run report` leaves no kernel and no files.
"""
import argparse
import asyncio
import errno
import json
import os
import signal
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
from jinja2 import DictLoader
from nbconvert import HTMLExporter
from jupyter_client.kernelspec import KernelSpecManager

# JupyterLab's look, without MathJax: the notebooks use no LaTeX, and MathJax is a file:// or CDN
# script that a page opened offline elsewhere cannot load (it leaves a "Loading…" banner).
# require.js stays as nbconvert writes it: the charts work with it and without it.
REPORT_TEMPLATE = """{%- extends 'lab/index.html.j2' -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
"""

# Marks the result line on stdout (lib/report.ts reads it).
RESULT_PREFIX = "@binary-digits-result "


class Interrupted(BaseException):
    """SIGINT or SIGTERM arrived outside the kernel's run: unwinds without a traceback."""


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("notebook")
    ap.add_argument("--kernel", required=True)
    ap.add_argument("--timeout", type=int, required=True)
    ap.add_argument("--executed", required=True)
    ap.add_argument("--html", required=True)
    args = ap.parse_args()

    state = {"index": None, "code": 0, "started": time.time(), "signal": None, "parent": os.getppid()}

    def interrupt(signum, _frame=None):
        if state["signal"] is None:
            state["signal"] = signum
            raise Interrupted()

    def take_signals():
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, interrupt)

    take_signals()
    try:
        return run(args, state, take_signals)
    except Interrupted:
        return 128 + state["signal"]


def run(args, state, take_signals) -> int:
    nb = nbformat.read(args.notebook, as_version=4)
    name = os.path.splitext(os.path.basename(args.notebook))[0]
    code_cells = sum(1 for c in nb.cells if c.cell_type == "code")
    # The executed notebook records the kernel it ran on (the source names tslab; nbclient sets
    # language_info from the kernel but leaves kernelspec as it was): readers take it from here.
    try:
        spec = KernelSpecManager().get_kernel_spec(args.kernel)
        nb.metadata["kernelspec"] = {"name": args.kernel, "display_name": spec.display_name, "language": spec.language}
    except Exception:  # no such kernel: nbclient says so below, as the run's result
        nb.metadata["kernelspec"] = {"name": args.kernel}
    total_start = time.time()

    client = NotebookClient(
        nb,
        kernel_name=args.kernel,
        timeout=args.timeout,
        startup_timeout=120,
        allow_errors=False,
        resources={"metadata": {"path": os.path.dirname(os.path.abspath(args.notebook))}},
    )

    def stop_kernel(signum):
        # While cells run, a signal shuts the kernel down; the running cell then ends as a dead
        # kernel and nbclient cleans up. A second signal changes nothing.
        if state["signal"] is None:
            state["signal"] = signum
            asyncio.ensure_future(client.km.shutdown_kernel(now=True))

    def on_notebook_start(**_):
        # nbclient's own handlers (installed just before this hook) clean up too, but leave the
        # run going on a dead kernel; ours also remember that the run was interrupted.
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop_kernel, sig)

    def on_start(cell, cell_index, **_):
        state["index"] = cell_index
        state["started"] = time.time()

    def on_executed(cell, cell_index, execute_reply=None, **_):
        if cell.cell_type != "code":
            return
        state["code"] += 1
        # nbclient calls this hook before it checks the reply: a cell that raised is not "done".
        ok = (execute_reply or {}).get("content", {}).get("status", "ok") == "ok"
        print(f"{name}: code cell {state['code']}/{code_cells} {'done' if ok else 'failed'} in {time.time() - state['started']:.1f} s", flush=True)

    client.on_notebook_start = on_notebook_start
    client.on_cell_start = on_start
    client.on_cell_executed = on_executed

    result = {"status": "ok"}
    try:
        client.execute()
    except CellTimeoutError:
        result = {"status": "error", "kind": "timeout", "cell": state["index"],
                  "message": f"no result after {args.timeout} s (raise it with --timeout)"}
    except DeadKernelError as e:
        result = {"status": "error", "kind": "dead kernel", "cell": state["index"],
                  "message": f"the kernel died ({e}); out of memory?"}
    except CellExecutionError as e:
        result = {"status": "error", "kind": "error", "cell": state["index"],
                  "ename": getattr(e, "ename", "Error"), "evalue": getattr(e, "evalue", str(e)),
                  "stderr": cell_stderr(nb, state["index"])}
    except Exception as e:  # kernel missing, cannot start, …
        result = {"status": "error", "kind": "kernel", "cell": state["index"], "message": f"{type(e).__name__}: {e}"}
    # nbclient restores the default handlers when it is done; ours again, until we exit.
    take_signals()
    if state["signal"] is not None:
        return 128 + state["signal"]
    if os.getppid() != state["parent"]:
        # The caller was killed outright (its pipe broke the progress line and stopped the run):
        # nobody would rename or remove what we wrote, so write nothing.
        return 1
    result["seconds"] = round(time.time() - total_start, 2)

    # The executed notebook helps explain a failure, but failing to write it must not hide one.
    written = write(args.executed, lambda f: nbformat.write(nb, f))
    if written is not None:
        result["write_error"] = written
    if result["status"] == "ok" and written is None:
        exporter = HTMLExporter(
            template_name="lab",
            template_file="binary-digits-report.html.j2",
            extra_loaders=[DictLoader({"binary-digits-report.html.j2": REPORT_TEMPLATE})],
        )
        body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": name}})
        written = write(args.html, lambda f: f.write(body))
        if written is not None:
            result["write_error"] = written
    if "write_error" in result and result["status"] == "ok":
        result["status"] = "error"
        result["kind"] = "write"
    print(RESULT_PREFIX + json.dumps(result), flush=True)
    return 0 if result["status"] == "ok" else 1


def write(path, fill):
    """Writes a file with fill(f); None when done, else {path, error, code} (and no partial file)."""
    try:
        with open(path, "w", encoding="utf-8") as f:
            fill(f)
        return None
    except OSError as e:
        try:
            os.remove(path)
        except OSError:
            pass
        return {"path": path, "error": e.strerror or str(e), "code": errno.errorcode.get(e.errno, "")}


def cell_stderr(nb, index):
    """What the failing cell wrote to stderr (tslab's type errors are there, not in the error)."""
    if index is None or index >= len(nb.cells):
        return ""
    return "".join(o.get("text", "") for o in nb.cells[index].get("outputs", [])
                   if o.get("output_type") == "stream" and o.get("name") == "stderr")


if __name__ == "__main__":
    sys.exit(main())
