"""Agreement list PDF for 300 partners, beside a bare QTextDocument table of the same rows.

Run: python benchmarks/agreement_pdf_benchmark.py [--partners 300] [--repeat 5]
Goal: the agreement PDF under 0.5 s on the team's machine (median of the runs).
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
from html import escape
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_util import wall_times
from PySide6.QtGui import QGuiApplication, QPdfWriter, QTextDocument

from db.models import (
    Agreement,
    Partner,
    PartnerType,
    Signature,
    SignatureStatus,
    Unit,
    UnitKind,
)
from desktop.common.document import render_pdf
from desktop.partners.agreements import list_signatures
from desktop.partners.report import build_report
from desktop.startup import open_database

GOAL_S = 0.5


def fill(db, n: int) -> int:
    types = list(PartnerType)
    with db.session() as s, s.begin():
        unit = Unit(name="Komenda Miejska Policji w Koninie", kind=UnitKind.COMMAND,
                    address="ul. Kardynała Wyszyńskiego 6, 62-510 Konin")
        a = Agreement(title="Porozumienie o współpracy „Razem dla bezpieczeństwa”",
                      number="1/2017", place="Konin", signed_on=dt.date(2017, 12, 13),
                      valid_from=dt.date(2018, 1, 1), valid_to=dt.date(2018, 12, 31), unit=unit)
        s.add(a)
        for i in range(n):
            p = Partner(name=f"Stowarzyszenie Przyjaciół Ziemi Ślesińskiej nr {i + 1}",
                        partner_type=types[i % len(types)],
                        representative=f"Żaneta Łukaszewska-{i + 1}",
                        representative_function="Prezes Zarządu")
            s.add(p)
            s.add(Signature(agreement=a, partner=p, signatory=p.representative,
                            signatory_function=p.representative_function,
                            signed_on=dt.date(2017, 12, 13), status=SignatureStatus.SIGNED))
        s.flush()
        return a.id


def bare_table(db, agreement_id: int, path: Path) -> None:
    rows = list_signatures(db, agreement_id)
    body = "".join(
        f"<tr><td>{i}</td><td>{escape(r.partner_name)}</td><td>{escape(r.data.signatory)}</td>"
        f"<td>{r.data.signed_on:%d.%m.%Y}</td><td></td></tr>" for i, r in enumerate(rows, 1))
    doc = QTextDocument()
    doc.setHtml(f"<table border='1'><thead><tr><th>Lp.</th><th>Partner</th>"
                f"<th>Przedstawiciel</th><th>Data</th><th>Podpis</th></tr></thead>{body}</table>")
    writer = QPdfWriter(str(path))
    writer.setResolution(300)
    doc.print_(writer)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--partners", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    app = QGuiApplication(sys.argv[:1])  # noqa: F841 - fonts and PDF writer need it
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        opened = open_database(f"sqlite:///{(tmp / 'bench.db').as_posix()}")
        db = opened.db
        agreement_id = fill(db, args.partners)
        pages = [0]

        def agreement_pdf():
            pages[0] = render_pdf(build_report(db, agreement_id).document, tmp / "agreement.pdf")

        agreement_pdf()  # warm-up: font registration, first layout
        bare_table(db, agreement_id, tmp / "bare.pdf")
        ours = wall_times(agreement_pdf, args.repeat)
        bare = wall_times(lambda: bare_table(db, agreement_id, tmp / "bare.pdf"), args.repeat)
        db.dispose()
    m_ours, m_bare = statistics.median(ours), statistics.median(bare)
    print(f"Agreement list PDF, {args.partners} partners, {pages[0]} pages, median of "
          f"{args.repeat}:")
    print(f"  Razem agreement PDF (query + HTML + paged layout): {m_ours:.3f} s "
          f"(min {min(ours):.3f}, max {max(ours):.3f})")
    print(f"  bare QTextDocument table, same rows:              {m_bare:.3f} s "
          f"(min {min(bare):.3f}, max {max(bare):.3f})")
    print(f"  ratio {m_ours / m_bare:.2f}x; goal < {GOAL_S:.1f} s: "
          f"{'met' if m_ours < GOAL_S else 'NOT met'}")
    return 0 if m_ours < GOAL_S else 1


if __name__ == "__main__":
    raise SystemExit(main())
