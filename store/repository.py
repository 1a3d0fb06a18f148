"""The one repository through which the app reads and writes the inventory and layers."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
import sqlalchemy as sa

from geodata.layers import validate_layers
from spaces.demands import DemandError, build_demands
from spaces.model import CRS, Inventory
from spaces.schema import DEMANDS, TABLES
from spaces.validation import Issue, check, coerce
from store import schema


class Repository:
    """Transactional access to one database (SQLite file or PostgreSQL+PostGIS).

    Every write validates first and runs in a single transaction, so a failed write leaves
    the store exactly as it was.

    Parameters
    ----------
    engine
        A SQLAlchemy engine.
    units, tracks
        The responsible-unit and track ids from settings, used to validate writes.
    """

    def __init__(self, engine: sa.Engine, *, units: Iterable[str], tracks: Iterable[str]):
        self.engine = engine
        self.units = tuple(units)
        self.tracks = tuple(tracks)

    @classmethod
    def connect(cls, url: str, *, units: Iterable[str], tracks: Iterable[str]) -> Repository:
        """Open the database at ``url`` (creating a SQLite file's folder) with its schema."""
        if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
            Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(url)
        if engine.dialect.name == "sqlite":
            sa.event.listen(engine, "connect", _sqlite_pragmas)
        repo = cls(engine, units=units, tracks=tracks)
        repo.create_schema()
        return repo

    def create_schema(self) -> None:
        """Create missing tables (idempotent)."""
        schema.metadata.create_all(self.engine)

    def is_empty(self) -> bool:
        """True when the store holds no carriers, buildings or plots and no layers."""
        with self.engine.connect() as conn:
            for table in ("plots", "buildings", "carriers"):
                t = schema.INVENTORY[table]
                if conn.execute(sa.select(sa.func.count()).select_from(t)).scalar():
                    return False
            n = conn.execute(sa.select(sa.func.count()).select_from(schema.layer_features))
            return not n.scalar()

    # --- inventory -------------------------------------------------------------------------

    def load_inventory(self) -> Inventory:
        """Read every inventory table, typed and indexed by id."""
        frames = {}
        with self.engine.connect() as conn:
            for name, spec in TABLES.items():
                df = _read(conn, schema.INVENTORY[name], spec.geometry is not None)
                frames[name], issues = coerce(spec, df)
                if issues:  # the store only ever holds validated data
                    raise RuntimeError(f"stored {name} do not match the schema: {issues[0]}")
        return Inventory.from_frames(frames)

    def replace_inventory(self, inventory: Inventory) -> None:
        """Validate ``inventory`` and make it the whole stored inventory, in one transaction.

        Raises `spaces.validation.InventoryError` before writing anything if it is invalid.
        """
        check(inventory, units=self.units, tracks=self.tracks)
        with self.engine.begin() as conn:
            for name in reversed(TABLES):
                conn.execute(schema.INVENTORY[name].delete())
            for name, df in inventory.tables().items():
                _insert(conn, schema.INVENTORY[name], df, TABLES[name].id)
            _bump(conn)

    # --- demands (需求清单) -------------------------------------------------------------------

    def load_demands(self) -> pd.DataFrame:
        """The demand list, typed and indexed by demand_id, with each record's ``version``."""
        with self.engine.connect() as conn:
            df = _read(conn, schema.demands, False)
        typed, issues = coerce(DEMANDS, df)
        if issues:  # the store only ever holds validated data
            raise RuntimeError(f"stored demands do not match the schema: {issues[0]}")
        typed["version"] = (
            typed["version"].astype("int64") if len(typed) else pd.Series(dtype="int64")
        )
        return typed

    def add_demands(self, demands: pd.DataFrame) -> None:
        """Validate new demands and store them in one transaction.

        Raises `spaces.demands.DemandError` before writing anything if a record is invalid
        or its id is already stored.
        """
        typed = build_demands(demands, tracks=self.tracks)
        with self.engine.begin() as conn:
            stored = _versions(conn)
            clash = typed.index[typed.index.isin(stored.index)]
            if len(clash):
                raise DemandError(
                    Issue(DEMANDS.name, rid, DEMANDS.id, "duplicate_id", rid, {"count": 2})
                    for rid in clash
                )
            _insert(
                conn, schema.demands, typed.drop(columns="version", errors="ignore"), DEMANDS.id
            )
            _bump(conn)

    def update_demands(self, demands: pd.DataFrame) -> None:
        """Validate changed demands and replace the stored records with them, by id.

        With a ``version`` column (as `load_demands` gives), a record changed by someone
        else since it was read is refused (optimistic locking). Raises
        `spaces.demands.DemandError` before writing anything on any problem.
        """
        typed = build_demands(demands, tracks=self.tracks)
        with self.engine.begin() as conn:
            stored = _versions(conn)
            issues = [
                Issue(DEMANDS.name, rid, DEMANDS.id, "unknown_record", rid)
                for rid in typed.index[~typed.index.isin(stored.index)]
            ]
            if "version" in typed.columns and not issues:
                now = stored.reindex(typed.index)
                given = pd.to_numeric(typed["version"])
                stale = given.notna() & (given != now)
                issues += [
                    Issue(
                        DEMANDS.name,
                        rid,
                        "version",
                        "stale",
                        int(given[rid]),
                        {"other": int(now[rid])},
                    )
                    for rid in typed.index[stale.to_numpy()]
                ]
            if issues:
                raise DemandError(issues)
            _replace_demands(conn, typed, stored)
            _bump(conn)

    def import_demands(self, demands: pd.DataFrame) -> None:
        """Add new demands and replace stored ones with the same id, all or nothing."""
        typed = build_demands(demands, tracks=self.tracks)
        with self.engine.begin() as conn:
            _replace_demands(conn, typed, _versions(conn))
            _bump(conn)

    # --- layers ----------------------------------------------------------------------------

    def load_layers(self) -> gpd.GeoDataFrame:
        """The base GIS layers, indexed by feature_id, in EPSG:4326."""
        with self.engine.connect() as conn:
            df = _read(conn, schema.layer_features, geometry=True)
        gdf = gpd.GeoDataFrame(df.drop(columns=["version"]), geometry="geometry", crs=CRS)
        gdf["approximate"] = gdf.approximate.astype(bool)
        return gdf.set_index("feature_id")

    def replace_layers(self, layers: gpd.GeoDataFrame, *, only: Iterable[str] = ()) -> None:
        """Validate ``layers`` and store them; with ``only``, replace just those layer names."""
        validate_layers(layers)
        frame = layers.reset_index() if layers.index.name == "feature_id" else layers
        t = schema.layer_features
        with self.engine.begin() as conn:
            names = list(only)
            if names:
                conn.execute(t.delete().where(t.c.layer.in_(names)))
            else:
                conn.execute(t.delete())
            _insert(conn, t, frame.set_index("feature_id"), "feature_id")
            _bump(conn)

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
        with self.engine.begin() as conn:
            _set_meta(conn, key, value)

    def seed(self, inventory: Inventory, layers: gpd.GeoDataFrame, *, meta: dict[str, str]) -> None:
        """Fill an empty store with an inventory, layers and meta values in one transaction."""
        check(inventory, units=self.units, tracks=self.tracks)
        validate_layers(layers)
        with self.engine.begin() as conn:
            for name, df in inventory.tables().items():
                _insert(conn, schema.INVENTORY[name], df, TABLES[name].id)
            frame = layers if layers.index.name == "feature_id" else layers.set_index("feature_id")
            _insert(conn, schema.layer_features, frame, "feature_id")
            for key, value in meta.items():
                _set_meta(conn, key, value)
            _bump(conn)

    # --- release decisions ------------------------------------------------------------------
    # A leader's approval or return of a release batch, with the batch's members frozen as
    # they were. These writes leave the inventory alone, so they do not bump `revision`.

    def record_decision(self, record: Mapping[str, Any], members: pd.DataFrame) -> int:
        """Validate and store a decision on a batch with its frozen members, in one transaction.

        Parameters
        ----------
        record
            The decision's fields (see `planning.approval.freeze`): batch, window_start,
            window_end, evaluated, as_of, decision ("approved"/"returned"), comment,
            decided_by, role, decided_at (ISO text), policy (JSON text), plan_fingerprint,
            data_revision, members, area_m2.
        members
            The batch's carriers (`planning.approval.MEMBER_COLUMNS`).

        Returns
        -------
        int
            The new decision's id.

        Raises
        ------
        DecisionError
            Naming what is wrong: a role other than leader, a return without a comment, an
            approval of a window already approved, members that do not add up.
        """
        problems = _decision_problems(record, members)
        if problems:
            raise DecisionError(problems)
        t, m = schema.batch_decisions, schema.batch_members
        row = {c.name: record.get(c.name) for c in t.c if c.name != "decision_id"}
        for key in ("window_start", "window_end", "evaluated", "as_of"):
            row[key] = _to_date(row[key])
        with self.engine.begin() as conn:
            if record["decision"] == "approved":
                latest = _latest_decision(conn, row["window_start"], row["window_end"])
                if latest is not None and latest.decision == "approved":
                    raise DecisionError(
                        [
                            f"batch {record['batch']} ({row['window_start']} – "
                            f"{row['window_end']}) is already approved (decision "
                            f"{latest.decision_id}): return it first to approve it again"
                        ]
                    )
            decision_id = conn.execute(t.insert().values(**row)).inserted_primary_key[0]
            frame = members.assign(decision_id=decision_id)
            columns = [c.name for c in m.c if c.name in frame.columns]
            records = pd.DataFrame(
                {c: _python_values(frame[c], m.c[c].type) for c in columns}
            ).to_dict("records")
            if records:
                conn.execute(m.insert(), records)
        return int(decision_id)

    def decisions(self) -> pd.DataFrame:
        """Every decision on every batch, newest first (the history), indexed by decision_id."""
        t = schema.batch_decisions
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(t).order_by(t.c.decision_id.desc())).all()
        df = pd.DataFrame(rows, columns=[c.name for c in t.c])
        return df.set_index("decision_id")

    def latest_decisions(self) -> pd.DataFrame:
        """The latest decision on each window (by window_start), indexed by decision_id."""
        df = self.decisions()
        if df.empty:
            return df
        latest = df.reset_index().drop_duplicates(["window_start", "window_end"], keep="first")
        return latest.set_index("decision_id").sort_values("window_start")

    def decision_members(self, decision_id: int) -> pd.DataFrame:
        """The frozen members of a decision, in their order (best score first)."""
        m = schema.batch_members
        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(m).where(m.c.decision_id == int(decision_id)).order_by(m.c.position)
            ).all()
        df = pd.DataFrame(rows, columns=[c.name for c in m.c])
        return df.drop(columns=["decision_id"])


