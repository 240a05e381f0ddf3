"""Readers of PRG address points (GUGiK's "punkty adresowe", per gmina or powiat).

Two GML structures are in circulation (see docs/addresses.md):

- **model 2012** (``urn:gugik:specyfikacje:gmlas:panstwowyRejestrGranicAdresy:1.0``):
  ``PRG_PunktAdresowy`` with the names inline (``miejscowosc``, ``ulica``,
  ``numerPorzadkowy``…) and ``komponent`` links to ``PRG_JednostkaAdministracyjnaNazwa``
  (the gmina's ``idTERYT``); ``gml:pos`` is northing easting (``urn:ogc:def:crs:EPSG::2180``);
- **model 2021 / EMUiA** (``https://geoportal.gov.pl/schemas/prgad/1.0``): ``AD_PunktAdresowy``
  links (``#gml:id``, possibly forward) to ``AD_Miejscowosc`` (``nazwa``, ``TERYTGminy``) and
  ``AD_UlicaPlac`` (``nazwaPelna``, ``rodzaj``); ``gml:pos`` is easting northing (``EPSG:2180``).

GML is streamed (``iterparse``, every feature freed once read); a DTD or entity declaration
is refused before parsing. CSV (";" or ",", UTF-8 or Windows-1250) uses the columns of the
usual conversion of the GML: ``lokalny_id``, ``teryt_gmina``, ``miejscowosc``, ``ulica``,
``numer_porzadkowy``, ``kod_pocztowy``, ``status``, ``x_epsg_2180`` (easting),
``y_epsg_2180`` (northing). Messages are Polish. Qt-free.
"""
from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from desktop.common import geo, limits
from desktop.common.text import fold

NS_2012 = "urn:gugik:specyfikacje:gmlas:panstwowyRejestrGranicAdresy:1.0"
NS_2021 = "https://geoportal.gov.pl/schemas/prgad/1.0"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
GML_ID = "{http://www.opengis.net/gml/3.2}id"

MAX_REFUSED_KEPT = 1000  # reasons kept for the summary; the count is always exact
_CHECK_EVERY = 500  # features between two looks at the cancel flag
_EPSG = re.compile(r"EPSG(?::{1,2}|/\d+/)(\d+)", re.IGNORECASE)
_TERYT = re.compile(r"^\d{7}$")
_POSTAL = re.compile(r"^\d{2}-\d{3}$")
_NUMBER = re.compile(r"^\d+[A-Za-z]?(\s*/\s*\w+)?$|^\d+\s*[A-Za-z]$")

# AD_UlicaPlac.rodzaj -> the type word put before the name (1 ulica, 2 aleja, 3 plac…).
_STREET_KIND = {"1": "ul.", "2": "al.", "3": "pl.", "4": "skwer", "5": "bulwar", "6": "rondo",
                "7": "park", "8": "rynek", "9": "szosa", "10": "droga", "11": "os.",
                "12": "ogród", "13": "wyspa", "14": "wybrzeże"}


class PrgError(ValueError):
    """The file cannot be imported at all; the message is Polish."""


class PrgCancelled(Exception):
    """The user cancelled reading or saving."""


@dataclass(frozen=True)
class PrgPoint:
    prg_id: str
    namespace: str
    teryt: str
    locality: str
    street: str
    number: str
    postal_code: str
    status: str
    easting: float
    northing: float


@dataclass(frozen=True)
class Refused:
    where: str  # "punkt 12 (id …)" or "wiersz 5"
    reason: str
    prg_id: str = ""


@dataclass
class PrgFile:
    kind: str  # "GML (model 2012)", "GML (model 2021)", "CSV"
    points: list[PrgPoint] = field(default_factory=list)
    refused: list[Refused] = field(default_factory=list)
    refused_count: int = 0
    seen_ids: set[str] = field(default_factory=set)

    def refuse(self, where: str, reason: str, prg_id: str = "") -> None:
        self.refused_count += 1
        if len(self.refused) < MAX_REFUSED_KEPT:
            self.refused.append(Refused(where, reason, prg_id))


Progress = Callable[[int], None]  # percent of the file read
Cancelled = Callable[[], bool]


