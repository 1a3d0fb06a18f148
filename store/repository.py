"""The one repository through which the app reads and writes the inventory and layers."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
import sqlalchemy as sa

from geodata.layers import COLUMNS as LAYER_COLUMNS
from geodata.layers import validate_layers
from spaces.changes import (
    VERSION,
    Conflict,
    ConflictError,
    Diff,
    Edit,
    StaleError,
    UndoError,
    apply_edits,
    changed_fields,
    diff,
    record_values,
    records_json,
    scope_issues,
)
from spaces.demands import DemandError, build_demands
from spaces.model import CRS, Inventory
from spaces.schema import DEMANDS, TABLES
from spaces.validation import InventoryError, Issue, check, coerce
from store import migrate, schema

_CHUNK = 500  # ids per IN (...) clause
_BEIJING = timezone(timedelta(hours=8))


@dataclass(frozen=True)
class Actor:
    """Who writes: a user name for the audit log and, for a steward, the unit they may change.

    ``scope`` None means the actor may change every record (planners, the CLI of an admin).
    """

    user: str
    unit: str | None = None
    scope: str | None = None


SYSTEM = Actor("system")


@dataclass(frozen=True)
class WriteResult:
    """What a write did: the differences, the new revision and the audit change-set id."""

    diff: Diff
    revision: int
    change_set: str


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


class Repository:
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
    """

    def __init__(self, engine: sa.Engine, *, units: Iterable[str], tracks: Iterable[str]):
        self.engine = engine
        self.units = tuple(units)
        self.tracks = tuple(tracks)

    @classmethod
    def connect(
        cls, url: str, *, units: Iterable[str], tracks: Iterable[str], migrate: bool = True
    ) -> Repository:
        """Open the database at ``url`` and upgrade its schema to the newest migration."""
        repo = cls(engine_for(url), units=units, tracks=tracks)
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
            return _is_empty(conn)

    # --- inventory -------------------------------------------------------------------------

    def load_inventory(self) -> Inventory:
        """Read every inventory table, typed and indexed by id, with its ``version`` column."""
        with self.engine.connect() as conn:
            return _load_inventory(conn)

    def replace_inventory(self, inventory: Inventory, *, actor: Actor = SYSTEM) -> WriteResult:
        """Validate ``inventory`` and make it the whole stored inventory, in one transaction.

        Only records that differ are written (and audited). Raises
        `spaces.validation.InventoryError` before writing anything if it is invalid.
        """
        check(inventory, units=self.units, tracks=self.tracks)
        return self.commit(inventory, actor=actor, note="replace inventory")

    def commit(
        self,
        inventory: Inventory,
        *,
        actor: Actor,
        expected_revision: int | None = None,
        note: str = "",
    ) -> WriteResult:
        """Make ``inventory`` the stored inventory, writing and auditing only the differences.

        Parameters
        ----------
        inventory
            The whole inventory as it should be (e.g. an import merged into the stored one).
        actor
            Who writes; a steward's ``scope`` refuses changes to other units' records.
        expected_revision
            The revision the inventory was prepared from (an import's preview): if the store
            changed since, `spaces.changes.StaleError` is raised and nothing is written.
        note
            Free text kept with each audit entry, e.g. the imported file's name.
        """
        with self.engine.begin() as conn:
            revision = _lock(conn, expected_revision)
            before = _load_inventory(conn)
            return self._write_inventory(conn, before, inventory, actor, revision, note)

    def apply_edits(self, edits: Iterable[Edit], *, actor: Actor, note: str = "") -> WriteResult:
        """Apply record edits with optimistic locking, validating the whole result.

        Raises `spaces.changes.ConflictError` (nothing written) when a record's version is not
        the one its editor started from, naming what changed and who changed it.
        """
        edits = list(edits)
        with self.engine.begin() as conn:
            revision = _lock(conn)
            before = _load_inventory(conn)
            conflicts = _conflicts(conn, before, edits)
            if conflicts:
                raise ConflictError(conflicts)
            after = apply_edits(before, edits)
            return self._write_inventory(conn, before, after, actor, revision, note)

    def undo(self, audit_id: int, *, actor: Actor) -> WriteResult:
        """Undo one audited change by restoring the record as it was before it.

        Refused with `spaces.changes.UndoError` when the record changed again since (a later
        audit entry exists): undo the later change first. The undo is itself audited.
        """
        with self.engine.begin() as conn:
            revision = _lock(conn)
            entry = _audit_entry(conn, audit_id)
            later = (
                conn.execute(
                    sa.select(schema.audit_log)
                    .where(
                        schema.audit_log.c.table_name == entry["table_name"],
                        schema.audit_log.c.record_id == entry["record_id"],
                        schema.audit_log.c.audit_id > audit_id,
                    )
                    .order_by(schema.audit_log.c.audit_id)
                )
                .mappings()
                .first()
            )
            if later is not None:
                raise UndoError(
                    f"change #{audit_id} cannot be undone: {entry['table_name']} "
                    f"{entry['record_id']} was changed again by {later['actor']} at "
                    f"{_when(later['changed_at'])} (change #{later['audit_id']}); undo that "
                    "change first or edit the record directly"
                )
            note = f"undo #{audit_id}"
            if entry["table_name"] == DEMANDS.name:
                before = _load_demands(conn)
                after = before.drop(index=[entry["record_id"]], errors="ignore")
                if entry["before"] is not None:
                    values = record_values(entry["before"]) | {DEMANDS.id: entry["record_id"]}
                    row = build_demands(pd.DataFrame([values]), tracks=self.tracks)
                    after = _upsert_demands(after, row)
                return self._write_demands(conn, before, after, actor, revision, note, audit_id)
            if entry["table_name"] == "layer_features":
                before = _read_layers(conn)
                after = _restore_layer(before, entry)
                return self._write_layers(conn, before, after, actor, revision, note, audit_id)
            before = _load_inventory(conn)
            edit = Edit(entry["table_name"], entry["record_id"], record_values(entry["before"]))
            after = apply_edits(before, [edit])
            return self._write_inventory(conn, before, after, actor, revision, note, audit_id)

    def _write_inventory(
        self,
        conn: sa.Connection,
        before: Inventory,
        after: Inventory,
        actor: Actor,
        revision: int,
        note: str,
        undo_of: int | None = None,
    ) -> WriteResult:
        check(after, units=self.units, tracks=self.tracks)
        changes = diff(before.tables(), after.tables(), tables=TABLES)
        if actor.scope is not None:
            problems = scope_issues(before, after, changes, unit=actor.scope)
            if problems:
                raise InventoryError(problems)
        change_set = _write(conn, before.tables(), after.tables(), changes, actor, note, undo_of)
        return WriteResult(changes, revision, change_set)

    # --- demands (需求清单) -------------------------------------------------------------------

    def load_demands(self) -> pd.DataFrame:
        """The demand list, typed and indexed by demand_id, with each record's ``version``."""
        with self.engine.connect() as conn:
            return _load_demands(conn)

    def add_demands(self, demands: pd.DataFrame, *, actor: Actor, note: str = "") -> WriteResult:
        """Validate new demands and store them in one transaction, audited.

        Raises `spaces.demands.DemandError` before writing anything if a record is invalid
        or its id is already stored.
        """
        typed = build_demands(demands, tracks=self.tracks)
        with self.engine.begin() as conn:
            revision = _lock(conn)
            before = _load_demands(conn)
            clash = typed.index[typed.index.isin(before.index)]
            if len(clash):
                raise DemandError(
                    Issue(DEMANDS.name, rid, DEMANDS.id, "duplicate_id", rid, {"count": 2})
                    for rid in clash
                )
            after = _upsert_demands(before, typed)
            return self._write_demands(conn, before, after, actor, revision, note)

    def update_demands(self, demands: pd.DataFrame, *, actor: Actor, note: str = "") -> WriteResult:
        """Validate changed demands and replace the stored records with them, by id, audited.

        With a ``version`` column (as `load_demands` gives), a record changed by someone
        else since it was read is refused (optimistic locking). Raises
        `spaces.demands.DemandError` before writing anything on any problem.
        """
        typed = build_demands(demands, tracks=self.tracks)
        with self.engine.begin() as conn:
            revision = _lock(conn)
            before = _load_demands(conn)
            issues = [
                Issue(DEMANDS.name, rid, DEMANDS.id, "unknown_record", rid)
                for rid in typed.index[~typed.index.isin(before.index)]
            ]
            if "version" in typed.columns and not issues:
                now = before[VERSION].reindex(typed.index)
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
            after = _upsert_demands(before, typed)
            return self._write_demands(conn, before, after, actor, revision, note)

    def import_demands(self, demands: pd.DataFrame, *, actor: Actor, note: str = "") -> WriteResult:
        """Add new demands and replace stored ones with the same id, all or nothing, audited.

        Only records that differ from the stored ones are written.
        """
        typed = build_demands(demands, tracks=self.tracks)
        with self.engine.begin() as conn:
            revision = _lock(conn)
            before = _load_demands(conn)
            after = _upsert_demands(before, typed)
            return self._write_demands(conn, before, after, actor, revision, note)

    def _write_demands(
        self,
        conn: sa.Connection,
        before: pd.DataFrame,
        after: pd.DataFrame,
        actor: Actor,
        revision: int,
        note: str,
        undo_of: int | None = None,
    ) -> WriteResult:
        tables = {DEMANDS.name: before}, {DEMANDS.name: after}
        changes = diff(*tables, tables=[DEMANDS.name])
        change_set = _write(conn, *tables, changes, actor, note, undo_of)
        return WriteResult(changes, revision, change_set)

    # --- layers ----------------------------------------------------------------------------

    def load_layers(self) -> gpd.GeoDataFrame:
        """The base GIS layers, indexed by feature_id, in EPSG:4326."""
        with self.engine.connect() as conn:
            return _read_layers(conn).drop(columns=[VERSION])

    def replace_layers(
        self,
        layers: gpd.GeoDataFrame,
        *,
        only: Iterable[str] = (),
        actor: Actor = SYSTEM,
        expected_revision: int | None = None,
        note: str = "",
    ) -> WriteResult:
        """Validate ``layers`` and store them; with ``only``, replace just those layer names.

        Features whose id stays get updated (version bumped), others are added or deleted;
        every change is audited. Stewards (an actor with a ``scope``) may not change layers.
        """
        validate_layers(layers)
        frame = layers if layers.index.name == "feature_id" else layers.set_index("feature_id")
        frame = frame[[*LAYER_COLUMNS[1:], "geometry"]]
        names = list(only)
        with self.engine.begin() as conn:
            revision = _lock(conn, expected_revision)
            before = _read_layers(conn)
            kept = before[~before.layer.isin(names)] if names else before.iloc[:0]
            after = pd.concat([kept.drop(columns=[VERSION]), frame])
            after = gpd.GeoDataFrame(after, geometry="geometry", crs=CRS)
            validate_layers(after)
            return self._write_layers(conn, before, after, actor, revision, note)

    def _write_layers(
        self,
        conn: sa.Connection,
        before: gpd.GeoDataFrame,
        after: gpd.GeoDataFrame,
        actor: Actor,
        revision: int,
        note: str,
        undo_of: int | None = None,
    ) -> WriteResult:
        changes = diff({"layer_features": before}, {"layer_features": after})
        if actor.scope is not None and not changes.is_empty():
            raise InventoryError(
                [
                    _scope_issue("layer_features", rid, actor.scope)
                    for rid in changes.records().record
                ]
            )
        change_set = _write(
            conn,
            {"layer_features": before},
            {"layer_features": after},
            changes,
            actor,
            note,
            undo_of,
        )
        return WriteResult(changes, revision, change_set)

    # --- audit -----------------------------------------------------------------------------

    def audit_log(
        self,
        *,
        table: str | None = None,
        record_id: str | None = None,
        actor: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int | None = 1000,
    ) -> pd.DataFrame:
        """Audit entries, newest first, filtered; ``fields`` lists what each one changed."""
        a = schema.audit_log
        q = sa.select(a).order_by(a.c.audit_id.desc())
        if table:
            q = q.where(a.c.table_name == table)
        if record_id:
            q = q.where(a.c.record_id == record_id)
        if actor:
            q = q.where(a.c.actor == actor)
        if since is not None:
            q = q.where(a.c.changed_at >= since)
        if until is not None:
            q = q.where(a.c.changed_at < until)
        if limit:
            q = q.limit(limit)
        with self.engine.connect() as conn:
            rows = conn.execute(q).mappings().all()
        df = pd.DataFrame([dict(r) for r in rows], columns=[c.name for c in a.c])
        df["changed_at"] = pd.to_datetime(
            pd.Series([_utc(v) for v in df.changed_at], dtype=object), utc=True
        )
        df["fields"] = [
            ", ".join(changed_fields(b, f)) for b, f in zip(df.before, df.after, strict=True)
        ]
        return df.set_index("audit_id")

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
            _lock(conn)
            _set_meta(conn, key, value)

    def seed(self, inventory: Inventory, layers: gpd.GeoDataFrame, *, meta: dict[str, str]) -> bool:
        """Fill an empty store with an inventory, layers and meta values in one transaction.

        Returns False, writing nothing, when the store is not empty (another process seeded
        it first).
        """
        check(inventory, units=self.units, tracks=self.tracks)
        validate_layers(layers)
        with self.engine.begin() as conn:
            _lock(conn)
            if not _is_empty(conn):
                return False
            for name, df in inventory.tables().items():
                _insert(conn, schema.INVENTORY[name], df, TABLES[name].id, version=1)
            frame = layers if layers.index.name == "feature_id" else layers.set_index("feature_id")
            _insert(conn, schema.layer_features, frame, "feature_id", version=1)
            for key, value in meta.items():
                _set_meta(conn, key, value)
            counts = {**inventory.counts(), "layer_features": len(frame)}
            _audit_seed(conn, "seed", counts, meta)
        return True

    def seed_demands(self, demands: pd.DataFrame, *, meta: dict[str, str]) -> bool:
        """Fill an empty demand list and set meta values in one transaction, audited once.

        Returns False, writing nothing, when demands are already stored (another process
        seeded them first). Raises `spaces.demands.DemandError` on an invalid record.
        """
        typed = build_demands(demands, tracks=self.tracks)
        with self.engine.begin() as conn:
            _lock(conn)
            if len(_load_demands(conn)):
                return False
            _insert(conn, schema.demands, typed, DEMANDS.id, version=1)
            for key, value in meta.items():
                _set_meta(conn, key, value)
            _audit_seed(conn, "seed-demands", {DEMANDS.name: len(typed)}, meta)
        return True

    # --- release decisions ------------------------------------------------------------------
    # A leader's approval or return of a release batch, with the batch's members frozen as
    # they were. They take the store's write lock first (`_lock`), so that two leaders
    # approving the same window at once are serialised and the second is refused.

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
            _lock(conn)
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


