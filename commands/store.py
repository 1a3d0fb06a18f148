"""Store commands of the CLI: `init` makes the store, `info` summarises it, `sample remove`."""

from __future__ import annotations

import argparse
import json
from typing import Any

from services.context import actor_for
from settings import Settings
from store.bootstrap import connect, fill_new_store, open_store
from store.repository import Repository


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `init`, `info` and `sample remove` to the CLI."""
    init = subparsers.add_parser(
        "init",
        help="make the configured store: schema, base layers and, as sample.fill_empty_store "
        "says, the sample data",
    )
    init.add_argument("--empty", action="store_true", help="no sample data, whatever the settings")
    init.set_defaults(func=_init)
    info = subparsers.add_parser("info", help="what the store holds (fills a new store first)")
    info.set_defaults(func=_info)
    sample = subparsers.add_parser("sample", help="the sample data in the store")
    actions = sample.add_subparsers(dest="sample_command", required=True, metavar="ACTION")
    remove = actions.add_parser(
        "remove",
        help="delete exactly the sample's records (audited, in one transaction); what was "
        "added since stays",
    )
    remove.add_argument(
        "--force", action="store_true", help="also delete sample records changed since seeding"
    )
    remove.set_defaults(func=_sample_remove)
    for parser in (init, info, remove):
        parser.add_argument("--json", action="store_true", help="print JSON instead of text")


def _init(args: argparse.Namespace, settings: Settings) -> int:
    repo = connect(settings)
    made = repo.is_empty() and fill_new_store(
        repo, settings, with_sample=False if args.empty else None
    )
    summary = _summary(repo)
    if args.empty and summary["sample"]:
        raise ValueError(
            f"{summary['database']} already holds the sample data: `cli.py sample remove` "
            "removes it"
        )
    _print(summary, args, "made now" if made else "made before")
    return 0


def _info(args: argparse.Namespace, settings: Settings) -> int:
    _print(_summary(open_store(settings)), args)
    return 0


def _sample_remove(args: argparse.Namespace, settings: Settings) -> int:
    repo = open_store(settings)
    result = repo.remove_sample(actor=actor_for(settings), force=args.force)
    removed = {d.table: len(d.deleted) for d in result.diff.tables.values() if d.deleted}
    if args.json:
        print(json.dumps({"removed": removed, "revision": result.revision}, indent=2))
    else:
        counts = ", ".join(f"{n:,} {table}" for table, n in removed.items()) or "nothing"
        print(f"removed the sample data: {counts} (store revision {result.revision})")
        print("each removal is in the audit log (`cli.py audit --actor ...`) and can be undone")
    return 0


def _summary(repo: Repository) -> dict[str, Any]:
    found = repo.sample_records()
    return {
        "database": repo.engine.url.render_as_string(hide_password=True),
        "revision": repo.revision(),
        "sample": found.held,
        "sample_records": {t: n for t, n in found.counts().items() if n},
        "counts": repo.load_inventory().counts(),
        "demands": repo.count_demands(),
        "layers": len(repo.load_layers()),
    }


def _print(summary: dict[str, Any], args: argparse.Namespace, status: str = "") -> None:
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, indent=2))
        return
    print(
        f"database  {summary['database']}  (revision {summary['revision']}"
        f"{', ' + status if status else ''})"
    )
    for table, n in summary["counts"].items():
        print(f"{table:<14}{n:>8,}")
    print(f"{'demands':<14}{summary['demands']:>8,}")
    print(f"{'layer features':<14}{summary['layers']:>8,}")
    if summary["sample"]:
        held = sum(summary["sample_records"].values())
        print(
            f"sample data: yes, {held:,} of these records are the generated sample "
            "(`cli.py sample remove` removes them)"
        )
    else:
        print("sample data: none")
