"""Database tables, generated from the inventory schema, with a portable geometry type."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from geoalchemy2 import Geometry as PostGISGeometry  # also registers its DDL event hooks
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FunctionElement
from sqlalchemy.types import TypeDecorator

from spaces.schema import DEMANDS, TABLES, Table

SRID = 4326


class Geometry(TypeDecorator):
    """WGS84 geometry: a WKB blob on SQLite, a PostGIS ``geometry(Geometry, 4326)`` on PostgreSQL.

    Values travel as WKB bytes in both directions; the column converts on PostGIS.
    """

    impl = sa.LargeBinary
    cache_ok = True
    # What GeoAlchemy2's DDL hooks read from a geometry type: no index of its own (ours are
    # declared with `spatial_index`), a typmod column (not AddGeometryColumn).
    geometry_type = "GEOMETRY"
    srid = SRID
    dimension = 2
    spatial_index = False
    use_typmod = None

    def load_dialect_impl(self, dialect: sa.Dialect | None) -> Any:
        if dialect is None:  # GeoAlchemy2's DDL hooks ask without a dialect
            return sa.LargeBinary()
        if dialect.name == "postgresql":
            return dialect.type_descriptor(
                PostGISGeometry("GEOMETRY", srid=SRID, spatial_index=False)
            )
        return dialect.type_descriptor(sa.LargeBinary())

    def bind_expression(self, bindvalue: Any) -> Any:
        return _PostGISFrom(bindvalue)

    def column_expression(self, col: Any) -> Any:
        return _PostGISTo(col)


class _PostGISFrom(FunctionElement):
    inherit_cache = True
    type = sa.LargeBinary()


class _PostGISTo(FunctionElement):
    inherit_cache = True
    type = sa.LargeBinary()


@compiles(_PostGISFrom)
def _from_default(element: Any, compiler: Any, **kw: Any) -> str:
    return compiler.process(element.clauses, **kw)


@compiles(_PostGISFrom, "postgresql")
def _from_pg(element: Any, compiler: Any, **kw: Any) -> str:
    return f"ST_GeomFromWKB({compiler.process(element.clauses, **kw)}, {SRID})"


@compiles(_PostGISTo)
def _to_default(element: Any, compiler: Any, **kw: Any) -> str:
    return compiler.process(element.clauses, **kw)


@compiles(_PostGISTo, "postgresql")
def _to_pg(element: Any, compiler: Any, **kw: Any) -> str:
    return f"ST_AsBinary({compiler.process(element.clauses, **kw)})"


JSON = sa.JSON().with_variant(JSONB(), "postgresql")
"""JSON documents: JSONB on PostgreSQL, JSON text on SQLite."""

_TYPES = {
    "str": sa.Text,
    "int": sa.BigInteger,
    "float": sa.Float,
    "bool": sa.Boolean,
    "date": sa.Date,
    "geometry": Geometry,
}

metadata = sa.MetaData()


def spatial_index(table: sa.Table, column: str = "geometry") -> sa.Index:
    """A GiST index on a geometry column, created on PostGIS only (SQLite keeps WKB blobs)."""
    return sa.Index(f"idx_{table.name}_{column}", table.c[column], postgresql_using="gist").ddl_if(
        dialect="postgresql"
    )


def _inventory_table(name: str) -> sa.Table:
    spec = TABLES[name]
    columns = [sa.Column(spec.id, sa.Text, primary_key=True)]
    for f in spec.fields:
        if f.name == spec.id:
            continue
        columns.append(sa.Column(f.name, _TYPES[f.kind](), nullable=True))
    columns.append(sa.Column("version", sa.Integer, nullable=False, server_default="1"))
    table = sa.Table(name, metadata, *columns)
    if spec.geometry:
        spatial_index(table)
    return table


INVENTORY = {name: _inventory_table(name) for name in TABLES}


def _record_table(spec: Table) -> sa.Table:
    columns = [sa.Column(spec.id, sa.Text, primary_key=True)]
    columns += [
        sa.Column(f.name, _TYPES[f.kind](), nullable=True) for f in spec.fields if f.name != spec.id
    ]
    columns.append(sa.Column("version", sa.Integer, nullable=False, server_default="1"))
    return sa.Table(spec.name, metadata, *columns)


# The demand list (需求清单), apart from the carrier inventory.
demands = _record_table(DEMANDS)

layer_features = sa.Table(
    "layer_features",
    metadata,
    sa.Column("feature_id", sa.Text, primary_key=True),
    sa.Column("layer", sa.Text, nullable=False, index=True),
    sa.Column("name_zh", sa.Text),
    sa.Column("name_en", sa.Text),
    sa.Column("kind", sa.Text),
    sa.Column("source", sa.Text, nullable=False),
    sa.Column("datum", sa.Text, nullable=False),
    sa.Column("method", sa.Text),
    sa.Column("approximate", sa.Boolean, nullable=False),
    sa.Column("geometry", Geometry(), nullable=False),
    sa.Column("version", sa.Integer, nullable=False, server_default="1"),
)
spatial_index(layer_features)

meta = sa.Table(
    "meta",
    metadata,
    sa.Column("key", sa.Text, primary_key=True),
    sa.Column("value", sa.Text),
)

# Append-only log of every change to the inventory and the layers: who (``actor``, their
# ``unit`` and ``account``), when, which record, the responsible unit the record belongs to
# (``record_unit``: after the change, else before; none for demands and layers) and the record
# before and after as JSON. The repository only ever inserts here; undoing a change is a new
# entry (``undo_of``). Migrations add triggers that refuse UPDATE and DELETE.
audit_log = sa.Table(
    "audit_log",
    metadata,
    sa.Column("audit_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("actor", sa.Text, nullable=False),
    sa.Column("unit", sa.Text),
    sa.Column("account", sa.Text),
    sa.Column("change_set", sa.Text, nullable=False),
    sa.Column("action", sa.Text, nullable=False),
    sa.Column("table_name", sa.Text, nullable=False),
    sa.Column("record_id", sa.Text, nullable=False),
    sa.Column("record_unit", sa.Text),
    sa.Column("version", sa.Integer),
    sa.Column("before", JSON),
    sa.Column("after", JSON),
    sa.Column("undo_of", sa.Integer),
    sa.Column("note", sa.Text),
    sa.Index("ix_audit_log_record", "table_name", "record_id"),
    sa.Index("ix_audit_log_change_set", "change_set"),
    sa.Index("ix_audit_log_record_unit", "record_unit"),
)

TABLES_BY_NAME: dict[str, sa.Table] = {
    **INVENTORY,
    "layer_features": layer_features,
    "demands": demands,
}
"""Every versioned, audited table by name."""

# --- release decisions (issue 3) -----------------------------------------------------------

batch_decisions = sa.Table(
    "batch_decisions",
    metadata,
    sa.Column("decision_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("batch", sa.Integer, nullable=False),
    sa.Column("window_start", sa.Date, nullable=False, index=True),
    sa.Column("window_end", sa.Date, nullable=False),
    sa.Column("evaluated", sa.Date, nullable=False),
    sa.Column("as_of", sa.Date, nullable=False),
    sa.Column("decision", sa.Text, nullable=False),
    sa.Column("comment", sa.Text, nullable=False, server_default=""),
    sa.Column("decided_by", sa.Text, nullable=False),
    sa.Column("account", sa.Text),
    sa.Column("role", sa.Text, nullable=False),
    sa.Column("decided_at", sa.Text, nullable=False),
    sa.Column("policy", sa.Text, nullable=False),
    sa.Column("plan_fingerprint", sa.Text, nullable=False),
    sa.Column("data_revision", sa.Integer),
    sa.Column("members", sa.Integer, nullable=False),
    sa.Column("area_m2", sa.Float, nullable=False),
)
"""Every approval or return of a release batch, with who, when, why and the policy used."""

batch_members = sa.Table(
    "batch_members",
    metadata,
    sa.Column(
        "decision_id",
        sa.Integer,
        sa.ForeignKey("batch_decisions.decision_id"),
        primary_key=True,
    ),
    sa.Column("carrier_id", sa.Text, primary_key=True),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("name", sa.Text),
    sa.Column("tier", sa.Text),
    sa.Column("status", sa.Text),
    sa.Column("responsible_unit", sa.Text),
    sa.Column("track", sa.Text),
    sa.Column("area", sa.Text),
    sa.Column("building_id", sa.Text),
    sa.Column("plot_id", sa.Text),
    sa.Column("usable_area_m2", sa.Float),
    sa.Column("score", sa.Float, nullable=False),
    sa.Column("construction", sa.Float),
    sa.Column("facilities", sa.Float),
    sa.Column("service_team", sa.Float),
    sa.Column("industry_fit", sa.Float),
    sa.Column("ready", sa.Boolean),
    sa.Column("ready_from", sa.Date),
    sa.Column("reason_zh", sa.Text),
    sa.Column("reason_en", sa.Text),
)
"""The carriers of a batch as they were when the decision was taken (frozen)."""


# --- accounts (issue 9) --------------------------------------------------------------------

accounts = sa.Table(
    "accounts",
    metadata,
    sa.Column("login", sa.Text, primary_key=True),
    sa.Column("display_name", sa.Text, nullable=False),
    sa.Column("role", sa.Text, nullable=False),
    sa.Column("unit", sa.Text),
    sa.Column("password_hash", sa.Text),
    sa.Column("status", sa.Text, nullable=False, server_default="active"),
    sa.Column("sample", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("must_change_password", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("failed_attempts", sa.Integer, nullable=False, server_default="0"),
    sa.Column("locked_until", sa.DateTime(timezone=True)),
    sa.Column("last_sign_in", sa.DateTime(timezone=True)),
    sa.Column("password_changed_at", sa.DateTime(timezone=True)),
    sa.Column("oidc_subject", sa.Text, unique=True),
    sa.Column("email", sa.Text, index=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("version", sa.Integer, nullable=False, server_default="1"),
)
"""Who may sign in: login, display name, role and unit, the password's argon2id hash (none for
an account that signs in through the organisation's OpenID Connect provider), status, sample
flag, failed attempts and lock, and the provider's subject or e-mail it is found by."""

