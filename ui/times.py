"""Times as users read them: stored times are UTC, every page shows them in Beijing time."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pandas as pd

from settings import BEIJING

FORMAT = "%Y-%m-%d %H:%M"
"""How the pages write a time (the caption `words` ``beijing_time`` says in which zone)."""


def beijing(value: Any) -> str:
    """A stored time in Beijing time, ``YYYY-MM-DD HH:MM``; "" for none.

    ``value`` is a datetime or pandas Timestamp (a naive one is UTC, as SQLite gives it back)
    or ISO text (``decided_at``; without an offset it is UTC).
    """
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value.strip())
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if not isinstance(value, datetime):
        raise TypeError(f"not a time: {value!r}")
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(BEIJING).strftime(FORMAT)


def beijing_column(values: Any) -> list[str]:
    """`beijing` of each value of a column."""
    return [beijing(v) for v in values]
