"""${message}

Revision ID: ${up_revision}
Revises: ${down_revision | comma,n}
Create Date: ${create_date}

Made by `python cli.py db revision -m MESSAGE`: read it, then run the store tests on SQLite and
PostGIS. For a new geometry column add `create_spatial_index(table)` to upgrade().
"""

import sqlalchemy as sa
from alembic import op

from store.migrations.helpers import create_spatial_index, drop_spatial_index
from store.schema import JSON, Geometry

${imports if imports else ""}
revision = ${repr(up_revision)}
down_revision = ${repr(down_revision)}
branch_labels = ${repr(branch_labels)}
depends_on = ${repr(depends_on)}


def upgrade() -> None:
    ${upgrades if upgrades else "pass"}


def downgrade() -> None:
    ${downgrades if downgrades else "pass"}
