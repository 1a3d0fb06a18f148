"""Audit log (append-only), GiST spatial indexes on PostGIS and the revision counter row.

Revision ID: 0002
Revises: 0001
Create Date: 2026-06-01
"""

import sqlalchemy as sa
from alembic import op

from store.migrations.helpers import create_spatial_index, drop_spatial_index
from store.schema import JSON

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_SPATIAL = ("plots", "buildings", "layer_features")


def upgrade() -> None:
    op.create_table(
        "audit_log",
        sa.Column("audit_id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.Text(), nullable=False),
        sa.Column("unit", sa.Text()),
        sa.Column("change_set", sa.Text(), nullable=False),
        sa.Column("action", sa.Text(), nullable=False),
        sa.Column("table_name", sa.Text(), nullable=False),
        sa.Column("record_id", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer()),
        sa.Column("before", JSON),
        sa.Column("after", JSON),
        sa.Column("undo_of", sa.Integer()),
        sa.Column("note", sa.Text()),
    )
    op.create_index("ix_audit_log_record", "audit_log", ["table_name", "record_id"])
    op.create_index("ix_audit_log_change_set", "audit_log", ["change_set"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$"
        )
        op.execute(
            "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
            "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()"
        )
    else:
        for event in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER audit_log_no_{event.lower()} BEFORE {event} ON audit_log "
                "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"
            )
    for table in _SPATIAL:
        create_spatial_index(table)
    op.execute(
        "INSERT INTO meta (key, value) SELECT 'revision', '0' "
        "WHERE NOT EXISTS (SELECT 1 FROM meta WHERE key = 'revision')"
    )


def downgrade() -> None:
    for table in _SPATIAL:
        drop_spatial_index(table)
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER audit_log_append_only ON audit_log")
        op.execute("DROP FUNCTION audit_log_append_only()")
    op.drop_table("audit_log")
