"""`razem basemap`: download the basemap tiles covering the beats into an MBTiles file."""
from __future__ import annotations

import argparse
import sys

from desktop.cli.errors import CliError


def register(sub, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "basemap", parents=[common],
        help="pobierz podkład mapy dla rejonów do pliku MBTiles (praca offline)")
    p.add_argument("--url", required=True, metavar="ADRES",
                   help="adres kafelków z {z}/{x}/{y} (XYZ), albo adres usługi WMTS/WMS")
    p.add_argument("--kind", choices=("xyz", "wmts", "wms"), default="xyz",
                   help="rodzaj źródła (domyślnie xyz)")
    p.add_argument("--layers", default="", metavar="WARSTWA",
                   help="warstwa WMS (LAYERS) lub WMTS (LAYER)")
    p.add_argument("--format", dest="image_format", default="image/png", metavar="TYP",
                   help="format obrazków WMS/WMTS (domyślnie image/png)")
    p.add_argument("--attribution", default="", metavar="TEKST",
                   help="informacja o źródle podkładu, zapisywana w pliku")
    p.add_argument("--zoom", required=True, metavar="OD-DO",
                   help="poziomy przybliżenia, np. 10-16")
    p.add_argument("--out", required=True, metavar="PLIK.mbtiles", help="plik wynikowy")
    p.add_argument("--unit", metavar="JEDNOSTKA",
                   help="tylko rejony tej jednostki (domyślnie wszystkie aktywne rejony)")
    p.add_argument("--rate", type=float, default=8.0, metavar="N",
                   help="najwyżej N zapytań na sekundę (domyślnie 8)")
    p.set_defaults(func=_basemap)


def _basemap(args, database: str | None) -> int:
    from desktop.common.text import plural
    from desktop.map.basemap import SourceError, make_source
    from desktop.map.download import (
        DownloadCancelled,
        DownloadError,
        area_from_outlines,
        download,
        outlines_from_database,
        parse_zoom,
    )
    from desktop.startup import open_database

    if not 0 < args.rate <= 50:
        raise CliError("--rate musi być liczbą od 0 do 50 zapytań na sekundę")
    try:
        zmin, zmax = parse_zoom(args.zoom)
        source = make_source(args.kind, args.url, args.layers, args.attribution,
                             args.image_format)
    except (SourceError, DownloadError) as exc:
        raise CliError(str(exc)) from exc
    db = open_database(database).db
    try:
        beat_ids = None
        if args.unit:
            from desktop.beats.queries import unit_beat_ids

            beat_ids = unit_beat_ids(db, args.unit)
            if not beat_ids:
                raise CliError(f"Jednostka „{args.unit}” nie istnieje albo nie ma rejonów.")
        outlines = outlines_from_database(db, beat_ids)
    finally:
        db.dispose()

    def progress(percent: int, text: str) -> None:
        print(f"\r{text} ({percent}%)", end="", file=sys.stderr, flush=True)

    try:
        result = download(source, area_from_outlines(outlines), zmin, zmax, args.out,
                          rate=args.rate, progress=progress)
    except (SourceError, DownloadError) as exc:
        print(file=sys.stderr)
        raise CliError(str(exc)) from exc
    except (KeyboardInterrupt, DownloadCancelled):
        print("\nPrzerwano. Pobrane kafelki zostały zapisane; to samo polecenie wznowi "
              "pobieranie.", file=sys.stderr)
        return 1
    print(file=sys.stderr)
    print(f"Zapisano {args.out}: {plural(result.fetched, 'nowy kafelek', 'nowe kafelki', 'nowych kafelków')} "
          f"({result.bytes / 1e6:.1f} MB), {result.already_there} już w pliku, "
          f"{result.missing} bez obrazu na serwerze; razem {result.planned} w planie, "
          f"{result.seconds:.1f} s.")
    return 0
