"""Pomoc › O programie: version, where the data lives, data attributions."""
from __future__ import annotations

import html

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from db.engine import data_dir, describe
from desktop import __version__


def about_html(database_url: str) -> str:
    tr = lambda t: QCoreApplication.translate("about", t)
    e = html.escape
    return (
        f"<h3>{e(tr('Razem dla bezpieczeństwa'))}</h3>"
        f"<p>{e(tr('Wersja'))} {e(__version__)}<br>"
        f"{e(tr('Komenda Miejska Policji w Koninie'))}</p>"
        f"<p><b>{e(tr('Baza danych:'))}</b> {e(describe(database_url))}<br>"
        f"<b>{e(tr('Folder danych:'))}</b> {e(str(data_dir()))}</p>"
        f"<p><b>{e(tr('Źródła danych'))}</b><br>"
        f"{e(tr('Granice miasta Konina i powiatu konińskiego: Państwowy Rejestr Granic (GUGiK, dane publiczne), uproszczone w zbiorze polska-geojson, © 2019 Piotr Patrzyk, licencja MIT.'))}<br>"
        f"{e(tr('Kategorie i statusy KMZB: lista Policji z lipca 2020 r.; wytyczne nr 3 z 14.09.2016 r. ze zmianami z 20.12.2019 r.'))}<br>"
        f"{e(tr('Czcionka DejaVu Sans: licencja Bitstream Vera / DejaVu (domena publiczna zmian).'))}</p>"
    )


def show_about(parent: QWidget, database_url: str) -> None:
    box = QMessageBox(parent)
    box.setWindowTitle(QCoreApplication.translate("about", "O programie"))
    box.setTextFormat(box.textFormat().RichText)
    box.setText(about_html(database_url))
    box.setIcon(QMessageBox.Icon.Information)
    box.exec()