# --- transactions and locking ------------------------------------------------------------------


def _lock(conn: sa.Connection, expected: int | None = None) -> int:
    """Take the store's write lock by bumping the revision; returns the new revision.

    The bump is the transaction's first statement: PostgreSQL locks the row until commit and
    SQLite takes its write lock (waiting up to busy_timeout), so writers queue here and each
    reads what the previous one committed.
    """
    m = schema.meta
    bumped = sa.cast(sa.cast(m.c.value, sa.Integer) + 1, sa.Text)
    result = conn.execute(m.update().where(m.c.key == "revision").values(value=bumped))
    if result.rowcount == 0:
        conn.execute(m.insert().values(key="revision", value="1"))
    revision = int(conn.execute(sa.select(m.c.value).where(m.c.key == "revision")).scalar())
    if expected is not None and revision - 1 != expected:
        raise StaleError(expected, revision - 1)
    return revision


def _audit_seed(
    conn: sa.Connection, record_id: str, counts: Mapping[str, int], meta: Mapping[str, str]
) -> None:
    """One audit entry for a whole seeding (table ``*``): the counts, not every record."""
    after = {"counts": dict(counts), **meta}
    row = _audit_row(
        datetime.now(UTC),
        SYSTEM,
        uuid.uuid4().hex,
        "insert",
        "*",
        record_id,
        None,
        None,
        after,
        None,
        "seed",
    )
    conn.execute(schema.audit_log.insert(), [row])


