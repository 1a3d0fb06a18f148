"""The append-only audit log: reading it, and undoing one audited change."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import partial
from typing import Any

import pandas as pd
import sqlalchemy as sa

from spaces.changes import Edit, UndoError, apply_edits, changed_fields, record_values
from spaces.schema import DEMANDS
from store import schema
from store.demands import apply_demand_edits, load_demands
from store.inventory import load_inventory
from store.layers import LAYERS_TABLE, apply_layer_edits, read_layers
from store.records import Actor, Aggregate, WriteResult, lock, utc, when


class AuditStore(Aggregate):
    """The audit log of every versioned table, and undo of any one change in it.

    An undo is an edit of the record back to how the audit entry saw it before, written by
    the part of the repository that keeps its table (`_versioned`): validated, versioned and
    audited like every other write.
    """

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
            pd.Series([utc(v) for v in df.changed_at], dtype=object), utc=True
        )
        df["fields"] = [
            ", ".join(changed_fields(b, f)) for b, f in zip(df.before, df.after, strict=True)
        ]
        return df.set_index("audit_id")

    def audited_tables(self) -> tuple[str, ...]:
        """The names of every versioned, audited table, as the audit log names them."""
        return tuple(schema.TABLES_BY_NAME)

    def undo(self, audit_id: int, *, actor: Actor) -> WriteResult:
        """Undo one audited change by restoring the record as it was before it.

        Refused with `spaces.changes.UndoError` when the record changed again since (a later
        audit entry exists): undo the later change first. The undo is itself audited.
        """
        with self.engine.begin() as conn:
            revision = lock(conn)
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
                    f"{when(later['changed_at'])} (change #{later['audit_id']}); undo that "
                    "change first or edit the record directly"
                )
            edit = Edit(entry["table_name"], entry["record_id"], record_values(entry["before"]))
            load, apply, write = self._versioned(entry["table_name"])
            before = load(conn)
            after = apply(before, [edit])
            return write(conn, before, after, actor, revision, f"undo #{audit_id}", audit_id)

    def _versioned(self, table: str) -> tuple[Callable, Callable, Callable]:
        """How the repository keeps ``table``: read its records, apply edits, write the result.

        Every part writes through `store.records.write_records`: validated, versioned, audited.
        """
        if table == DEMANDS.name:
            edit = partial(apply_demand_edits, tracks=self.tracks)
            return load_demands, edit, self._write_demands
        if table == LAYERS_TABLE:
            return read_layers, apply_layer_edits, self._write_layers
        return load_inventory, apply_edits, self._write_inventory


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
    if row["table_name"] not in schema.TABLES_BY_NAME:  # an account's: an admin changes it again
        raise UndoError(f"change #{audit_id} of {row['table_name']} cannot be undone")
    return dict(row)
