"""audit_log.record_unit: the responsible unit of each audited record

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 17:21:05.419416

Made by `python cli.py db revision -m MESSAGE`: read it, then run the store tests on SQLite and
PostGIS. For a new geometry column add `create_spatial_index(table)` to upgrade().

The repository writes the unit of every record it audits from now on; entries written before
keep none (the audit log is append-only), so they are shown to planners and leaders, not to
stewards, who see their own unit's entries only.
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN (no batch copy): the audit log keeps its append-only triggers.
    op.add_column("audit_log", sa.Column("record_unit", sa.Text(), nullable=True))
    op.create_index("ix_audit_log_record_unit", "audit_log", ["record_unit"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_audit_log_record_unit", table_name="audit_log")
    op.drop_column("audit_log", "record_unit")
