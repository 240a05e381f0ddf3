"""Small PRG address-point files in the register's real formats, for the tests.

``konin_points(db)`` places addresses of the sample register inside the database's own beats
(so the files follow the sample's geometry), plus two points outside every beat and one
(ul. Kolejowa 12) whose street-register beat (2, even numbers) differs from the beat its
point lies in. ``write_gml_2021``, ``write_gml_2012`` and ``write_csv`` write them in the
structures GUGiK publishes (see docs/addresses.md); ``tests/fixtures/prg/`` holds copies made
from the test sample (seed 7) by ``python -m tests.addresses.prg_fixture``.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

KONIN = "3062011"
GOLINA = "3010023"


@dataclass(frozen=True)
class Pt:
    key: str  # a name for the test
    locality: str
    teryt: str
    street: str  # the PRG name without the type word ("Kolejowa"), "" for none
    kind: str  # AD_UlicaPlac.rodzaj: 1 ulica, 2 aleja, 3 plac
    number: str
    postal: str
    easting: float
    northing: float
    beat: str  # the expected beat number by geometry ("" = none)

    @property
    def prg_id(self) -> str:
        return str(uuid.uuid5(uuid.NAMESPACE_URL, f"razem-test/{self.key}"))

    @property
    def full_street(self) -> str:
        return {"1": f"ul. {self.street}", "2": self.street, "3": self.street}[self.kind] \
            if self.street else ""


# (key, locality, teryt, street, kind, number, postal, beat number it is put in)
_PLAN = [
    ("maja9", "Konin", KONIN, "Aleje 1 Maja", "2", "9", "62-510", "1"),
    ("maja45", "Konin", KONIN, "Aleje 1 Maja", "2", "45", "62-510", "2"),
    ("kolejowa12", "Konin", KONIN, "Kolejowa", "1", "12", "62-510", "5"),  # register: 2
    ("kolejowa13", "Konin", KONIN, "Kolejowa", "1", "13", "62-510", "3"),
    ("przemyslowa7a", "Konin", KONIN, "Przemysłowa", "1", "7A", "62-500", "5"),
    ("plac1", "Konin", KONIN, "Plac Wolności", "3", "1", "62-500", "8"),
    ("zrodlana4", "Konin", KONIN, "Źródlana", "1", "4", "62-500", "4"),  # not in register
    ("golina", "Golina", GOLINA, "Świętojańska", "1", "3b", "62-590", "G"),  # Gmina Golina
]
# Outside every beat: Słupca and Koło (other powiats), in PUWG 1992.
_OUTSIDE = [
    ("slupca", "Słupca", "3023011", "Żwirki i Wigury", "1", "2", "62-400", 17.8700, 52.2870),
    ("kolo", "Koło", "3011011", "Toruńska", "1", "15", "62-600", 18.6380, 52.2000),
]


def konin_points(db) -> list[Pt]:
    """The plan's addresses placed inside the beats of ``db`` (beats of KMP Konin by number;
    "G" = the beat of Gmina Golina)."""
    import shapely
    from sqlalchemy import select

    from db.models import Beat, Unit
    from desktop.common.geo import PUWG1992, WGS84, from_geojson, project, reproject

    with db.session() as s:
        rows = s.execute(select(Beat.number, Beat.name, Unit.short_name, Beat.boundary)
                         .join(Unit)).all()
    polygons = {}
    for number, name, unit, boundary in rows:
        if unit == "KMP Konin" and name.startswith("Konin"):
            polygons[number] = from_geojson(boundary)
        if name == "Gmina Golina":
            polygons["G"] = from_geojson(boundary)
    out: list[Pt] = []
    used: dict[str, int] = {}
    for key, locality, teryt, street, kind, number, postal, beat in _PLAN:
        poly = reproject(polygons[beat], WGS84, PUWG1992)
        inner = poly.buffer(-30)  # well inside: no point on an edge
        base = inner.representative_point()
        n = used.get(beat, 0)
        used[beat] = n + 1
        point = shapely.Point(base.x + 7 * n, base.y + 5 * n)
        assert inner.contains(point), key
        out.append(Pt(key, locality, teryt, street, kind, number, postal,
                      round(point.x, 2), round(point.y, 2), beat))
    for key, locality, teryt, street, kind, number, postal, lon, lat in _OUTSIDE:
        e, n_ = project([lon], [lat], WGS84, PUWG1992)
        out.append(Pt(key, locality, teryt, street, kind, number, postal,
                      round(float(e[0]), 2), round(float(n_[0]), 2), ""))
    return out


def _iip(prefix: str, local_id: str, version: str) -> str:
    return (f"<{prefix}:lokalnyId>{local_id}</{prefix}:lokalnyId>"
            f"<{prefix}:przestrzenNazw>PL.PZGIK.200</{prefix}:przestrzenNazw>"
            f"<{prefix}:wersjaId>{version}</{prefix}:wersjaId>")


def gml_2021(points: list[Pt]) -> str:
    """Model 2021 (EMUiA): points first, their localities and streets after them (forward
    links), gml:pos easting northing."""
    localities = {key: f"PL.ZIPIN.3010.EMUiA_{i:07d}_2025-10-14T14_04_04"
                  for i, key in enumerate(dict.fromkeys((p.locality, p.teryt) for p in points))}
    streets = {(p.locality, p.street, p.kind): f"PL.ZIPIN.3010.EMUiA_{uuid.uuid5(uuid.NAMESPACE_URL, p.locality + p.street)}_2017"
               for p in points if p.street}
    members = []
    for p in points:
        street_link = (f'<prgad:ulica2 xlink:href="#{streets[(p.locality, p.street, p.kind)]}"/>'
                       if p.street else "")
        members.append(
            f'<gml:featureMember><prgad:AD_PunktAdresowy gml:id="PL.ZIPIN.3010.EMUiA_{p.prg_id}">'
            f"<prgad:idIIP><prgad:AD_IdentyfikatorIIP>"
            f"{_iip('prgad', p.prg_id, '2025-10-14T14:05:46+02:00')}"
            f"</prgad:AD_IdentyfikatorIIP></prgad:idIIP>"
            f"<prgad:poczatekWersjiObiektu>2025-10-14T14:05:46</prgad:poczatekWersjiObiektu>"
            f"<prgad:numerPorzadkowy>{escape(p.number)}</prgad:numerPorzadkowy>"
            f'<prgad:georeferencja><gml:Point srsName="EPSG:2180" srsDimension="2">'
            f"<gml:pos>{p.easting} {p.northing}</gml:pos></gml:Point></prgad:georeferencja>"
            f"<prgad:kodPocztowy>{p.postal}</prgad:kodPocztowy>"
            f"<prgad:dataNadania>2012-04-27</prgad:dataNadania>"
            f'<prgad:miejscowosc xlink:href="#{localities[(p.locality, p.teryt)]}"/>'
            f"{street_link}</prgad:AD_PunktAdresowy></gml:featureMember>")
    for (name, teryt), gid in localities.items():
        members.append(
            f'<gml:featureMember><prgad:AD_Miejscowosc gml:id="{gid}"><prgad:idIIP>'
            f"<prgad:AD_IdentyfikatorIIP>{_iip('prgad', str(uuid.uuid5(uuid.NAMESPACE_URL, gid)), '2025-10-14T14:04:04+02:00')}"
            f"</prgad:AD_IdentyfikatorIIP></prgad:idIIP><prgad:nazwa>{escape(name)}</prgad:nazwa>"
            f"<prgad:rodzaj>96</prgad:rodzaj><prgad:TERYTGminy>{teryt}</prgad:TERYTGminy>"
            f"</prgad:AD_Miejscowosc></gml:featureMember>")
    for (_, street, kind), gid in streets.items():
        members.append(
            f'<gml:featureMember><prgad:AD_UlicaPlac gml:id="{gid}"><prgad:idIIP>'
            f"<prgad:AD_IdentyfikatorIIP>{_iip('prgad', str(uuid.uuid5(uuid.NAMESPACE_URL, gid)), '2017-04-13T15:30:04+02:00')}"
            f"</prgad:AD_IdentyfikatorIIP></prgad:idIIP><prgad:nazwaPelna>{escape(street)}"
            f"</prgad:nazwaPelna><prgad:rodzaj>{kind}</prgad:rodzaj>"
            f"<prgad:TERYTNazwa1>{escape(street)}</prgad:TERYTNazwa1>"
            f"</prgad:AD_UlicaPlac></gml:featureMember>")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<gml:FeatureCollection xmlns:gml="http://www.opengis.net/gml/3.2" '
            'xmlns:xlink="http://www.w3.org/1999/xlink" '
            'xmlns:prgad="https://geoportal.gov.pl/schemas/prgad/1.0" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
            + "\n".join(members) + "\n</gml:FeatureCollection>\n")


def gml_2012(points: list[Pt], srs: str = "urn:ogc:def:crs:EPSG::2180") -> str:
    """Model 2012: names inline, one gml:featureMembers, gml:pos northing easting, the
    gmina's TERYT through ``komponent`` links to PRG_JednostkaAdministracyjnaNazwa."""
    gminas = {t: f"PL.PZGIK.200_{370000 + i}" for i, t in enumerate(dict.fromkeys(
        p.teryt for p in points))}
    members = []
    for p in points:
        street = (f"<prg-ad:ulica>{escape(p.full_street)}</prg-ad:ulica>" if p.street else
                  '<prg-ad:ulica nilReason="inapplicable" xsi:nil="true"/>')
        members.append(
            f'<prg-ad:PRG_PunktAdresowy gml:id="PL.ZIPIN.4404.EMUiA_{p.prg_id}">'
            f"<prg-ad:idIIP><bt:BT_Identyfikator>{_iip('bt', p.prg_id, '2022-09-09T18:18:16+02:00')}"
            f"</bt:BT_Identyfikator></prg-ad:idIIP>"
            f"<prg-ad:waznyOd>2022-09-09</prg-ad:waznyOd>"
            f"<prg-ad:jednostkaAdmnistracyjna>Polska</prg-ad:jednostkaAdmnistracyjna>"
            f"<prg-ad:jednostkaAdmnistracyjna>wielkopolskie</prg-ad:jednostkaAdmnistracyjna>"
            f"<prg-ad:jednostkaAdmnistracyjna>koniński</prg-ad:jednostkaAdmnistracyjna>"
            f"<prg-ad:jednostkaAdmnistracyjna>{escape(p.locality)}</prg-ad:jednostkaAdmnistracyjna>"
            f"<prg-ad:miejscowosc>{escape(p.locality)}</prg-ad:miejscowosc>"
            f'<prg-ad:czescMiejscowosci nilReason="inapplicable" xsi:nil="true"/>{street}'
            f"<prg-ad:numerPorzadkowy>{escape(p.number)}</prg-ad:numerPorzadkowy>"
            f"<prg-ad:kodPocztowy>{p.postal}</prg-ad:kodPocztowy>"
            f"<prg-ad:status>istniejacy</prg-ad:status>"
            f'<prg-ad:pozycja><gml:Point srsName="{srs}" srsDimension="2" gml:id="GEO_{p.key}">'
            f"<gml:pos>{p.northing} {p.easting}</gml:pos></gml:Point></prg-ad:pozycja>"
            f'<prg-ad:komponent xlink:href="http://geoportal.gov.pl/PZGIK/dane/PL.PZGIK.200_366263"/>'
            f'<prg-ad:komponent xlink:href="http://geoportal.gov.pl/PZGIK/dane/{gminas[p.teryt]}"/>'
            f"</prg-ad:PRG_PunktAdresowy>")
    members.append(
        '<prg-ad:PRG_JednostkaAdministracyjnaNazwa gml:id="PL.PZGIK.200_366263">'
        "<prg-ad:nazwa>POLSKA</prg-ad:nazwa>"
        '<prg-ad:idTERYT nilReason="inapplicable" xsi:nil="true"/>'
        "<prg-ad:poziom>1poziom</prg-ad:poziom></prg-ad:PRG_JednostkaAdministracyjnaNazwa>")
    for teryt, gid in gminas.items():
        members.append(
            f'<prg-ad:PRG_JednostkaAdministracyjnaNazwa gml:id="{gid}">'
            f"<prg-ad:nazwa>gmina {teryt}</prg-ad:nazwa><prg-ad:idTERYT>{teryt}</prg-ad:idTERYT>"
            "<prg-ad:poziom>4poziom</prg-ad:poziom></prg-ad:PRG_JednostkaAdministracyjnaNazwa>")
    return ('<?xml version="1.0" encoding="utf-8"?>\n'
            '<gml:FeatureCollection xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
            'xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:gml="http://www.opengis.net/gml/3.2" '
            'xmlns:bt="urn:gugik:specyfikacje:gmlas:modelPodstawowy:1.0" '
            'xmlns:prg-ad="urn:gugik:specyfikacje:gmlas:panstwowyRejestrGranicAdresy:1.0" '
            'gml:id="prg-ad">\n<gml:featureMembers>\n' + "\n".join(members)
            + "\n</gml:featureMembers>\n</gml:FeatureCollection>\n")


