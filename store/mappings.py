"""Saved column mappings: a responsible unit's confirmed mapping, proposed again next month.

A steward (for their own unit) or a planner (for any unit) saves a confirmed
`spaces.mapping.Mapping` under a name; it is kept with the header signature of the file it was
confirmed for, and `mapping_profiles` finds it again when a file with the same headers comes from
that unit. Saving asks the permission table ("save.mapping" for the unit) and writes an audit
entry (table "mapping_profiles", record "unit/name", the document before and after). Like every
write it takes the store's write lock (`store.records.lock`), which bumps the revision: the
import page saves a profile after committing the file it was confirmed for.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa

from access.permissions import Actor, require
from spaces.mapping import Mapping, MappingError
from store import schema
from store.records import Aggregate, audit_row, lock

TABLE = "mapping_profiles"
"""The profiles' name in the audit log."""

SAVE = "save.mapping"
"""The action saving a profile asks the permission table for, with the profile's unit."""


@dataclass(frozen=True)
class Profile:
    """A saved mapping: its unit and name, the header signature, the mapping, who and when."""

    unit: str
    name: str
    signature: str
    mapping: Mapping
    saved_by: str
    saved_at: datetime
    version: int


class MappingStore(Aggregate):
    """The saved column mappings of the responsible units."""

    def mapping_profiles(
        self, *, actor: Actor, unit: str | None = None, signature: str | None = None
    ) -> tuple[Profile, ...]:
        """Saved profiles, newest first: of ``unit`` (a steward: always their own) and, with
        ``signature``, only those confirmed for files with these headers."""
        require(actor, "edit.inventory")
        unit = actor.unit if actor.role == "steward" else unit
        t = schema.mapping_profiles
        q = sa.select(t).order_by(t.c.saved_at.desc(), t.c.name)
        if unit is not None:
            q = q.where(t.c.unit == unit)
        if signature is not None:
            q = q.where(t.c.signature == signature)
        with self.engine.connect() as conn:
            rows = conn.execute(q).mappings().all()
        return tuple(_profile(r) for r in rows)

    def save_mapping_profile(
        self, name: str, mapping: Mapping, *, actor: Actor, unit: str | None = None
    ) -> Profile:
        """Save (or replace) the profile ``name`` of ``unit`` (a steward's: their own).

        Raises
        ------
        access.permissions.PermissionDenied
            If the actor may not save mappings for that unit.
        ValueError
            If the name is blank or no unit is given.
        """
        unit = unit if unit is not None else actor.unit
        name = " ".join(str(name).split())
        if not name:
            raise ValueError("a mapping profile needs a name")
        if not unit:
            raise ValueError("a mapping profile belongs to a responsible unit: give one")
        require(actor, SAVE, unit=unit)
        document = mapping.to_json()
        at = datetime.now(UTC)
        t = schema.mapping_profiles
        key = (t.c.unit == unit) & (t.c.name == name)
        with self.engine.begin() as conn:
            lock(conn)
            old = conn.execute(sa.select(t).where(key)).mappings().first()
            values = {
                "signature": mapping.signature,
                "document": document,
                "saved_by": actor.user,
                "saved_at": at,
            }
            if old is None:
                version = 1
                conn.execute(t.insert().values(unit=unit, name=name, version=version, **values))
            else:
                version = int(old["version"]) + 1
                conn.execute(t.update().where(key).values(version=version, **values))
            record = f"{unit}/{name}"
            row = audit_row(
                at,
                actor,
                uuid.uuid4().hex,
                "insert" if old is None else "update",
                TABLE,
                record,
                version,
                None if old is None else _document(old["signature"], old["document"]),
                _document(mapping.signature, document),
                undo_of=None,
                note=f"mapping profile {name}",
                units={record: unit},
            )
            conn.execute(schema.audit_log.insert(), [row])
        return Profile(unit, name, mapping.signature, mapping, actor.user, at, version)


def _document(signature: str, document: str) -> dict:
    return {"signature": signature, "mapping": json.loads(document)}


def _profile(row: sa.RowMapping) -> Profile:
    try:
        mapping = Mapping.from_json(row["document"])
    except MappingError:  # a profile saved by a later version of the schema
        mapping = Mapping(())
    at = row["saved_at"]
    at = at.replace(tzinfo=UTC) if at.tzinfo is None else at
    return Profile(
        row["unit"],
        row["name"],
        row["signature"],
        mapping,
        row["saved_by"],
        at,
        int(row["version"]),
    )
