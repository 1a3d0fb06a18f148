"""Schema migrations with Alembic for SQLite and PostGIS: upgrade on start, new revisions."""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from store.schema import Geometry, metadata

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
BASELINE = "0001"
"""The foundation's schema: stores created before migrations existed are stamped with it."""

_POSTGIS_TABLES = frozenset({"spatial_ref_sys"})  # the extension's own, not ours
_LOCK_KEY = 7_202_605  # pg_advisory_xact_lock key serialising upgrades of one database


def config(connection: sa.Connection | None = None, *, scripts: Path = MIGRATIONS) -> Config:
    """An Alembic configuration for the migration scripts in ``scripts``, on ``connection``."""
    cfg = Config()
    cfg.set_main_option("script_location", str(scripts))
    cfg.set_main_option("path_separator", "os")
    cfg.attributes["connection"] = connection
    return cfg


def head(*, scripts: Path = MIGRATIONS) -> str:
    """The newest revision of the migration scripts."""
    heads = ScriptDirectory.from_config(config(scripts=scripts)).get_heads()
    if len(heads) != 1:
        raise RuntimeError(
            f"the migrations have {len(heads)} heads ({', '.join(heads)}): merge them with "
            "`alembic merge` semantics before upgrading (see README, 'Schema migrations')"
        )
    return heads[0]


def current(engine: sa.Engine) -> str | None:
    """The revision the database is at (None for a new or pre-migration database)."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: sa.Engine, *, revision: str = "head", scripts: Path = MIGRATIONS) -> None:
    """Bring the database to ``revision``; one process at a time, safe to call on every start.

    A database made by the foundation (tables present, no version table) is first stamped
    with `BASELINE`.
    """
    if revision == "head" and current(engine) == head(scripts=scripts):
        return
    with engine.begin() as conn:
        _lock(conn)
        cfg = config(conn, scripts=scripts)
        context = MigrationContext.configure(conn)
        tables = set(sa.inspect(conn).get_table_names())
        if context.get_current_revision() is None and "meta" in tables:
            command.stamp(cfg, BASELINE)
        command.upgrade(cfg, revision)


def _lock(conn: sa.Connection) -> None:
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
    elif conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def make_revision(
    message: str, *, url: str | None = None, scripts: Path = MIGRATIONS
) -> Path | None:
    """Write a new migration script for what changed in `store.schema` since the head.

    The schema at head is built in a temporary SQLite database (or the database at ``url``,
    which must be at head) and compared with `store.schema.metadata`. Returns the new file,
    or None when the schema has not changed.
    """
    slug = re.sub(r"[^0-9a-zA-Z]+", "_", message).strip("_").lower()[:40] or "change"
    last = head(scripts=scripts)
    rev_id = f"{int(last) + 1:04d}" if last.isdigit() else None
    with tempfile.TemporaryDirectory() as tmp:
        engine = sa.create_engine(url or f"sqlite:///{tmp}/head.sqlite")
        try:
            upgrade(engine, scripts=scripts)
            with engine.begin() as conn:
                cfg = config(conn, scripts=scripts)
                cfg.set_main_option("file_template", f"%%(rev)s_{slug}")
                script = command.revision(cfg, message=message, autogenerate=True, rev_id=rev_id)
        finally:
            engine.dispose()
    if script is None or isinstance(script, list):
        return None
    path = Path(script.path)
    for args in (["check", "--fix", "--quiet"], ["format", "--quiet"]):
        subprocess.run([sys.executable, "-m", "ruff", *args, str(path)], check=False)
    return path


def compare_type(ctx: Any, inspected: Any, metadata_column: Any, inspected_type: Any, meta: Any):
    """Autogenerate type comparison; the portable Geometry reads back differently per backend."""
    if isinstance(metadata_column.type, Geometry):
        return False
    return None


def skip_empty_revision(ctx: Any, revision: Any, directives: list) -> None:
    """Write no migration file when the schema has not changed."""
    if directives[0].upgrade_ops.is_empty():
        directives[:] = []


def schema_differences(engine: sa.Engine) -> list[Any]:
    """What `store.schema.metadata` has that the database lacks (or the reverse); [] if none."""
    from alembic.autogenerate import compare_metadata

    with engine.connect() as conn:
        ctx = MigrationContext.configure(
            conn,
            opts={
                "compare_type": compare_type,
                "include_object": include_for(conn.dialect.name),
            },
        )
        return compare_metadata(ctx, metadata)


def include_for(dialect: str) -> Any:
    """Autogenerate filter: GiST indexes (``idx_*``) exist on PostGIS only, never on SQLite."""

    def include(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any):
        if type_ == "table" and name in _POSTGIS_TABLES:
            return False
        if type_ == "index" and name and name.startswith("idx_"):
            return dialect == "postgresql"
        return True

    return include
