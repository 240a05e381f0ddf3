"""Which file column feeds which report field; recognises KMZB and common field names."""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from desktop.common.geo import SUPPORTED_EPSG
from desktop.common.text import fold

# Target fields of a report; labels are Polish (shown in the mapping dialog and messages).
FIELDS: dict[str, str] = {
    "source_id": "Identyfikator zgłoszenia",
    "category": "Kategoria (Typ)",
    "status": "Status",
    "reported_at": "Data utworzenia",
    "event_date": "Data zdarzenia",
    "event_time": "Pora dnia",
    "modified_at": "Data modyfikacji",
    "x": "X / długość geograficzna",
    "y": "Y / szerokość geograficzna",
    "teryt": "TERYT",
    "description": "Opis",
}
REQUIRED = ("category", "reported_at", "x", "y")

# Folded header names recognised for each field (KMZB's own names first).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "source_id": ("id", "identyfikator", "id zgloszenia", "id_zgloszenia", "source_id",
                  "objectid", "nr zgloszenia", "numer zgloszenia", "numer"),
    "category": ("typ", "kategoria", "rodzaj", "typ zagrozenia", "kategoria zagrozenia",
                 "category"),
    "status": ("status", "stan", "status zgloszenia"),
    "reported_at": ("data utworzenia", "data zgloszenia", "utworzono", "data", "created",
                    "reported_at"),
    "event_date": ("data zdarzenia", "event_date"),
    "event_time": ("pora dnia", "godzina", "pora", "godzina zdarzenia", "event_time"),
    "modified_at": ("data modyfikacji", "zmodyfikowano", "modified", "modified_at"),
    "x": ("x", "lon", "lng", "long", "longitude", "dlugosc", "dlugosc geograficzna",
          "wspolrzedna x", "easting"),
    "y": ("y", "lat", "latitude", "szerokosc", "szerokosc geograficzna", "wspolrzedna y",
          "northing"),
    "teryt": ("teryt", "kod teryt", "gmina teryt"),
    "description": ("opis", "description", "tresc", "uwagi"),
}

CRS_AUTO = "auto"  # recognised from the values: desktop.common.geo.detect_crs
# The systems the app reads, as offered in the import dialog (one list, in desktop.common.geo).
CRS_CHOICES = {CRS_AUTO: "wykryj", **{str(code): name for code, name in SUPPORTED_EPSG.items()}}


@dataclass
class ColumnMapping:
    """fields: target field -> source column name. ``crs`` is 'auto' or an EPSG code as text.
    ``x`` is the easting / longitude unless ``swap_xy`` (geodetic X = northing, or a file
    whose X column holds the latitude)."""

    fields: dict[str, str] = field(default_factory=dict)
    crs: str = CRS_AUTO
    swap_xy: bool = False
    category_map: dict[str, str] = field(default_factory=dict)  # file value -> category name
    status_map: dict[str, str] = field(default_factory=dict)
    add_unknown_categories: bool = False  # add every category missing from the dictionary
    add_categories: list[str] = field(default_factory=list)  # ... or only these
    default_status: str = "Nowe"

    def missing_required(self) -> list[str]:
        return [f for f in REQUIRED if not self.fields.get(f)]

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=1)

    @classmethod
    def from_json(cls, text: str) -> ColumnMapping:
        data = json.loads(text)
        if not isinstance(data, dict):
            raise ValueError("mapowanie musi być obiektem JSON")
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        mapping = cls(**known)
        unknown = set(mapping.fields) - set(FIELDS)
        if unknown:
            raise ValueError("nieznane pola mapowania: " + ", ".join(sorted(unknown)))
        return mapping

    @classmethod
    def load(cls, path: str | Path) -> ColumnMapping:
        return cls.from_json(Path(path).read_text(encoding="utf-8"))


def guess_mapping(columns: list[str]) -> ColumnMapping:
    """A mapping from header names alone; the user may correct it in the dialog."""
    folded = {fold(c).replace("_", " ").strip(): c for c in columns if c}
    fields: dict[str, str] = {}
    used: set[str] = set()
    for target, names in SYNONYMS.items():
        for name in names:
            col = folded.get(name.replace("_", " "))
            if col is not None and col not in used:
                fields[target] = col
                used.add(col)
                break
    return ColumnMapping(fields=fields)


def parse_cli_mapping(text: str) -> ColumnMapping:
    """``--mapping`` is a JSON file or inline pairs ``field=Column,field=Column``."""
    path = Path(text)
    if path.suffix.lower() == ".json" or path.is_file():
        return ColumnMapping.load(path)
    fields: dict[str, str] = {}
    for part in text.split(","):
        if "=" not in part:
            raise ValueError(f"oczekiwano pole=Kolumna, jest „{part}”")
        key, col = (p.strip() for p in part.split("=", 1))
        if key == "crs":
            continue
        if key not in FIELDS:
            raise ValueError(f"nieznane pole „{key}” (dostępne: {', '.join(FIELDS)})")
        fields[key] = col
    crs = next((p.split("=", 1)[1].strip() for p in text.split(",")
                if p.strip().startswith("crs=")), CRS_AUTO)
    return ColumnMapping(fields=fields, crs=crs)
