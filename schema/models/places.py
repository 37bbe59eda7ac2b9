"""The gazetteer: GeoNames places of Iraq and Syria plus curated additions."""

import sqlalchemy as sa
from sqlmodel import Field

from schema.models.base import Timestamped


class Place(Timestamped, table=True):
    __tablename__ = "place"
    __table_args__ = (
        sa.CheckConstraint("lat IS NULL OR (lat BETWEEN -90 AND 90)", name="lat"),
        sa.CheckConstraint("lon IS NULL OR (lon BETWEEN -180 AND 180)", name="lon"),
        sa.Index("ix_place_lat_lon", "lat", "lon"),
    )

    id: int | None = Field(default=None, primary_key=True)
    geonames_id: int | None = Field(default=None, unique=True)
    name: str = Field(max_length=200, index=True)
    ascii_name: str = Field(max_length=200)
    admin1: str | None = Field(
        default=None, max_length=100, index=True, description="governorate, English GeoNames form"
    )
    admin1_code: str | None = Field(default=None, max_length=10)
    admin2: str | None = Field(default=None, max_length=100)
    country_code: str = Field(max_length=2, index=True)
    country: str = Field(max_length=100)
    lat: float | None = None
    lon: float | None = None
    feature_class: str | None = Field(default=None, max_length=1)
    feature_code: str | None = Field(default=None, max_length=10)
    population: int = Field(default=0)
    source: str = Field(default="geonames", max_length=20, description="geonames | wof | curated")


class PlaceAlias(Timestamped, table=True):
    __tablename__ = "place_alias"
    __table_args__ = (sa.UniqueConstraint("place_id", "normalized"),)

    id: int | None = Field(default=None, primary_key=True)
    place_id: int = Field(foreign_key="place.id", ondelete="CASCADE", index=True)
    alias: str = Field(max_length=300)
    normalized: str = Field(max_length=300, index=True)
