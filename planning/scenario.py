"""Scenarios: a plan under changed weights, threshold or cadence beside the current one."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from planning.release import Plan

DIRECTIONS = ("earlier", "later", "in", "out", "changed")
"""How a carrier moved: released earlier, later, newly (in), no more (out), or the same
date for another reason (changed)."""


@dataclass(frozen=True)
class Comparison:
    """How plan ``b`` (a scenario) differs from plan ``a`` (the current one).

    Attributes
    ----------
    moves
        One row per carrier whose placement differs: ``from_batch``/``to_batch`` (Int64,
        NA when in no batch), their window starts and ends, ``from_reason``/``to_reason``,
        ``score_a``/``score_b`` (the score that placed it: on its window's last day, or the
        trial's last day when not released), ``eligible_a``/
        ``eligible_b`` (the first day in the trial it is ready, ``eligible_on``), ``direction``
        ("earlier", "later", "in", "out" or "changed": released on the same date, for a
        different reason), and ``usable_area_m2``. Sorted by carrier id.
    windows_a, windows_b
        Per window of each plan: ``batch``, ``start``, ``end``, ``count``, ``area_m2``.
    summary
        Rows "released", "released_area_m2", "not_releasable", "held"; columns
        ``a``, ``b``, ``change``.
    moved
        Number of moves by direction.
    """

    a: Plan
    b: Plan
    moves: pd.DataFrame
    windows_a: pd.DataFrame
    windows_b: pd.DataFrame
    summary: pd.DataFrame
    moved: pd.Series


def compare(plan_a: Plan, plan_b: Plan) -> Comparison:
    """Compare two plans of the same carriers on the same date.

    A carrier has moved when the date it is released on (its window's date, so that plans
    with different cadences compare) or its outcome or reason differs. Vectorised throughout.

    Raises
    ------
    ValueError
        If the plans are of different carriers or dates.
    """
    a, b = plan_a.assignments, plan_b.assignments
    if plan_a.as_of != plan_b.as_of:
        raise ValueError(
            f"the plans are made on different dates ({plan_a.as_of}, {plan_b.as_of}): "
            "compare plans made on the same date"
        )
    if not a.index.sort_values().equals(b.index.sort_values()):
        raise ValueError("the plans are of different carriers: compare plans of one inventory")
    b = b.loc[a.index]
    start_a = a["released_on"].to_numpy()
    start_b = b["released_on"].to_numpy()
    same_window = (start_a == start_b) | (np.isnat(start_a) & np.isnat(start_b))
    same_reason = (a["reason"].astype(str) == b["reason"].astype(str)).to_numpy()
    moved = ~same_window | ~same_reason
    in_a, in_b = a["batch"].notna().to_numpy(), b["batch"].notna().to_numpy()
    direction = np.select(
        [
            in_a & in_b & (start_b < start_a),
            in_a & in_b & (start_b > start_a),
            ~in_a & in_b,
            in_a & ~in_b,
        ],
        ["earlier", "later", "in", "out"],
        "changed",
    )
    ra, rb = a["score"], b["score"]
    moves = pd.DataFrame(
        {
            "from_batch": a["batch"],
            "to_batch": b["batch"],
            "from_start": a["window_start"],
            "from_end": a["window_end"],
            "to_start": b["window_start"],
            "to_end": b["window_end"],
            "from_reason": a["reason"],
            "to_reason": b["reason"],
            "score_a": ra,
            "score_b": rb,
            "eligible_a": a["eligible_on"],
            "eligible_b": b["eligible_on"],
            "direction": pd.Categorical(direction, DIRECTIONS),
            "usable_area_m2": a["usable_area_m2"],
        },
        index=a.index,
    )[moved].sort_index()
    windows_a, windows_b = _windows(plan_a), _windows(plan_b)
    summary = pd.DataFrame({"a": _summary(plan_a), "b": _summary(plan_b)})
    summary["change"] = summary["b"] - summary["a"]
    moved_counts = moves["direction"].value_counts().reindex(DIRECTIONS, fill_value=0)
    return Comparison(plan_a, plan_b, moves, windows_a, windows_b, summary, moved_counts)


def _windows(plan: Plan) -> pd.DataFrame:
    a = plan.assignments
    released = a[a["batch"].notna()]
    g = released.groupby("batch")["usable_area_m2"].agg(["size", "sum"])
    rows = [
        {
            "batch": w.number,
            "start": w.start,
            "end": w.end,
            "open": w.open,
            "count": int(g["size"].get(w.number, 0)),
            "area_m2": float(g["sum"].get(w.number, 0.0)),
        }
        for w in plan.windows
    ]
    return pd.DataFrame(rows, columns=["batch", "start", "end", "open", "count", "area_m2"])


def _summary(plan: Plan) -> pd.Series:
    a = plan.assignments
    released = a["outcome"] == "released"
    counts = {
        "released": int(released.sum()),
        "released_area_m2": float(a.loc[released, "usable_area_m2"].sum()),
        "not_releasable": int((a["outcome"] == "not_releasable").sum()),
        "held": int((a["outcome"] == "held").sum()),
    }
    return pd.Series(counts, dtype=float)
