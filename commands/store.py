"""Store commands of the CLI: `init` makes the store, `info` summarises it, `sample remove`.

`sample remove` takes out the sample data and then the sample accounts, as the system (as
`cli.py users remove-samples` does), unless the sample admin is the last active admin: then
the accounts stay, and it says so.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from access.accounts import AccountError
from access.permissions import SYSTEM
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
    try:
        accounts, kept = list(repo.remove_sample_accounts(actor=SYSTEM)), None
    except AccountError as e:
        accounts = []
        kept = (
            f"{e} (`cli.py users add LOGIN --name NAME --role admin`), then "
            "`cli.py users remove-samples`"
        )
    if args.json:
        out = {"removed": removed, "revision": result.revision, "accounts_removed": accounts}
        print(json.dumps({**out, "accounts_kept": kept}, indent=2))
    else:
        counts = ", ".join(f"{n:,} {table}" for table, n in removed.items()) or "nothing"
        print(f"removed the sample data: {counts} (store revision {result.revision})")
        print("each removal is in the audit log (`cli.py audit --actor ...`) and can be undone")
        if accounts:
            print(f"removed the sample accounts: {', '.join(accounts)}")
        elif kept:
            print(f"the sample accounts stay: {kept}")
    return 0


def _summary(repo: Repository) -> dict[str, Any]:
    found = repo.sample_records()
    accounts = repo.accounts(actor=SYSTEM)
    return {
        "database": repo.engine.url.render_as_string(hide_password=True),
        "revision": repo.revision(),
        "sample": found.held,
        "sample_records": {t: n for t, n in found.counts().items() if n},
        "counts": repo.load_inventory().counts(),
        "demands": repo.count_demands(),
        "layers": len(repo.load_layers()),
        "accounts": len(accounts),
        "sample_accounts": sum(a.sample for a in accounts),
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
    print(f"{'accounts':<14}{summary['accounts']:>8,}")
    if summary["sample_accounts"]:
        print(
            f"sample accounts: {summary['sample_accounts']}, with the passwords the README "
            "publishes (`cli.py users remove-samples` removes them)"
        )