class DecisionError(ValueError):
    """A decision on a release batch that cannot be stored; ``problems`` lists why."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(self.problems))


_DECISIONS = ("approved", "returned")
_MEMBER_REQUIRED = ("carrier_id", "position", "score")


def _decision_problems(record: Mapping[str, Any], members: pd.DataFrame) -> list[str]:
    problems = []
    decision = record.get("decision")
    if decision not in _DECISIONS:
        problems.append(f"decision = {decision!r} must be one of {', '.join(_DECISIONS)}")
    if record.get("role") != "leader":
        problems.append(
            f"only a leader may approve or return a batch (role is {record.get('role')!r}); "
            "run the app with HQ_ROLE=leader"
        )
    if not str(record.get("decided_by") or "").strip():
        problems.append("decided_by is empty: say who decides")
    if decision == "returned" and not str(record.get("comment") or "").strip():
        problems.append("a returned batch needs a comment saying what to change")
    for key in ("policy", "plan_fingerprint", "decided_at"):
        if not str(record.get(key) or "").strip():
            problems.append(f"{key} is empty")
    try:
        start, end = _to_date(record.get("window_start")), _to_date(record.get("window_end"))
        if start > end:
            problems.append(f"window_start {start} is after window_end {end}")
    except (TypeError, ValueError):
        problems.append("window_start and window_end must be dates")
    batch = record.get("batch")
    if not isinstance(batch, int | np.integer) or batch < 1:
        problems.append(f"batch = {batch!r} must be a whole number from 1")
    missing = [c for c in _MEMBER_REQUIRED if c not in members.columns]
    if missing:
        problems.append(f"members lack the column(s) {', '.join(missing)}")
        return problems
    if decision == "approved" and members.empty:
        problems.append("an empty batch cannot be approved")
    ids = members["carrier_id"]
    if ids.duplicated().any():
        problems.append(f"carrier(s) listed twice: {', '.join(ids[ids.duplicated()].astype(str))}")
    scores = pd.to_numeric(members["score"], errors="coerce")
    if not scores.between(0, 100).all():
        problems.append("member scores must be numbers from 0 to 100")
    if record.get("members") != len(members):
        problems.append(
            f"the record counts {record.get('members')} members but {len(members)} are given"
        )
    return problems


def _to_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _latest_decision(conn: sa.Connection, start: date, end: date) -> Any:
    t = schema.batch_decisions
    return conn.execute(
        sa.select(t.c.decision_id, t.c.decision)
        .where((t.c.window_start == start) & (t.c.window_end == end))
        .order_by(t.c.decision_id.desc())
        .limit(1)
    ).first()


def _versions(conn: sa.Connection) -> pd.Series:
    t = schema.demands
    rows = conn.execute(sa.select(t.c.demand_id, t.c.version)).all()
    return pd.Series(
        [r[1] for r in rows], index=pd.Index([r[0] for r in rows], dtype="str"), dtype="int64"
    )


def _replace_demands(conn: sa.Connection, typed: pd.DataFrame, stored: pd.Series) -> None:
    t = schema.demands
    ids = [str(i) for i in typed.index]
    for start in range(0, len(ids), 500):
        conn.execute(t.delete().where(t.c.demand_id.in_(ids[start : start + 500])))
    frame = typed.drop(columns="version", errors="ignore")
    frame["version"] = stored.reindex(typed.index).fillna(0).astype("int64").to_numpy() + 1
    _insert(conn, t, frame, DEMANDS.id)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def _set_meta(conn: sa.Connection, key: str, value: str) -> None:
    conn.execute(schema.meta.delete().where(schema.meta.c.key == key))
    conn.execute(schema.meta.insert().values(key=key, value=value))


def _bump(conn: sa.Connection) -> None:
    m = schema.meta
    current = conn.execute(sa.select(m.c.value).where(m.c.key == "revision")).scalar()
    _set_meta(conn, "revision", str(int(current or 0) + 1))


def _read(conn: sa.Connection, table: sa.Table, geometry: bool) -> pd.DataFrame:
    rows = conn.execute(sa.select(table)).all()
    df = pd.DataFrame(rows, columns=[c.name for c in table.c])
    if geometry:
        geoms = shapely.from_wkb(df["geometry"].to_numpy()) if len(df) else np.array([])
        df = gpd.GeoDataFrame(df.drop(columns="geometry"), geometry=geoms, crs=CRS)
    return df


def _insert(conn: sa.Connection, table: sa.Table, df: pd.DataFrame, id_name: str) -> None:
    if df.empty:
        return
    frame = df.reset_index(names=id_name)
    columns = [c.name for c in table.c if c.name in frame.columns]
    records = pd.DataFrame({c: _python_values(frame[c], table.c[c].type) for c in columns})
    conn.execute(table.insert(), records.to_dict("records"))


def _python_values(s: pd.Series, sql_type: Any) -> pd.Series:
    """Plain Python values for the driver: None for missing, date for dates, WKB for shapes."""
    if isinstance(s, gpd.GeoSeries) or isinstance(sql_type, schema.Geometry):
        wkb = shapely.to_wkb(np.asarray(s, dtype=object), output_dimension=2)
        return pd.Series(wkb, index=s.index, dtype=object)
    if pd.api.types.is_datetime64_any_dtype(s):
        return pd.Series([None if pd.isna(v) else v.date() for v in s], index=s.index, dtype=object)
    out = s.astype(object).where(s.notna(), None)
    return out.map(lambda v: v.item() if isinstance(v, np.generic) else v)
