"""Executes one notebook on a Jupyter kernel and exports it as HTML (used by `npm run report`).

usage: run_notebook.py NOTEBOOK --kernel NAME --timeout SECONDS
                       --executed OUT.ipynb --html OUT.html --result OUT.json

Writes the executed notebook (also when a cell fails, up to that cell), the HTML (only on
success) and a small JSON result naming the failing cell, if any. Progress goes to stdout,
one line per code cell. The caller owns the output paths (temporary files it renames).
"""
import argparse
import json
import os
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
from jinja2 import DictLoader
from nbconvert import HTMLExporter

# JupyterLab's look, without MathJax: the notebooks use no LaTeX, and MathJax is a file:// or CDN
# script that a page opened offline elsewhere cannot load (it leaves a "Loading…" banner).
# require.js stays as nbconvert writes it: the charts work with it and without it.
REPORT_TEMPLATE = """{%- extends 'lab/index.html.j2' -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
"""


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("notebook")
    ap.add_argument("--kernel", required=True)
    ap.add_argument("--timeout", type=int, required=True)
    ap.add_argument("--executed", required=True)
    ap.add_argument("--html", required=True)
    ap.add_argument("--result", required=True)
    args = ap.parse_args()

    nb = nbformat.read(args.notebook, as_version=4)
    name = os.path.splitext(os.path.basename(args.notebook))[0]
    code_cells = sum(1 for c in nb.cells if c.cell_type == "code")
    state = {"index": None, "code": 0, "started": time.time()}
    total_start = time.time()

    def on_start(cell, cell_index, **_):
        state["index"] = cell_index
        state["started"] = time.time()

    def on_executed(cell, cell_index, **_):
        if cell.cell_type != "code":
            return
        state["code"] += 1
        print(f"{name}: code cell {state['code']}/{code_cells} done in {time.time() - state['started']:.1f} s", flush=True)

    client = NotebookClient(
        nb,
        kernel_name=args.kernel,
        timeout=args.timeout,
        startup_timeout=120,
        allow_errors=False,
        resources={"metadata": {"path": os.path.dirname(os.path.abspath(args.notebook))}},
    )
    client.on_cell_start = on_start
    client.on_cell_executed = on_executed

    result = {"status": "ok"}
    try:
        client.execute()
    except CellTimeoutError as e:
        result = {"status": "error", "kind": "timeout", "cell": state["index"],
                  "message": f"no result after {args.timeout} s (raise it with --timeout)"}
    except DeadKernelError as e:
        result = {"status": "error", "kind": "dead kernel", "cell": state["index"],
                  "message": f"the kernel died ({e}); out of memory?"}
    except CellExecutionError as e:
        result = {"status": "error", "kind": "error", "cell": state["index"],
                  "ename": getattr(e, "ename", "Error"), "evalue": getattr(e, "evalue", str(e))}
    except Exception as e:  # kernel missing, cannot start, …
        result = {"status": "error", "kind": "kernel", "cell": state["index"], "message": f"{type(e).__name__}: {e}"}
    result["seconds"] = round(time.time() - total_start, 2)

    nbformat.write(nb, args.executed)
    if result["status"] == "ok":
        exporter = HTMLExporter(
            template_name="lab",
            template_file="binary-digits-report.html.j2",
            extra_loaders=[DictLoader({"binary-digits-report.html.j2": REPORT_TEMPLATE})],
        )
        body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": name}})
        with open(args.html, "w", encoding="utf-8") as f:
            f.write(body)
    with open(args.result, "w", encoding="utf-8") as f:
        json.dump(result, f)
    return 0 if result["status"] == "ok" else 1


if __name__ == "__main__":
    sys.exit(main())
