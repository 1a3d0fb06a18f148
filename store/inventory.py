"""The carrier inventory in the store: plots, buildings, floors, rooms, service teams, carriers."""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa

from access.permissions import Actor, require
from spaces.changes import VERSION, Diff, Edit, apply_edits, audited_units, changed_units
from spaces.model import Inventory
from spaces.schema import TABLES
from spaces.validation import check, coerce
from store import schema
from store.records import (
    Aggregate,
    WriteResult,
    lock,
    read_rows,
    refuse_conflicts,
    write_records,
)

EDIT = "edit.inventory"
"""The action of every write of the inventory (`access.permissions`): edits, imports, undo."""


class InventoryStore(Aggregate):
    """Reads and validated, versioned, audited writes of the carrier inventory.

    Every write asks the permission table for `EDIT`, and again for the responsible unit of
    each record it changes (before and after the change), so that a steward's write touching
    another unit's record is refused with `access.permissions.PermissionDenied`.
    """

    def load_inventory(self) -> Inventory:
        """Read every inventory table, typed and indexed by id, with its ``version`` column."""
        with self.engine.connect() as conn:
            return load_inventory(conn)

    def replace_inventory(self, inventory: Inventory, *, actor: Actor) -> WriteResult:
        """Validate ``inventory`` and make it the whole stored inventory, in one transaction.

        Only records that differ are written (and audited). Raises
        `spaces.validation.InventoryError` before writing anything if it is invalid.
        """
        require(actor, EDIT)
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
            Who writes: refused unless they may `EDIT` every record the write changes.
        expected_revision
            The revision the inventory was prepared from (an import's preview): if the store
            changed since, `spaces.changes.StaleError` is raised and nothing is written.
        note
            Free text kept with each audit entry, e.g. the imported file's name.
        """
        require(actor, EDIT)
        with self.engine.begin() as conn:
            revision = lock(conn, expected_revision)
            before = load_inventory(conn)
            return self._write_inventory(conn, before, inventory, actor, revision, note)

    def apply_edits(self, edits: Iterable[Edit], *, actor: Actor, note: str = "") -> WriteResult:
        """Apply record edits with optimistic locking, validating the whole result.

        Raises `spaces.changes.ConflictError` (nothing written) when a record's version is not
        the one its editor started from, naming what changed and who changed it.
        """
        require(actor, EDIT)
        edits = list(edits)
        with self.engine.begin() as conn:
            revision = lock(conn)
            before = load_inventory(conn)
            refuse_conflicts(conn, before.tables(), edits)
            after = apply_edits(before, edits)
            return self._write_inventory(conn, before, after, actor, revision, note)

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
        """Write ``after`` over ``before``: the permission table asked for each changed
        record's unit, then the whole result validated."""

        def vet(changes: Diff) -> None:
            require(actor, EDIT)
            for unit in changed_units(before, after, changes).unit.unique():
                require(actor, EDIT, unit=unit)
            check(after, units=self.units, tracks=self.tracks)

        return write_records(
            conn,
            before.tables(),
            after.tables(),
            tables=TABLES,
            actor=actor,
            revision=revision,
            note=note,
            undo_of=undo_of,
            vet=vet,
            units=audited_units(before, after),
        )


def load_inventory(conn: sa.Connection) -> Inventory:
    """Every inventory table as stored, typed, with its ``version`` column."""
    frames = {}
    for name, spec in TABLES.items():
        df = read_rows(conn, schema.INVENTORY[name], spec.geometry is not None)
        frames[name], issues = coerce(spec, df)
        if issues:  # the store only ever holds validated data
            raise RuntimeError(f"stored {name} do not match the schema: {issues[0]}")
        frames[name][VERSION] = frames[name][VERSION].astype("Int64")
    return Inventory.from_frames(frames)
