"""The append-only audit log: reading it, and undoing one audited change."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import partial
from typing import Any

import pandas as pd
import sqlalchemy as sa

from access.permissions import NO_UNIT, Actor, allowed, require
from spaces.changes import Edit, UndoError, apply_edits, changed_fields, record_values
from spaces.schema import DEMANDS
from store import demands, inventory, layers, schema
from store.accounts import TABLE as ACCOUNTS
from store.demands import apply_demand_edits, load_demands
from store.inventory import load_inventory
from store.layers import LAYERS_TABLE, apply_layer_edits, read_layers
from store.records import Aggregate, WriteResult, lock, utc, when


class AuditStore(Aggregate):
    """The audit log of every versioned table, and undo of any one change in it.

    An undo is an edit of the record back to how the audit entry saw it before, written by
    the part of the repository that keeps its table (`_versioned`): validated, versioned and
    audited like every other write.
    """

    def audit_log(
        self,
        *,
        actor: Actor,
        table: str | None = None,
        record_id: str | None = None,
        by: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int | None = 1000,
    ) -> pd.DataFrame:
        """Audit entries ``actor`` may see, newest first, filtered; ``fields`` lists what each
        one changed.

        ``actor`` must be allowed to ``view.audit`` (`access.permissions`), which is scoped
        by unit: a steward sees only the entries of their own unit's records (no demand,
        layer or seeding entries, nor another unit's), planners and leaders see every one.
        One who may not see what is not public (``view.private``: an administrator) sees the
        accounts' entries only, and only if they may ``manage.accounts``.
        The filters: the ``table``, the ``record_id``, who changed it (``by``, the name in the
        log) and a period.
        """
        require(actor, "view.audit")
        a = schema.audit_log
        q = sa.select(a).order_by(a.c.audit_id.desc())
        if not allowed(actor, "view.private"):
            require(actor, "manage.accounts")
            q = q.where(a.c.table_name == ACCOUNTS)
        if not allowed(actor, "view.audit", unit=NO_UNIT):
            seen = [u for u in self.units if allowed(actor, "view.audit", unit=u)]
            q = q.where(a.c.record_unit.in_(seen))
        if table:
            q = q.where(a.c.table_name == table)
        if record_id:
            q = q.where(a.c.record_id == record_id)
        if by:
            q = q.where(a.c.actor == by)
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

    def may_undo(self, actor: Actor, table: str, record_unit: str | None) -> bool:
        """Whether ``actor`` may undo a change of a record of ``table`` and ``record_unit``
        (an entry of `audit_log`), as `undo` asks the permission table."""
        if table not in schema.TABLES_BY_NAME:
            return False
        return all(allowed(actor, a, unit=u) for a, u in self._undo_rights(table, record_unit))

    def undo(self, audit_id: int, *, actor: Actor) -> WriteResult:
        """Undo one audited change by restoring the record as it was before it.

        Asks the permission table first (`may_undo`): the right to write the entry's table and
        to ``undo``, for the unit of its record, so that a steward undoes only their own
        unit's changes (never a demand's or a layer's); else
        `access.permissions.PermissionDenied`, nothing written. Refused with
        `spaces.changes.UndoError` when the record changed again since (a later audit entry
        exists): undo the later change first. The undo is itself audited, and its write asks
        again for each record it changes.
        """
        with self.engine.begin() as conn:
            revision = lock(conn)
            entry = _audit_entry(conn, audit_id)
            if entry["table_name"] not in schema.TABLES_BY_NAME:  # accounts, mapping profiles
                raise UndoError(
                    f"change #{audit_id} of {entry['table_name']} cannot be undone here"
                )
            for action, unit in self._undo_rights(entry["table_name"], entry["record_unit"]):
                require(actor, action, unit=unit)
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
            load, apply, write, _ = self._versioned(entry["table_name"])
            before = load(conn)
            after = apply(before, [edit])
            return write(conn, before, after, actor, revision, f"undo #{audit_id}", audit_id)

    def _undo_rights(self, table: str, record_unit: Any) -> tuple[tuple[str, str], ...]:
        """The actions undoing a change of ``table`` asks for, with the record's unit: the
        table's write action, then ``undo``. A record of no unit (a demand, a layer feature,
        an entry older than the record units) is `access.permissions.NO_UNIT`."""
        unit = record_unit if isinstance(record_unit, str) else NO_UNIT
        return ((self._versioned(table)[3], unit), ("undo", unit))

    def _versioned(self, table: str) -> tuple[Callable, Callable, Callable, str]:
        """How the repository keeps ``table``: read its records, apply edits, write the result,
        and the action a write asks the permission table for.

        Every part writes through `store.records.write_records`: validated, versioned, audited.
        """
        if table == DEMANDS.name:
            edit = partial(apply_demand_edits, tracks=self.tracks)
            return load_demands, edit, self._write_demands, demands.EDIT
        if table == LAYERS_TABLE:
            return read_layers, apply_layer_edits, self._write_layers, layers.REPLACE
        return load_inventory, apply_edits, self._write_inventory, inventory.EDIT


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
