"""PRG address points of a powiat (100,000 points, model-2021 GML) on the sample database:
reading, the first import, a re-import (all unchanged), the consistency check and lookups.

Run: python benchmarks/addresses_benchmark.py [--points 100000]
Goal: reading + first import under 60 s, a lookup under 50 ms on the team's machine
(measured with 8 jobs sharing 2 cores: read 23 s, first import 36 s incl. reading, re-import
31 s, check 11 s, lookup 15 ms; reading the GML dominates).
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from desktop.addresses.prg import read_prg
from desktop.addresses.service import check_consistency, find_officer, import_addresses
from desktop.sample.generator import SampleSpec, generate
from desktop.startup import open_database

GOAL_IMPORT_S = 60.0
GOAL_LOOKUP_S = 0.05
STREETS = ["Kolejowa", "Przemysłowa", "Słowackiego", "Żeglarska", "Świętojańska", "Łąkowa"]


def write_gml(path: Path, n: int) -> None:
    """n points on a grid over Konin (easting 440–458 km, northing 482–500 km)."""
    with open(path, "w", encoding="utf-8") as fh:
        fh.write('<?xml version="1.0" encoding="UTF-8"?>\n<gml:FeatureCollection '
                 'xmlns:gml="http://www.opengis.net/gml/3.2" '
                 'xmlns:xlink="http://www.w3.org/1999/xlink" '
                 'xmlns:prgad="https://geoportal.gov.pl/schemas/prgad/1.0">\n')
        for i in range(n):
            street = i % len(STREETS)
            e, north = 440_000 + (i % 300) * 60, 482_000 + (i // 300 % 300) * 60
            fh.write(f'<gml:featureMember><prgad:AD_PunktAdresowy gml:id="p{i}"><prgad:idIIP>'
                     f"<prgad:AD_IdentyfikatorIIP><prgad:lokalnyId>id-{i}</prgad:lokalnyId>"
                     "<prgad:przestrzenNazw>PL.PZGIK.200</prgad:przestrzenNazw>"
                     "</prgad:AD_IdentyfikatorIIP></prgad:idIIP>"
                     f"<prgad:numerPorzadkowy>{i // len(STREETS) + 1}</prgad:numerPorzadkowy>"
                     '<prgad:georeferencja><gml:Point srsName="EPSG:2180">'
                     f"<gml:pos>{e} {north}</gml:pos></gml:Point></prgad:georeferencja>"
                     "<prgad:kodPocztowy>62-510</prgad:kodPocztowy>"
                     '<prgad:miejscowosc xlink:href="#konin"/>'
                     f'<prgad:ulica2 xlink:href="#s{street}"/>'
                     "</prgad:AD_PunktAdresowy></gml:featureMember>\n")
        fh.write('<gml:featureMember><prgad:AD_Miejscowosc gml:id="konin"><prgad:nazwa>Konin'
                 "</prgad:nazwa><prgad:TERYTGminy>3062011</prgad:TERYTGminy>"
                 "</prgad:AD_Miejscowosc></gml:featureMember>\n")
        for k, name in enumerate(STREETS):
            fh.write(f'<gml:featureMember><prgad:AD_UlicaPlac gml:id="s{k}"><prgad:nazwaPelna>'
                     f"{name}</prgad:nazwaPelna><prgad:rodzaj>1</prgad:rodzaj>"
                     "</prgad:AD_UlicaPlac></gml:featureMember>\n")
        fh.write("</gml:FeatureCollection>\n")


def timed(label: str, fn):
    started = time.perf_counter()
    result = fn()
    took = time.perf_counter() - started
    print(f"{label:<40} {took:8.2f} s")
    return result, took


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--points", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        gml = Path(tmp) / "powiat.gml"
        write_gml(gml, args.points)
        print(f"{args.points} punktów, plik {gml.stat().st_size / 1e6:.0f} MB")
        db = open_database(f"sqlite:///{Path(tmp, 'b.db').as_posix()}").db
        with db.session() as s, s.begin():
            generate(s, SampleSpec(reports=100, seed=7))
        timed("odczyt GML", lambda: read_prg(gml))
        _, import_s = timed("pierwszy import (z odczytem)", lambda: import_addresses(db, gml))
        timed("ponowny import (bez zmian)", lambda: import_addresses(db, gml))
        timed("sprawdzenie zgodności", lambda: check_consistency(db))
        runs = []
        for n in range(1, 21):
            _, took = timed(f"Znajdź dzielnicowego: Kolejowa {n}",
                            lambda n=n: find_officer(db, "Konin", "Kolejowa", str(n)))
            runs.append(took)
        db.dispose()
    lookup = sorted(runs)[len(runs) // 2]
    ok = import_s <= GOAL_IMPORT_S and lookup <= GOAL_LOOKUP_S
    print(f"import z odczytem {import_s:.1f} s (cel {GOAL_IMPORT_S} s), wyszukiwanie "
          f"{lookup * 1000:.0f} ms (cel {GOAL_LOOKUP_S * 1000:.0f} ms): "
          + ("OK" if ok else "ZA WOLNO"))
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
