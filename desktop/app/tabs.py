"""The window's tabs, in order. Each capability puts its own widget here when it lands.

A tab widget may offer ``menu_actions() -> list[QAction]``: they appear in the Plik menu.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtWidgets import QWidget

from desktop.app.context import AppContext, Change


@dataclass(frozen=True)
class TabSpec:
    key: str
    title: str  # translated in the window with context "tabs"
    factory: Callable[[AppContext], QWidget]
    # The module the factory imports: the window imports it off the UI thread before it
    # builds the tab after start-up (issue 14). Empty: nothing to import ahead.
    module: str = ""
    # Built after the other tabs when the window opens elsewhere: its build starts long
    # background work (the map: its page and Chromium) the other tabs would wait for.
    build_late: bool = False


def _map(ctx: AppContext) -> QWidget:
    from desktop.map.ui.tab import MapTab

    return MapTab(ctx)


def _beats(ctx: AppContext) -> QWidget:
    from desktop.beats.ui.tab import BeatsTab

    return BeatsTab(ctx)


def _partners(ctx: AppContext) -> QWidget:
    from desktop.partners.ui.tab import PartnersTab

    tab = PartnersTab(ctx.db)
    tab.changed.connect(lambda: ctx.notify(Change.PARTNERS))
    ctx.subscribe(Change.PARTNERS, tab.on_data_changed, tab)
    return tab


def _diagnosis(ctx: AppContext) -> QWidget:
    from desktop.threats.ui.diagnosis_tab import DiagnosisTab

    return DiagnosisTab(ctx)


def _activities(ctx: AppContext) -> QWidget:
    from desktop.activities.ui.tab import ActivitiesTab

    return ActivitiesTab(ctx)


def _reports(ctx: AppContext) -> QWidget:
    from desktop.activities.ui.reports_tab import ReportsTab

    return ReportsTab(ctx)


def _organisation(ctx: AppContext) -> QWidget:
    from desktop.organisation.ui.tab import OrganisationTab

    return OrganisationTab(ctx)


def tab_specs() -> list[TabSpec]:
    return [
        TabSpec("map", str(QT_TRANSLATE_NOOP("tabs", "Mapa")), _map,
            "desktop.map.ui.tab", build_late=True),
        TabSpec("beats", str(QT_TRANSLATE_NOOP("tabs", "Rejony i przydziały")), _beats,
            "desktop.beats.ui.tab"),
        TabSpec("partners", str(QT_TRANSLATE_NOOP("tabs", "Partnerzy")), _partners,
            "desktop.partners.ui.tab"),
        TabSpec("diagnosis", str(QT_TRANSLATE_NOOP("tabs", "Diagnoza zagrożeń")), _diagnosis,
            "desktop.threats.ui.diagnosis_tab"),
        TabSpec("reports", str(QT_TRANSLATE_NOOP("tabs", "Zgłoszenia")), _reports,
            "desktop.activities.ui.reports_tab"),
        TabSpec("activities", str(QT_TRANSLATE_NOOP("tabs", "Działania")), _activities,
            "desktop.activities.ui.tab"),
        TabSpec("organisation", str(QT_TRANSLATE_NOOP("tabs", "Organizacja")), _organisation,
            "desktop.organisation.ui.tab"),
    ]
