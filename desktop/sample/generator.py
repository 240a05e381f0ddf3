"""Deterministic sample data for KMP Konin: units, gminas, beats, officers, assignments,
partners, the programme's agreement and synthetic KMZB reports.

Everything is written in one transaction: a failure leaves the database as it was.
"""
from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import shapely
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from db.models import (
    Agreement,
    Assignment,
    AssignmentRole,
    Beat,
    Gmina,
    GminaKind,
    Officer,
    OfficerRole,
    Partner,
    PartnerType,
    Signature,
    SignatureStatus,
    ThreatCategory,
    ThreatReport,
    ThreatStatus,
    Unit,
    UnitKind,
)
from db.services.dictionaries import seed_dictionaries
from db.services.info import KIND_KEY, KIND_SAMPLE, REFERENCE_DATE_KEY, SAMPLE_KEY, set_info
from desktop.common.geo import area_km2, assign_points_to_beats, to_geojson
from desktop.common.text import plural
from desktop.sample import names
from desktop.sample.defaults import DEFAULT_BEATS, DEFAULT_REPORTS, DEFAULT_SEED
from desktop.sample.geometry import KoninArea, city_beat_cells, load_area, voronoi_partition

COMMAND_NAME = "Komenda Miejska Policji w Koninie"
RURAL_GMINAS = 14
PROGRAMME_START = dt.date(2018, 1, 1)
REPORTS_FROM = dt.datetime(2017, 1, 1)
REPORTS_TO = dt.datetime(2019, 1, 1)

Progress = Callable[[str, int], None]  # (stage text, percent)


@dataclass(frozen=True)
class SampleSpec:
    reports: int = DEFAULT_REPORTS
    seed: int = DEFAULT_SEED
    beats: int = DEFAULT_BEATS  # total; rural gminas get one beat each, the city the rest

    def __post_init__(self) -> None:
        if self.reports < 0:
            raise ValueError("Liczba zgłoszeń nie może być ujemna.")
        if self.beats < RURAL_GMINAS + 1:
            raise ValueError(f"Liczba rejonów musi wynosić co najmniej {RURAL_GMINAS + 1}.")


@dataclass(frozen=True)
class SampleSummary:
    units: int
    gminas: int
    beats: int
    officers: int
    partners: int
    reports: int


