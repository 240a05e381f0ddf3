"""`razem self-check`: database, PDF fonts and the offline map, run as a real process."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from desktop.app.selfcheck import pdf_font_problems

ROOT = Path(__file__).resolve().parents[2]
LONG_POLISH = Path("Łukasz") / ("Dokumenty źródłowe programu Razem " * 5).strip()


def _self_check(tmp_path: Path, *extra: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, RAZEM_DATA_DIR=str(tmp_path / LONG_POLISH / "dane"),
               PYTHONPATH=str(ROOT))
    env.pop("DISPLAY", None)
    return subprocess.run([sys.executable, "-m", "desktop", "self-check", *extra], env=env,
                          capture_output=True, text=True, encoding="utf-8", timeout=300,
                          cwd=str(ROOT))


def test_self_check_passes_on_a_database_in_a_polish_long_path(tmp_path, sample_db):
    done = _self_check(tmp_path, "--database", sample_db.url)
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("[OK] Baza danych:") and "rejonów: 24" in lines[0]
    assert lines[1].startswith("[OK] Wydruk PDF z polskimi znakami:")
    assert lines[2].startswith("[OK] Mapa bez internetu:") and "zablokowanych żądań sieciowych: 0" in lines[2]
    assert lines[-1] == "Kontrola programu zakończona: wszystko działa."
    log = (tmp_path / LONG_POLISH / "dane" / "Logs" / "razem.log").read_text(encoding="utf-8")
    assert "Kontrola „Mapa bez internetu”: OK" in log


def test_self_check_default_database_is_created_and_migrated(tmp_path):
    done = _self_check(tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert (tmp_path / LONG_POLISH / "dane" / "razem.db").exists()
    from db.migrate import head_revision

    assert f"schemat {head_revision()}, rejonów: 0" in done.stdout


def test_self_check_fails_with_a_polish_message_on_a_broken_database(tmp_path):
    broken = tmp_path / "zepsuta baza.db"
    broken.write_bytes(b"To nie jest baza danych SQLite, tylko tekst." * 100)
    done = _self_check(tmp_path, "--database", str(broken))
    assert done.returncode == 1
    assert "[BŁĄD] Baza danych:" in done.stdout
    assert "nie jest poprawną bazą programu Razem" in done.stdout
    assert "Kontrola programu nie powiodła się (Baza danych, Mapa bez internetu)" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr


def test_pdf_check_finds_fonts_that_are_not_embedded():
    # A hand-made PDF using the standard Helvetica, nothing embedded, no Polish letters.
    bare = (b"%PDF-1.4\n1 0 obj << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> endobj\n"
            b"2 0 obj << /Length 44 >>\nstream\nBT /F1 12 Tf 72 712 Td (Zazolc gesla) Tj ET\n"
            b"endstream endobj\n%%EOF\n")
    problems = pdf_font_problems(bare)
    assert "czcionki nie są osadzone w pliku PDF" in problems
    assert any(p.startswith("polskie litery bez zapisu w PDF: ą") for p in problems)


def test_pdf_check_accepts_the_apps_own_pdf(tmp_path, qapp):
    from desktop.app.selfcheck import POLISH_SAMPLE
    from desktop.common.document import PagedDocument, PageDecor
    from desktop.printing.paged import write_pdf

    path = tmp_path / "polskie.pdf"
    write_pdf(path, PagedDocument("PDF", f"<p>{POLISH_SAMPLE}</p>", decor=PageDecor()))
    assert pdf_font_problems(path.read_bytes()) == []
    # Text without some letters leaves them unmapped: the check is not a formality.
    write_pdf(path, PagedDocument("PDF", "<p>Konin</p>", decor=PageDecor()))
    assert pdf_font_problems(path.read_bytes())[0].startswith("polskie litery bez zapisu")


def test_map_check_fails_when_the_page_asks_the_network(qapp, sample_db):
    from desktop.app.selfcheck import CheckFailed, check_map

    def ask_network(view):
        view.page.runJavaScript("fetch('https://example.org/kafelek.png').catch(() => 0)")

    try:
        check_map(sample_db.url, after_load=ask_network)
    except CheckFailed as exc:
        assert str(exc) == ("mapa próbowała łączyć się z siecią (1 zablokowanych żądań, "
                            "pierwsze: https://example.org/kafelek.png)")
    else:
        raise AssertionError("a request to the network went unnoticed")
    assert "zablokowanych żądań sieciowych: 0" in check_map(sample_db.url)
