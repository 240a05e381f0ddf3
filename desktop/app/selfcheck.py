"""``razem self-check``: does this installation work here and now, offline?

1. the database opens, is migrated to the newest schema (as the app does at start) and passes
   its integrity check (``PRAGMA integrity_check`` on SQLite);
2. a PDF with Polish text is written and its fonts are embedded (``/FontFile2``) with every
   Polish letter mapped (ToUnicode), so printouts do not depend on the workstation's fonts;
3. the map page loads headless in Qt WebEngine and asks for nothing from the network (the
   map's own request interceptor counts blocked requests: there must be none).

Each check prints one Polish line; any failure makes the exit code 1 with a clear message.
"""
from __future__ import annotations

import logging
import os
import re
import tempfile
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger("razem.selfcheck")

POLISH_SAMPLE = "Zażółć gęślą jaźń – ZAŻÓŁĆ GĘŚLĄ JAŹŃ"
POLISH_LETTERS = "ąćęłńóśźżĄĆĘŁŃÓŚŹŻ"


class CheckFailed(Exception):
    """A check's Polish reason."""


@dataclass(frozen=True)
class CheckResult:
    name: str
    ok: bool
    detail: str


def check_database(url: str | None) -> str:
    from sqlalchemy import text

    from db.engine import describe, sqlite_path
    from db.migrate import current_revision, head_revision
    from desktop.startup import open_database

    opened = open_database(url)
    db = opened.db
    try:
        head, current = head_revision(), current_revision(db.engine)
        if current != head:
            raise CheckFailed(f"schemat bazy w wersji {current}, oczekiwano {head}")
        with db.engine.connect() as conn:
            if sqlite_path(db.url) is not None or db.url.startswith("sqlite"):
                rows = [r[0] for r in conn.execute(text("PRAGMA integrity_check"))]
                if rows != ["ok"]:
                    raise CheckFailed("integralność pliku naruszona: " + "; ".join(rows[:3]))
                fk = conn.execute(text("PRAGMA foreign_key_check")).fetchall()
                if fk:
                    raise CheckFailed(f"{len(fk)} wierszy narusza klucze obce")
            else:
                conn.execute(text("SELECT 1"))
            beats = conn.execute(text("SELECT count(*) FROM beats")).scalar_one()
        return f"{describe(db.url)}, schemat {head}, rejonów: {beats}"
    finally:
        db.dispose()


def pdf_font_problems(data: bytes, letters: str = POLISH_LETTERS) -> list[str]:
    """What is wrong with the fonts of a PDF: not embedded, or Polish letters not mapped.
    A small reader of the PDF bytes (FlateDecode streams and ToUnicode maps), no library."""
    problems = []
    if b"/FontFile2" not in data and b"/FontFile3" not in data and b"/FontFile " not in data:
        problems.append("czcionki nie są osadzone w pliku PDF")
    if b"DejaVu" not in data:
        problems.append("brak czcionki DejaVu Sans")
    cmaps = []
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            chunk = zlib.decompress(match.group(1))
        except zlib.error:
            chunk = match.group(1)
        if b"beginbf" in chunk:
            cmaps.append(chunk.decode("latin-1").lower())
    mapped = "\n".join(cmaps)
    missing = [ch for ch in letters if f"<{ord(ch):04x}>" not in mapped]
    if missing:
        problems.append("polskie litery bez zapisu w PDF: " + "".join(missing))
    return problems


def check_pdf() -> str:
    """Written the way the window's jobs write PDFs: by a child process (in a frozen build
    this also proves that the executable starts its PDF child: ``freeze_support``)."""
    from desktop.common.document import PagedDocument, PageDecor
    from desktop.printing.pdfprocess import PdfFailed, write_pdf_in_child

    class Control:  # nothing cancels a self-check
        def check(self) -> None:
            pass

        def progress(self, percent: int, text: str = "") -> None:
            pass

    with tempfile.TemporaryDirectory(prefix="razem-self-check-") as tmp:
        path = Path(tmp) / "test-polskie-znaki.pdf"
        try:
            pages = write_pdf_in_child(Control(), path, PagedDocument(
                POLISH_SAMPLE, f"<h1>{POLISH_SAMPLE}</h1><p>{POLISH_SAMPLE.lower()}</p>",
                decor=PageDecor("Razem – kontrola", "Konin")))
        except PdfFailed as exc:
            raise CheckFailed(str(exc)) from exc
        data = path.read_bytes()
    problems = pdf_font_problems(data)
    if problems:
        raise CheckFailed("; ".join(problems))
    return (f"{pages} str., {len(data)} bajtów, czcionka DejaVu Sans osadzona "
            "(zapis w procesie potomnym)")