def _is_empty(conn: sa.Connection) -> bool:
    for table in (*[schema.INVENTORY[t] for t in ("plots", "buildings", "carriers")],):
        if conn.execute(sa.select(sa.func.count()).select_from(table)).scalar():
            return False
    n = conn.execute(sa.select(sa.func.count()).select_from(schema.layer_features))
    return not n.scalar()


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


def _load_demands(conn: sa.Connection) -> pd.DataFrame:
    typed, issues = coerce(DEMANDS, _read(conn, schema.demands, False))
    if issues:  # the store only ever holds validated data
        raise RuntimeError(f"stored demands do not match the schema: {issues[0]}")
    typed[VERSION] = typed[VERSION].astype("int64") if len(typed) else pd.Series(dtype="int64")
    return typed


def _upsert_demands(stored: pd.DataFrame, typed: pd.DataFrame) -> pd.DataFrame:
    """The stored demands with ``typed`` added or replacing those of the same id."""
    rows = typed.drop(columns=VERSION, errors="ignore")
    kept = stored.drop(index=rows.index, errors="ignore")
    return pd.concat([kept, rows]) if len(kept) else rows


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _set_meta(conn: sa.Connection, key: str, value: str) -> None:
    conn.execute(schema.meta.delete().where(schema.meta.c.key == key))
    conn.execute(schema.meta.insert().values(key=key, value=value))


