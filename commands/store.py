"""Store commands of the CLI: `info` summarises the configured store."""

from __future__ import annotations

import argparse
import json

from settings import Settings
from store.bootstrap import open_store


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the store's commands to the CLI."""
    info = subparsers.add_parser("info", help="what the store holds (seeds a new store first)")
    info.add_argument("--json", action="store_true", help="print JSON instead of text")
    info.set_defaults(func=_info)


def _info(args: argparse.Namespace, settings: Settings) -> int:
    repo = open_store(settings)
    summary = {
        "database": repo.engine.url.render_as_string(hide_password=True),
        "revision": repo.revision(),
        "sample": repo.get_meta("sample") == "1",
        "counts": repo.load_inventory().counts(),
        "layers": len(repo.load_layers()),
    }
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, indent=2))
    else:
        print(
            f"database  {summary['database']}  (revision {summary['revision']}"
            f"{', sample data' if summary['sample'] else ''})"
        )
        for table, n in summary["counts"].items():
            print(f"{table:<14}{n:>8,}")
        print(f"{'layer features':<14}{summary['layers']:>8,}")
    return 0