def read_prg(path: str | Path, progress: Progress | None = None,
             cancelled: Cancelled | None = None) -> PrgFile:
    """Read a GML or CSV file of PRG address points; rows that cannot be used are listed in
    ``refused`` with their reasons. Raises PrgError for a file that cannot be used at all
    and PrgCancelled when ``cancelled()`` turns true."""
    path = Path(path)
    try:
        size = path.stat().st_size
        limits.check_file_size(size, limits.MAX_ADDRESS_FILE_BYTES, path.name)
        with open(path, "rb") as fh:
            head = fh.read(64 * 1024)
    except limits.LimitError as exc:
        raise PrgError(str(exc)) from None
    except OSError as exc:
        raise PrgError(f"Nie można otworzyć pliku {path.name}: {exc.strerror or exc}") from None
    if not head.strip():
        raise PrgError(f"Plik {path.name} jest pusty.")
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        result = _read_gml(path, size, progress, cancelled)
    else:
        result = _read_csv(path, progress, cancelled)
    _check_crs(result)
    return result


def _check_crs(result: PrgFile) -> None:
    """Coordinates that are not PUWG 1992 as a whole (degrees, PL-2000, swapped…) refuse the
    file: a wrong system would put every address in the wrong beat."""
    if not result.points:
        return
    xs = np.array([p.easting for p in result.points])
    ys = np.array([p.northing for p in result.points])
    found = geo.detect_crs(xs, ys)
    if found is None or found.epsg != geo.PUWG1992 or found.swapped:
        what = geo.SUPPORTED_EPSG.get(found.epsg, "") if found else ""
        raise PrgError("Współrzędne punktów nie są w układzie EPSG:2180 (PUWG 1992)"
                       + (f" – wyglądają na {what}" if what else "")
                       + ". Punkty adresowe PRG importuje się w EPSG:2180; nic nie zapisano.")
    lon, lat = geo.project(xs, ys, geo.PUWG1992, geo.WGS84)
    inside = geo.in_poland(lon, lat)
    if not inside.all():
        kept = []
        for p, ok in zip(result.points, inside):
            if ok:
                kept.append(p)
            else:
                result.refuse(f"punkt {p.locality} {p.street} {p.number}".strip(),
                              "współrzędne poza Polską", p.prg_id)
        result.points = kept


# -- GML -------------------------------------------------------------------------------------

_LOCAL_NAMES: dict[str, str] = {}  # "{namespace}name" -> "name" (a file uses a few dozen)


def _local(tag: str) -> str:
    name = _LOCAL_NAMES.get(tag)
    if name is None:
        name = _LOCAL_NAMES[tag] = tag.rsplit("}", 1)[-1]
    return name


_FEATURES = frozenset(f"{{{ns}}}{name}" for ns, names in (
    (NS_2012, ("PRG_PunktAdresowy", "PRG_JednostkaAdministracyjnaNazwa",
               "PRG_MiejscowoscNazwa", "PRG_UlicaNazwa")),
    (NS_2021, ("AD_PunktAdresowy", "AD_Miejscowosc", "AD_UlicaPlac"))) for name in names)


def _text(elem: ET.Element | None) -> str:
    return " ".join((elem.text or "").split()) if elem is not None else ""


def _children(elem: ET.Element) -> dict[str, ET.Element]:
    """Descendants by local name (the first of each name)."""
    out: dict[str, ET.Element] = {}
    for e in elem.iter():
        out.setdefault(_local(e.tag), e)
    return out


def _ref(href: str) -> str:
    """The gml:id an xlink points to: "#id" or a URL ending with ".../id"."""
    href = href.strip()
    return href[1:] if href.startswith("#") else href.rstrip("/").rsplit("/", 1)[-1]


@dataclass
class _RawPoint:
    no: int
    prg_id: str
    namespace: str
    number: str
    postal: str
    status: str
    pos: str
    srs: str
    locality: str = ""
    street: str = ""
    teryt: str = ""
    links: tuple[str, ...] = ()  # 2012: komponent; 2021: (miejscowosc, ulica)


class _GmlState:
    def __init__(self) -> None:
        self.points: list[_RawPoint] = []
        self.units: dict[str, tuple[str, str]] = {}  # 2012 gml:id -> (poziom, idTERYT)
        self.localities: dict[str, tuple[str, str]] = {}  # 2021 gml:id -> (nazwa, TERYT)
        self.streets: dict[str, str] = {}  # 2021 gml:id -> full name
        self.model = ""


