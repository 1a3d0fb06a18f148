"""Helpers for migration scripts that must work on SQLite and on PostGIS."""

from __future__ import annotations

from alembic import op


def is_postgis() -> bool:
    """True when the migration runs on PostgreSQL (with PostGIS)."""
    return op.get_bind().dialect.name == "postgresql"


def create_spatial_index(table: str, column: str = "geometry") -> None:
    """A GiST index ``idx_<table>_<column>`` on PostGIS; nothing on SQLite (WKB blobs).

    Call it in ``upgrade()`` for every new geometry column, as `store.schema.spatial_index`
    declares it in the metadata.
    """
    if is_postgis():
        op.create_index(f"idx_{table}_{column}", table, [column], postgresql_using="gist")


def drop_spatial_index(table: str, column: str = "geometry") -> None:
    """Drop the index made by `create_spatial_index` (PostGIS only)."""
    if is_postgis():
        op.drop_index(f"idx_{table}_{column}", table_name=table)
