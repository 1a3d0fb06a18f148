"""The one repository through which the app reads and writes the inventory and layers.

`Repository` joins the store's parts, one per aggregate: the inventory
(`store.inventory`), the demand list (`store.demands`), the base layers (`store.layers`),
the leaders' decisions (`store.decisions`), the audit log with undo (`store.audit`), the
sample data (`store.sample`), the accounts (`store.accounts`) and their sessions
(`store.sessions`), all writing through the versioned, audited records of `store.records`.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import geopandas as gpd
import sqlalchemy as sa

from geodata.layers import validate_layers
from settings import AuthSettings
from spaces.model import Inventory
from spaces.schema import TABLES
from spaces.validation import check
from store import migrate, schema
from store.accounts import TABLE as ACCOUNTS_TABLE
from store.accounts import AccountStore
from store.audit import AuditStore
from store.decisions import DecisionError, DecisionStore
from store.demands import DemandStore
from store.inventory import InventoryStore
from store.layers import LayerStore
from store.mappings import MappingStore
from store.records import (
    SYSTEM,
    Actor,
    WriteResult,
    audit_seed,
    insert_rows,
    is_empty,
    lock,
    set_meta,
)
from store.sample import SampleError, SampleRecords, SampleStore
from store.sessions import SessionStore

__all__ = [
    "ACCOUNTS_TABLE",
    "SYSTEM",
    "Actor",
    "DecisionError",
    "Repository",
    "SampleError",
    "SampleRecords",
    "WriteResult",
    "engine_for",
    "normalize_url",
]


def engine_for(url: str) -> sa.Engine:
    """A SQLAlchemy engine for a database URL (``postgresql://`` uses psycopg 3)."""
    url = normalize_url(url)
    if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    if url.startswith("sqlite"):
        engine = sa.create_engine(url)
        sa.event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return sa.create_engine(url, pool_pre_ping=True)


def normalize_url(url: str) -> str:
    """``postgresql://`` and ``postgres://`` URLs get the installed driver (psycopg 3)."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


class Repository(
    InventoryStore,
    DemandStore,
    LayerStore,
    DecisionStore,
    AuditStore,
    SampleStore,
    AccountStore,
    MappingStore,
    SessionStore,
):
    """Transactional access to one database (SQLite file or PostgreSQL+PostGIS).

    Every write validates the whole resulting inventory first and runs in a single
    transaction that starts by taking the store's write lock (the revision counter), so a
    failed write leaves the store exactly as it was and concurrent writers, in this or other
    processes, are serialised. Each changed record gets its ``version`` bumped and an entry in
    the append-only audit log.

    Parameters
    ----------
    engine
        A SQLAlchemy engine.
    units, tracks
        The responsible-unit and track ids from settings, used to validate writes.
    auth
        The ``[auth]`` settings: the lockout and the password rules of the accounts.
    """

    def __init__(
        self,
        engine: sa.Engine,
        *,
        units: Iterable[str],
        tracks: Iterable[str],
        auth: AuthSettings | None = None,
    ):
        self.engine = engine
        self.units = tuple(units)
        self.tracks = tuple(tracks)
        self.auth = auth or AuthSettings()

    @classmethod
    def connect(
        cls,
        url: str,
        *,
        units: Iterable[str],
        tracks: Iterable[str],
        auth: AuthSettings | None = None,
        migrate: bool = True,
    ) -> Repository:
        """Open the database at ``url`` and upgrade its schema to the newest migration."""
        repo = cls(engine_for(url), units=units, tracks=tracks, auth=auth)
        if migrate:
            repo.create_schema()
        return repo

    @property
    def backend(self) -> str:
        """``"sqlite"`` or ``"postgresql"``."""
        return self.engine.dialect.name

    def create_schema(self) -> None:
        """Upgrade the database to the newest schema (Alembic; idempotent, process-safe)."""
        migrate.upgrade(self.engine)

    def is_empty(self) -> bool:
        """True when the store holds no carriers, buildings or plots and no layers."""
        with self.engine.connect() as conn:
            return is_empty(conn)

    # --- meta ------------------------------------------------------------------------------

    def revision(self) -> int:
        """A counter bumped by every write: callers cache what they read under it."""
        return int(self.get_meta("revision", "0") or 0)

    def get_meta(self, key: str, default: str | None = None) -> str | None:
        """A stored setting of the data itself (e.g. whether it is sample data)."""
        with self.engine.connect() as conn:
            value = conn.execute(
                sa.select(schema.meta.c.value).where(schema.meta.c.key == key)
            ).scalar()
        return default if value is None else value

    def set_meta(self, key: str, value: str) -> None:
        """Store ``value`` under ``key``, replacing any earlier value."""
        if key == "revision":
            raise ValueError("the revision is kept by the repository; it cannot be set")
        with self.engine.begin() as conn:
            lock(conn)
            set_meta(conn, key, value)

    def seed(self, inventory: Inventory, layers: gpd.GeoDataFrame, *, meta: dict[str, str]) -> bool:
        """Fill an empty store with an inventory, layers and meta values in one transaction.

        Returns False, writing nothing, when the store is not empty (another process seeded
        it first).
        """
        check(inventory, units=self.units, tracks=self.tracks)
        validate_layers(layers)
        with self.engine.begin() as conn:
            lock(conn)
            if not is_empty(conn):
                return False
            for name, df in inventory.tables().items():
                insert_rows(conn, schema.INVENTORY[name], df, TABLES[name].id, version=1)
            frame = layers if layers.index.name == "feature_id" else layers.set_index("feature_id")
            insert_rows(conn, schema.layer_features, frame, "feature_id", version=1)
            for key, value in meta.items():
                set_meta(conn, key, value)
            counts = {**inventory.counts(), "layer_features": len(frame)}
            audit_seed(conn, "seed", counts, meta)
        return True


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()
