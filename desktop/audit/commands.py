"""`razem audit --from DATE --to DATE --csv FILE`: the audit log of a period as CSV."""
from __future__ import annotations

import argparse
import logging

from desktop.cli.errors import CliError

log = logging.getLogger("razem.audit")


def register(sub, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("audit", parents=[common],
                       help="dziennik zmian (kto, co, kiedy) za okres do pliku CSV")
    p.add_argument("--from", dest="date_from", required=True, metavar="DATA",
                   help="początek okresu (RRRR-MM-DD lub DD.MM.RRRR)")
    p.add_argument("--to", dest="date_to", required=True, metavar="DATA",
                   help="koniec okresu, włącznie")
    p.add_argument("--csv", required=True, metavar="PLIK", help="plik wynikowy CSV (;, UTF-8)")
    p.add_argument("--who", default="", metavar="KTO", help="tylko ten użytkownik / stanowisko")
    p.add_argument("--record", default="", metavar="REKORD",
                   help="tylko rekord o tym identyfikatorze lub nazwie")
    p.set_defaults(func=_audit)
    register_rodo(sub, common)


def _audit(args, database: str | None) -> int:
    from desktop.audit.log import AuditFilter, list_entries, write_csv
    from desktop.startup import open_database
    from desktop.threats.commands import parse_cli_date

    date_from, date_to = parse_cli_date(args.date_from), parse_cli_date(args.date_to)
    if date_to < date_from:
        raise CliError("data końcowa jest wcześniejsza niż początkowa")
    db = open_database(database).db
    try:
        rows = list_entries(db, AuditFilter(who=args.who, record=args.record,
                                            date_from=date_from, date_to=date_to))
    finally:
        db.dispose()
    try:
        write_csv(args.csv, rows)
    except OSError as exc:
        raise CliError(f"nie można zapisać pliku {args.csv}: {exc.strerror or exc}") from exc
    log.info("dziennik zmian: %d wpisów do %s", len(rows), args.csv)
    print(f"Zapisano {len(rows)} wpisów dziennika zmian do {args.csv}.")
    return 0


def register_rodo(sub, common: argparse.ArgumentParser) -> None:
    r = sub.add_parser("rodo", parents=[common],
                       help="dane osobowe (RODO): eksport lub usunięcie danych jednej osoby")
    ops = r.add_subparsers(dest="rodo_command", metavar="OPERACJA", required=True)
    for name, text in (("export", "zapisz wszystkie dane osoby do pliku JSON lub CSV"),
                       ("erase", "usuń (zanonimizuj) dane osoby; historia zostaje")):
        p = ops.add_parser(name, parents=[common], help=text)
        who = p.add_mutually_exclusive_group(required=True)
        who.add_argument("--officer", metavar="NR_SŁUŻBOWY",
                         help="policjant o tym numerze służbowym")
        who.add_argument("--partner", metavar="ID", type=int,
                         help="przedstawiciel partnera o tym identyfikatorze")
        if name == "export":
            p.add_argument("--out", required=True, metavar="PLIK",
                           help="plik wynikowy: .json albo .csv")
        else:
            p.add_argument("--yes", action="store_true", help="nie pytaj o potwierdzenie")
        p.set_defaults(func=_rodo)


def _rodo(args, database: str | None) -> int:
    from desktop.audit import rodo
    from desktop.startup import open_database

    db = open_database(database).db
    try:
        try:
            officer = rodo.find_officer(db, args.officer) if args.officer else None
            if args.rodo_command == "export":
                data = (rodo.export_officer(db, officer) if officer is not None
                        else rodo.export_representative(db, args.partner))
                try:
                    rodo.write_export(data, args.out)
                except OSError as exc:
                    raise CliError(f"nie można zapisać pliku {args.out}: "
                                   f"{exc.strerror or exc}") from exc
                print(f"Zapisano dane osoby do {args.out}.")
                return 0
            if not args.yes:
                answer = ask("Usunąć nieodwracalnie dane osobowe tej osoby? [t/N] ")
                if answer.strip().lower() not in ("t", "tak", "y", "yes"):
                    print("Anulowano; nic nie zmieniono.")
                    return 1
            result = (rodo.erase_officer(db, officer) if officer is not None
                      else rodo.erase_representative(db, args.partner))
        except rodo.PersonNotFound as exc:
            raise CliError(str(exc)) from exc
    finally:
        db.dispose()
    print(f"Zanonimizowano rekordy: {result.records}, wpisy dziennika zmian: "
          f"{result.audit_entries}.")
    log.info("RODO: usunięto dane osoby (%d rekordów, %d wpisów dziennika)", result.records,
             result.audit_entries)
    return 0


def ask(prompt: str) -> str:
    """A yes/no question on the console; no console (EOF) means no."""
    try:
        return input(prompt)
    except EOFError:
        return ""
