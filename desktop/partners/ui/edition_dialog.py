"""Nowa edycja programu: a new year's agreement with the earlier edition's partners invited."""
from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from db.engine import Database
from desktop.common.dbwrite import DatabaseBusy
from desktop.common.ui import plain
from desktop.common.ui.i18n import translator
from desktop.partners.agreements import AgreementError
from desktop.partners.editions import (
    FIRST_EDITION,
    LAST_EDITION,
    EditionResult,
    edition_choices,
    next_edition_year,
    start_edition,
)

_tr = translator("partners")


class EditionDialog(QDialog):
    """``result`` is set when the edition was started; errors show in ``error``."""

    def __init__(self, db: Database, from_agreement_id: int | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.db = db
        self.result_edition: EditionResult | None = None
        self.setWindowTitle(_tr("Nowa edycja programu"))
        self.choices = edition_choices(db)
        self.year = QSpinBox(self)
        self.year.setRange(FIRST_EDITION, LAST_EDITION)
        self.year.setValue(next_edition_year(db))
        self.source = QComboBox(self)
        for choice in self.choices:
            self.source.addItem(choice.caption, choice.agreement_id)
        if from_agreement_id is not None:
            self.source.setCurrentIndex(max(0, self.source.findData(from_agreement_id)))
        self.withdrawn = QCheckBox(_tr("zaproś także partnerów, którzy się wycofali"), self)
        self.counts = plain.plain_label(parent=self)
        self.counts.setWordWrap(True)
        self.error = plain.plain_label(parent=self)
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")
        form = QFormLayout()
        form.addRow(_tr("Rok nowej edycji:"), self.year)
        form.addRow(_tr("Partnerzy z porozumienia:"), self.source)
        form.addRow("", self.withdrawn)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel, self)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(_tr("Rozpocznij edycję"))
        ok.setEnabled(bool(self.choices))
        self.buttons.accepted.connect(self.start)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.counts)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.source.currentIndexChanged.connect(self._show_counts)
        self.withdrawn.toggled.connect(self._show_counts)
        self._show_counts()

    def _show_counts(self) -> None:
        index = self.source.currentIndex()
        if index < 0:
            self.counts.setText(_tr("W bazie nie ma porozumienia, od którego można zacząć."))
            return
        c = self.choices[index]
        invited = c.signed + c.invited + (c.withdrawn if self.withdrawn.isChecked() else 0)
        self.counts.setText(_tr(
            "Nowe porozumienie dostanie tytuł, miejsce, przedmiot, koordynatorów i jednostkę "
            "wybranego; jako zaproszeni trafi na nie {0} partnerów (podpisani: {1}, "
            "zaproszeni: {2}, wycofani: {3}); partnerzy usunięci z rejestru są pomijani.")
            .format(invited, c.signed, c.invited, c.withdrawn))

    def start(self) -> None:
        source = self.source.currentData()
        if source is None:
            return
        try:
            self.result_edition = start_edition(self.db, self.year.value(), source,
                                                self.withdrawn.isChecked())
        except (AgreementError, DatabaseBusy) as exc:
            self.error.setText(str(exc))
            return
        self.accept()
