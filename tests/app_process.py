"""Run a script in a new Python process started like the real app: the project's root as the
working folder and on the path, the tests' Qt environment, and a user data folder of its own.

The script sets ``result`` (anything JSON can hold); this helper adds the lines that print it
and end the process at once (``os._exit``: no Qt or thread teardown to wait for or to crash
in), then returns it. A child that fails before that fails the test with its stderr.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
_MARK = "RESULT "
_EPILOGUE = f"""
import json as _json, os as _os
print({_MARK!r} + _json.dumps(result), flush=True)
_os._exit(0)
"""


def run_app_script(script: str, *args: str, data_dir: Path, timeout: float = 120) -> Any:
    """``python -c script *args`` with ``RAZEM_DATA_DIR=data_dir``; the child's ``result``."""
    env = {**os.environ, "RAZEM_DATA_DIR": str(data_dir), "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", script + _EPILOGUE, *args], cwd=ROOT, env=env,
                         capture_output=True, text=True, encoding="utf-8", timeout=timeout)
    lines = [line for line in out.stdout.splitlines() if line.startswith(_MARK)]
    assert lines and out.returncode == 0, f"exit {out.returncode}\n{out.stdout[-2000:]}\n" \
                                          f"{out.stderr[-3000:]}"
    return json.loads(lines[0][len(_MARK):])
