"""Opening the configured store; filling a new one with the base layers and maybe the sample."""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime

from access.accounts import sample_accounts
from geodata.layers import base_layers
from settings import Settings
from spaces import sample
from spaces.demand_sample import generate_demands
from spaces.model import Inventory
from store.accounts import SAMPLE_ACCOUNTS_META
from store.repository import Repository


def open_store(settings: Settings) -> Repository:
    """Connect to ``settings.database_url``; fill it on first use (see `fill_new_store`).

    A new SQLite file is created as needed, so the app runs with no server to install.
    """
    repo = connect(settings)
    if repo.is_empty():
        fill_new_store(repo, settings)
    elif repo.get_meta("sample") == "1":
        if repo.get_meta("sample_demands") is None:
            seed_sample_demands(repo, settings)  # a sample store made before the demand list
        if repo.get_meta(SAMPLE_ACCOUNTS_META) is None:
            seed_sample_accounts(repo, settings)  # a sample store made before the accounts
    return repo


def connect(settings: Settings) -> Repository:
    """The repository of ``settings.database_url``, its schema upgraded; nothing is seeded."""
    return Repository.connect(
        settings.database_url,
        units=[u.id for u in settings.units],
        tracks=[t.id for t in settings.tracks],
        auth=settings.auth,
    )


def gets_sample(settings: Settings, backend: str) -> bool:
    """Whether a new store on ``backend`` is filled with the sample (`sample.fill_empty_store`).

    ``"sqlite"`` (the default) fills only a SQLite file, the embedded store of ``make run``;
    a PostgreSQL store, as a production deployment has, starts empty.
    """
    return settings.sample_fill == "always" or (
        settings.sample_fill == "sqlite" and backend == "sqlite"
    )


def fill_new_store(
    repo: Repository, settings: Settings, *, with_sample: bool | None = None
) -> bool:
    """Fill an empty store with the base layers and, with ``with_sample``, the sample data.

    Parameters
    ----------
    repo
        The store; nothing is written unless it is empty.
    settings
        The sample's seed and scale, units and tracks.
    with_sample
        True for the sample inventory and demand list, False for the base layers only; by
        default as `gets_sample` says for the store's backend.

    Returns
    -------
    bool
        False when the store was not empty (or another process filled it first).
    """
    if with_sample is None:
        with_sample = gets_sample(settings, repo.backend)
    if with_sample:
        return seed_sample(repo, settings)
    return repo.seed(Inventory.empty(), base_layers(), meta={})


def seed_sample(repo: Repository, settings: Settings) -> bool:
    """Fill an empty store with the base layers, the generated sample inventory and demands,
    and the sample accounts (`seed_sample_accounts`).

    Returns False, writing nothing, when the store is not empty.
    """
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
    if not repo.seed(inventory, layers, meta=meta):  # another process seeded it first
        return False
    seed_sample_demands(repo, settings)
    seed_sample_accounts(repo, settings)
    return True


def seed_sample_demands(repo: Repository, settings: Settings) -> None:
    """Add the sample demand list (需求清单) to a store holding sample data, once."""
    demands = generate_demands(
        scale=settings.sample_scale,
        seed=settings.sample_seed,
        tracks=tuple(t.id for t in settings.tracks),
        track_requirements={t.id: asdict(t) for t in settings.tracks},
    )
    if not repo.seed_demands(demands, meta={"sample_demands": "1"}):
        repo.set_meta("sample_demands", "1")  # stored by another process, or a user, first


def seed_sample_accounts(repo: Repository, settings: Settings) -> None:
    """Add the sample accounts to a store holding sample data, once: an admin, a planner, a
    leader and a steward per configured unit, marked 示例, with the passwords the README lists
    (`access.accounts.sample_accounts`). A store that has accounts already gets none."""
    repo.seed_sample_accounts(sample_accounts({u.id: u.name_zh for u in settings.units}))