# --- saved column mappings (issue 10) --------------------------------------------------------

mapping_profiles = sa.Table(
    "mapping_profiles",
    metadata,
    sa.Column("unit", sa.Text, primary_key=True),
    sa.Column("name", sa.Text, primary_key=True),
    sa.Column("signature", sa.Text, nullable=False, index=True),
    sa.Column("document", sa.Text, nullable=False),
    sa.Column("saved_by", sa.Text, nullable=False),
    sa.Column("saved_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("version", sa.Integer, nullable=False, server_default="1"),
)
"""A responsible unit's saved column mappings (`store.mappings`): its name, the header signature
of the files it was confirmed for, the mapping document (`spaces.mapping.Mapping.to_json`), who
saved it and when. Each save is audited (table "mapping_profiles", record "unit/name")."""


sessions = sa.Table(
    "sessions",
    metadata,
    sa.Column("token_hash", sa.Text, primary_key=True),
    sa.Column("login", sa.Text, nullable=False, index=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("last_seen", sa.DateTime(timezone=True), nullable=False),
    sa.Column("ended_at", sa.DateTime(timezone=True)),
    sa.Column("end_reason", sa.Text),
)
"""Who is signed in: one row per sign-in, keyed by the SHA-256 of the session's random token
(the token itself is only in the browser), the account's login, when it started and was last
used, and when and why it ended (signed out, idle, the account changed)."""