# --- reading -----------------------------------------------------------------------------------


def _load_inventory(conn: sa.Connection) -> Inventory:
    frames = {}
    for name, spec in TABLES.items():
        df = _read(conn, schema.INVENTORY[name], spec.geometry is not None)
        frames[name], issues = coerce(spec, df)
        if issues:  # the store only ever holds validated data
            raise RuntimeError(f"stored {name} do not match the schema: {issues[0]}")
        frames[name][VERSION] = frames[name][VERSION].astype("Int64")
    return Inventory.from_frames(frames)


def _read_layers(conn: sa.Connection) -> gpd.GeoDataFrame:
    df = _read(conn, schema.layer_features, geometry=True)
    gdf = gpd.GeoDataFrame(df, geometry="geometry", crs=CRS)
    gdf["approximate"] = gdf.approximate.astype(bool)
    gdf[VERSION] = gdf[VERSION].astype("Int64")
    return gdf.set_index("feature_id")[[*LAYER_COLUMNS[1:], "geometry", VERSION]]


def _read(conn: sa.Connection, table: sa.Table, geometry: bool) -> pd.DataFrame:
    rows = conn.execute(sa.select(table).order_by(*table.primary_key.columns)).all()
    df = pd.DataFrame(rows, columns=[c.name for c in table.c])
    if geometry:
        wkb = [None if v is None else bytes(v) for v in df["geometry"]]
        geoms = shapely.from_wkb(np.asarray(wkb, dtype=object)) if len(df) else np.array([])
        df = gpd.GeoDataFrame(df.drop(columns="geometry"), geometry=geoms, crs=CRS)
    return df


