"""Typed SQLAlchemy 2 models of the programme's domain.

English identifiers; the Polish labels users see live in ``db.labels``.
Geometry is stored as GeoJSON text in WGS84 (EPSG:4326) so that SQLite and
PostgreSQL need no spatial extension; shapely does the geometry in Python.
"""
from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

# The activities log lives in db/activities.py; its names are re-exported here so that
# importing db.models registers every table and one import serves all models.
from db.activities import Activity as Activity
from db.activities import ActivityKind as ActivityKind
from db.activities import activity_beats as activity_beats
from db.activities import activity_categories as activity_categories
from db.activities import activity_officers as activity_officers
from db.activities import activity_partners as activity_partners
from db.addresses import AddressPoint as AddressPoint
from db.base import Base, Timestamped, Versioned
from db.base import enum_column as _enum
from db.beat_gminas import beat_gminas as beat_gminas
from db.dictionary_names import NameKeyed


class UnitKind(str, enum.Enum):
    COMMAND = "command"  # komenda miejska
    STATION = "station"  # komisariat / posterunek


class GminaKind(str, enum.Enum):
    URBAN = "miejska"
    URBAN_RURAL = "miejsko-wiejska"
    RURAL = "wiejska"


class OfficerRole(str, enum.Enum):
    BEAT_OFFICER = "dzielnicowy"
    TRAFFIC = "traffic"  # Wydział Ruchu Drogowego
    HEAD_OF_BEAT_OFFICERS = "head_of_beat_officers"  # kierownik dzielnicowych
    OTHER = "other"


class AssignmentRole(str, enum.Enum):
    BEAT_OFFICER = "dzielnicowy"
    TRAFFIC = "traffic"


class AssignmentKind(str, enum.Enum):
    REGULAR = "regular"
    SUBSTITUTE = "substitute"  # zastępstwo: covers leave without ending the regular assignment


class HouseSide(str, enum.Enum):
    ALL = "all"
    EVEN = "even"
    ODD = "odd"


class PartnerType(str, enum.Enum):
    CITY = "city"  # miasto
    GMINA = "gmina"
    COUNTY = "county"  # powiat
    GOVERNMENT = "government"  # administracja rządowa
    NGO = "ngo"
    SCHOOL = "school"  # szkoła lub przedszkole
    UNIVERSITY = "university"
    PUBLIC_INSTITUTION = "public_institution"
    COMPANY = "company"
    OTHER = "other"


class SignatureStatus(str, enum.Enum):
    INVITED = "invited"
    SIGNED = "signed"
    WITHDRAWN = "withdrawn"


class PlanEvaluation(str, enum.Enum):
    ACHIEVED = "achieved"
    PARTLY = "partly"
    NOT_ACHIEVED = "not_achieved"


class Unit(Versioned, Timestamped, Base):
    """The city command (KMP) or one of its subordinate stations."""

    __tablename__ = "units"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    short_name: Mapped[str] = mapped_column(String(40), default="")
    kind: Mapped[UnitKind] = mapped_column(_enum(UnitKind, "unit_kind"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="RESTRICT"))
    address: Mapped[str] = mapped_column(String(300), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")

    parent: Mapped[Unit | None] = relationship(remote_side="Unit.id")
    beats: Mapped[list[Beat]] = relationship(back_populates="unit")


class Gmina(Versioned, Timestamped, Base):
    """A municipality of powiat koniński, or the city of Konin itself."""

    __tablename__ = "gminas"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    kind: Mapped[GminaKind] = mapped_column(_enum(GminaKind, "gmina_kind"))
    teryt: Mapped[str | None] = mapped_column(String(10), unique=True)
    boundary: Mapped[str | None] = mapped_column(Text)  # GeoJSON geometry, WGS84
    seat_lat: Mapped[float | None] = mapped_column(Float)
    seat_lon: Mapped[float | None] = mapped_column(Float)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="RESTRICT"))

    beats: Mapped[list[Beat]] = relationship(back_populates="gmina")


