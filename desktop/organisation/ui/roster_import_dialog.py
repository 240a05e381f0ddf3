"""Importing the officer roster in the window: choose a file, see every row (new, changed,
unchanged, refused with its reason), save all or nothing. Reading and saving run as jobs."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from db.engine import Database
from desktop.common.ui.buttons import ok_cancel_buttons
from desktop.common.ui.file_dialogs import open_file_name
from desktop.common.ui.jobs import Job, JobControl, JobFailure, run_job
from desktop.common.ui.plain import plain_label
from desktop.common.ui.tables import Column, RowsTableModel, make_table
from desktop.organisation.roster_import import (
    RosterPlan,
    RosterRefused,
    RosterResult,
    plan_roster,
    read_roster,
    save_roster,
)
from desktop.threats.readers import ImportFileError


def read_plan(ctl: JobControl, db: Database, path: str) -> RosterPlan:
    ctl.progress(10, "")
    table = read_roster(path)
    ctl.check()
    return plan_roster(db, table, ctl.check)


def save_plan(ctl: JobControl, db: Database, plan: RosterPlan) -> RosterResult:
    return save_roster(db, plan, ctl.check)  # cancel rolls the one transaction back


class RosterImportDialog(QDialog):
    """``saved`` holds the counts after a successful save (the dialog then accepts)."""

    def __init__(self, db: Database, parent: QWidget | None = None):
        super().__init__(parent)
        self._db = db
        self.plan: RosterPlan | None = None
        self.saved: RosterResult | None = None
        self.worker: Job | None = None
        self._closing = False  # "Anuluj" pressed while a job ran
        self.setWindowTitle(self.tr("Wczytaj wykaz funkcjonariuszy"))
        self.resize(820, 520)
        hint = plain_label(self.tr("Plik CSV lub XLSX z nagłówkiem: stopien;imie;nazwisko;"
                              "numer_sluzbowy;rola;jednostka;telefon;telefon_komorkowy;email. "
                              "Funkcjonariusze są rozpoznawani po numerze służbowym: nowi są "
                              "dodawani, znani – uzupełniani. Zapisuje się cały plik albo nic."),
                      self)
        hint.setWordWrap(True)
        self.file_label = plain_label(self.tr("Nie wybrano pliku."), self)
        self.file_label.setTextFormat(Qt.TextFormat.PlainText)
        choose = QPushButton(self.tr("Wybierz plik…"), self)
        choose.clicked.connect(self.choose_file)
        cols = [Column(self.tr("Wiersz"), lambda r: r.line, True),
                Column(self.tr("Nr służbowy"), lambda r: r.service_number),
                Column(self.tr("Funkcjonariusz"), lambda r: r.name),
                Column(self.tr("Wynik"), lambda r: r.action),
                Column(self.tr("Uwagi"), lambda r: r.reason)]
        self.model = RowsTableModel(cols, parent=self)
        self.view, _proxy = make_table(self, self.model, None, sort_column=None)
        self.summary = plain_label("", self)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setWordWrap(True)
        self.buttons = ok_cancel_buttons(self, self.tr("Zapisz"), on_ok=self.save)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.save_button.setEnabled(False)
        top = QHBoxLayout()
        top.addWidget(self.file_label, 1)
        top.addWidget(choose)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.summary)
        layout.addWidget(self.buttons)

    def choose_file(self) -> None:
        path, _ = open_file_name(self, self.tr("Wykaz funkcjonariuszy"), "",
                                 self.tr("Wykaz (*.csv *.xlsx);;Wszystkie (*)"))
        if path:
            self.load(path)

    def load(self, path: str) -> None:
        """Read and check the file in a job; the preview fills when it is done."""
        self.file_label.setText(path)
        self.plan = None
        self.model.set_rows([])
        self.save_button.setEnabled(False)
        self.summary.setText(self.tr("Czytanie pliku…"))
        self.worker = run_job(read_plan, self._db, path, name="wczytywanie wykazu",
                              expected=(ImportFileError, OSError),
                              on_success=self._planned, on_failure=self._failed,
                              on_finished=self._done, parent=self)

    def _done(self) -> None:
        self.worker = None
        if self._closing and self.result() != QDialog.DialogCode.Accepted:
            super().reject()  # "Anuluj" during the job: closed once it has stopped

    def _failed(self, failure: JobFailure) -> None:
        self.summary.setText(failure.message)

    def _planned(self, plan: RosterPlan) -> None:
        self.plan = plan
        self.model.set_rows(plan.rows)
        text = self.tr("Nowych: {0}, do zmiany: {1}, bez zmian: {2}, odrzuconych: {3}.").format(
            plan.count("nowy"), plan.count("zmiana"), plan.count("bez zmian"),
            len(plan.refused))
        if plan.refused:
            text += " " + self.tr("Popraw odrzucone wiersze w pliku i wczytaj go ponownie – "
                                  "nic nie zostanie zapisane.")
        self.summary.setText(text)
        self.save_button.setEnabled(not plan.refused and bool(plan.count("nowy")
                                                               + plan.count("zmiana")))

    def save(self) -> None:
        if self.plan is None or self.worker is not None:
            return
        self.save_button.setEnabled(False)
        self.worker = run_job(save_plan, self._db, self.plan, name="zapis wykazu",
                              expected=(RosterRefused,), on_success=self._saved,
                              on_failure=self._failed, on_finished=self._done, parent=self)

    def _saved(self, result: RosterResult) -> None:
        self.saved = result
        self.accept()

    def reject(self) -> None:
        """"Anuluj" (or Esc) while a job runs cancels it and the dialog closes once it has
        stopped: a cancelled save rolls its one transaction back, nothing is saved. A save
        that had already committed when "Anuluj" was pressed stays saved, and the dialog
        accepts with its counts (before, it closed as cancelled and then accepted behind the
        user's back: found by a test that lost the race on a slower machine)."""
        if self.worker is not None:
            self._closing = True
            self.worker.cancel()
            return
        super().reject()

    def wait_for_jobs(self) -> None:
        if self.worker is not None:
            self.worker.wait(10)
