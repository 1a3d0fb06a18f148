"""Who may do what: the one permission table (role × action, with the steward's unit rule).

The pages ask it what to show and offer (`allowed`) and the store asks it again with the
signed-in actor before every read of non-public data and every write (`require`), so that a call
with an actor that lacks the right is refused whatever a page shows. It returns codes: the words
of a refusal are `words.access.refusal`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

ROLES = ("public", "steward", "planner", "leader", "admin")
"""Roles of accounts: an anonymous visitor is public (finder only, public fields only); a steward
keeps one responsible unit's carriers; planners plan and keep the demand list; leaders review
release batches; an admin manages accounts only."""

SYSTEM_ROLE = "system"
"""The role of the product itself (seeding, migrations): allowed everything, never an account."""

ACTIONS: Mapping[str, frozenset[str]] = {
    # what a page shows
    "view.finder": frozenset(ROLES),
    "view.map": frozenset({"steward", "planner", "leader"}),
    "view.private": frozenset({"steward", "planner", "leader"}),
    "view.plan": frozenset({"planner", "leader"}),
    "view.demands": frozenset({"planner", "leader"}),
    "view.matching": frozenset({"planner", "leader"}),
    "view.audit": frozenset({"steward", "planner", "leader", "admin"}),
    "view.export": frozenset({"steward", "planner", "leader"}),
    # what changes the store
    "edit.inventory": frozenset({"steward", "planner"}),  # edits and imports alike
    "replace.layers": frozenset({"planner"}),
    "edit.demands": frozenset({"planner", "leader"}),
    "decide.batch": frozenset({"leader"}),
    "undo": frozenset({"steward", "planner"}),
    "remove.sample": frozenset({"planner"}),
    "save.mapping": frozenset({"steward", "planner"}),  # a unit's saved column mapping
    "manage.accounts": frozenset({"admin"}),
}
"""Each action and the roles that may take it.

An import is an edit of many records at once: one action, with the same unit rule. The audit
log's entries show the records before and after: who may not see what is not public
(``view.private``: an administrator) sees only the accounts' entries, if they may manage the
accounts (`store.audit`); a steward only their own unit's. Removing the
sample deletes inventory and demand records, which is a planner's data, not an administrator's
(an administrator manages accounts only)."""

UNIT_SCOPED = frozenset({"edit.inventory", "undo", "view.audit", "save.mapping"})
"""Actions a steward may take only on their own unit's records (`allowed` with ``unit``)."""

NO_UNIT = ""
"""The ``unit`` of a record that belongs to no responsible unit (a demand, a layer feature, an
audit entry older than the record units): a steward's unit-scoped action never covers it."""


@dataclass(frozen=True)
class Actor:
    """Who acts: the name written into the audit log and decisions, the role and, for a
    steward, the responsible unit.

    Attributes
    ----------
    user
        The display name written into the audit log and decisions.
    role
        One of `ROLES`, or `SYSTEM_ROLE` for the product itself.
    unit
        The responsible unit of a steward (any role may have one; only a steward is limited
        to it).
    account
        The signed-in account's login; None for the command line and the system.
    """

    user: str
    role: str = "planner"
    unit: str | None = None
    account: str | None = None

    @property
    def scope(self) -> str | None:
        """The unit whose records this actor may change, or None for every record."""
        return self.unit if self.role == "steward" else None


ANONYMOUS = Actor("", role="public")
"""A visitor who has not signed in."""

SYSTEM = Actor("system", role=SYSTEM_ROLE)
"""The product itself: seeding and migrations."""


class PermissionDenied(ValueError):
    """An actor asked for an action its role or unit does not allow.

    ``code`` says why ("role": the role may not; "unit": a steward, another unit's record),
    with the action, the actor's role and unit and the record's ``owner`` unit, so that the
    words layer can say it in the page's language.
    """

    def __init__(
        self,
        code: str,
        action: str,
        role: str,
        unit: str | None = None,
        *,
        owner: str | None = None,
    ) -> None:
        self.code, self.action, self.role, self.unit, self.owner = code, action, role, unit, owner
        if code == "unit":
            text = f"{action}: a steward of {unit!r} may not act on a record of {owner!r}"
        else:
            text = f"{action}: role {role!r} may not do this"
        super().__init__(text)


def allowed(actor: Actor, action: str, *, unit: str | None = None) -> bool:
    """Whether ``actor`` may take ``action`` (on a record of ``unit``, when given).

    For a unit-scoped action (`UNIT_SCOPED`), a steward may take it on their own unit's
    records only (never on a record of `NO_UNIT`); without ``unit`` the question is whether
    they may take it at all.
    """
    return _refusal(actor, action, unit) is None


def require(actor: Actor, action: str, *, unit: str | None = None) -> None:
    """Raise `PermissionDenied` unless `allowed`."""
    refusal = _refusal(actor, action, unit)
    if refusal is not None:
        raise refusal


def _refusal(actor: Actor, action: str, unit: str | None) -> PermissionDenied | None:
    if action not in ACTIONS:
        raise KeyError(f"unknown action {action!r}; known: {', '.join(ACTIONS)}")
    if actor.role == SYSTEM_ROLE:
        return None
    if actor.role not in ACTIONS[action]:
        return PermissionDenied("role", action, actor.role, actor.unit)
    scoped = action in UNIT_SCOPED and actor.role == "steward"
    if scoped and unit is not None and unit != actor.unit:
        return PermissionDenied("unit", action, actor.role, actor.unit, owner=unit)
    return None