class Beat(Versioned, Timestamped, Base):
    """Rejon służbowy: the part of a unit's area hosted by one dzielnicowy."""

    __tablename__ = "beats"
    # A number is unique among a unit's current beats; a retired beat's number may be reused
    # (migration 0007: a partial unique index, SQLite and PostgreSQL alike).
    __table_args__ = (Index("uq_beats_unit_number_current", "unit_id", "number", unique=True,
                            sqlite_where=text("retired_on IS NULL"),
                            postgresql_where=text("retired_on IS NULL")),)

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="RESTRICT"), index=True)
    gmina_id: Mapped[int | None] = mapped_column(
        ForeignKey("gminas.id", ondelete="RESTRICT"), index=True
    )
    boundary: Mapped[str | None] = mapped_column(Text)  # Polygon/MultiPolygon GeoJSON, WGS84
    area_km2: Mapped[float | None] = mapped_column(Float)  # cached from boundary on write
    description: Mapped[str] = mapped_column(Text, default="")
    # The first day the beat no longer exists (retired beats stay in history); None = current.
    retired_on: Mapped[dt.date | None] = mapped_column(Date)

    unit: Mapped[Unit] = relationship(back_populates="beats")
    gmina: Mapped[Gmina | None] = relationship(back_populates="beats")
    assignments: Mapped[list[Assignment]] = relationship(back_populates="beat")
    streets: Mapped[list[StreetRange]] = relationship(
        back_populates="beat", cascade="all, delete-orphan"
    )


