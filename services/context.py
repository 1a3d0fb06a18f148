"""What the pages and the command line take from the settings: who acts, may edit, vocabularies."""

from __future__ import annotations

from settings import Settings
from spaces.sheets import Vocabularies, vocabularies
from store.repository import Actor

EDITORS = ("planner", "steward")
"""Roles that may import and edit (a steward only their unit's records)."""


def vocabs_for(settings: Settings) -> Vocabularies:
    """Every vocabulary with the configured units and tracks and their names."""
    return vocabularies(
        units={u.id: (u.name_zh, u.name_en) for u in settings.units},
        tracks={t.id: (t.name_zh, t.name_en) for t in settings.tracks},
    )


def actor_for(settings: Settings) -> Actor:
    """Who writes, from settings: a steward is limited to their unit."""
    return Actor(
        user=settings.user or settings.role,
        unit=settings.user_unit or None,
        scope=settings.user_unit if settings.role == "steward" else None,
    )


def can_edit(settings: Settings) -> bool:
    """True for roles that may import and edit."""
    return settings.role in EDITORS