def _read_gml(path: Path, size: int, progress: Progress | None,
              cancelled: Cancelled | None) -> PrgFile:
    with open(path, "rb") as fh:
        if limits.xml_declares_dtd(fh.read(64 * 1024)):
            raise PrgError(f"Plik {path.name} zawiera deklaracje DTD lub encji – plik celowo "
                           "spreparowany albo to nie jest plik PRG; nie odczytano go.")
        fh.seek(0)
        state = _GmlState()
        features = 0
        stack: list[ET.Element] = []
        try:
            for event, elem in ET.iterparse(fh, events=("start", "end")):
                if event == "start":
                    stack.append(elem)
                    continue
                stack.pop()
                if elem.tag not in _FEATURES:
                    continue
                _feature(state, _local(elem.tag), elem)
                features += 1
                if stack:  # free the feature: the file may hold a whole powiat
                    stack[-1].remove(elem)
                if len(state.points) > limits.MAX_ADDRESS_POINTS:
                    raise PrgError(f"Plik {path.name} ma więcej niż "
                                   f"{limits.MAX_ADDRESS_POINTS} punktów adresowych – "
                                   "podziel go na gminy; nic nie zapisano.")
                if features % _CHECK_EVERY == 0:
                    if cancelled is not None and cancelled():
                        raise PrgCancelled
                    if progress is not None and size:
                        progress(min(99, fh.tell() * 100 // size))
        except ET.ParseError as exc:
            line, column = getattr(exc, "position", (0, 0))
            raise PrgError(f"Plik {path.name} nie jest poprawnym plikiem GML (błąd składni XML "
                           f"w wierszu {line}, kolumnie {column}; plik uszkodzony lub "
                           "urwany). Nic nie zapisano.") from None
    if not state.points:
        raise PrgError(f"Plik {path.name} nie zawiera punktów adresowych PRG (elementów "
                       "PRG_PunktAdresowy ani AD_PunktAdresowy).")
    return _resolve(state)


def _feature(state: _GmlState, name: str, elem: ET.Element) -> None:
    """Take one feature's fields (names inline on model-2012 points: the name features of
    that model are only freed)."""
    if name in ("PRG_PunktAdresowy", "AD_PunktAdresowy"):
        kids = _children(elem)
        pos = kids.get("pos")
        point = pos.get("srsName", "") if pos is not None else ""
        srs = kids["Point"].get("srsName", "") if "Point" in kids else point
        raw = _RawPoint(len(state.points) + 1, _text(kids.get("lokalnyId")),
                        _text(kids.get("przestrzenNazw")), _text(kids.get("numerPorzadkowy")),
                        _text(kids.get("kodPocztowy")), _text(kids.get("status")),
                        _text(pos), srs)
        if name == "PRG_PunktAdresowy":
            state.model = state.model or "2012"
            raw.locality = _text(kids.get("miejscowosc"))
            raw.street = _text(kids.get("ulica"))
            raw.links = tuple(_ref(e.get(XLINK_HREF, "")) for e in elem
                              if _local(e.tag) == "komponent")
        else:
            state.model = state.model or "2021"
            place = next((e.get(XLINK_HREF, "") for e in elem
                          if _local(e.tag) == "miejscowosc"), "")
            street = next((e.get(XLINK_HREF, "") for e in elem
                           if _local(e.tag).startswith("ulica")), "")
            raw.links = (_ref(place) if place else "", _ref(street) if street else "")
        state.points.append(raw)
    elif name == "PRG_JednostkaAdministracyjnaNazwa":
        kids = _children(elem)
        state.units[elem.get(GML_ID, "")] = (_text(kids.get("poziom")),
                                             _text(kids.get("idTERYT")))
    elif name == "AD_Miejscowosc":
        kids = _children(elem)
        state.localities[elem.get(GML_ID, "")] = (_text(kids.get("nazwa")),
                                                  _text(kids.get("TERYTGminy")))
    elif name == "AD_UlicaPlac":
        kids = _children(elem)
        full = _text(kids.get("nazwaPelna"))
        state.streets[elem.get(GML_ID, "")] = _street_name(full, _text(kids.get("rodzaj")))


def _street_name(full: str, kind: str) -> str:
    """ "Kolejowa" of kind 1 -> "ul. Kolejowa"; "Plac Wolności" keeps its own word."""
    word = _STREET_KIND.get(kind, "")
    if not full or not word:
        return full
    first = fold(full.split()[0]).rstrip(".")
    if first and (fold(word).rstrip(".").startswith(first) or first.startswith(
            fold(word).rstrip("."))):
        return full
    return f"{word} {full}"


def _swapped(srs: str, model: str) -> bool:
    """Whether ``gml:pos`` gives northing first: the EPSG axis order of the URN / URI forms
    (model 2012), easting first for a bare "EPSG:2180" (model 2021)."""
    if srs:
        return srs.lower().startswith(("urn:", "http"))
    return model == "2012"


def _resolve(state: _GmlState) -> PrgFile:
    kind = "GML (model 2012)" if state.model == "2012" else "GML (model 2021)"
    out = PrgFile(kind)
    for raw in state.points:
        where = f"punkt {raw.no}" + (f" (id {raw.prg_id[:40]})" if raw.prg_id else "")
        if state.model == "2012":
            teryt = next((t for poziom, t in (state.units.get(x, ("", "")) for x in raw.links)
                          if poziom.startswith("4") or len(t) == 7), "")
            locality, street = raw.locality, raw.street
        else:
            locality, teryt = state.localities.get(raw.links[0], ("", "")) if raw.links[0] \
                else ("", "")
            street = state.streets.get(raw.links[1], "") if raw.links[1] else ""
            if raw.links[1] and raw.links[1] not in state.streets:
                out.refuse(where, "odnośnik do ulicy, której nie ma w pliku", raw.prg_id)
                continue
        srs_code = _EPSG.search(raw.srs)
        if raw.srs and (srs_code is None or int(srs_code.group(1)) != geo.PUWG1992):
            raise PrgError(f"Układ współrzędnych „{raw.srs[:60]}” – punkty adresowe PRG "
                           "importuje się w EPSG:2180 (PUWG 1992); nic nie zapisano.")
        parts = raw.pos.split()
        try:
            a, b = float(parts[0]), float(parts[1])
        except (IndexError, ValueError):
            out.refuse(where, f"niepoprawne współrzędne „{raw.pos[:40]}”", raw.prg_id)
            continue
        easting, northing = (b, a) if _swapped(raw.srs, state.model) else (a, b)
        _add(out, where, raw.prg_id, raw.namespace, teryt, locality, street, raw.number,
             raw.postal, raw.status, easting, northing)
    return out


# -- checks shared by both formats -----------------------------------------------------------

def _add(out: PrgFile, where: str, prg_id: str, namespace: str, teryt: str, locality: str,
         street: str, number: str, postal: str, status: str, easting: float,
         northing: float) -> None:
    seen = out.seen_ids
    reason = None
    if not prg_id:
        reason = "brak identyfikatora punktu (lokalnyId)"
    elif len(prg_id) > 80 or len(namespace) > 80:
        reason = "za długi identyfikator punktu"
    elif prg_id in seen:
        reason = "ten sam identyfikator punktu występuje w pliku drugi raz"
    elif not _TERYT.match(teryt):
        reason = (f"niepoprawny kod TERYT gminy „{teryt[:20]}” (7 cyfr)" if teryt
                  else "brak kodu TERYT gminy")
    elif not locality:
        reason = "brak miejscowości"
    elif not number:
        reason = "brak numeru porządkowego"
    elif not _NUMBER.match(number) or len(number) > 20:
        reason = f"„{number[:20]}” nie jest numerem porządkowym (np. 12, 12a)"
    elif len(locality) > 120 or len(street) > 200:
        reason = "za długa nazwa miejscowości lub ulicy"
    elif postal and not _POSTAL.match(postal):
        reason = f"niepoprawny kod pocztowy „{postal[:10]}” (np. 62-500)"
    elif not (np.isfinite(easting) and np.isfinite(northing)):
        reason = "niepoprawne współrzędne"
    if reason:
        out.refuse(where, reason, prg_id)
        return
    seen.add(prg_id)
    out.points.append(PrgPoint(prg_id, namespace, teryt, locality, street, number, postal,
                               status[:40], easting, northing))


# -- CSV -------------------------------------------------------------------------------------

_CSV_COLUMNS = {
    "lokalny_id": "prg_id", "lokalnyid": "prg_id", "id_iip": "prg_id", "idiip": "prg_id",
    "przestrzen_nazw": "namespace", "przestrzennazw": "namespace",
    "teryt_gmina": "teryt", "terytgminy": "teryt", "teryt_gminy": "teryt",
    "miejscowosc": "locality", "ulica": "street",
    "numer_porzadkowy": "number", "numerporzadkowy": "number", "numer": "number",
    "kod_pocztowy": "postal", "kodpocztowy": "postal", "status": "status",
    "x_epsg_2180": "easting", "y_epsg_2180": "northing",
}
_REQUIRED = (("prg_id", "lokalny_id"), ("teryt", "teryt_gmina"), ("locality", "miejscowosc"),
             ("number", "numer_porzadkowy"), ("easting", "x_epsg_2180"),
             ("northing", "y_epsg_2180"))


def _decode(data: bytes, name: str) -> str:
    for enc in ("utf-8-sig", "cp1250"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise PrgError(f"Nie można odczytać pliku {name}: nieznane kodowanie znaków (oczekiwano "
                   "UTF-8 albo Windows-1250).")


def _number(text: str) -> float:
    return float(text.strip().replace(" ", "").replace(",", "."))


def _read_csv(path: Path, progress: Progress | None, cancelled: Cancelled | None) -> PrgFile:
    from desktop.common import csvsafe

    try:
        limits.check_file_size(path.stat().st_size, limits.MAX_REPORT_FILE_BYTES, path.name)
    except limits.LimitError as exc:
        raise PrgError(str(exc)) from None
    text = _decode(path.read_bytes(), path.name)
    first = text.splitlines()[0] if text.strip() else ""
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    try:
        reader = csv.reader(io.StringIO(text), delimiter=delimiter)
        header = next(reader)
    except (StopIteration, csv.Error):
        raise PrgError(f"Plik {path.name} nie ma nagłówka kolumn.") from None
    names = [fold(h).strip().replace(" ", "_").replace("-", "_") for h in header]
    cols: dict[str, int] = {}
    for i, h in enumerate(names):
        if h in _CSV_COLUMNS:
            cols.setdefault(_CSV_COLUMNS[h], i)
    missing = [label for key, label in _REQUIRED if key not in cols]
    if missing:
        raise PrgError(f"Plik {path.name} nie jest wykazem punktów adresowych PRG: brak kolumn "
                       + ", ".join(missing) + ". Wymagane: lokalny_id;teryt_gmina;miejscowosc;"
                       "ulica;numer_porzadkowy;kod_pocztowy;status;x_epsg_2180;y_epsg_2180 "
                       "(x = współrzędna wschodnia, y = północna, EPSG:2180).")
    out = PrgFile("CSV")
    total = max(1, text.count("\n"))
    try:
        for line_no, row in enumerate(reader, start=2):
            if not any(c.strip() for c in row):
                continue
            if line_no % _CHECK_EVERY == 0:
                if cancelled is not None and cancelled():
                    raise PrgCancelled
                if progress is not None:
                    progress(min(99, line_no * 100 // total))
            if len(out.points) + out.refused_count >= limits.MAX_ADDRESS_POINTS:
                raise PrgError(f"Plik {path.name} ma więcej niż {limits.MAX_ADDRESS_POINTS} "
                               "punktów adresowych – podziel go na gminy; nic nie zapisano.")

            def cell(key: str, row: list[str] = row) -> str:
                i = cols.get(key)
                value = row[i] if i is not None and i < len(row) else ""
                return csvsafe.unescape_cell(" ".join(value.split()))

            where = f"wiersz {line_no}"
            try:
                easting, northing = _number(cell("easting")), _number(cell("northing"))
            except ValueError:
                out.refuse(where, f"niepoprawne współrzędne „{cell('easting')[:20]}”, "
                                  f"„{cell('northing')[:20]}”", cell("prg_id"))
                continue
            _add(out, where, cell("prg_id"), cell("namespace"), cell("teryt"),
                 cell("locality"), cell("street"), cell("number"), cell("postal"),
                 cell("status"), easting, northing)
    except csv.Error as exc:
        raise PrgError(f"Plik {path.name}: błąd CSV ({exc}); nic nie zapisano.") from None
    if not out.points and not out.refused_count:
        raise PrgError(f"Plik {path.name} nie zawiera punktów adresowych.")
    return out