def _audit_entry(conn: sa.Connection, audit_id: int) -> dict[str, Any]:
    row = (
        conn.execute(
            sa.select(schema.audit_log).where(schema.audit_log.c.audit_id == int(audit_id))
        )
        .mappings()
        .first()
    )
    if row is None or row["table_name"] == "*":
        raise UndoError(f"there is no change #{audit_id} to undo")
    return dict(row)


# --- writing -----------------------------------------------------------------------------------


def _write(
    conn: sa.Connection,
    before: Mapping[str, pd.DataFrame],
    after: Mapping[str, pd.DataFrame],
    changes: Diff,
    actor: Actor,
    note: str,
    undo_of: int | None,
) -> str:
    """Write the differences table by table, bumping versions, and audit every record."""
    change_set = uuid.uuid4().hex
    at = datetime.now(UTC)
    audit: list[dict[str, Any]] = []
    for name, d in changes.tables.items():
        if not d.count:
            continue
        table = schema.TABLES_BY_NAME[name]
        id_name = table.primary_key.columns.values()[0].name
        old, new = before[name], after[name]
        old_docs = records_json(old, [*d.changed, *d.deleted])
        if d.deleted:
            for chunk in _chunks(list(d.deleted)):
                conn.execute(table.delete().where(table.c[id_name].in_(chunk)))
            for rid in d.deleted:
                version = old_docs[rid].get(VERSION)
                audit.append(
                    _audit_row(
                        at,
                        actor,
                        change_set,
                        "delete",
                        name,
                        rid,
                        version,
                        old_docs[rid],
                        None,
                        undo_of,
                        note,
                    )
                )
        if d.changed:
            ids = list(d.changed)
            versions = old.loc[ids, VERSION].astype("Int64").fillna(0).astype(int) + 1
            rows = new.loc[ids].drop(columns=[VERSION], errors="ignore").copy()
            rows[VERSION] = versions.to_numpy()
            _update(conn, table, rows, id_name, old.loc[ids, VERSION])
            new_docs = records_json(rows, ids)
            for rid in ids:
                audit.append(
                    _audit_row(
                        at,
                        actor,
                        change_set,
                        "update",
                        name,
                        rid,
                        int(versions[rid]),
                        old_docs[rid],
                        new_docs[rid],
                        undo_of,
                        note,
                    )
                )
        if d.added:
            ids = list(d.added)
            rows = new.loc[ids].drop(columns=[VERSION], errors="ignore").copy()
            rows[VERSION] = _fresh_versions(conn, name, ids)
            _insert(conn, table, rows, id_name)
            new_docs = records_json(rows, ids)
            for rid in ids:
                audit.append(
                    _audit_row(
                        at,
                        actor,
                        change_set,
                        "insert",
                        name,
                        rid,
                        int(new_docs[rid][VERSION]),
                        None,
                        new_docs[rid],
                        undo_of,
                        note,
                    )
                )
    if audit:
        conn.execute(schema.audit_log.insert(), audit)
    return change_set


