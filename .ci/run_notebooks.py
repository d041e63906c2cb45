#!/usr/bin/python3
"""Execute the Deno notebooks with Deno's Jupyter kernel, offline.

Usage: /usr/bin/python3 .ci/run_notebooks.py [--deno PATH] [--out DIR]
       [--in-place] [--timeout SECONDS] [NOTEBOOK ...]

Registers the kernel with `deno jupyter --install --force` into a temporary
XDG_DATA_HOME (the kernelspec holds the absolute path of the deno binary, so
nothing is written to the user's own Jupyter folders), executes every
notebook (default: notebooks/*.ipynb) with the notebooks' folder as working
directory, and writes the executed copies to --out (default: a new temporary
folder), or back over the originals with --in-place (to refresh the
committed outputs). Prints one JSON line per notebook:
{"notebook": ..., "executed": ..., "errors": [...], "seconds": ...}, and
exits 1 if a cell raised.

Debian's python3-nbclient provides nbclient; run with /usr/bin/python3,
whose modules Debian installs.

Deno's kernel sometimes publishes a cell's result just after the cell's idle
status (about one execution in eight, measured). A stock nbclient stops
reading at idle and loses that output at random, so the client here keeps
reading IOPub for a short grace period after idle.
"""

import argparse
import asyncio
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionComplete

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# Long enough for every late message seen (50 ms was enough in 30 of 30
# runs); short enough to add well under a second per notebook.
GRACE_SECONDS = 0.1


class LateOutputClient(NotebookClient):
    """An nbclient that keeps reading IOPub briefly after a cell's idle."""

    async def _async_poll_output_msg(self, parent_msg_id, cell, cell_index):
        assert self.kc is not None
        deadline = None
        while True:
            if deadline is None:
                timeout = None
            else:
                timeout = deadline - time.monotonic()
                if timeout <= 0:
                    return
            try:
                msg = await self.kc.iopub_channel.get_msg(timeout=timeout)
            except Exception:  # queue.Empty: the grace period is over
                if deadline is not None:
                    return
                raise
            if msg["parent_header"].get("msg_id") != parent_msg_id:
                continue
            try:
                self.process_message(msg, cell, cell_index)
            except CellExecutionComplete:
                deadline = time.monotonic() + GRACE_SECONDS


def find_deno(given):
    """The real deno binary (node_modules/.bin/deno may be a JS shim)."""
    candidates = [
        given,
        os.environ.get("DENO_BINARY"),
        os.path.join(ROOT, "node_modules", "deno", "deno"),
        os.path.join(ROOT, "node_modules", "@deno", "linux-x64-glibc", "deno"),
        shutil.which("deno"),
    ]
    for candidate in candidates:
        if not candidate or not os.path.isfile(candidate):
            continue
        path = os.path.realpath(candidate)
        with open(path, "rb") as f:
            if f.read(4) == b"\x7fELF" or sys.platform != "linux":
                return path
    sys.exit("run_notebooks: no deno binary found (tried --deno, $DENO_BINARY, "
             "node_modules/deno/deno and PATH)")


def install_kernel(deno, data_home, env):
    result = subprocess.run(
        [deno, "jupyter", "--install", "--force"],
        env={**env, "XDG_DATA_HOME": data_home},
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        sys.exit(f"run_notebooks: deno jupyter --install failed:\n{result.stderr}")
    spec = os.path.join(data_home, "jupyter", "kernels", "deno", "kernel.json")
    if not os.path.isfile(spec):
        sys.exit(f"run_notebooks: no kernelspec at {spec}")


def cell_errors(notebook):
    """(cell index, "Name: message") for every cell whose output is an error."""
    errors = []
    for index, cell in enumerate(notebook.cells):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                errors.append(
                    {"cell": index, "error": f"{output.get('ename')}: {output.get('evalue')}"}
                )
    return errors


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("notebooks", nargs="*")
    parser.add_argument("--deno")
    parser.add_argument("--out")
    parser.add_argument("--in-place", action="store_true")
    parser.add_argument("--timeout", type=int, default=300)
    args = parser.parse_args()

    notebooks = args.notebooks or sorted(
        glob.glob(os.path.join(ROOT, "notebooks", "*.ipynb"))
    )
    if not notebooks:
        sys.exit("run_notebooks: no notebooks found")
    deno = find_deno(args.deno)
    out = args.out or tempfile.mkdtemp(prefix="micrograd-notebooks-")
    os.makedirs(out, exist_ok=True)

    # The kernel inherits this environment: no colour codes in text outputs,
    # no update check or prompt (offline, unattended).
    env = {
        **os.environ,
        "NO_COLOR": "1",
        "DENO_NO_UPDATE_CHECK": "1",
        "DENO_NO_PROMPT": "1",
    }
    data_home = tempfile.mkdtemp(prefix="micrograd-jupyter-")
    failed = False
    try:
        install_kernel(deno, data_home, env)
        os.environ.update(env)
        os.environ["XDG_DATA_HOME"] = data_home
        # jupyter_client looks here first; never the user's own folders.
        os.environ["JUPYTER_DATA_DIR"] = os.path.join(data_home, "jupyter")
        os.environ["JUPYTER_PATH"] = os.path.join(data_home, "jupyter")
        for path in notebooks:
            path = os.path.abspath(path)
            notebook = nbformat.read(path, as_version=4)
            client = LateOutputClient(
                notebook,
                kernel_name="deno",
                timeout=args.timeout,
                startup_timeout=120,
                allow_errors=True,
                record_timing=False,
                resources={"metadata": {"path": os.path.dirname(path)}},
            )
            start = time.monotonic()
            client.execute()
            seconds = round(time.monotonic() - start, 1)
            target = path if args.in_place else os.path.join(out, os.path.basename(path))
            nbformat.write(notebook, target)
            errors = cell_errors(notebook)
            failed = failed or bool(errors)
            print(json.dumps({
                "notebook": os.path.relpath(path, ROOT),
                "executed": target,
                "errors": errors,
                "seconds": seconds,
            }), flush=True)
    finally:
        shutil.rmtree(data_home, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
