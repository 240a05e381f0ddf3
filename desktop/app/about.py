"""Pomoc › O programie: version, where the data and the log live, data attributions and the
licence notices of everything shipped (Qt/PySide6, Chromium, web assets, fonts, Python
packages), each with its licence text."""
from __future__ import annotations

import html
import json
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QListWidget,
    QPlainTextEdit,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

import resources
from db.engine import data_dir, describe
from desktop import __version__
from desktop.common.logs import log_dir
from desktop.common.ui import plain
from desktop.common.ui.i18n import translator

# Python distributions bundled with the app (the frozen build carries their metadata).
PYTHON_PACKAGES = ("SQLAlchemy", "alembic", "Mako", "folium", "branca", "Jinja2", "MarkupSafe",
                   "shapely", "pyproj", "numpy", "openpyxl", "pyshp", "platformdirs",
                   "psycopg", "psycopg-binary", "requests", "xyzservices", "python-calamine",
                   "pypdf")


_tr = translator("about")


@dataclass(frozen=True)
class Notice:
    """One shipped component: what it is, its licence and the licence text."""

    component: str
    version: str
    licence: str
    text: str


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def _qt_notices() -> list[Notice]:
    import PySide6

    lic = resources.ROOT / "licenses"
    qt_text = "\n\n".join(_read(lic / n) for n in ("Qt-PySide6-NOTICE.txt", "LGPL-3.0.txt",
                                                   "GPL-3.0.txt"))
    chromium: str
    try:
        from PySide6.QtWebEngineCore import qWebEngineChromiumVersion

        chromium = str(qWebEngineChromiumVersion())
    except ImportError:  # pragma: no cover - QtWebEngine is a dependency
        chromium = "?"
    return [
        Notice("Qt / Qt for Python (PySide6)", PySide6.__version__, "LGPL-3.0-only", qt_text),
        Notice("Chromium (w Qt WebEngine)", chromium, "BSD-3-Clause + licencje składników",
               _read(lic / "Chromium-BSD-3-Clause.txt")),
    ]


def _web_notices() -> list[Notice]:
    manifest = json.loads((resources.ROOT / "web" / "manifest.json").read_text(encoding="utf-8"))
    out = []
    for name, pkg in sorted(manifest["packages"].items()):
        licence_files = [f for f in pkg["files"] if "licen" in f.lower()]
        text = "\n\n".join(_read(resources.ROOT / "web" / name / f) for f in licence_files)
        out.append(Notice(f"{name} (mapa)", pkg["version"], pkg["licence"], text))
    return out


def _python_notices() -> list[Notice]:
    out = []
    for name in PYTHON_PACKAGES:
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        meta = dist.metadata
        licence = meta["License-Expression"] or ""
        if not licence:
            licence = next((c.split("::")[-1].strip() for c in meta.get_all("Classifier") or []
                            if c.startswith("License ::")), "") or (meta["License"] or "")
        texts = [_read(Path(str(f.locate()))) for f in dist.files or []
                 if ".dist-info" in str(f) and ("licen" in f.name.lower()
                                                or "copying" in f.name.lower())]
        out.append(Notice(f"{meta['Name']} (Python)", dist.version, licence.splitlines()[0]
                          if licence else "?", "\n\n".join(t for t in texts if t)
                          or _tr("Tekst licencji: {0}").format(licence)))
    return out


def notices() -> list[Notice]:
    """Every shipped component with a licence notice, Qt and Chromium first."""
    return (_qt_notices() + _web_notices() + [
        Notice("DejaVu Sans", "", "Bitstream Vera / DejaVu (public domain changes)",
               _read(resources.ROOT / "fonts" / "LICENSE-DejaVu.txt")),
        Notice("polska-geojson (granice)", "2019", "MIT",
               _read(resources.ROOT / "data" / "README.md")),
    ] + _python_notices())


def about_html(database_url: str) -> str:
    e = html.escape
    return (
        f"<h3>{e(_tr('Razem dla bezpieczeństwa'))}</h3>"
        f"<p>{e(_tr('Wersja'))} {e(__version__)}<br>"
        f"{e(_tr('Komenda Miejska Policji w Koninie'))}</p>"
        f"<p><b>{e(_tr('Baza danych:'))}</b> {e(describe(database_url))}<br>"
        f"<b>{e(_tr('Folder danych:'))}</b> {e(str(data_dir()))}<br>"
        f"<b>{e(_tr('Folder dziennika (logi):'))}</b> {e(str(log_dir()))}</p>"
        f"<p><b>{e(_tr('Źródła danych'))}</b><br>"
        f"{e(_tr('Granice miasta Konina i powiatu konińskiego: Państwowy Rejestr Granic (GUGiK, dane publiczne), uproszczone w zbiorze polska-geojson, © 2019 Piotr Patrzyk, licencja MIT.'))}<br>"
        f"{e(_tr('Kategorie i statusy KMZB: lista Policji z lipca 2020 r.; wytyczne nr 3 z 14.09.2016 r. ze zmianami z 20.12.2019 r.'))}<br>"
        f"{e(_tr('Czcionka DejaVu Sans: licencja Bitstream Vera / DejaVu (domena publiczna zmian).'))}</p>"
        f"<p>{e(_tr('Program korzysta z Qt i PySide6 (licencja LGPL-3.0), Chromium (w Qt WebEngine) oraz bibliotek wymienionych na karcie „Licencje”.'))}</p>"
    )


class AboutDialog(QDialog):
    """Two tabs: the facts above, and the licences (a list and the selected text)."""

    def __init__(self, database_url: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(_tr("O programie"))
        self.resize(760, 560)
        self.tabs = QTabWidget(self)
        self.info = plain.rich_label(self)  # about_html escapes every value it shows
        self.info.setText(about_html(database_url))
        self.info.setWordWrap(True)
        self.info.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.tabs.addTab(self.info, _tr("O programie"))

        self.notices = notices()
        self.components = QListWidget(self)
        for n in self.notices:
            self.components.addItem(f"{n.component} {n.version} – {n.licence}")
        self.licence_text = QPlainTextEdit(self)
        self.licence_text.setReadOnly(True)
        self.components.currentRowChanged.connect(self._show_notice)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(self.components)
        split.addWidget(self.licence_text)
        split.setSizes([300, 460])
        self.tabs.addTab(split, _tr("Licencje"))
        self.components.setCurrentRow(0)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(buttons)

    def _show_notice(self, row: int) -> None:
        if 0 <= row < len(self.notices):
            self.licence_text.setPlainText(self.notices[row].text)


def show_about(parent: QWidget, database_url: str) -> None:
    AboutDialog(database_url, parent).exec()
