"""Address points of the national address register (PRG, "punkty adresowe"), imported per
gmina from GUGiK's GML (or a CSV made from it) so that "Znajdź dzielnicowego" can answer by
point-in-beat for any registered address.

A module of its own (``db.models`` re-exports it); it imports nothing from ``db.models``.
"""
from __future__ import annotations

from sqlalchemy import Float, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, Timestamped


class AddressPoint(Timestamped, Base):
    """One registered address with its point in PUWG 1992 (as delivered) and WGS84.

    ``prg_id`` is the register's ``lokalnyId`` (the local part of the IIP identifier): a
    re-import updates the row with the same id instead of adding another. The ``*_key``
    columns hold the names normalised like the street register (case, diacritics and the
    type word ignored), for lookups by locality / street / house number.
    """

    __tablename__ = "address_points"
    __table_args__ = (
        Index("ix_address_points_lookup", "locality_key", "street_key", "number_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    prg_id: Mapped[str] = mapped_column(String(80), unique=True)
    namespace: Mapped[str] = mapped_column(String(80), default="")  # przestrzenNazw
    teryt: Mapped[str] = mapped_column(String(7), index=True)  # the gmina (TERYT, 7 digits)
    locality: Mapped[str] = mapped_column(String(120))
    locality_key: Mapped[str] = mapped_column(String(120))
    street: Mapped[str] = mapped_column(String(200), default="")  # "" = a village without
    street_key: Mapped[str] = mapped_column(String(200), default="")  # streets
    number: Mapped[str] = mapped_column(String(20))  # numerPorzadkowy as written ("12a")
    number_key: Mapped[str] = mapped_column(String(20))  # lower case, no spaces
    postal_code: Mapped[str] = mapped_column(String(6), default="")
    status: Mapped[str] = mapped_column(String(40), default="")
    easting: Mapped[float] = mapped_column(Float)  # EPSG:2180
    northing: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)  # EPSG:4326
    lat: Mapped[float] = mapped_column(Float)
