"""Initial schema: the foundation's inventory tables, base layers and meta.

Revision ID: 0001
Revises:
Create Date: 2026-06-01

This is the schema the foundation created with ``metadata.create_all``; stores made before
migrations existed are stamped with this revision and upgraded from here.
"""

import sqlalchemy as sa
from alembic import op

from store.schema import Geometry

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "plots",
        sa.Column("plot_id", sa.Text(), primary_key=True),
        sa.Column("name", sa.Text()),
        sa.Column("land_use", sa.Text()),
        sa.Column("land_status", sa.Text()),
        sa.Column("far", sa.Float()),
        sa.Column("land_ready_planned", sa.Date()),
        sa.Column("land_ready_actual", sa.Date()),
        sa.Column("facilities_progress", sa.Float()),
        sa.Column("responsible_unit", sa.Text()),
        sa.Column("operator", sa.Text()),
        sa.Column("source", sa.Text()),
        sa.Column("approximate", sa.Boolean()),
        sa.Column("geometry", Geometry()),
        sa.Column("version", sa.Integer(), nullable=False, server_default="1"),
    )
    op.create_table(
        "buildings",
        sa.Column("building_id", sa.Text(), primary_key=True),
        sa.Column("plot_id", sa.Text()),
        sa.Column("name", sa.Text()),
        sa.Column("address", sa.Text()),
        sa.Column("kind", sa.Text()),
        sa.Column("height_m", sa.Float()),
        sa.Column("construction_progress", sa.Float()),
        sa.Column("planned_completion", sa.Date()),
        sa.Column("actual_completion", sa.Date()),
        sa.Column("planned_acceptance", sa.Date()),
        sa.Column("actual_acceptance", sa.Date()),
        sa.Column("facilities_progress", sa.Float()),
        sa.Column("responsible_unit", sa.Text()),
        sa.Column("operator", sa.Text()),
        sa.Column("source", sa.Text()),
        sa.Column("approximate", sa.Boolean()),
        sa.Column("geometry", Geometry()),
        sa.Column("version", sa.Integer(), nullable=False, server_default="1"),
    )
    op.create_table(
        "floors",
        sa.Column("floor_id", sa.Text(), primary_key=True),
        sa.Column("building_id", sa.Text()),
        sa.Column("level", sa.BigInteger()),
        sa.Column("usable_area_m2", sa.Float()),
        sa.Column("floor_load_kn_m2", sa.Float()),
        sa.Column("clear_height_m", sa.Float()),
        sa.Column("exhaust", sa.Boolean()),
        sa.Column("wet_lab_drainage", sa.Boolean()),
        sa.Column("power_kva", sa.Float()),
        sa.Column("clean_room_iso", sa.BigInteger()),
        sa.Column("version", sa.Integer(), nullable=False, server_default="1"),
    )
    op.create_table(
        "rooms",
        sa.Column("room_id", sa.Text(), primary_key=True),
        sa.Column("floor_id", sa.Text()),
        sa.Column("number", sa.Text()),
        sa.Column("usable_area_m2", sa.Float()),
        sa.Column("version", sa.Integer(), nullable=False, server_default="1"),
    )
    op.create_table(
        "service_teams",
        sa.Column("team_id", sa.Text(), primary_key=True),
        sa.Column("name", sa.Text()),
        sa.Column("responsible_unit", sa.Text()),
        sa.Column("status", sa.Text()),
        sa.Column("ready_date", sa.Date()),
        sa.Column("capacity", sa.BigInteger()),
        sa.Column("lead", sa.Text()),
        sa.Column("version", sa.Integer(), nullable=False, server_default="1"),
    )
    op.create_table(
        "carriers",
        sa.Column("carrier_id", sa.Text(), primary_key=True),
        sa.Column("tier", sa.Text()),
        sa.Column("target_id", sa.Text()),
        sa.Column("status", sa.Text()),
        sa.Column("rent_yuan_m2_day", sa.Float()),
        sa.Column("available_from", sa.Date()),
        sa.Column("service_team_id", sa.Text()),
        sa.Column("track", sa.Text()),
        sa.Column("tenant", sa.Text()),
        sa.Column("note", sa.Text()),
        sa.Column("version", sa.Integer(), nullable=False, server_default="1"),
    )
    op.create_table(
        "layer_features",
        sa.Column("feature_id", sa.Text(), primary_key=True),
        sa.Column("layer", sa.Text(), nullable=False),
        sa.Column("name_zh", sa.Text()),
        sa.Column("name_en", sa.Text()),
        sa.Column("kind", sa.Text()),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("datum", sa.Text(), nullable=False),
        sa.Column("method", sa.Text()),
        sa.Column("approximate", sa.Boolean(), nullable=False),
        sa.Column("geometry", Geometry(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False, server_default="1"),
    )
    op.create_index("ix_layer_features_layer", "layer_features", ["layer"])
    op.create_table(
        "meta",
        sa.Column("key", sa.Text(), primary_key=True),
        sa.Column("value", sa.Text()),
    )


def downgrade() -> None:
    for name in (
        "meta",
        "layer_features",
        "carriers",
        "service_teams",
        "rooms",
        "floors",
        "buildings",
        "plots",
    ):
        op.drop_table(name)
