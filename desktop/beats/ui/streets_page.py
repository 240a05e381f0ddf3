"""Page "Ulice i adresy": "Znajdź dzielnicowego" by address or point (a PRG address point
answers by its beat, else the street register), the street register with CSV import, the
overlap / gap checks, and the PRG address-point import and consistency report."""
from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from db.engine import Database
from desktop.addresses.service import find_officer
from desktop.beats.queries import beat_rows
from desktop.beats.register import (
    ImportSummary,
    LookupResult,
    RegisterCancelled,
    RegisterError,
    check_address_file,
    delete_line,
    export_csv,
    find_by_officer,
    find_officer_at,
    import_csv,
    register_lines,
)
from desktop.beats.street_fields import STREET_FIELDS
from desktop.beats.streets import AddressCheck, describe_line, find_overlaps
from desktop.common.text import plural
from desktop.common.ui import background, plain
from desktop.common.ui.contact import contact_card_html
from desktop.common.ui.fields import table_columns
from desktop.common.ui.file_dialogs import open_file_name, save_file_name
from desktop.common.ui.jobs import Job, JobCancelled, JobControl, JobFailure
from desktop.common.ui.progress import run_with_progress
from desktop.common.ui.tables import RowsTableModel, make_table, selected_object

MAX_LISTED = 300  # addresses listed per kind; the counts above the lists are complete


def _import_register(ctl: JobControl, db: Database, path: str) -> ImportSummary:
    try:
        return import_csv(db, path, lambda pct: ctl.progress(pct), lambda: ctl.cancelled)
    except RegisterCancelled:
        raise JobCancelled from None


def _check_addresses(ctl: JobControl, db: Database, path: str,
                     locality: str) -> list[AddressCheck]:
    try:
        return check_address_file(db, path, locality, lambda pct: ctl.progress(pct),
                                  lambda: ctl.cancelled)
    except RegisterCancelled:
        raise JobCancelled from None


def _read_register(db: Database) -> tuple[dict[int, str], list]:
    """Beat labels and every register line (read off the UI thread at start-up)."""
    names = {r.id: f"{r.unit} {r.number}" for r in beat_rows(db)}
    return names, register_lines(db)


