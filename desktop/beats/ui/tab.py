"""The "Rejony i przydziały" tab: beat table with search, detail panel, roster, printing."""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QInputDialog,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.app.context import AppContext, Change
from desktop.beats.ui.beats_page import BeatsPage
from desktop.beats.ui.roster import OfficerRoster
from desktop.beats.ui.streets_page import StreetsPage
from desktop.common.ui.jobs import Job, JobFailure
from desktop.common.ui.progress import run_with_progress

if TYPE_CHECKING:
    from desktop.common.document import PagedDocument



class BeatsTab(QWidget):
    """The whole tab: pages "Rejony" and "Funkcjonariusze" (and more as they land)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self._ctx = ctx
        self.pages = QTabWidget(self)
        self.beats = BeatsPage(ctx, self)
        self.roster = OfficerRoster(ctx.db, self)
        self.pages.addTab(self.beats, self.tr("Rejony"))
        self.streets = StreetsPage(ctx.db, self)
        self.pages.addTab(self.roster, self.tr("Funkcjonariusze"))
        self.pages.addTab(self.streets, self.tr("Ulice i „Znajdź dzielnicowego”"))
        self.streets.beatChosen.connect(ctx.beatSelected.emit)
        self.roster.changed.connect(self._officers_changed)
        ctx.subscribe(Change.REPORTS | Change.BEATS | Change.PLANS | Change.OFFICERS,
                      self._data_changed, self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.pages)
        self.preview_beat_action = QAction(self.tr("Karta rejonu – podgląd wydruku…"), self)
        self.save_beat_action = QAction(self.tr("Karta rejonu – zapisz jako PDF…"), self)
        self.preview_unit_action = QAction(
            self.tr("Karty wszystkich rejonów jednostki – podgląd wydruku…"), self)
        self.save_unit_action = QAction(
            self.tr("Karty wszystkich rejonów jednostki – zapisz jako PDF…"), self)
        self.preview_beat_action.triggered.connect(lambda: self.preview(unit=False))
        self.save_beat_action.triggered.connect(lambda: self.save_pdf(unit=False))
        self.preview_unit_action.triggered.connect(lambda: self.print_unit(save=False))
        self.save_unit_action.triggered.connect(lambda: self.print_unit(save=True))
        self.unit_id: int | None = None  # chosen for "Karty wszystkich rejonów"
        self.beats.print_button.clicked.connect(lambda: self.preview(unit=False))
        self.import_boundaries_action = QAction(self.tr("Importuj granice rejonów…"), self)
        self.import_boundaries_action.triggered.connect(self.import_boundaries)
        self.print_job: Job | None = None
        self._jobs: list[Job] = []
        self._actions = [self.preview_beat_action, self.save_beat_action,
                         self.preview_unit_action, self.save_unit_action,
                         self.import_boundaries_action]
        # "Twój dzielnicowy": leaflets and web pages of a beat or a unit (desktop/publish)
        self.publish_action = QAction(self.tr("Twój dzielnicowy…"), self)
        self.publish_action.triggered.connect(lambda: self.make_publish_dialog().exec())
        self._actions.append(self.publish_action)

    def _officers_changed(self) -> None:
        self.beats.reload()
        self._ctx.notify(Change.OFFICERS)

    def _data_changed(self, change: Change) -> None:
        """Another tab (or this one) changed data: refresh what shows it."""
        if change & (Change.REPORTS | Change.BEATS | Change.PLANS | Change.OFFICERS):
            self.beats.reload()
        if change & Change.BEATS:
            self.roster.reload()
            self.streets.reload()

    def menu_actions(self) -> list[QAction]:
        return self._actions

    def make_boundary_dialog(self):
        from desktop.beats.ui.boundary_dialog import BoundaryImportDialog

        dialog = BoundaryImportDialog(self._ctx.db, self)
        dialog.saved.connect(self._boundaries_saved)
        return dialog

    def import_boundaries(self) -> None:
        from desktop.organisation.ui.sample_guard import confirm_import_into_sample

        if not confirm_import_into_sample(self._ctx.db, self):
            return
        self.make_boundary_dialog().exec()

    def _boundaries_saved(self, count: int) -> None:
        self.beats.reload()
        self.beats.message.setText(self.tr("Zapisano granice rejonów: {0}.").format(count))
        self._ctx.notify(Change.BEATS)

    def unit_dialog(self) -> QInputDialog:
        """"Karty wszystkich rejonów": which unit? (the selected beat's unit first)."""
        units: dict[int, str] = {}
        for row in self.beats.model._rows:
            units.setdefault(row.unit_id, row.unit)
        dialog = QInputDialog(self)
        dialog.setWindowTitle(self.tr("Karty wszystkich rejonów"))
        dialog.setLabelText(self.tr("Karty rejonów której jednostki wydrukować?"))
        dialog.setComboBoxItems(list(units.values()))
        dialog.setComboBoxEditable(False)
        dialog.setOkButtonText(self.tr("Dalej"))
        dialog.setCancelButtonText(self.tr("Anuluj"))
        dialog.setProperty("unit_ids", list(units))
        d = self.beats.detail
        if d is not None and d.unit_id in units:
            dialog.setTextValue(units[d.unit_id])
        return dialog

    def chosen_unit(self, dialog: QInputDialog) -> int | None:
        names = dialog.comboBoxItems()
        text = dialog.textValue()
        return dialog.property("unit_ids")[names.index(text)] if text in names else None

    def print_unit(self, save: bool) -> None:
        dialog = self.unit_dialog()
        if dialog.exec() != QInputDialog.DialogCode.Accepted:
            return
        self.unit_id = self.chosen_unit(dialog)
        if self.unit_id is not None:
            self.start_print(True, save=save)

    def print_targets(self, unit: bool) -> tuple[list[int], str]:
        """Beat ids to print and a suggested file name ([] when no beat is selected)."""
        if unit and self.unit_id is not None:
            from desktop.beats.queries import beat_ids_of_unit

            return beat_ids_of_unit(self._ctx.db, self.unit_id), "karty-rejonow.pdf"
        d = self.beats.detail
        if d is None:
            return [], ""
        if not unit:
            return [d.id], f"karta-rejonu-{d.number}.pdf"
        from desktop.beats.queries import beat_ids_of_unit

        return beat_ids_of_unit(self._ctx.db, d.unit_id), "karty-rejonow.pdf"

    def make_preview(self, unit: bool):
        from desktop.beats.ui.printing import preview_dialog

        ids, _ = self.print_targets(unit)
        return preview_dialog(self, self._ctx.db, ids, self.beats.on_date()) if ids else None

    def start_print(self, unit: bool, on_ready: Callable[[PagedDocument], None] | None = None,
                    save: bool = False, path: str | None = None) -> Job | None:
        """Prepare the summaries in a worker (progress dialog with cancel), then show the
        preview (or call ``on_ready`` with the document). With ``save`` the file name is asked
        first (unless ``path`` is given) and the worker also writes the PDF."""
        from desktop.beats.ui.printing import prepare_summaries, write_summaries
        from desktop.printing.pdfprocess import PdfFailed
        from desktop.printing.preview import make_preview_dialog

        ids, name = self.print_targets(unit)
        if not ids:
            self.beats.message.setText(self.tr("Najpierw wybierz rejon w tabeli."))
            return None
        if save and on_ready is None and path is None:
            path = self._ask_pdf_path(name)
            if path is None:
                return None

        def finished() -> None:
            self.print_job = None

        def ready(doc: PagedDocument) -> None:
            finished()  # the progress dialog is closed before the preview opens
            if on_ready is not None:
                on_ready(doc)
            else:
                make_preview_dialog(self, doc).exec()

        def saved(pages: int) -> None:
            finished()
            self.beats.message.setText(self.tr("Zapisano {0} ({1} str.).").format(path, pages))

        def failed(failure: JobFailure) -> None:
            finished()
            self.beats.message.setText(
                self.tr("Nie udało się przygotować wydruku: {0}").format(failure.message))

        writes = path is not None and on_ready is None
        job = run_with_progress(
            *((write_summaries, self._ctx.db, ids, self.beats.on_date(), path)
              if writes else (prepare_summaries, self._ctx.db, ids, self.beats.on_date())),
            parent=self, name="przygotowanie kart rejonów",
            label=self.tr("Przygotowanie kart rejonów…"), title=self.tr("Wydruk"),
            expected=(PdfFailed,), on_success=saved if writes else ready, on_failure=failed,
            on_finished=finished,
            on_cancelled=lambda: self.beats.message.setText(
                self.tr("Przerwano przygotowanie wydruku.")))
        self.print_job = job
        self._jobs.append(job)
        return job

    def wait_for_jobs(self) -> None:
        for job in [*self._jobs, *filter(None, [self.streets.import_job, self.streets.check_job])]:
            job.cancel()
            job.wait()

    def preview(self, unit: bool) -> None:
        self.start_print(unit)

    def print_current(self) -> None:
        """Ctrl+P: the selected beat's card (print preview)."""
        self.preview(unit=False)

    def focus_search(self) -> None:
        """Ctrl+F: the search field of the page shown (beats, officers, streets)."""
        page = self.pages.currentWidget()
        field = getattr(page, "search", None) or self.beats.search
        field.setFocus()
        field.selectAll()

    def _ask_pdf_path(self, suggested: str) -> str | None:
        from desktop.common.ui.file_dialogs import save_file_name

        path, _ = save_file_name(self, self.tr("Zapisz jako PDF"), suggested,
                                 self.tr("Dokument PDF (*.pdf)"))
        if not path:
            return None
        return path if path.lower().endswith(".pdf") else path + ".pdf"

    def save_pdf(self, unit: bool) -> None:
        self.start_print(unit, save=True)

    def make_publish_dialog(self):
        """"Twój dzielnicowy…" for the selected beat (or a unit chosen in the dialog)."""
        from desktop.publish.ui.dialog import PublishDialog

        d = self.beats.detail
        beat = (d.id, f"nr {d.number} – {d.name} ({d.unit_short or d.unit_name})", d.unit_id) \
            if d is not None else None
        return PublishDialog(self._ctx.db, beat, self.beats.on_date(), self)
