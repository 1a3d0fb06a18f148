"""The demand list (需求清单) in the store: validated, versioned, audited writes."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
import sqlalchemy as sa

from access.permissions import Actor, require
from spaces.changes import VERSION, Edit
from spaces.demands import DemandError, build_demands
from spaces.schema import DEMANDS
from spaces.validation import Issue, coerce
from store import schema
from store.records import (
    Aggregate,
    WriteResult,
    audit_seed,
    insert_rows,
    lock,
    read_rows,
    refuse_conflicts,
    set_meta,
    write_records,
)

EDIT = "edit.demands"
"""The action of every write of the demand list (`access.permissions`): planners' and
leaders' data, not a steward's."""

VIEW = "view.demands"
"""The action of reading the demand list, which holds the enterprises' contacts."""


class DemandStore(Aggregate):
    """Reads and validated, versioned, audited writes of the demand list.

    Every write asks the permission table for `EDIT` first, and reading the list for `VIEW`:
    an actor who may not is refused with `access.permissions.PermissionDenied` before
    anything is read or written.
    """

    def load_demands(self, *, actor: Actor) -> pd.DataFrame:
        """The demand list, typed and indexed by demand_id, with each record's ``version``.

        Only for an ``actor`` who may `VIEW` it (the list holds the enterprises' contacts).
        """
        require(actor, VIEW)
        with self.engine.connect() as conn:
            return load_demands(conn)

    def count_demands(self) -> int:
        """How many demands the list holds (a count, for everyone: no record is read)."""
        with self.engine.connect() as conn:
            return int(
                conn.execute(sa.select(sa.func.count()).select_from(schema.demands)).scalar()
            )

    def add_demands(self, demands: pd.DataFrame, *, actor: Actor, note: str = "") -> WriteResult:
        """Validate new demands and store them in one transaction, audited.

        Raises `spaces.demands.DemandError` before writing anything if a record is invalid
        or its id is already stored.
        """
        require(actor, EDIT)
        typed = build_demands(demands, tracks=self.tracks)
        with self.engine.begin() as conn:
            revision = lock(conn)
            before = load_demands(conn)
            clash = typed.index[typed.index.isin(before.index)]
            if len(clash):
                raise DemandError(
                    Issue(DEMANDS.name, rid, DEMANDS.id, "duplicate_id", rid, {"count": 2})
                    for rid in clash
                )
            after = upsert_demands(before, typed)
            return self._write_demands(conn, before, after, actor, revision, note)

    def update_demands(self, demands: pd.DataFrame, *, actor: Actor, note: str = "") -> WriteResult:
        """Validate changed demands and replace the stored records with them, by id, audited.

        With a ``version`` column (as `load_demands` gives), a record changed or deleted by
        someone else since it was read is refused with `spaces.changes.ConflictError`, naming
        who changed which fields (optimistic locking, as for the inventory). Raises
        `spaces.demands.DemandError` before writing anything on any other problem.
        """
        require(actor, EDIT)
        typed = build_demands(demands, tracks=self.tracks)
        read = pd.to_numeric(typed[VERSION]) if VERSION in typed.columns else None
        with self.engine.begin() as conn:
            revision = lock(conn)
            before = load_demands(conn)
            unread = typed.index if read is None else typed.index[read.isna().to_numpy()]
            unknown = unread[~unread.isin(before.index)]
            if len(unknown):
                raise DemandError(
                    Issue(DEMANDS.name, rid, DEMANDS.id, "unknown_record", rid) for rid in unknown
                )
            if read is not None:
                edits = [
                    Edit(DEMANDS.name, rid, values, int(read[rid]))
                    for rid, values in zip(
                        typed.index, typed.drop(columns=VERSION).to_dict("records"), strict=True
                    )
                    if pd.notna(read[rid])
                ]
                refuse_conflicts(conn, {DEMANDS.name: before}, edits)
            after = upsert_demands(before, typed)
            return self._write_demands(conn, before, after, actor, revision, note)

    def import_demands(self, demands: pd.DataFrame, *, actor: Actor, note: str = "") -> WriteResult:
        """Add new demands and replace stored ones with the same id, all or nothing, audited.

        Only records that differ from the stored ones are written.
        """
        require(actor, EDIT)
        typed = build_demands(demands, tracks=self.tracks)
        with self.engine.begin() as conn:
            revision = lock(conn)
            before = load_demands(conn)
            after = upsert_demands(before, typed)
            return self._write_demands(conn, before, after, actor, revision, note)

    def seed_demands(self, demands: pd.DataFrame, *, meta: dict[str, str]) -> bool:
        """Fill an empty demand list and set meta values in one transaction, audited once.

        Returns False, writing nothing, when demands are already stored (another process
        seeded them first). Raises `spaces.demands.DemandError` on an invalid record.
        """
        typed = build_demands(demands, tracks=self.tracks)
        with self.engine.begin() as conn:
            lock(conn)
            if len(load_demands(conn)):
                return False
            insert_rows(conn, schema.demands, typed, DEMANDS.id, version=1)
            for key, value in meta.items():
                set_meta(conn, key, value)
            audit_seed(conn, "seed-demands", {DEMANDS.name: len(typed)}, meta)
        return True

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
        require(actor, EDIT)
        return write_records(
            conn,
            {DEMANDS.name: before},
            {DEMANDS.name: after},
            tables=[DEMANDS.name],
            actor=actor,
            revision=revision,
            note=note,
            undo_of=undo_of,
        )


def load_demands(conn: sa.Connection) -> pd.DataFrame:
    """The stored demand list, typed, with its ``version`` column."""
    typed, issues = coerce(DEMANDS, read_rows(conn, schema.demands, False))
    if issues:  # the store only ever holds validated data
        raise RuntimeError(f"stored demands do not match the schema: {issues[0]}")
    typed[VERSION] = typed[VERSION].astype("int64") if len(typed) else pd.Series(dtype="int64")
    return typed


def apply_demand_edits(
    stored: pd.DataFrame, edits: Iterable[Edit], *, tracks: Iterable[str]
) -> pd.DataFrame:
    """The stored demands with each edit's record replaced by its values (deleted for None)."""
    edits = list(edits)
    out = stored.drop(index=[e.record_id for e in edits], errors="ignore")
    rows = [{DEMANDS.id: e.record_id, **e.values} for e in edits if e.values is not None]
    return upsert_demands(out, build_demands(pd.DataFrame(rows), tracks=tracks)) if rows else out


def upsert_demands(stored: pd.DataFrame, typed: pd.DataFrame) -> pd.DataFrame:
    """The stored demands with ``typed`` added or replacing those of the same id."""
    rows = typed.drop(columns=VERSION, errors="ignore")
    kept = stored.drop(index=rows.index, errors="ignore")
    return pd.concat([kept, rows]) if len(kept) else rows
