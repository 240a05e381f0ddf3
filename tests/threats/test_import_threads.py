"""Issue "One house": a segfault inside pyproj on the second KMZB import while the app stayed
open (transformers cached in one thread and used from pooled threads). The imports run in a
child process, so that a crash fails this test instead of killing the test run."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = Path(__file__).parent / "scripts" / "import_many_times.py"


def test_importing_a_kmzb_file_again_and_again_and_from_two_threads_never_crashes(tmp_path):
    env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen",
               PYTHONFAULTHANDLER="1")
    run = subprocess.run([sys.executable, str(SCRIPT), str(tmp_path)], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, (run.returncode, run.stdout, run.stderr[-3000:])
    lines = run.stdout.splitlines()
    assert lines[-1] == "OK" and len([x for x in lines if x.endswith(" ok")]) == 11