CSV_HEADER = ("przestrzen_nazw;lokalny_id;teryt_gmina;miejscowosc;ulica;numer_porzadkowy;"
              "kod_pocztowy;status;x_epsg_2180;y_epsg_2180")


def csv_text(points: list[Pt]) -> str:
    """The columns of the usual conversion of the GML (x = easting, y = northing)."""
    lines = [CSV_HEADER]
    for p in points:
        lines.append(";".join(["PL.PZGIK.200", p.prg_id, p.teryt, p.locality, p.full_street,
                               p.number, p.postal, "istniejacy",
                               f"{p.easting:.2f}".replace(".", ","),
                               f"{p.northing:.2f}".replace(".", ",")]))
    return "\n".join(lines) + "\n"


def write_all(db, folder: Path) -> list[Pt]:
    points = konin_points(db)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "konin_2021.gml").write_text(gml_2021(points), "utf-8")
    (folder / "konin_2012.gml").write_text(gml_2012(points), "utf-8")
    (folder / "konin.csv").write_bytes(csv_text(points).encode("cp1250"))
    return points


if __name__ == "__main__":  # regenerate tests/fixtures/prg from a seed-7 sample
    import sys
    import tempfile

    from desktop.sample.generator import SampleSpec, generate
    from desktop.startup import open_database

    with tempfile.TemporaryDirectory() as tmp:
        opened = open_database(f"sqlite:///{Path(tmp, 's.db').as_posix()}")
        with opened.db.session() as s, s.begin():
            generate(s, SampleSpec(reports=10, seed=7))
        write_all(opened.db, Path(sys.argv[1] if len(sys.argv) > 1 else "tests/fixtures/prg"))
        opened.db.dispose()
