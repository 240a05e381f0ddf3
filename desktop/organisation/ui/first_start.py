"""The first start on a database the app has just created: the fictional sample, or a new
(empty) database of the user's own command."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from desktop.common.ui.buttons import ok_cancel_buttons
from desktop.common.ui.plain import plain_label
from desktop.organisation.station import StationChoice, StationError, check_names


class FirstStartDialog(QDialog):
    """Asks once; ``choice`` holds the answer after ``accept``."""

    def __init__(self, sample_allowed: bool = True, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Pierwsze uruchomienie – nowa baza"))
        self.choice: StationChoice | None = None
        intro = plain_label(self.tr("Baza danych jest nowa i pusta. Co ma zawierać?"), self)
        self.sample_button = QRadioButton(self.tr("Dane przykładowe (fikcyjne)"), self)
        sample_note = plain_label(self.tr("Fikcyjne rejony, funkcjonariusze i zgłoszenia KMP Konin "
                                     "do nauki i pokazu; oznaczone na ekranie i na każdym "
                                     "wydruku."), self)
        self.real_button = QRadioButton(self.tr("Nowa baza jednostki"), self)
        real_note = plain_label(self.tr("Pusta baza (tylko słowniki KMZB) na prawdziwe dane "
                                   "jednostki; podaj nazwę komendy."), self)
        for note in (sample_note, real_note):
            note.setWordWrap(True)
            note.setIndent(24)
        self.unit_name = QLineEdit(self)
        self.unit_name.setPlaceholderText(self.tr("np. Komenda Miejska Policji w Koninie"))
        self.short_name = QLineEdit(self)
        self.short_name.setPlaceholderText(self.tr("np. KMP Konin"))
        form = QFormLayout()
        form.addRow(self.tr("Pełna nazwa jednostki:"), self.unit_name)
        form.addRow(self.tr("Nazwa skrócona:"), self.short_name)
        self.error = plain_label("", self)
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setStyleSheet("color: #b00020")
        self.error.setWordWrap(True)
        self.real_button.toggled.connect(self._update)
        if sample_allowed:
            self.sample_button.setChecked(True)
        else:  # a server database is a real station's: the sample never goes there
            self.sample_button.setEnabled(False)
            sample_note.setText(self.tr("Niedostępne dla bazy na serwerze."))
            self.real_button.setChecked(True)
        layout = QVBoxLayout(self)
        for w in (intro, self.sample_button, sample_note, self.real_button, real_note):
            layout.addWidget(w)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(ok_cancel_buttons(self, self.tr("Dalej"), on_ok=self.save))
        self._update()

    def _update(self, *_args) -> None:
        real = self.real_button.isChecked()
        self.unit_name.setEnabled(real)
        self.short_name.setEnabled(real)

    def save(self) -> None:
        if self.sample_button.isChecked():
            self.choice = StationChoice(sample=True)
            self.accept()
            return
        try:
            name, short = check_names(self.unit_name.text(), self.short_name.text())
        except StationError as exc:
            self.error.setText(str(exc))
            return
        self.choice = StationChoice(False, name, short)
        self.accept()


def ask_first_start(parent: QWidget | None, sample_allowed: bool) -> StationChoice | None:
    dialog = FirstStartDialog(sample_allowed, parent)
    return dialog.choice if dialog.exec() else None