class Officer(Versioned, Timestamped, Base):
    """A police officer: dzielnicowy, road-traffic officer, head of beat officers or other."""

    __tablename__ = "officers"

    id: Mapped[int] = mapped_column(primary_key=True)
    rank: Mapped[str] = mapped_column(String(60), default="")
    first_name: Mapped[str] = mapped_column(String(80))
    last_name: Mapped[str] = mapped_column(String(80))
    service_number: Mapped[str] = mapped_column(String(30), unique=True)
    role: Mapped[OfficerRole] = mapped_column(_enum(OfficerRole, "officer_role"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="RESTRICT"))
    phone: Mapped[str] = mapped_column(String(40), default="")  # landline
    mobile: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    unit: Mapped[Unit | None] = relationship()
    assignments: Mapped[list[Assignment]] = relationship(back_populates="officer")

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class Assignment(Versioned, Timestamped, Base):
    """An officer's responsibility for a beat over a period (valid_to inclusive, open if None)."""

    __tablename__ = "assignments"
    __table_args__ = (
        CheckConstraint("valid_to IS NULL OR valid_to >= valid_from", name="period_order"),
        Index("ix_assignments_beat_role", "beat_id", "role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    beat_id: Mapped[int] = mapped_column(ForeignKey("beats.id", ondelete="RESTRICT"))
    officer_id: Mapped[int] = mapped_column(
        ForeignKey("officers.id", ondelete="RESTRICT"), index=True
    )
    role: Mapped[AssignmentRole] = mapped_column(_enum(AssignmentRole, "assignment_role"))
    kind: Mapped[AssignmentKind] = mapped_column(
        _enum(AssignmentKind, "assignment_kind"), default=AssignmentKind.REGULAR
    )
    valid_from: Mapped[dt.date] = mapped_column(Date)
    valid_to: Mapped[dt.date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")

    beat: Mapped[Beat] = relationship(back_populates="assignments")
    officer: Mapped[Officer] = relationship(back_populates="assignments")


class StreetRange(Timestamped, Base):
    """One line of a beat's street register: a street with a house-number range and side,
    or (street empty) a whole locality."""

    __tablename__ = "street_ranges"
    __table_args__ = (
        CheckConstraint(
            "number_from IS NULL OR number_to IS NULL OR number_to >= number_from",
            name="number_order",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    beat_id: Mapped[int] = mapped_column(ForeignKey("beats.id", ondelete="CASCADE"), index=True)
    locality: Mapped[str] = mapped_column(String(120))
    street: Mapped[str] = mapped_column(String(200), default="")  # "" = whole locality
    street_key: Mapped[str] = mapped_column(String(200), default="", index=True)  # normalised
    side: Mapped[HouseSide] = mapped_column(_enum(HouseSide, "house_side"), default=HouseSide.ALL)
    number_from: Mapped[int | None] = mapped_column(Integer)
    number_to: Mapped[int | None] = mapped_column(Integer)

    beat: Mapped[Beat] = relationship(back_populates="streets")


class Partner(Versioned, Timestamped, Base):
    """A party of the programme's agreement (gmina, city, county, school, NGO ...).

    Removal is soft (``deleted_at``) so it can be undone and signature history is kept.
    """

    __tablename__ = "partners"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    partner_type: Mapped[PartnerType] = mapped_column(_enum(PartnerType, "partner_type"))
    gmina_id: Mapped[int | None] = mapped_column(ForeignKey("gminas.id", ondelete="RESTRICT"))
    address: Mapped[str] = mapped_column(String(300), default="")
    postal_code: Mapped[str] = mapped_column(String(6), default="")
    city: Mapped[str] = mapped_column(String(120), default="")
    representative: Mapped[str] = mapped_column(String(200), default="")
    representative_function: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    deleted_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    gmina: Mapped[Gmina | None] = relationship()
    signatures: Mapped[list[Signature]] = relationship(back_populates="partner")


class Agreement(Versioned, Timestamped, Base):
    """Porozumienie: the programme's agreement (more than one may exist)."""

    __tablename__ = "agreements"
    __table_args__ = (
        CheckConstraint("valid_to IS NULL OR valid_to >= valid_from", name="period_order"),
        CheckConstraint("edition_year IS NULL OR (edition_year >= 2000 AND edition_year <= 2100)",
                        name="edition_year_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    # The programme's edition (year) this agreement belongs to; one agreement per edition.
    edition_year: Mapped[int | None] = mapped_column(Integer, unique=True)
    number: Mapped[str] = mapped_column(String(60), default="")
    place: Mapped[str] = mapped_column(String(120), default="")
    subject: Mapped[str] = mapped_column(Text, default="")
    signed_on: Mapped[dt.date | None] = mapped_column(Date)
    valid_from: Mapped[dt.date | None] = mapped_column(Date)
    valid_to: Mapped[dt.date | None] = mapped_column(Date)
    police_coordinator: Mapped[str] = mapped_column(String(200), default="")
    partners_coordinator: Mapped[str] = mapped_column(String(200), default="")
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="RESTRICT"))

    unit: Mapped[Unit | None] = relationship()
    signatures: Mapped[list[Signature]] = relationship(
        back_populates="agreement", cascade="all, delete-orphan"
    )


class Signature(Versioned, Timestamped, Base):
    """A partner's place on an agreement; an accession (annex) keeps its own date and number."""

    __tablename__ = "signatures"
    __table_args__ = (
        UniqueConstraint("agreement_id", "partner_id", name="uq_signatures_agreement_partner"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id", ondelete="CASCADE"))
    partner_id: Mapped[int] = mapped_column(
        ForeignKey("partners.id", ondelete="RESTRICT"), index=True
    )
    signatory: Mapped[str] = mapped_column(String(200), default="")
    signatory_function: Mapped[str] = mapped_column(String(200), default="")
    signed_on: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[SignatureStatus] = mapped_column(
        _enum(SignatureStatus, "signature_status"), default=SignatureStatus.INVITED
    )
    annex_number: Mapped[str] = mapped_column(String(60), default="")  # "" = original signing
    note: Mapped[str] = mapped_column(Text, default="")

    agreement: Mapped[Agreement] = relationship(back_populates="signatures")
    partner: Mapped[Partner] = relationship(back_populates="signatures")


class ThreatCategory(NameKeyed, Timestamped, Base):
    """KMZB category (editable dictionary, seeded from kmzb.json)."""

    __tablename__ = "threat_categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    is_road: Mapped[bool] = mapped_column(Boolean, default=False)
    description_required: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    # The entry of the shipped kmzb.json this row stands for (None: made by a user); it stays
    # when the user renames the row, so a newer file never adds the entry a second time.
    shipped_name: Mapped[str | None] = mapped_column(String(200), unique=True)
    # Changed by a user (renamed, road mark, retired or restored): the file no longer updates it.
    user_edited: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class ThreatStatus(NameKeyed, Timestamped, Base):
    """KMZB report status (editable dictionary, seeded from kmzb.json)."""

    __tablename__ = "threat_statuses"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    # The entry of the shipped kmzb.json this row stands for (None: made by a user); it stays
    # when the user renames the row, so a newer file never adds the entry a second time.
    shipped_name: Mapped[str | None] = mapped_column(String(200), unique=True)
    # Changed by a user (renamed, road mark, retired or restored): the file no longer updates it.
    user_edited: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class ThreatReport(Timestamped, Base):
    """A report on the national threat map (KMZB) or from another source."""

    __tablename__ = "threat_reports"
    __table_args__ = (
        CheckConstraint("lat >= -90 AND lat <= 90", name="lat_range"),
        CheckConstraint("lon >= -180 AND lon <= 180", name="lon_range"),
        Index("ix_threat_reports_beat_reported", "beat_id", "reported_at"),
        # Covering for counts over a date range (migration 0012, desktop/threats/counts.py).
        Index("ix_threat_reports_reported_at", "reported_at", "beat_id", "category_id",
              "status_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[str | None] = mapped_column(String(100), unique=True)
    category_id: Mapped[int] = mapped_column(
        ForeignKey("threat_categories.id", ondelete="RESTRICT"), index=True
    )
    status_id: Mapped[int] = mapped_column(ForeignKey("threat_statuses.id", ondelete="RESTRICT"))
    reported_at: Mapped[dt.datetime] = mapped_column(DateTime)
    event_date: Mapped[dt.date | None] = mapped_column(Date)
    event_time: Mapped[str] = mapped_column(String(40), default="")  # pora dnia, free text
    modified_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    teryt: Mapped[str] = mapped_column(String(10), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    beat_id: Mapped[int | None] = mapped_column(ForeignKey("beats.id", ondelete="SET NULL"))

    category: Mapped[ThreatCategory] = relationship()
    status: Mapped[ThreatStatus] = relationship()
    beat: Mapped[Beat | None] = relationship()


class PriorityPlan(Versioned, Timestamped, Base):
    """Plan działania priorytetowego: one beat's plan against its diagnosed problem."""

    __tablename__ = "priority_plans"
    __table_args__ = (
        CheckConstraint("period_to >= period_from", name="period_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    beat_id: Mapped[int] = mapped_column(ForeignKey("beats.id", ondelete="RESTRICT"), index=True)
    officer_id: Mapped[int | None] = mapped_column(
        ForeignKey("officers.id", ondelete="RESTRICT")
    )
    category_id: Mapped[int | None] = mapped_column(
        ForeignKey("threat_categories.id", ondelete="RESTRICT")
    )
    problem: Mapped[str] = mapped_column(Text, default="")  # characteristics of the threat
    goal: Mapped[str] = mapped_column(Text, default="")
    period_from: Mapped[dt.date] = mapped_column(Date)
    period_to: Mapped[dt.date] = mapped_column(Date)
    evaluation: Mapped[PlanEvaluation | None] = mapped_column(
        _enum(PlanEvaluation, "plan_evaluation")
    )
    evaluation_note: Mapped[str] = mapped_column(Text, default="")

    beat: Mapped[Beat] = relationship()
    officer: Mapped[Officer | None] = relationship()
    category: Mapped[ThreatCategory | None] = relationship()
    actions: Mapped[list[PlanAction]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="PlanAction.deadline"
    )
    partners: Mapped[list[PlanPartner]] = relationship(
        back_populates="plan", cascade="all, delete-orphan"
    )


class PlanAction(Timestamped, Base):
    """A planned action with a deadline and the person responsible."""

    __tablename__ = "plan_actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(
        ForeignKey("priority_plans.id", ondelete="CASCADE"), index=True
    )
    description: Mapped[str] = mapped_column(Text)
    deadline: Mapped[dt.date | None] = mapped_column(Date)
    responsible: Mapped[str] = mapped_column(String(200), default="")
    done: Mapped[bool] = mapped_column(Boolean, default=False)

    plan: Mapped[PriorityPlan] = relationship(back_populates="actions")


class PlanPartner(Timestamped, Base):
    """A partner from the register taking part in a priority plan."""

    __tablename__ = "plan_partners"
    __table_args__ = (UniqueConstraint("plan_id", "partner_id", name="uq_plan_partners_pair"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("priority_plans.id", ondelete="CASCADE"))
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id", ondelete="RESTRICT"))
    role: Mapped[str] = mapped_column(String(200), default="")

    plan: Mapped[PriorityPlan] = relationship(back_populates="partners")
    partner: Mapped[Partner] = relationship()


class DatabaseInfo(Timestamped, Base):
    """Key/value facts about the database itself (e.g. that it holds sample data)."""

    __tablename__ = "database_info"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")


class AuditEntry(Base):
    """One change of a domain record (or one bulk statement) with who, where and when.

    Written by ``db.audit`` in the same transaction as the change itself. ``changes`` is JSON:
    ``{"field": [old, new]}`` (inserts have old = null, deletes new = null); a bulk statement
    (e.g. an import of KMZB reports) is one entry with ``row_count`` rows.
    """

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_table_record", "table_name", "record_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)  # UTC, naive
    os_user: Mapped[str] = mapped_column(String(120), index=True)
    workstation: Mapped[str] = mapped_column(String(120))
    origin: Mapped[str] = mapped_column(String(80))  # one running program (host:pid:random)
    action: Mapped[str] = mapped_column(String(10))  # insert | update | delete
    table_name: Mapped[str] = mapped_column(String(60))
    record_id: Mapped[str] = mapped_column(String(60), default="")
    label: Mapped[str] = mapped_column(String(200), default="")
    row_count: Mapped[int] = mapped_column(Integer, default=1)
    changes: Mapped[str] = mapped_column(Text, default="{}")



# Report counts per month × beat × category × status (kept by triggers): db/aggregates.py.
from db.aggregates import ReportCount as ReportCount  # noqa: E402

# The change marker of the reports (kept by triggers; the map's cache): db/report_marker.py.
from db.report_marker import ReportMarker as ReportMarker  # noqa: E402
