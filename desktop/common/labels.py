"""Polish labels for domain enums.

Marked with ``N_`` so Qt's lupdate-style tooling can collect them; the Qt layer passes them
through ``QCoreApplication.translate(LABELS_CONTEXT, text)``. Qt-free code (PDF content,
CSV exports, the CLI) uses them as they are.
"""
from __future__ import annotations

from db.models import (
    ActivityKind,
    AssignmentKind,
    AssignmentRole,
    GminaKind,
    HouseSide,
    OfficerRole,
    PartnerType,
    PlanEvaluation,
    SignatureStatus,
    UnitKind,
)
from desktop.common.translatable import N_ as N_

LABELS_CONTEXT = "labels"


LABELS: dict[object, str] = {
    UnitKind.COMMAND: N_("komenda"),
    UnitKind.STATION: N_("komisariat"),
    GminaKind.URBAN: N_("miejska"),
    GminaKind.URBAN_RURAL: N_("miejsko-wiejska"),
    GminaKind.RURAL: N_("wiejska"),
    OfficerRole.BEAT_OFFICER: N_("dzielnicowy"),
    OfficerRole.TRAFFIC: N_("Wydział Ruchu Drogowego"),
    OfficerRole.HEAD_OF_BEAT_OFFICERS: N_("kierownik dzielnicowych"),
    OfficerRole.OTHER: N_("inna"),
    AssignmentRole.BEAT_OFFICER: N_("dzielnicowy"),
    AssignmentRole.TRAFFIC: N_("policjant ruchu drogowego"),
    AssignmentKind.REGULAR: N_("przydział"),
    AssignmentKind.SUBSTITUTE: N_("zastępstwo"),
    HouseSide.ALL: N_("wszystkie"),
    HouseSide.EVEN: N_("parzyste"),
    HouseSide.ODD: N_("nieparzyste"),
    PartnerType.CITY: N_("samorząd miasta"),
    PartnerType.GMINA: N_("samorząd gminy"),
    PartnerType.COUNTY: N_("samorząd powiatu"),
    PartnerType.GOVERNMENT: N_("administracja rządowa"),
    PartnerType.NGO: N_("organizacja pozarządowa"),
    PartnerType.SCHOOL: N_("szkoła lub przedszkole"),
    PartnerType.UNIVERSITY: N_("uczelnia"),
    PartnerType.PUBLIC_INSTITUTION: N_("instytucja publiczna"),
    PartnerType.COMPANY: N_("przedsiębiorstwo"),
    PartnerType.OTHER: N_("inny"),
    SignatureStatus.INVITED: N_("zaproszony"),
    SignatureStatus.SIGNED: N_("podpisane"),
    SignatureStatus.WITHDRAWN: N_("wycofany"),
    PlanEvaluation.ACHIEVED: N_("osiągnięty"),
    PlanEvaluation.PARTLY: N_("częściowo osiągnięty"),
    PlanEvaluation.NOT_ACHIEVED: N_("nieosiągnięty"),
    ActivityKind.MEETING: N_("spotkanie z mieszkańcami („Dzielnicowy bliżej nas”)"),
    ActivityKind.DEBATE: N_("debata społeczna"),
    ActivityKind.CONSULTATION: N_("konsultacje społeczne"),
    ActivityKind.PREVENTION: N_("pogadanka profilaktyczna"),
    ActivityKind.JOINT_ACTION: N_("wspólne działanie z partnerami"),
    ActivityKind.TRAFFIC_PATROL: N_("patrol z policjantem ruchu drogowego"),
}


def label(value: object) -> str:
    """Polish label of an enum member (or of its stored value string)."""
    if value in LABELS:
        return LABELS[value]
    for member, text in LABELS.items():
        if getattr(member, "value", None) == value:
            return text
    return str(value or "")
