"""What the pages and the command line take from the settings: who acts, the vocabularies."""

from __future__ import annotations

from access.permissions import Actor
from settings import Settings
from spaces.sheets import Vocabularies, vocabularies


def vocabs_for(settings: Settings) -> Vocabularies:
    """Every vocabulary with the configured units and tracks and their names."""
    return vocabularies(
        units={u.id: (u.name_zh, u.name_en) for u in settings.units},
        tracks={t.id: (t.name_zh, t.name_en) for t in settings.tracks},
    )


def actor_for(settings: Settings) -> Actor:
    """Who acts on the pages and the command line: the one place that makes the actor.

    For now from the settings (``app.role``, ``app.user``, ``app.unit``: HQ_ROLE, HQ_USER,
    HQ_UNIT), for the command line and tests; what the actor may do is asked of
    `access.permissions`, by the pages and again by the store.
    """
    return Actor(
        user=settings.user or settings.role,
        role=settings.role,
        unit=settings.user_unit or None,
    )
