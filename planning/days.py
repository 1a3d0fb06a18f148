"""Day numbers: the one way the planning code holds dates (int64 days since 1970-01-01).

A date that is not known is `NEVER`, a day that never comes, so that comparisons need no
special case (a carrier without an available-from date is not available by any date). A gate
that does not apply passes since `EARLIEST`.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

NEVER = np.int64(1) << 40
"""A day that never comes: a date not known, or a gate nobody can say when it passes."""
EARLIEST = -NEVER
"""A day before every other: a gate that does not apply has always passed."""


class DateError(ValueError):
    """A value that should be a date is not one; the message shows it."""


def day(value: date | str | np.datetime64 | pd.Timestamp) -> np.int64:
    """One date (a date, Timestamp, datetime64 or ISO text) as a day number.

    Raises
    ------
    DateError
        If ``value`` is not a date (None and NaT included).
    """
    try:
        stamp = pd.Timestamp(value)
    except (TypeError, ValueError):
        raise DateError(f"{value!r} is not a date (YYYY-MM-DD)") from None
    if pd.isna(stamp):
        raise DateError(f"{value!r} is not a date (YYYY-MM-DD)")
    return np.int64(np.datetime64(stamp.date(), "D").astype(np.int64))


def days(values: pd.Series | np.ndarray) -> np.ndarray:
    """Day numbers of a date column; missing dates are `NEVER`."""
    d = pd.to_datetime(pd.Series(values)).to_numpy(dtype="datetime64[D]")
    out = d.astype(np.int64)
    return np.where(np.isnat(d), NEVER, out)


def known(day_numbers: np.ndarray) -> np.ndarray:
    """Where a day number is a real date (neither `NEVER` nor `EARLIEST`)."""
    d = np.asarray(day_numbers)
    return (d < NEVER) & (d > EARLIEST)


def to_date(day_number: int | np.integer) -> date | None:
    """The date of a day number; None for `NEVER` and `EARLIEST`."""
    if not known(day_number):
        return None
    return np.datetime64(int(day_number), "D").astype(date)


def dates_of(day_numbers: np.ndarray) -> np.ndarray:
    """Day numbers as datetime64[s]; `NEVER` and `EARLIEST` become NaT."""
    d = np.asarray(day_numbers, dtype=np.int64)
    out = d.astype("datetime64[D]")
    out[~known(d)] = np.datetime64("NaT")
    return out.astype("datetime64[s]")