class _Builder:
    def __init__(self, session: Session, spec: SampleSpec, area: KoninArea):
        self.s = session
        self.spec = spec
        self.area = area
        self.rng = np.random.default_rng(spec.seed)
        self._used_names: set[str] = set()
        self._service_no = 100200

    # -- people ---------------------------------------------------------------------------
    def person(self) -> tuple[str, str]:
        while True:
            if self.rng.random() < 0.3:
                first = str(self.rng.choice(names.FIRST_NAMES_F))
                last = names.feminine(str(self.rng.choice(names.LAST_NAMES)))
            else:
                first = str(self.rng.choice(names.FIRST_NAMES_M))
                last = str(self.rng.choice(names.LAST_NAMES))
            if f"{first} {last}" not in self._used_names:
                self._used_names.add(f"{first} {last}")
                return first, last

    def officer(self, role: OfficerRole, unit: Unit, ranks: list[str]) -> Officer:
        first, last = self.person()
        self._service_no += int(self.rng.integers(3, 40))
        login = names_to_login(first, last)
        o = Officer(
            rank=str(self.rng.choice(ranks)),
            first_name=first,
            last_name=last,
            service_number=str(self._service_no),
            role=role,
            unit=unit,
            phone=f"47 771 {int(self.rng.integers(10, 99))} {int(self.rng.integers(10, 99))}",
            mobile=f"{int(self.rng.choice([518, 603, 695, 721, 885]))} {int(self.rng.integers(0, 1000)):03d} {int(self.rng.integers(0, 1000)):03d}",
            email=f"{login}@kmp-konin.example",
            active=True,
        )
        self.s.add(o)
        return o

    # -- structure ------------------------------------------------------------------------
    def build(self, progress: Progress) -> SampleSummary:
        s, area = self.s, self.area
        progress("Słowniki KMZB", 2)
        seed_dictionaries(s)
        s.flush()

        progress("Jednostki i gminy", 5)
        command = Unit(name=COMMAND_NAME, short_name="KMP Konin", kind=UnitKind.COMMAND,
                       address="ul. Kardynała Stefana Wyszyńskiego 6, 62-510 Konin",
                       phone="47 771 12 00")
        s.add(command)
        stations = {
            seat: Unit(name=name, short_name=f"KP {seat}", kind=UnitKind.STATION, parent=command)
            for seat, name in names.STATIONS.items()
        }
        s.add_all(stations.values())

        city_gmina = Gmina(name="Konin", kind=GminaKind.URBAN, teryt="3062011",
                           boundary=to_geojson(area.city),
                           seat_lat=area.city_centre.y, seat_lon=area.city_centre.x)
        s.add(city_gmina)
        seats = sorted(area.seats, key=lambda x: x.name)
        gmina_cells = voronoi_partition(area.county, [x.point for x in seats])
        gminas = []
        for seat, cell in zip(seats, gmina_cells):
            g = Gmina(name=seat.name, kind=GminaKind(seat.kind), boundary=to_geojson(cell),
                      seat_lat=seat.point.y, seat_lon=seat.point.x)
            gminas.append((g, seat, cell))
            s.add(g)

        progress("Rejony służbowe", 10)
        beats: list[Beat] = []
        city_cells = city_beat_cells(area.city, self.spec.beats - RURAL_GMINAS, self.rng)
        for i, cell in enumerate(city_cells, start=1):
            beats.append(Beat(number=str(i), name=f"Konin – rejon {i}", unit=command,
                              gmina=city_gmina, boundary=to_geojson(cell),
                              area_km2=round(area_km2(cell), 3),
                              description="Rejon miejski (dane przykładowe)."))
        station_points = {seat: next(x.point for x in seats if x.name == seat)
                          for seat in stations}
        per_unit_number: dict[str, int] = {}
        # Gminas nearer to Konin than to any station are served by the command itself.
        station_points[""] = area.city_centre
        units = {**stations, "": command}
        per_unit_number[""] = len(city_cells)
        for g, seat, cell in gminas:
            unit_seat = min(station_points, key=lambda k: station_points[k].distance(seat.point))
            unit = units[unit_seat]
            per_unit_number[unit_seat] = per_unit_number.get(unit_seat, 0) + 1
            beats.append(Beat(number=str(per_unit_number[unit_seat]), name=f"Gmina {seat.name}",
                              unit=unit, gmina=g, boundary=to_geojson(cell),
                              area_km2=round(area_km2(cell), 3),
                              description="Cała gmina (granice przybliżone, dane przykładowe)."))
        s.add_all(beats)

        progress("Funkcjonariusze i przydziały", 20)
        self.officer(OfficerRole.HEAD_OF_BEAT_OFFICERS, command, ["asp. szt.", "podkom."])
        n_traffic = max(1, math.ceil(len(beats) / 3))
        traffic = [self.officer(OfficerRole.TRAFFIC, command, names.RANKS_TRAFFIC)
                   for _ in range(n_traffic)]
        for i, beat in enumerate(beats):
            host = self.officer(OfficerRole.BEAT_OFFICER, beat.unit, names.RANKS_BEAT)
            start = PROGRAMME_START
            if i % 4 == 1:  # some beats changed hands: keep that history
                previous = self.officer(OfficerRole.BEAT_OFFICER, beat.unit, names.RANKS_BEAT)
                start = dt.date(2018, 1 + int(self.rng.integers(2, 9)), 1)
                s.add(Assignment(beat=beat, officer=previous, role=AssignmentRole.BEAT_OFFICER,
                                 valid_from=dt.date(2016, 3, 1),
                                 valid_to=start - dt.timedelta(days=1)))
            s.add(Assignment(beat=beat, officer=host, role=AssignmentRole.BEAT_OFFICER,
                             valid_from=start))
            s.add(Assignment(beat=beat, officer=traffic[i % n_traffic],
                             role=AssignmentRole.TRAFFIC, valid_from=PROGRAMME_START))
        for _ in range(3):  # spare officers without a beat
            self.officer(OfficerRole.OTHER, command, names.RANKS_BEAT)

        progress("Partnerzy i porozumienie", 30)
        partners = self.partners(city_gmina, [g for g, _, _ in gminas])
        self.agreement(command, partners)
        s.flush()

        reports = self.reports(beats, progress)
        set_info(s, SAMPLE_KEY, (
            f"Dane przykładowe KMP Konin (ziarno {self.spec.seed}, "
            f"{plural(len(beats), 'rejon', 'rejony', 'rejonów')}, "
            f"{plural(reports, 'zgłoszenie', 'zgłoszenia', 'zgłoszeń')}), wygenerowane {dt.date.today().isoformat()}"
        ))
        set_info(s, KIND_KEY, KIND_SAMPLE)
        from desktop.beats.sample_register import fill_sample_register
        fill_sample_register(s, beats)  # street register of the beats (Znajdź dzielnicowego)
        from desktop.threats.sample_plans import create_sample_plans
        create_sample_plans(s)  # priority action plans of every third beat (Diagnoza zagrożeń)
        from desktop.activities.sample import create_sample_activities
        create_sample_activities(s)  # a few meetings, debates, patrols per beat (Działania)
        set_info(s, REFERENCE_DATE_KEY, (REPORTS_TO.date() - dt.timedelta(days=1)).isoformat())
        progress("Zapisywanie", 98)
        return SampleSummary(units=1 + len(stations), gminas=1 + len(gminas), beats=len(beats),
                             officers=len(self._used_names), partners=len(partners),
                             reports=reports)

    def partners(self, city: Gmina, gminas: list[Gmina]) -> list[tuple[Partner, str]]:
        out: list[tuple[Partner, str]] = []

        def add(name, ptype, gmina, function, city_name, address="", postal=""):
            first, last = self.person()
            p = Partner(name=name, partner_type=ptype, gmina=gmina, address=address,
                        postal_code=postal, city=city_name,
                        representative=f"{first} {last}", representative_function=function,
                        phone=f"63 {int(self.rng.integers(200, 299))} "
                              f"{int(self.rng.integers(10, 99))} {int(self.rng.integers(10, 99))}",
                        email=f"sekretariat@{domain_slug(name)}.example",
                        notes="Dane przykładowe.")
            self.s.add(p)
            out.append((p, function))

        add("Urząd Miejski w Koninie", PartnerType.CITY, city,
            "Zastępca Prezydenta Miasta Konina", "Konin", "pl. Wolności 1", "62-500")
        add("Starostwo Powiatowe w Koninie", PartnerType.COUNTY, None, "Wicestarosta Koniński",
            "Konin", "al. 1 Maja 9", "62-510")
        for g in gminas:
            office, head = names.GMINA_OFFICES[g.name]
            add(office, PartnerType.GMINA, g, head, g.name)
        by_name = {g.name: g for g in gminas}
        for name, ptype, gmina, function in names.OTHER_PARTNERS:
            add(name, PartnerType(ptype), city if gmina is None else by_name.get(gmina),
                function, gmina or "Konin")
        return out

    def agreement(self, command: Unit, partners: list[tuple[Partner, str]]) -> None:
        a = Agreement(
            title="Porozumienie o współpracy w ramach programu „Razem dla bezpieczeństwa”",
            number="1/2017", place="Konin", signed_on=dt.date(2017, 12, 13), edition_year=2018,
            valid_from=dt.date(2018, 1, 1), valid_to=dt.date(2018, 12, 31),
            subject="Wspólne działania na rzecz bezpieczeństwa mieszkańców miasta Konina "
                    "i powiatu konińskiego, oparte na diagnozie zagrożeń i Krajowej Mapie "
                    "Zagrożeń Bezpieczeństwa.",
            police_coordinator="Naczelnik Wydziału Prewencji KMP w Koninie",
            partners_coordinator="Pełnomocnik Prezydenta Miasta Konina ds. bezpieczeństwa",
            unit=command,
        )
        self.s.add(a)
        late = {"Przedsiębiorstwo Komunikacji Miejskiej w Koninie": ("Aneks nr 1", dt.date(2018, 3, 15)),
                "Koło Gospodyń Wiejskich w Wilczynie": ("Aneks nr 2", dt.date(2018, 6, 20)),
                "Państwowa Straż Pożarna – Komenda Miejska w Koninie": ("Aneks nr 1", dt.date(2018, 3, 15))}
        invited = {"Miejski Zarząd Dróg w Koninie"}
        for partner, function in partners:
            annex, when = late.get(partner.name, ("", dt.date(2017, 12, 13)))
            status = SignatureStatus.INVITED if partner.name in invited else SignatureStatus.SIGNED
            self.s.add(Signature(agreement=a, partner=partner, signatory=partner.representative,
                                 signatory_function=function, annex_number=annex,
                                 signed_on=None if status is SignatureStatus.INVITED else when,
                                 status=status))

    # -- reports --------------------------------------------------------------------------
    def report_points(self, n: int) -> tuple[np.ndarray, np.ndarray]:
        """Points weighted like real reports: dense in the city, clustered around gmina seats."""
        rng, area = self.rng, self.area
        xs, ys = [], []
        need_city = int(n * 0.55)
        need_rural = n - need_city
        cx, cy = area.city_centre.x, area.city_centre.y
        seat_x = np.array([x.point.x for x in area.seats])
        seat_y = np.array([x.point.y for x in area.seats])
        weights = np.array([3.0 if x.kind == "miejsko-wiejska" else 1.0 for x in area.seats])
        weights /= weights.sum()
        for target, polygon, count in (("city", area.city, need_city),
                                       ("rural", area.county, need_rural)):
            got_x: list[np.ndarray] = []
            got = 0
            minx, miny, maxx, maxy = polygon.bounds
            while got < count:
                m = max(64, 2 * (count - got))
                clustered = rng.random(m) < 0.7
                if target == "city":
                    px = np.where(clustered, rng.normal(cx, 0.025, m), rng.uniform(minx, maxx, m))
                    py = np.where(clustered, rng.normal(cy, 0.015, m), rng.uniform(miny, maxy, m))
                else:
                    k = rng.choice(len(seat_x), m, p=weights)
                    px = np.where(clustered, rng.normal(seat_x[k], 0.03), rng.uniform(minx, maxx, m))
                    py = np.where(clustered, rng.normal(seat_y[k], 0.02), rng.uniform(miny, maxy, m))
                inside = shapely.contains_xy(polygon, px, py)
                chunk = np.column_stack([px[inside], py[inside]])[: count - got]
                got_x.append(chunk)
                got += len(chunk)
            pts = np.concatenate(got_x) if got_x else np.empty((0, 2))
            xs.append(pts[:, 0])
            ys.append(pts[:, 1])
        order = rng.permutation(n)
        return np.concatenate(xs)[order], np.concatenate(ys)[order]

    def reports(self, beats: list[Beat], progress: Progress) -> int:
        n = self.spec.reports
        if n == 0:
            return 0
        s, rng = self.s, self.rng
        progress("Zgłoszenia KMZB: losowanie", 35)
        categories = {c.name: c for c in s.scalars(select(ThreatCategory))}
        statuses = {st.name: st for st in s.scalars(select(ThreatStatus))}
        cat_names = [c for c in names.CATEGORY_WEIGHTS if c in categories]
        cat_p = np.array([names.CATEGORY_WEIGHTS[c] for c in cat_names], dtype=float)
        cat_p /= cat_p.sum()
        st_names = [x for x in names.STATUS_WEIGHTS if x in statuses]
        st_p = np.array([names.STATUS_WEIGHTS[x] for x in st_names], dtype=float)
        st_p /= st_p.sum()

        lon, lat = self.report_points(n)
        cat_idx = rng.choice(len(cat_names), n, p=cat_p)
        st_idx = rng.choice(len(st_names), n, p=st_p)
        span = int((REPORTS_TO - REPORTS_FROM).total_seconds())
        days = rng.integers(0, span // 86400, n)
        hour_p = np.array([1, 1, 1, 1, 1, 1, 2, 4, 6, 7, 7, 7, 7, 7, 7, 7, 7, 7, 6, 6, 5, 4, 3, 2],
                          dtype=float)
        hours = rng.choice(24, n, p=hour_p / hour_p.sum())
        minutes = rng.integers(0, 60, n)
        lag = rng.integers(0, 4, n)
        has_event = rng.random(n) < 0.8
        modified_lag = rng.integers(1, 15, n)
        desc_idx = rng.integers(0, len(names.DESCRIPTIONS), n)

        progress("Zgłoszenia KMZB: przypisanie do rejonów", 45)
        beat_ids = assign_points_to_beats(lon, lat, [b.boundary for b in beats],
                                          [b.id for b in beats])
        city_mask = shapely.contains_xy(self.area.city, lon, lat)

        chunk = 5000
        for start in range(0, n, chunk):
            rows = []
            for i in range(start, min(n, start + chunk)):
                reported = REPORTS_FROM + dt.timedelta(days=int(days[i]), hours=int(hours[i]),
                                                       minutes=int(minutes[i]))
                cat = cat_names[cat_idx[i]]
                description = names.DESCRIPTIONS[desc_idx[i]]
                if not description and categories[cat].description_required:
                    description = "Opis wymagany dla tej kategorii: zgłoszenie mieszkańca."
                rows.append({
                    "source_id": f"PRZYKLAD-{self.spec.seed}-{i + 1:06d}",
                    "category_id": categories[cat].id,
                    "status_id": statuses[st_names[st_idx[i]]].id,
                    "reported_at": reported,
                    "event_date": (reported.date() - dt.timedelta(days=int(lag[i])))
                    if has_event[i] else None,
                    "modified_at": reported + dt.timedelta(days=int(modified_lag[i])),
                    "lat": round(float(lat[i]), 6),
                    "lon": round(float(lon[i]), 6),
                    "teryt": "3062" if city_mask[i] else "3010",
                    "description": description,
                    "beat_id": None if beat_ids[i] < 0 else int(beat_ids[i]),
                })
            s.execute(insert(ThreatReport), rows)
            progress("Zgłoszenia KMZB: zapis", 50 + int(45 * min(n, start + chunk) / n))
        return n


def domain_slug(name: str, limit: int = 40) -> str:
    """'Urząd Gminy Kramsk' -> 'urzad-gminy-kramsk' (whole words, at most ``limit`` chars)."""
    from desktop.common.text import fold

    words = ["".join(ch for ch in w if ch.isalnum()) for w in fold(name).split()]
    out = ""
    for w in filter(None, words):
        candidate = f"{out}-{w}" if out else w
        if len(candidate) > limit:
            break
        out = candidate
    return out


def names_to_login(first: str, last: str) -> str:
    from desktop.common.text import fold

    clean = lambda t: "".join(ch for ch in fold(t) if ch.isalnum())
    return f"{clean(first)}.{clean(last)}"


def generate(session: Session, spec: SampleSpec | None = None,
             progress: Progress | None = None) -> SampleSummary:
    """Fill the (empty) database behind the session with the sample. The caller commits."""
    spec = spec or SampleSpec()
    return _Builder(session, spec, load_area()).build(progress or (lambda _t, _p: None))