class StreetsPage(QWidget):
    """Lookup on the left, register and checks on the right. ``beatChosen`` carries the beat
    of a found address so the tab can select it."""

    beatChosen = Signal(int)
    registerChanged = Signal()

    def __init__(self, db: Database, parent: QWidget | None = None):
        super().__init__(parent)
        self._db = db
        self.import_job: Job | None = None
        self.check_job: Job | None = None
        self.locality = QLineEdit("Konin", self)
        self.street = QLineEdit(self)
        self.street.setPlaceholderText(self.tr("np. al. 1 Maja"))
        self.number = QLineEdit(self)
        self.number.setPlaceholderText(self.tr("np. 9a"))
        self.find_button = QPushButton(self.tr("Znajdź dzielnicowego"), self)
        self.find_button.setDefault(True)
        for w in (self.locality, self.street, self.number):
            w.returnPressed.connect(self.find_address)
        self.find_button.clicked.connect(self.find_address)
        self.lon = QDoubleSpinBox(self)
        self.lat = QDoubleSpinBox(self)
        for box, lo, hi, val in ((self.lon, -180, 180, 18.25), (self.lat, -90, 90, 52.22)):
            box.setDecimals(6)
            box.setRange(lo, hi)
            box.setValue(val)
        self.officer_name = QLineEdit(self)
        self.officer_name.setPlaceholderText(self.tr("np. kowalski"))
        self.officer_name.returnPressed.connect(self.find_officer_name)
        self.name_button = QPushButton(self.tr("Szukaj po nazwisku"), self)
        self.name_button.clicked.connect(self.find_officer_name)
        self.point_button = QPushButton(self.tr("Znajdź dla punktu"), self)
        self.point_button.clicked.connect(self.find_point)
        self.result = QTextBrowser(self)
        self.result.setOpenLinks(False)

        form = QFormLayout()
        form.addRow(self.tr("Miejscowość:"), self.locality)
        form.addRow(self.tr("Ulica:"), self.street)
        form.addRow(self.tr("Numer domu:"), self.number)
        form.addRow("", self.find_button)
        point = QHBoxLayout()
        point.addWidget(plain.plain_label(self.tr("dł.:"), self))
        point.addWidget(self.lon)
        point.addWidget(plain.plain_label(self.tr("szer.:"), self))
        point.addWidget(self.lat)
        point.addWidget(self.point_button)
        form.addRow(self.tr("Punkt (WGS84):"), point)
        by_name = QHBoxLayout()
        by_name.addWidget(self.officer_name, 1)
        by_name.addWidget(self.name_button)
        form.addRow(self.tr("Funkcjonariusz:"), by_name)
        lookup = QGroupBox(self.tr("Znajdź dzielnicowego"), self)
        lay = QVBoxLayout(lookup)
        lay.addLayout(form)
        lay.addWidget(self.result)

        # Rows are (beat, locality, street and numbers, RangeLine); headers from the list.
        cols = table_columns(STREET_FIELDS, value={"beat": lambda r: r[0],
                                                   "locality": lambda r: r[1],
                                                   "street": lambda r: r[2]})
        self.model = RowsTableModel(cols, parent=self)
        self.view, self.proxy = make_table(
            self, self.model, lambda r: r[:3])
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.tr("Szukaj w rejestrze ulic…"))
        self.search.textChanged.connect(self.proxy.set_query)
        self.import_button = QPushButton(self.tr("Importuj CSV…"), self)
        self.add_button = QPushButton(self.tr("Dodaj wiersz…"), self)
        self.add_button.clicked.connect(self.add_line)
        self.delete_button = QPushButton(self.tr("Usuń wiersz"), self)
        self.delete_button.clicked.connect(self.delete_selected)
        self.export_button = QPushButton(self.tr("Eksportuj CSV…"), self)
        self.export_button.clicked.connect(self.choose_export)
        self.overlap_button = QPushButton(self.tr("Sprawdź nakładanie się"), self)
        self.gaps_button = QPushButton(self.tr("Sprawdź listę adresów…"), self)
        self.prg_button = QPushButton(self.tr("Importuj punkty adresowe (PRG)…"), self)
        self.prg_button.clicked.connect(self.choose_prg)
        self.consistency_button = QPushButton(self.tr("Sprawdź zgodność"), self)
        self.consistency_button.clicked.connect(self.check_consistency)
        self.import_button.clicked.connect(self.choose_csv)
        self.overlap_button.clicked.connect(self.check_overlaps)
        self.gaps_button.clicked.connect(self.choose_addresses)
        self.report = QTextBrowser(self)
        register = QGroupBox(self.tr("Rejestr ulic"), self)
        lay = QVBoxLayout(register)
        lay.addWidget(self.search)
        lay.addWidget(self.view, 3)
        buttons = QGridLayout()  # three columns: the page fits 1280 px (1920 at 150 %)
        for i, b in enumerate((self.add_button, self.delete_button, self.import_button,
                               self.export_button, self.overlap_button, self.gaps_button,
                               self.prg_button, self.consistency_button)):
            buttons.addWidget(b, i // 3, i % 3)
        lay.addLayout(buttons)
        lay.addWidget(self.report, 1)

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(lookup)
        splitter.addWidget(register)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        db = self._db
        background.load(self, lambda: _read_register(db), self._fill, name="ulice")

    def reload(self) -> None:
        self._fill(_read_register(self._db))

    def _fill(self, read: tuple[dict[int, str], list]) -> None:
        names, lines = read
        rows = [(names.get(x.beat_id, ""), x.locality,
                 self.tr("cała miejscowość") if x.whole_locality else describe_line(x), x)
                for x in lines]
        self.model.set_rows(rows)

    # -- lookup --------------------------------------------------------------------------
    def show_results(self, results: list[LookupResult], several_is_overlap: bool = True) -> None:
        e = html.escape
        if not results:
            self.result.setHtml("<p><b>" + e(self.tr(
                "Adres nie należy do żadnego rejonu w rejestrze ulic.")) + "</b></p>")
            return
        out = []
        if len(results) > 1 and several_is_overlap:
            out.append("<p style='color:#a00000'><b>" + e(self.tr(
                "Uwaga: adres występuje w kilku rejonach – rejestr ulic nakłada się."))
                + "</b></p>")
        for r in results:
            out.append(f"<h3>{e(self.tr('Rejon {0}').format(r.beat))}</h3>")
            out.append(f"<p>{e(r.unit_name)}<br>{e(r.unit_address)}<br>"
                       f"<span style='color:#555'>{e(self.tr('dopasowano: {0}').format(r.matched))}"
                       "</span></p>")
            out.append(contact_card_html(self.tr("Dzielnicowy"), r.beat_officer,
                                         self.tr("brak")))
            out.append(contact_card_html(self.tr("Policjant ruchu drogowego"), r.traffic,
                                         self.tr("brak")))
        self.result.setHtml("".join(out))
        self.beatChosen.emit(results[0].beat_id)

    def _error(self, text: str) -> None:
        self.result.setHtml(f"<p style='color:#a00000'>{html.escape(text)}</p>")

    def find_address(self) -> None:
        try:
            results = find_officer(self._db, self.locality.text(), self.street.text(),
                                   self.number.text())
        except RegisterError as exc:
            self._error(str(exc))
            return
        self.show_results(results)

    def find_officer_name(self) -> None:
        try:
            results = find_by_officer(self._db, self.officer_name.text())
        except RegisterError as exc:
            self._error(str(exc))
            return
        if not results:
            self._error(self.tr("Żaden rejon nie ma dziś funkcjonariusza o tym nazwisku."))
            return
        self.show_results(results, several_is_overlap=False)

    def find_point(self) -> None:
        try:
            hit = find_officer_at(self._db, self.lon.value(), self.lat.value())
        except RegisterError as exc:
            self._error(str(exc))
            return
        self.show_results([hit] if hit else [])

    # -- register ------------------------------------------------------------------------
    def choose_csv(self) -> None:
        path, _ = open_file_name(self, self.tr("Importuj rejestr ulic"), "",
                                              self.tr("Pliki CSV (*.csv *.txt)"))
        if path:
            self.import_file(path)

    def import_file(self, path: str) -> Job:
        """Import the CSV in the background (progress, "Przerwij"); returns the job."""
        e = html.escape
        self.import_button.setEnabled(False)

        def failed(failure: JobFailure) -> None:
            self.report.setHtml("<p style='color:#a00000'>"
                                + e(failure.message).replace("\n", "<br>") + "</p>")

        def done(summary: ImportSummary) -> None:
            self.report.setHtml("<p>" + e(self.tr(
                "Zaimportowano {0} rejestru dla {1}.").format(
                plural(summary.lines, self.tr("wiersz"), self.tr("wiersze"),
                       self.tr("wierszy")),
                plural(summary.beats, self.tr("rejonu"), self.tr("rejonów"),
                       self.tr("rejonów")))) + "</p>")
            self.reload()
            self.registerChanged.emit()
            self.check_overlaps(append=True)

        job = run_with_progress(
            _import_register, self._db, path, parent=self, name="import rejestru ulic",
            label=self.tr("Import rejestru ulic…"), title=self.tr("Rejestr ulic"),
            expected=(RegisterError,), on_success=done, on_failure=failed,
            on_finished=lambda: self.import_button.setEnabled(True),
            on_cancelled=lambda: self.report.setPlainText(self.tr(
                "Przerwano import rejestru ulic – nic nie zapisano.")))
        self.import_job = job
        return job

    # -- PRG address points ----------------------------------------------------------------
    def choose_prg(self) -> None:
        from desktop.organisation.ui.sample_guard import confirm_import_into_sample

        if not confirm_import_into_sample(self._db, self):
            return
        path, _ = open_file_name(self, self.tr("Importuj punkty adresowe (PRG)"), "",
                                 self.tr("Punkty adresowe PRG (*.gml *.xml *.csv)"))
        if path:
            self.import_prg_file(path)

    def import_prg_file(self, path: str):
        """Start the import in its dialog (shown, not modal) and return the dialog."""
        from desktop.addresses.ui.import_dialog import PrgImportDialog

        dialog = PrgImportDialog(self._db, self)
        dialog.start(path)
        dialog.show()
        return dialog

    def check_consistency(self):
        """The PRG-against-beats report in its dialog (shown, not modal); returns it."""
        from desktop.addresses.ui.check_dialog import ConsistencyDialog

        dialog = ConsistencyDialog(self._db, self)
        dialog.start()
        dialog.show()
        return dialog

    def make_line_dialog(self):
        from desktop.beats.ui.register_dialog import RegisterLineDialog

        selected = selected_object(self.view)
        return RegisterLineDialog(self._db, selected[3].beat_id if selected else None, self)

    def add_line(self) -> None:
        dialog = self.make_line_dialog()
        if dialog.exec():
            self.line_added()

    def line_added(self) -> None:
        self.reload()
        self.registerChanged.emit()
        self.check_overlaps()

    def delete_selected(self) -> None:
        selected = selected_object(self.view)
        if selected is None:
            self.report.setPlainText(self.tr("Zaznacz wiersz rejestru do usunięcia."))
            return
        try:
            delete_line(self._db, selected[3].id)
        except RegisterError as exc:
            self.report.setPlainText(str(exc))
            return
        self.report.setPlainText(self.tr("Usunięto: {0}, {1}.").format(selected[1], selected[2]))
        self.reload()
        self.registerChanged.emit()

    def choose_export(self) -> None:
        path, _ = save_file_name(self, self.tr("Eksportuj rejestr ulic"),
                                              "rejestr-ulic.csv", self.tr("Pliki CSV (*.csv)"))
        if path:
            self.export_file(path)

    def export_file(self, path: str) -> None:
        try:
            n = export_csv(self._db, path)
        except RegisterError as exc:
            self.report.setPlainText(str(exc))
            return
        self.report.setPlainText(self.tr("Zapisano {0} rejestru do {1}.").format(
            plural(n, self.tr("wiersz"), self.tr("wiersze"), self.tr("wierszy")), path))

    def check_overlaps(self, append: bool = False) -> None:
        e = html.escape
        names = {r.id: f"{r.unit} {r.number}" for r in beat_rows(self._db)}
        found = find_overlaps(register_lines(self._db))
        if not found:
            text = "<p>" + e(self.tr("Rejestr ulic nie nakłada się: każdy adres należy "
                                     "najwyżej do jednego rejonu.")) + "</p>"
        else:
            items = "".join(
                f"<li>{e(o.example)}: {e(names.get(o.first.beat_id, ''))} "
                f"({e(describe_line(o.first))}) i {e(names.get(o.second.beat_id, ''))} "
                f"({e(describe_line(o.second))})</li>" for o in found)
            text = ("<p style='color:#a00000'><b>" + e(self.tr(
                "Nakładanie się rejonów: {0}").format(len(found))) + "</b></p><ul>" + items
                + "</ul>")
        self.report.setHtml((self.report.toHtml() if append else "") + text)

    def choose_addresses(self) -> None:
        path, _ = open_file_name(
            self, self.tr("Lista adresów (jeden w wierszu)"), "",
            self.tr("Pliki tekstowe (*.txt *.csv)"))
        if path:
            self.check_address_file(path)

    def check_address_file(self, path: str) -> Job:
        """Check a list of addresses against the register in the background (progress,
        "Przerwij": a cancelled check shows no partial result)."""
        e = html.escape
        self.gaps_button.setEnabled(False)
        self.report.setPlainText(self.tr("Sprawdzanie listy adresów…"))

        def listed(title: str, checks: list[AddressCheck]) -> str:
            shown = checks[:MAX_LISTED]
            more = len(checks) - len(shown)
            tail = (f"<li>{e(self.tr('… i {0} innych').format(more))}</li>" if more else "")
            return (f"<p><b>{e(title)}</b></p><ul>"
                    + "".join(f"<li>{e(c.text)}</li>" for c in shown) + tail + "</ul>")

        def done(checks: list[AddressCheck]) -> None:
            gaps = [c for c in checks if not c.beat_ids]
            doubles = [c for c in checks if len(c.beat_ids) > 1]
            out = ["<p>" + e(self.tr("Sprawdzono adresów: {0}; poza rejonami (luki): {1}; "
                                     "w kilku rejonach: {2}.").format(len(checks), len(gaps),
                                                                      len(doubles))) + "</p>"]
            if gaps:
                out.append(listed(self.tr("Luki:"), gaps))
            if doubles:
                out.append(listed(self.tr("W kilku rejonach:"), doubles))
            self.report.setHtml("".join(out))

        job = run_with_progress(
            _check_addresses, self._db, path, self.locality.text().strip(), parent=self,
            name="sprawdzanie listy adresów", label=self.tr("Sprawdzanie listy adresów…"),
            title=self.tr("Rejestr ulic"), expected=(RegisterError,), on_success=done,
            on_failure=lambda f: self.report.setHtml(
                f"<p style='color:#a00000'>{e(f.message)}</p>"),
            on_cancelled=lambda: self.report.setPlainText(self.tr(
                "Przerwano sprawdzanie listy adresów – nie pokazano żadnego wyniku.")),
            on_finished=lambda: self.gaps_button.setEnabled(True))
        self.check_job = job
        return job
