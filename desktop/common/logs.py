"""The application's log (Qt-free): one rotating file in the user log folder, native crashes
(faulthandler) in a file beside it, and uncaught exceptions from any thread written there.

``setup_logging()`` is called once by the entry points (window and command line); calling it
again with the same folder does nothing, with another folder (tests, ``RAZEM_DATA_DIR``) moves
the log there. ``install_excepthooks()`` routes uncaught exceptions (main thread and other
threads) into the log and then to a *reporter*: the window installs one showing a Polish dialog
(desktop/app/crash.py); without it one Polish line naming the log goes to stderr.

Where: ``platformdirs.user_log_dir`` — on Windows ``%LOCALAPPDATA%\\KMP Konin\\Razem\\Logs`` —
or ``<RAZEM_DATA_DIR>/Logs`` when that variable moves the data folder (portable installs).
"""
from __future__ import annotations

import faulthandler
import logging
import logging.handlers
import os
import sys
import threading
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import IO

import platformdirs

from db.paths import APP_AUTHOR, APP_NAME, ENV_DATA_DIR

LOG_FILE = "razem.log"
CRASH_FILE = "awaria.log"  # faulthandler output: native crashes (segfaults) with all threads
MAX_BYTES = 2_000_000
BACKUP_COUNT = 5
FORMAT = "%(asctime)s %(levelname)-7s [%(threadName)s] %(name)s: %(message)s"

log = logging.getLogger("razem.app")

# A reporter gets the Polish summary line and the full details (traceback) of an uncaught
# exception, after both were written to the log. It may be called from any thread.
Reporter = Callable[[str, str], None]

_state: dict[str, object] = {}
_handler: logging.Handler | None = None
_stderr_handler: logging.Handler | None = None
_crash_file: IO[str] | None = None
_reporter: Reporter | None = None


def log_dir() -> Path:
    """The folder of the log files (created on demand)."""
    override = os.environ.get(ENV_DATA_DIR)
    if override:
        path = Path(override) / "Logs"
    else:
        path = Path(platformdirs.user_log_dir(APP_NAME, APP_AUTHOR, opinion=True))
    path.mkdir(parents=True, exist_ok=True)
    return path


def log_file() -> Path:
    """The current log file (where ``setup_logging`` writes, or would write)."""
    current = _state.get("file")
    return current if isinstance(current, Path) else log_dir() / LOG_FILE


def crash_file() -> Path:
    return log_file().with_name(CRASH_FILE)


def setup_logging(level: int = logging.INFO, *, stderr: bool = True) -> Path:
    """Configure logging for the process; returns the log file. Idempotent per folder."""
    global _handler, _stderr_handler
    target = log_dir() / LOG_FILE
    root = logging.getLogger()
    if _handler is not None and _state.get("file") == target:
        return target
    if _handler is not None:
        root.removeHandler(_handler)
        _handler.close()
    handler = logging.handlers.RotatingFileHandler(
        target, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8", delay=False)
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.setLevel(logging.DEBUG)
    root.addHandler(handler)
    if root.level == logging.NOTSET or root.level > logging.WARNING:
        root.setLevel(logging.WARNING)  # libraries: warnings and errors only
    logging.getLogger("razem").setLevel(level)
    if stderr and _stderr_handler is None and sys.stderr is not None:
        # What Python and Qt printed on a terminal before still goes there (not INFO).
        _stderr_handler = logging.StreamHandler(sys.stderr)
        _stderr_handler.setLevel(logging.WARNING)
        _stderr_handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        # Uncaught exceptions are told to the user by the reporter (one Polish line).
        _stderr_handler.addFilter(lambda record: not getattr(record, "razem_reported", False))
        root.addHandler(_stderr_handler)
    _handler = handler
    _state["file"] = target
    _enable_faulthandler(target.with_name(CRASH_FILE))
    from desktop import __version__

    log.info("Razem %s uruchomiony (Python %s, %s); dziennik: %s", __version__,
             sys.version.split()[0], sys.platform, target)
    return target


def _enable_faulthandler(path: Path) -> None:
    """Native crashes are written by faulthandler straight into a file (no Python runs then).
    A crash left by the previous run is copied into the log once and the file emptied."""
    global _crash_file
    try:
        previous = path.read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        previous = ""
    if previous:
        log.error("Poprzednie uruchomienie zakończyło się awarią programu:\n%s", previous)
    if _crash_file is not None:
        faulthandler.disable()
        _crash_file.close()
    # Append mode: a second program running at the same time (razem-cli beside the window)
    # empties the file once it has copied it, and the first still writes at the end.
    _crash_file = open(path, "a", encoding="utf-8")  # noqa: SIM115 - open for the whole run
    _crash_file.truncate(0)
    faulthandler.enable(_crash_file, all_threads=True)


def set_reporter(reporter: Reporter | None) -> Reporter | None:
    """Who tells the user about an uncaught exception; returns the previous one."""
    global _reporter
    previous, _reporter = _reporter, reporter
    return previous


def summary_line() -> str:
    return f"Wystąpił nieoczekiwany błąd programu. Szczegóły zapisano w dzienniku: {log_file()}"


def report_exception(exc_type: type[BaseException], exc: BaseException,
                     tb: TracebackType | None, where: str = "") -> None:
    """Write an uncaught exception to the log and tell the user (never raises)."""
    try:
        details = "".join(traceback.format_exception(exc_type, exc, tb))
        log.critical("Nieobsłużony wyjątek%s:\n%s", f" ({where})" if where else "",
                     details.rstrip(), extra={"razem_reported": True})
        reporter = _reporter
        if reporter is not None:
            reporter(summary_line(), details)
        elif sys.stderr is not None:
            print(f"razem: błąd: {summary_line()}", file=sys.stderr)
    except Exception:  # the hook of last resort must not fail itself
        pass


def _sys_hook(exc_type: type[BaseException], exc: BaseException,
              tb: TracebackType | None) -> None:
    if issubclass(exc_type, KeyboardInterrupt):
        sys.__excepthook__(exc_type, exc, tb)
        return
    report_exception(exc_type, exc, tb, f"wątek {threading.current_thread().name}")


def _thread_hook(args: threading.ExceptHookArgs) -> None:
    if args.exc_type is SystemExit:
        return
    name = args.thread.name if args.thread is not None else "?"
    report_exception(args.exc_type, args.exc_value or args.exc_type(), args.exc_traceback,
                     f"wątek {name}")


def install_excepthooks() -> None:
    """Route uncaught exceptions of the main thread and of other threads into the log."""
    sys.excepthook = _sys_hook
    threading.excepthook = _thread_hook


def shutdown_logging() -> None:
    """Close the files (tests; the process exit does it otherwise)."""
    global _handler, _stderr_handler, _crash_file
    root = logging.getLogger()
    for h in (_handler, _stderr_handler):
        if h is not None:
            root.removeHandler(h)
            h.close()
    _handler = _stderr_handler = None
    if _crash_file is not None:
        faulthandler.disable()
        _crash_file.close()
        _crash_file = None
    _state.clear()


def timed_info(logger: logging.Logger, message: str, started: float, *args: object) -> None:
    """One INFO line for a long task: ``message`` with ``args``, then the time it took."""
    import time

    logger.info(message + " w %.2f s", *args, time.monotonic() - started)
