"""What the pages and the command line take from the settings: the vocabularies, and who acts
on the command line."""

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
    """Who acts on the command line (and in tests that call the core directly).

    From the settings (``app.role``, ``app.user``, ``app.unit``: HQ_ROLE, HQ_USER, HQ_UNIT).
    Never the pages' actor: they act as the signed-in account, or the public
    (`ui.common.current_actor`). What the actor may do is asked of `access.permissions` by
    the store.
    """
    return Actor(
        user=settings.user or settings.role,
        role=settings.role,
        unit=settings.user_unit or None,
    )