def check_map(url: str | None, timeout: float = 90.0,
              after_load: Callable[[Any], None] | None = None) -> str:
    """``after_load(view)`` runs once the page is ready (the tests make the page ask for
    something from the network there, to see the check fail)."""
    import shiboken6
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from desktop.map.settings import load_settings
    from desktop.map.ui.view import MapView
    from desktop.startup import open_database

    opened = open_database(url)
    settings = load_settings()
    # The check is about the offline map: online tiles (if the user enabled them) stay off.
    settings = settings.with_changes(online_tiles=False)
    view = MapView(opened.db)
    try:
        view.resize(900, 700)
        view.show()
        ready: list[dict] = []
        failed: list[str] = []
        view.mapReady.connect(ready.append)
        view.buildFailed.connect(failed.append)
        started = time.monotonic()
        view.build(settings)
        while not (ready or failed) and time.monotonic() - started < timeout:
            loop = QEventLoop()
            QTimer.singleShot(20, loop.quit)
            loop.exec()
        if failed:
            raise CheckFailed(f"strona mapy nie powstała: {failed[0]}")
        if not ready:
            raise CheckFailed(f"strona mapy nie wczytała się w {timeout:.0f} s")
        if after_load is not None:
            after_load(view)
        # Let late requests (tiles, fonts, images) reach the interceptor.
        settle = time.monotonic()
        while time.monotonic() - settle < 1.0:
            QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        blocked = list(view.interceptor.blocked) if view.interceptor is not None else []
        if blocked:
            raise CheckFailed(f"mapa próbowała łączyć się z siecią ({len(blocked)} zablokowanych "
                              f"żądań, pierwsze: {blocked[0]})")
        errors = [e for e in view.console_errors]
        if errors:
            raise CheckFailed(f"błąd JavaScript na stronie mapy: {errors[0]}")
        return (f"wczytana w {time.monotonic() - started:.1f} s, "
                f"zablokowanych żądań sieciowych: 0")
    finally:
        view.shutdown()
        view.close()
        shiboken6.delete(view)
        QApplication.processEvents()
        opened.db.dispose()


def run_checks(url: str | None, out: Callable[[str], None] = print) -> list[CheckResult]:
    """Run every check (each one even after a failure) and print one line per check."""
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY") \
            and os.name != "nt":
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from desktop.app.application import create_application

    create_application()
    checks: list[tuple[str, Callable[[], str]]] = [
        ("Baza danych", lambda: check_database(url)),
        ("Wydruk PDF z polskimi znakami", check_pdf),
        ("Mapa bez internetu", lambda: check_map(url)),
    ]
    results = []
    for name, fn in checks:
        started = time.monotonic()
        try:
            detail, ok = fn(), True
        except CheckFailed as exc:
            detail, ok = str(exc), False
        except Exception as exc:  # a defect or an unusable database: named, and in the log
            # The traceback goes to the log file only; the user reads the line below.
            log.error("Kontrola „%s”: nieoczekiwany błąd", name, exc_info=exc,
                      extra={"razem_reported": True})
            from db.engine import explain_database_error

            if exc.__class__.__module__.startswith("sqlalchemy"):
                detail = explain_database_error(exc)
            else:
                detail = f"{type(exc).__name__}: {exc}"
            ok = False
        log.info("Kontrola „%s”: %s (%s) w %.2f s", name, "OK" if ok else "BŁĄD", detail,
                 time.monotonic() - started)
        out(f"[{'OK' if ok else 'BŁĄD'}] {name}: {detail}")
        results.append(CheckResult(name, ok, detail))
    return results
