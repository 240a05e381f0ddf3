"""Texts shown inside the map page (no folium import: the map tab loads at start-up)."""
from __future__ import annotations

from desktop.common.translatable import N_

# Texts shown inside the page, marked with N_ for the translation tools; the Qt layer passes
# them through QCoreApplication.translate(PAGE_TEXTS_CONTEXT, text).
PAGE_TEXTS_CONTEXT = "map.page"
PAGE_TEXTS: dict[str, str] = {
    "beats": N_("Rejony służbowe"),
    "gminas": N_("Granice gmin"),
    "county": N_("Granica powiatu i miasta"),
    "clusters": N_("Zgłoszenia (skupiska)"),
    "heat": N_("Mapa cieplna zgłoszeń"),
    "tiles": N_("Podkład mapy"),
    "legend": N_("Legenda"),
    "byUnit": N_("Kolor rejonu: jednostka"),
    "byGmina": N_("Kolor rejonu: gmina"),
    "officer": N_("Dzielnicowy"),
    "traffic": N_("Policjant ruchu drogowego"),
    "phone": N_("tel."),
    "mobile": N_("kom."),
    "email": N_("e-mail"),
    "none": N_("brak przydziału"),
    "unit": N_("Jednostka"),
    "gmina": N_("Gmina"),
    "report": N_("Zgłoszenie"),
    "clusterNote": N_("Liczba w kółku: zgłoszenia w skupisku"),
    "singleNote": N_("Czerwona kropka: jedno zgłoszenie (kliknij, aby zobaczyć szczegóły)"),
    "status": N_("Status"),
    "date": N_("Data"),
}
