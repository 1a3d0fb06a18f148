"""The demand list (需求清单) in the store: validated, versioned, audited writes."""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa

from spaces.changes import VERSION, diff
from spaces.demands import DemandError, build_demands
from spaces.schema import DEMANDS
from spaces.validation import Issue, coerce
from store import schema
from store.records import (
    Actor,
    Aggregate,
    WriteResult,
    audit_seed,
    insert_rows,
    lock,
    read_rows,
    set_meta,
    write_changes,
)


class DemandStore(Aggregate):
    """Reads and validated, versioned, audited writes of the demand list."""

    def load_demands(self) -> pd.DataFrame:
        """The demand list, typed and indexed by demand_id, with each record's ``version``."""
        with self.engine.connect() as conn:
            return load_demands(conn)

    def add_demands(self, demands: pd.DataFrame, *, actor: Actor, note: str = "") -> WriteResult:
        """Validate new demands and store them in one transaction, audited.

        Raises `spaces.demands.DemandError` before writing anything if a record is invalid
        or its id is already stored.
        """
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

        With a ``version`` column (as `load_demands` gives), a record changed by someone
        else since it was read is refused (optimistic locking). Raises
        `spaces.demands.DemandError` before writing anything on any problem.
        """
        typed = build_demands(demands, tracks=self.tracks)
        with self.engine.begin() as conn:
            revision = lock(conn)
            before = load_demands(conn)
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
            after = upsert_demands(before, typed)
            return self._write_demands(conn, before, after, actor, revision, note)

    def import_demands(self, demands: pd.DataFrame, *, actor: Actor, note: str = "") -> WriteResult:
        """Add new demands and replace stored ones with the same id, all or nothing, audited.

        Only records that differ from the stored ones are written.
        """
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
        tables = {DEMANDS.name: before}, {DEMANDS.name: after}
        changes = diff(*tables, tables=[DEMANDS.name])
        change_set = write_changes(conn, *tables, changes, actor, note, undo_of)
        return WriteResult(changes, revision, change_set)


def load_demands(conn: sa.Connection) -> pd.DataFrame:
    """The stored demand list, typed, with its ``version`` column."""
    typed, issues = coerce(DEMANDS, read_rows(conn, schema.demands, False))
    if issues:  # the store only ever holds validated data
        raise RuntimeError(f"stored demands do not match the schema: {issues[0]}")
    typed[VERSION] = typed[VERSION].astype("int64") if len(typed) else pd.Series(dtype="int64")
    return typed


def upsert_demands(stored: pd.DataFrame, typed: pd.DataFrame) -> pd.DataFrame:
    """The stored demands with ``typed`` added or replacing those of the same id."""
    rows = typed.drop(columns=VERSION, errors="ignore")
    kept = stored.drop(index=rows.index, errors="ignore")
    return pd.concat([kept, rows]) if len(kept) else rows
