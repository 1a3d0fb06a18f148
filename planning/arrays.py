"""Frame columns as numpy arrays, the one way the planning code reads them.

Codes are positions in a list of labels (-1: missing or unknown), numbers are float64 with NaN
for missing, flags are bool with False for missing; dates are day numbers (`planning.days`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd


def check_columns(
    frame: pd.DataFrame, columns: Iterable[str], *, error: type[ValueError], what: str
) -> None:
    """Raise ``error`` naming the columns ``frame`` lacks and how to make it (``what``)."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise error(f"the carrier table lacks the column(s) {', '.join(missing)}: {what}")


def codes(values: pd.Series, labels: Sequence[str] | pd.Index) -> np.ndarray:
    """Position of each value in ``labels`` (-1: missing or not among them), fast on strings."""
    found, uniques = pd.factorize(values)
    where = pd.Index(labels).get_indexer(uniques) if len(uniques) else np.zeros(0, np.int64)
    return np.where(found >= 0, where[np.maximum(found, 0)] if len(where) else -1, -1)


def labelled(index: np.ndarray, labels: Sequence[str] | pd.Index) -> pd.Categorical:
    """A categorical of ``labels[index]`` (missing where index is -1), without copying text."""
    label_codes, uniques = pd.factorize(pd.Index(labels))
    label_codes = np.append(label_codes, -1)
    return pd.Categorical.from_codes(
        label_codes[np.where(index >= 0, index, -1)], uniques, validate=False
    )


def floats(values: pd.Series) -> np.ndarray:
    """Numbers as float64, NaN where missing or not a number."""
    return pd.to_numeric(values, errors="coerce").astype("float64").to_numpy(na_value=np.nan)


def flags(values: pd.Series) -> np.ndarray:
    """Booleans, False where missing."""
    return values.astype("boolean").fillna(False).to_numpy(dtype=bool)
