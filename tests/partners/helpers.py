"""Test data builders of the partner register tests."""
from __future__ import annotations

import datetime as dt

from db.models import Agreement, Partner, PartnerType, Signature, SignatureStatus, Unit, UnitKind

HOSTILE = "<img src=x onerror=alert(1)>"
TYPES = list(PartnerType)


def fill_agreement(db, n: int) -> int:
    """An agreement with ``n`` signed partners of every type; names carry Polish letters.
    Returns the agreement id."""
    with db.session() as s, s.begin():
        unit = Unit(name="Komenda Miejska Policji w Koninie", short_name="KMP Konin",
                    kind=UnitKind.COMMAND, address="ul. Kardynała Wyszyńskiego 6, 62-510 Konin")
        a = Agreement(title="Porozumienie o współpracy „Razem dla bezpieczeństwa”",
                      number="7/2024", place="Konin", signed_on=dt.date(2024, 5, 6),
                      valid_from=dt.date(2024, 6, 1), valid_to=dt.date(2025, 5, 31),
                      police_coordinator="Naczelnik Wydziału Prewencji", unit=unit)
        s.add(a)
        for i in range(n):
            name = f"Zażółć gęślą jaźń – partner {i + 1:03d}" if i % 3 == 0 else \
                f"Łódzkie Towarzystwo Ślęży nr {i + 1:03d}"
            if i == 5:
                name = HOSTILE
            p = Partner(name=name, partner_type=TYPES[i % len(TYPES)],
                        representative=f"Żaneta Kłosińska-{i + 1}",
                        representative_function="Prezes Zarządu")
            s.add(p)
            annex = "Aneks nr 3" if i == 7 else ""
            s.add(Signature(agreement=a, partner=p, signatory=p.representative,
                            signatory_function=p.representative_function,
                            signed_on=dt.date(2024, 5, 6), status=SignatureStatus.SIGNED,
                            annex_number=annex))
        s.flush()
        return a.id


