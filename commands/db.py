"""Schema commands of the CLI: `db upgrade`, `db current` and `db revision -m MESSAGE`."""

from __future__ import annotations

import argparse

import sqlalchemy as sa

from settings import Settings
from store.migrate import MIGRATIONS, current, head, make_revision, upgrade
from store.repository import engine_for


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `db upgrade`, `db current` and `db revision -m MESSAGE` to the CLI."""
    db = subparsers.add_parser("db", help="schema migrations (Alembic) of the configured store")
    sub = db.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    sub.add_parser("upgrade", help="upgrade the store to the newest schema").set_defaults(
        func=_upgrade
    )
    sub.add_parser("current", help="print the store's and the scripts' revisions").set_defaults(
        func=_current
    )
    rev = sub.add_parser(
        "revision", help="write a migration for what changed in store/schema.py (developers)"
    )
    rev.add_argument("-m", "--message", required=True, help="what the migration does")
    rev.set_defaults(func=_revision)


def _engine(settings: Settings) -> sa.Engine:
    return engine_for(settings.database_url)


def _upgrade(args: argparse.Namespace, settings: Settings) -> int:
    engine = _engine(settings)
    before = current(engine)
    upgrade(engine)
    print(f"store at {current(engine)} (was {before or 'empty'})")
    return 0


def _current(args: argparse.Namespace, settings: Settings) -> int:
    print(f"store {current(_engine(settings)) or 'empty'}; scripts head {head()}")
    return 0


def _revision(args: argparse.Namespace, settings: Settings) -> int:
    path = make_revision(args.message)
    if path is None:
        print("store/schema.py matches the newest migration: nothing to write")
        return 0
    print(f"wrote {path.relative_to(MIGRATIONS.parents[1])}: read it and run the tests")
    return 0
