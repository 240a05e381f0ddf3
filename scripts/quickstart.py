"""Quick start for a fresh machine: `python3 scripts/quickstart.py app|test [ARGS...]`.

Only the standard library is used, so it runs with the system Python (3.11+) before anything
is installed. Steps:

1. On Debian/Ubuntu: install the system libraries Qt WebEngine needs (and, for `test`, the
   PostgreSQL server package) with apt-get, as root or through sudo. Nothing is installed
   when everything is already there.
2. Make the virtual environment `.venv` in the repository (if missing or broken).
3. Install the pinned packages into it (`pip install -c constraints.txt -e .[test]`); skipped
   when pyproject.toml and constraints.txt have not changed since the last install. On Windows
   the test extra brings `pgserver` (PostgreSQL's binaries in a wheel, Python 3.11/3.12), so
   the tests have a PostgreSQL server there too.
4. `app`: open the window (`python -m desktop ARGS`); `test`: run pytest (`pytest -q ARGS`),
   headless. Its exit code is this script's exit code.

Windows (PowerShell, python.org installer): `py scripts\\quickstart.py app` / `... test`.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
STAMP = VENV / ".razem-installed"
WINDOWS = os.name == "nt"

# System libraries Qt WebEngine needs (offscreen and on a display), Qt's PDF output, and a
# font with Polish glyphs. See ../shared/notes/qt-headless.md.
DEBIAN_PACKAGES = [
    "libegl1", "libgl1", "libx11-6", "libxcomposite1", "libxdamage1", "libxext6", "libxfixes3",
    "libxrandr2", "libxtst6", "libasound2", "libbrotli1", "libdbus-1-3", "libfontconfig1",
    "libfreetype6", "libgbm1", "libglib2.0-0", "libnspr4", "libnss3", "libxcb-dri3-0", "libxcb1",
    "libxkbcommon0", "libxkbfile1", "fonts-dejavu-core", "libxcb-cursor0", "libxcb-icccm4",
    "libxcb-image0", "libxcb-keysyms1", "libxcb-render-util0", "libxcb-shape0", "libxcb-xkb1",
    "libxkbcommon-x11-0",
]
# The tests start a private PostgreSQL server from these binaries (tests/conftest.py).
DEBIAN_TEST_PACKAGES = ["postgresql"]


def say(text: str) -> None:
    print(f"[quickstart] {text}", flush=True)


def fail(text: str) -> None:
    print(f"[quickstart] BŁĄD: {text}", file=sys.stderr, flush=True)
    raise SystemExit(1)


def run(cmd: list[str], **kwargs) -> None:
    say("+ " + " ".join(cmd))
    result = subprocess.run(cmd, **kwargs)
    if result.returncode:
        fail(f"polecenie zakończone kodem {result.returncode}: {' '.join(cmd)}")


# --- system packages (Debian/Ubuntu) ---------------------------------------------------------

def _installed(package: str) -> bool:
    # Ubuntu 24.04 renamed some libraries (libasound2 -> libasound2t64 ...).
    for name in (package, package + "t64"):
        out = subprocess.run(["dpkg-query", "-W", "-f=${Status}", name],
                             capture_output=True, text=True)
        if out.returncode == 0 and "install ok installed" in out.stdout:
            return True
    return False


def _installable_name(package: str) -> str:
    """The name apt can install: the package itself or its t64 successor (Ubuntu 24.04)."""
    out = subprocess.run(["apt-cache", "show", "--no-all-versions", package],
                         capture_output=True, text=True)
    if out.returncode == 0 and out.stdout.strip():
        return package
    return package + "t64"


def ensure_system_packages(mode: str) -> None:
    if WINDOWS or not sys.platform.startswith("linux") or shutil.which("dpkg-query") is None:
        return  # Windows and macOS wheels carry their own libraries
    wanted = DEBIAN_PACKAGES + (DEBIAN_TEST_PACKAGES if mode == "test" else [])
    missing = [p for p in wanted if not _installed(p)]
    if not missing:
        return
    prefix: list[str] = []
    if os.geteuid() != 0:
        if shutil.which("sudo") is None:
            fail("brakuje pakietów systemowych, a skrypt nie działa jako root i nie ma sudo. "
                 "Zainstaluj je: apt-get install " + " ".join(missing))
        prefix = ["sudo", "-E"] if os.environ.get("CI") else ["sudo"]
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    say("Instaluję pakiety systemowe: " + " ".join(missing))
    run([*prefix, "apt-get", "update", "-qq"], env=env)
    names = [_installable_name(p) for p in missing]
    run([*prefix, "apt-get", "install", "-y", "-qq", "--no-install-recommends", *names], env=env)


# --- virtual environment and Python packages -------------------------------------------------

def venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if WINDOWS else "bin/python")


def ensure_venv() -> Path:
    python = venv_python()
    if python.exists():
        ok = subprocess.run([str(python), "-c", "import sys; assert sys.version_info >= (3, 11)"],
                            capture_output=True).returncode == 0
        if ok:
            return python
        say("Środowisko .venv jest uszkodzone; tworzę je od nowa")
        shutil.rmtree(VENV)
    say(f"Tworzę środowisko wirtualne {VENV}")
    result = subprocess.run([sys.executable, "-m", "venv", str(VENV)])
    if result.returncode or not python.exists():
        fail("nie udało się utworzyć .venv; na Debianie/Ubuntu zainstaluj python3-venv "
             "(apt-get install python3-venv)")
    return python


def ensure_python_packages(python: Path, mode: str) -> None:
    spec = ".[test]" if mode == "test" else ".[postgres]"
    digest = hashlib.sha256()
    for name in ("pyproject.toml", "constraints.txt"):
        digest.update((ROOT / name).read_bytes())
    digest.update(f"{spec} {sys.version}".encode())
    wanted = digest.hexdigest()
    done = STAMP.read_text(encoding="utf-8").split() if STAMP.exists() else []
    if wanted in done:
        return
    run([str(python), "-m", "pip", "install", "--disable-pip-version-check", "-q",
         "-c", "constraints.txt", "-e", spec], cwd=ROOT)
    # Both modes may be installed; remember each.
    STAMP.write_text("\n".join([*done, wanted]) + "\n", encoding="utf-8")


# --- run -------------------------------------------------------------------------------------

def main(argv: list[str]) -> int:
    if sys.version_info < (3, 11):  # noqa: UP036  (runs on the system Python, before .venv)
        fail(f"potrzebny Python 3.11 lub nowszy (jest {sys.version.split()[0]})")
    if not argv or argv[0] not in ("app", "test"):
        print(__doc__)
        return 2
    mode, rest = argv[0], argv[1:]
    ensure_system_packages(mode)
    python = ensure_venv()
    ensure_python_packages(python, mode)
    env = dict(os.environ)
    if mode == "app":
        if not rest:
            # The Quick start opens the demo: a fresh default database gets the fictional sample
            # first (`razem sample` refuses a database that already holds data, real or demo,
            # and then the app simply opens what is there).
            filled = subprocess.call([str(python), "-m", "desktop", "sample"], cwd=ROOT, env=env,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            say("baza przykładowa utworzona" if filled == 0 else "baza ma już dane – otwieram ją")
        cmd = [str(python), "-m", "desktop", *rest]
    else:
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
        if sys.platform.startswith("linux") and shutil.which("dpkg-query"):
            # PostgreSQL was installed above: a missing server is an error here, not a skip.
            env.setdefault("RAZEM_REQUIRE_POSTGRES", "1")
        cmd = [str(python), "-m", "pytest", "-q", *rest]
    say("+ " + " ".join(cmd))
    return subprocess.call(cmd, cwd=ROOT, env=env)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
