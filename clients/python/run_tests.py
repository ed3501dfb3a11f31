#!/usr/bin/env python3
"""Builds the ``wlconnect`` wheel, installs it into a fresh virtual environment and runs the
tests (``tests/``) with that environment's Python against the real provider.

    python3 clients/python/run_tests.py [--venv DIR] [--install-only]

``--install-only`` stops after the install and prints the environment's Python (the end-to-end
test's web app runs with it).  The wheel is built by ``pip wheel`` with the ``flit_core`` build
backend from PyPI.  The last line is libtest-shaped (``test result: …``) so that
``cargo xtask test`` counts the tests.  ``WL_SERVER_BIN`` names the provider binary (default:
``target/debug/wl-server``).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]


def run(cmd: list, **kw) -> None:  # type: ignore[type-arg]
    print("run_tests.py: $ " + " ".join(str(c) for c in cmd), flush=True)
    subprocess.run(cmd, check=True, **kw)


def install(venv: Path) -> Path:
    """A fresh venv at ``venv`` with the freshly built wheel installed; its Python."""
    shutil.rmtree(venv, ignore_errors=True)
    run([sys.executable, "-m", "venv", str(venv)])
    python = venv / "bin" / "python"
    wheelhouse = venv / "wheelhouse"
    quiet = ["--quiet", "--disable-pip-version-check"]
    # The build runs in pip's isolated build environment, which fetches flit_core from PyPI.
    run([str(python), "-m", "pip", "wheel", *quiet, "--no-deps", "-w", str(wheelhouse), str(HERE)])
    wheels = sorted(wheelhouse.glob("wlconnect-*-py3-none-any.whl"))
    if len(wheels) != 1:
        raise SystemExit(f"run_tests.py: expected one wheel in {wheelhouse}, found {wheels}")
    print(f"run_tests.py: built {wheels[0].name} ({wheels[0].stat().st_size} bytes)", flush=True)
    run([str(python), "-m", "pip", "install", *quiet, "--no-index", str(wheels[0])])
    return python


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--venv", default=str(ROOT / "target" / "clients" / "python-venv"))
    parser.add_argument("--install-only", action="store_true")
    args = parser.parse_args()
    started = time.monotonic()
    python = install(Path(args.venv))
    if args.install_only:
        print(python)
        return 0
    # Run from an empty directory with only tests/ on the path: `import wlconnect` can only find
    # the installed wheel, never the source tree (a test checks it).
    env = dict(os.environ, PYTHONPATH=str(HERE / "tests"), PYTHONDONTWRITEBYTECODE="1")
    work = Path(args.venv) / "run"
    work.mkdir(parents=True, exist_ok=True)
    out = subprocess.run(
        [str(python), "-m", "unittest", "-v", "test_client"],
        cwd=str(work), env=env, stderr=subprocess.PIPE, text=True,
    )
    sys.stderr.write(out.stderr)
    ran = re.search(r"^Ran (\d+) tests?", out.stderr, re.M)
    total = int(ran.group(1)) if ran else 0
    summary = re.search(r"^(OK|FAILED)(?: \((.*)\))?$", out.stderr, re.M)
    counts = {"failures": 0, "errors": 0, "skipped": 0}
    if summary and summary.group(2):
        for part in summary.group(2).split(","):
            key, _, n = part.strip().partition("=")
            if key in counts:
                counts[key] = int(n)
    failed = counts["failures"] + counts["errors"]
    if out.returncode != 0 and failed == 0:
        failed = 1
    passed = max(total - failed - counts["skipped"], 0)
    verdict = "ok" if out.returncode == 0 else "FAILED"
    print(
        f"test result: {verdict}. {passed} passed; {failed} failed; {counts['skipped']} ignored; "
        f"0 measured; 0 filtered out; finished in {time.monotonic() - started:.2f}s",
        flush=True,
    )
    return out.returncode


if __name__ == "__main__":
    sys.exit(main())
