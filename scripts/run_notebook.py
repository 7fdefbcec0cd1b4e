"""Executes one notebook on a Jupyter kernel and exports it as HTML (used by `npm run report`).

usage: run_notebook.py NOTEBOOK --kernel NAME --timeout SECONDS --executed OUT.ipynb --html OUT.html [--no-input]

Each executed code cell gets metadata.timing = {start, end (ISO 8601, UTC), duration (seconds)}, as
papermill records them (nbclient's own metadata.execution holds the kernel's message times, which
nothing reads); the notebook gets metadata.binary_digits = {parameters, seconds}: the values of the
parameter cell's constants as they ran (read back from the kernel after the last cell) and the
total run time. --no-input leaves every cell's code out of the HTML (outputs and text only).

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
import datetime
import errno
import json
import os
import re
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

# Marks the result line on stdout (lib/report/runner.ts reads it).
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
    ap.add_argument("--no-input", action="store_true")
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
    added = add_parameter_cell(nb)

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
        if cell.cell_type != "code" or cell_index >= len(nb.cells) - added:
            return
        ended = time.time()
        cell.metadata["timing"] = {"start": iso(state["started"]), "end": iso(ended), "duration": round(ended - state["started"], 3)}
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
        if state["index"] is not None and state["index"] >= len(nb.cells) - added:
            pass  # only the parameters' read-back failed: the header says they were not recorded
        else:
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
    parameters = take_parameter_cell(nb, added)
    nb.metadata["binary_digits"] = {"parameters": parameters, "seconds": result["seconds"]}

    # The executed notebook helps explain a failure, but failing to write it must not hide one.
    written = write(args.executed, lambda f: nbformat.write(nb, f))
    if written is not None:
        result["write_error"] = written
    if result["status"] == "ok" and written is None:
        exporter = HTMLExporter(
            template_name="lab",
            exclude_input=args.no_input,
            exclude_input_prompt=args.no_input,
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


# The parameter cell: the first code cell opening with "// Parameters"; its constants are the
# top-level `const NAME =` in capitals, and the capitals of a top-level `const {\n  NAME, …\n} =`
# (one a line: the notebooks take their checked parameters from a reader that way), in the order
# they stand. Marks the line the read-back cell prints.
PARAMETERS_PREFIX = "@binary-digits-parameters "


def parameter_names(nb):
    for cell in nb.cells:
        if cell.cell_type == "code" and cell.source.lstrip().startswith("// Parameters"):
            names, destructuring = [], False
            for line in cell.source.splitlines():
                if destructuring:
                    if line.startswith("}"):
                        destructuring = False
                    else:
                        names += re.findall(r"^\s+([A-Z][A-Z0-9_]*)\s*(?:,|$|//)", line)
                elif re.match(r"^const \{\s*$", line):
                    destructuring = True
                else:
                    names += re.findall(r"^const ([A-Z][A-Z0-9_]*)\s*[=:]", line)
            return names
    return []


def add_parameter_cell(nb):
    """Appends a cell that prints the parameters' values as JSON; returns how many cells were added (0 or 1)."""
    names = parameter_names(nb)
    if not names:
        return 0
    # NAME: NAME, not the shorthand { NAME }: tslab's rewriting of earlier cells' constants misses shorthands.
    code = f"console.log({json.dumps(PARAMETERS_PREFIX)} + JSON.stringify({{ {', '.join(f'{n}: {n}' for n in names)} }}));"
    nb.cells.append(nbformat.v4.new_code_cell(code))
    return 1


def take_parameter_cell(nb, added):
    """Removes the appended cell and returns the parameters it printed (None when it did not run)."""
    if not added:
        return None
    cell = nb.cells.pop()
    for output in cell.get("outputs", []):
        for line in output.get("text", "").splitlines():
            if line.startswith(PARAMETERS_PREFIX):
                try:
                    return json.loads(line[len(PARAMETERS_PREFIX):])
                except ValueError:
                    return None
    return None


def iso(seconds):
    return datetime.datetime.fromtimestamp(seconds, datetime.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def write(path, fill):
    """Writes a file with fill(f); None when done, else {path, error, code} (and no partial file).

    Python's buffered writes go on until every byte is written or raise (ENOSPC on a full disk);
    the fsync makes the bytes reach the disk before the caller renames the file into place."""
    try:
        with open(path, "w", encoding="utf-8") as f:
            fill(f)
            f.flush()
            os.fsync(f.fileno())
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
