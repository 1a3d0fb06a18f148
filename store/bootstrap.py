"""Opening the configured store, seeding an empty one with base layers and sample data."""

from __future__ import annotations

from datetime import UTC, datetime

from geodata.layers import base_layers
from settings import Settings
from spaces import sample
from store.repository import Repository


def open_store(settings: Settings) -> Repository:
    """Connect to ``settings.database_url``; seed it on first use with layers and sample data.

    A new SQLite file is created as needed, so the app runs with no server to install.
    """
    repo = Repository.connect(
        settings.database_url,
        units=[u.id for u in settings.units],
        tracks=[t.id for t in settings.tracks],
    )
    if repo.is_empty():
        seed_sample(repo, settings)
    return repo


def seed_sample(repo: Repository, settings: Settings) -> None:
    """Fill an empty store with the base layers and the generated sample inventory."""
    layers = base_layers()
    inventory = sample.generate(
        layers,
        scale=settings.sample_scale,
        seed=settings.sample_seed,
        units=tuple(u.id for u in settings.units),
        tracks=tuple(t.id for t in settings.tracks),
    )
    meta = {
        "sample": "1",
        "sample_seed": str(settings.sample_seed),
        "sample_scale": str(settings.sample_scale),
        "seeded_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    repo.seed(inventory, layers, meta=meta)  # a no-op if another process seeded it first