def _fresh_versions(conn: sa.Connection, name: str, ids: list[str]) -> list[int]:
    """Version 1, or one more than a deleted record of the same id had (no ABA on reuse)."""
    a = schema.audit_log
    q = (
        sa.select(a.c.record_id, sa.func.max(a.c.version))
        .where(a.c.table_name == name, a.c.action == "delete")
        .group_by(a.c.record_id)
    )
    previous = {rid: v for rid, v in conn.execute(q).all() if v is not None}
    return [int(previous.get(rid, 0)) + 1 for rid in ids]


def _audit_row(
    at: datetime,
    actor: Actor,
    change_set: str,
    action: str,
    table: str,
    record_id: str,
    version: int | None,
    before: dict | None,
    after: dict | None,
    undo_of: int | None,
    note: str,
) -> dict[str, Any]:
    return {
        "changed_at": at,
        "actor": actor.user,
        "unit": actor.unit,
        "change_set": change_set,
        "action": action,
        "table_name": table,
        "record_id": record_id,
        "version": version,
        "before": before,
        "after": after,
        "undo_of": undo_of,
        "note": note or None,
    }


def _insert(
    conn: sa.Connection,
    table: sa.Table,
    df: pd.DataFrame,
    id_name: str,
    *,
    version: int | None = None,
) -> None:
    if df.empty:
        return
    frame = df.reset_index(names=id_name)
    if version is not None:
        frame[VERSION] = version
    columns = [c.name for c in table.c if c.name in frame.columns]
    records = pd.DataFrame({c: _python_values(frame[c], table.c[c].type) for c in columns})
    conn.execute(table.insert(), records.to_dict("records"))


def _update(
    conn: sa.Connection, table: sa.Table, df: pd.DataFrame, id_name: str, expected: pd.Series
) -> None:
    frame = df.reset_index(names=id_name)
    columns = [c.name for c in table.c if c.name in frame.columns and c.name != id_name]
    records = pd.DataFrame({c: _python_values(frame[c], table.c[c].type) for c in columns})
    records["_id"] = frame[id_name].to_numpy()
    records["_expected"] = _python_values(expected.reset_index(drop=True), sa.Integer())
    stmt = (
        table.update()
        .where(table.c[id_name] == sa.bindparam("_id"))
        .where(table.c[VERSION] == sa.bindparam("_expected"))
        .values({c: sa.bindparam(c) for c in columns})
    )
    result = conn.execute(stmt, records.to_dict("records"))
    if conn.dialect.supports_sane_multi_rowcount and result.rowcount != len(records):
        raise RuntimeError(
            f"{table.name}: {len(records) - result.rowcount} record(s) changed under the lock"
        )


