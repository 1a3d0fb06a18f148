"""mapping_profiles: a responsible unit's saved column mappings for its own spreadsheets

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 10:00:00.000000

Made by `python cli.py db revision -m MESSAGE`: read it, then run the store tests on SQLite and
PostGIS. For a new geometry column add `create_spatial_index(table)` to upgrade().

"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "mapping_profiles",
        sa.Column("unit", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("signature", sa.Text(), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.Column("saved_by", sa.Text(), nullable=False),
        sa.Column("saved_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.PrimaryKeyConstraint("unit", "name"),
    )
    with op.batch_alter_table("mapping_profiles", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_mapping_profiles_signature"), ["signature"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("mapping_profiles", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mapping_profiles_signature"))
    op.drop_table("mapping_profiles")
