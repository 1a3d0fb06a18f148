"""The sample data in the store: which records the seeding put in, and removing exactly those.

The seeding (`Repository.seed`, `Repository.seed_demands`) writes the sample's records with no
audit entry of their own (one ``*`` entry holds the counts) and marks the store with the meta
keys ``sample`` and ``sample_demands``. Every later write (an edit, an import, an undo) audits
each record it inserts. So while the store is marked, a record of an inventory table (or of
the demand list) is the sample's exactly when no audit entry ever inserted it; one with later
audit entries is a sample record edited since. Records written before the audit log existed
(a store older than migration 0002) count as the sample's. The base layers are never sample
data.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd
import sqlalchemy as sa

from access.permissions import Actor, require
from spaces.changes import audited_units
from spaces.model import Inventory
from spaces.schema import DEMANDS, TABLES
from spaces.validation import InventoryError, check
from store import schema
from store.demands import load_demands
from store.inventory import load_inventory
from store.records import Aggregate, WriteResult, lock, when, write_records

SAMPLE_TABLES = (*TABLES, DEMANDS.name)
"""The tables the sample fills: the inventory and the demand list."""

SAMPLE_META = ("sample", "sample_seed", "sample_scale", "seeded_at", "sample_demands")
"""Meta keys written with the sample; removing it removes them."""

_LISTED = 10  # edited records named in a refusal


class SampleError(ValueError):
    """The sample cannot be removed as asked; nothing was written. The message says how to."""


@dataclass(frozen=True)
class SampleRecords:
    """The records the sample put into the store that are still there.

    Attributes
    ----------
    ids
        Per table of `SAMPLE_TABLES`, the ids of the sample's records.
    edited
        The sample's records changed since the seeding: ``table``, ``record_id``, and
        ``actor`` and ``changed_at`` of the latest change.
    held
        True when the store is marked as holding the sample (inventory or demand list).
    """

    ids: Mapping[str, tuple[str, ...]]
    edited: pd.DataFrame
    held: bool

    def counts(self) -> dict[str, int]:
        """Number of the sample's records per table."""
        return {name: len(ids) for name, ids in self.ids.items()}


class SampleStore(Aggregate):
    """Recognising and removing the sample data of a store."""

    def sample_records(self) -> SampleRecords:
        """The sample's records still in the store, and those of them edited since seeding."""
        with self.engine.connect() as conn:
            return sample_records(conn)

    def remove_sample(self, *, actor: Actor, force: bool = False) -> WriteResult:
        """Delete exactly the sample's records, in one transaction, each deletion audited.

        Records added after the seeding stay, as do the base layers; the store's sample
        marks (`SAMPLE_META`) are removed, so the app no longer labels it as sample data and
        never seeds it again. Each removed record can be restored by undoing its audit entry.

        Parameters
        ----------
        actor
            Who removes it: one who may ``remove.sample`` (a planner; the sample spans every
            unit and the demand list), else `access.permissions.PermissionDenied` is raised
            before anything is read or written.
        force
            Also remove sample records someone changed since the seeding; without it, such
            records refuse the removal (they are listed).

        Raises
        ------
        SampleError
            Nothing written: the store holds no sample, sample records were edited (without
            ``force``), or records added since refer to sample records.
        """
        require(actor, "remove.sample")
        with self.engine.begin() as conn:
            revision = lock(conn)
            found = sample_records(conn)
            if not found.held:
                raise SampleError("this store holds no sample data: there is nothing to remove")
            if len(found.edited) and not force:
                raise SampleError(_edited_message(found.edited))
            inventory, demands = load_inventory(conn), load_demands(conn)
            kept = Inventory.from_frames(
                {n: df.drop(index=list(found.ids[n])) for n, df in inventory.tables().items()}
            )
            try:
                check(kept, units=self.units, tracks=self.tracks)
            except InventoryError as e:
                raise SampleError(
                    f"records added after the seeding refer to sample records, so nothing was "
                    f"removed ({e}): change or remove those records first"
                ) from None
            result = write_records(
                conn,
                {**inventory.tables(), DEMANDS.name: demands},
                {**kept.tables(), DEMANDS.name: demands.drop(index=list(found.ids[DEMANDS.name]))},
                tables=SAMPLE_TABLES,
                actor=actor,
                revision=revision,
                note="remove sample",
                units=audited_units(inventory, kept),
            )
            conn.execute(schema.meta.delete().where(schema.meta.c.key.in_(SAMPLE_META)))
            return result


def sample_records(conn: sa.Connection) -> SampleRecords:
    """The sample's records in the store (see the module's description)."""
    m = schema.meta
    marks = dict(conn.execute(sa.select(m.c.key, m.c.value).where(m.c.key.in_(SAMPLE_META))).all())
    tables = [*TABLES] if marks.get("sample") == "1" else []
    tables += [DEMANDS.name] if marks.get("sample_demands") == "1" else []
    a = schema.audit_log
    entries = pd.DataFrame(
        conn.execute(
            sa.select(a.c.table_name, a.c.record_id, a.c.action, a.c.actor, a.c.changed_at)
            .where(a.c.table_name.in_(tables))
            .order_by(a.c.audit_id)
        ).all()
        if tables
        else [],
        columns=["table", "record_id", "action", "actor", "changed_at"],
    )
    inserts = entries[entries.action == "insert"]
    inserted = set(zip(inserts.table, inserts.record_id, strict=True))
    ids: dict[str, tuple[str, ...]] = {}
    for name in SAMPLE_TABLES:
        table = schema.TABLES_BY_NAME[name]
        id_column = table.primary_key.columns.values()[0]
        stored = conn.execute(sa.select(id_column).order_by(id_column)).scalars()
        ids[name] = tuple(r for r in stored if (name, r) not in inserted) if name in tables else ()
    latest = entries.drop_duplicates(["table", "record_id"], keep="last")
    sample = {(name, r) for name, rs in ids.items() for r in rs}
    keys = zip(latest.table, latest.record_id, strict=True)
    edited = latest[pd.Series([key in sample for key in keys], index=latest.index, dtype=bool)]
    return SampleRecords(
        ids=ids,
        edited=edited.drop(columns="action").reset_index(drop=True),
        held=bool(tables),
    )


def _edited_message(edited: pd.DataFrame) -> str:
    named = ", ".join(
        f"{r.table} {r.record_id} ({r.actor}, {when(r.changed_at)})"
        for r in edited.head(_LISTED).itertuples()
    )
    more = f" and {len(edited) - _LISTED} more" if len(edited) > _LISTED else ""
    return (
        f"{len(edited)} sample record(s) were changed after the seeding, so nothing was removed: "
        f"{named}{more}. Check that they are not real data; `cli.py sample remove --force` "
        "removes them with the rest"
    )
