"""Command-line interface for automation: `python cli.py <command> ...` (see --help)."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from access.permissions import PermissionDenied
from settings import SettingsError, load_settings
from spaces.changes import ConflictError
from spaces.validation import InventoryError
from words.access import refusal
from words.inventory import error_text

# Modules that add commands: each has ``register(subparsers)``, whose parsers set ``func``
# to a callable ``func(args, settings) -> int`` (the exit status).
COMMAND_MODULES: tuple[str, ...] = (
    "commands.store",
    "commands.db",
    "commands.transfer",
    "commands.planning",
    "commands.users",
)


def build_parser() -> argparse.ArgumentParser:
    """The parser with every command registered."""
    parser = argparse.ArgumentParser(
        prog="cli.py",
        description="Hongqiao R&D carrier planner: commands on the configured store "
        "(DATABASE_URL or config/settings.toml).",
    )
    parser.add_argument("--settings", help="a TOML settings file (default: $HQ_SETTINGS)")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; errors in settings or input print one line and exit with 2."""
    args = build_parser().parse_args(argv)
    try:
        settings = load_settings(args.settings)
        return args.func(args, settings)
    except (InventoryError, ConflictError) as e:  # in words, as the pages show them
        print(f"error: {error_text(e, 'en')}", file=sys.stderr)
        return 2
    except PermissionDenied as e:  # the actor of HQ_ROLE/HQ_USER/HQ_UNIT may not
        print(f"error: {refusal(e, 'en', settings.units)}", file=sys.stderr)
        return 2
    except (SettingsError, ValueError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # The reader stopped early (`cli.py plan | head`): not an error of ours. Point stdout
        # at nothing so that Python's own flush at exit does not fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