def _python_values(s: pd.Series, sql_type: Any) -> pd.Series:
    """Plain Python values for the driver: None for missing, date for dates, WKB for shapes."""
    if isinstance(s, gpd.GeoSeries) or isinstance(sql_type, schema.Geometry):
        wkb = shapely.to_wkb(np.asarray(s, dtype=object), output_dimension=2)
        return pd.Series(wkb, index=s.index, dtype=object)
    if pd.api.types.is_datetime64_any_dtype(s):
        return pd.Series([None if pd.isna(v) else v.date() for v in s], index=s.index, dtype=object)
    missing = s.isna().to_numpy()
    values = [
        None if gone else (v.item() if isinstance(v, np.generic) else v)
        for v, gone in zip(s.astype(object), missing, strict=True)
    ]
    return pd.Series(values, index=s.index, dtype=object)  # no dtype inference (ints stay ints)


def _chunks(items: list[str]) -> Iterable[list[str]]:
    for i in range(0, len(items), _CHUNK):
        yield items[i : i + _CHUNK]


# --- conflicts and undo ------------------------------------------------------------------------


def _conflicts(conn: sa.Connection, before: Inventory, edits: list[Edit]) -> list[Conflict]:
    tables = before.tables()
    out = []
    for e in edits:
        df = tables[e.table]
        exists = e.record_id in df.index
        current = int(df.at[e.record_id, VERSION]) if exists else None
        if current == e.expected_version:
            continue
        out.append(_conflict(conn, e, current))
    return out


def _conflict(conn: sa.Connection, edit: Edit, current: int | None) -> Conflict:
    a = schema.audit_log
    q = sa.select(a).where(a.c.table_name == edit.table, a.c.record_id == edit.record_id)
    entries = [dict(r) for r in conn.execute(q.order_by(a.c.audit_id)).mappings()]
    expected = edit.expected_version
    if expected is None:  # a new record: what others did since its id was last free
        deletes = [i for i, e in enumerate(entries) if e["action"] == "delete"]
        entries = entries[deletes[-1] + 1 :] if deletes else entries
    else:
        entries = [
            e
            for e in entries
            if (e["version"] or 0) > expected
            or (e["action"] == "delete" and (e["version"] or 0) >= expected)
        ]
    by = tuple((e["actor"], _when(e["changed_at"])) for e in entries)
    start = entries[0]["before"] if entries else None
    end = entries[-1]["after"] if entries else None
    fields = changed_fields(start, end) if entries else []
    changes = {f: ((start or {}).get(f), (end or {}).get(f)) for f in fields if f != VERSION}
    return Conflict(
        edit.table,
        edit.record_id,
        edit.expected_version,
        current,
        by,
        changes,
        None if edit.values is None else dict(edit.values),
    )


def _restore_layer(layers: gpd.GeoDataFrame, entry: Mapping[str, Any]) -> gpd.GeoDataFrame:
    out = layers.drop(columns=[VERSION]).drop(index=[entry["record_id"]], errors="ignore")
    values = record_values(entry["before"])
    if values is None:
        return out
    row = gpd.GeoDataFrame(
        [{k: v for k, v in values.items() if k != "geometry"}],
        geometry=[values["geometry"]],
        index=pd.Index([entry["record_id"]], name="feature_id"),
        crs=CRS,
    )
    restored = pd.concat([out, row[out.columns]])
    restored["approximate"] = restored.approximate.astype(bool)
    return gpd.GeoDataFrame(restored, geometry="geometry", crs=CRS)


def _scope_issue(table: str, record_id: str, unit: str) -> Issue:
    return Issue(table, record_id, None, "out_of_scope", record_id, {"owner": "—", "unit": unit})


def _utc(value: Any) -> Any:
    if isinstance(value, datetime) and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def _when(value: Any) -> str:
    """A time for messages, in Beijing time (UTC+8), the zone of every user."""
    value = _utc(value)
    if not isinstance(value, datetime):
        return str(value)
    return value.astimezone(_BEIJING).strftime("%Y-%m-%d %H:%M (UTC+8)")
