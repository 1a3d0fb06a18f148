"""Release batches: each carrier to the first window it is ready by the end of.

The trial (three years from 2026-06-01 by default) is cut into windows of the policy's cadence;
windows that ended before the as-of date are closed, and the window under way opens on the
as-of date. **A window takes the carriers that are ready by its last day**: their gates pass on
projected dates and their score on that day clears the threshold. Every window scores its
carriers on its last day, so that carriers compete on the same date, and each is released
from the day it becomes ready (the window's opening day, or later within it): a plot whose
land is ready in the middle of the last window goes in that window, from that day. The score
never falls as time passes (`planning.readiness.Model`), so "ready by the last day" and "ready
on some day of the window" are the same thing, and the ready day is found among the days the
carrier's facts change.

Window by window, each responsible unit takes its ready carriers, highest score first (ties:
carrier id), up to its capacity; the rest wait for the next window. Held space is not
released: leased carriers, and carriers reserved for a prospect unless the policy says
otherwise (``release.release_reserved``). The loop runs over windows, never over carriers.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from planning.arrays import labelled
from planning.days import NEVER, dates_of, day, to_date
from planning.facts import CarrierFacts
from planning.policy import Policy
from planning.readiness import Model, Readiness, prepare

OUTCOMES = ("released", "held", "not_releasable")
"""Where a carrier ends up: in a batch, held (leased or reserved), or not releasable in the
trial."""

REASONS = (
    "ready",
    "waited_capacity",
    "already_let",
    "reserved",
    "trial_over",
    "gate_no_date",
    "gate_after_trial",
    "below_threshold",
    "capacity_full",
)
"""Why a carrier is where it is (the UI words them; see `words.release.placement_reasons`)."""


@dataclass(frozen=True)
class Window:
    """A release window: batch ``number`` is released from ``start`` to ``end`` (inclusive).

    Its carriers are scored on ``end``, and released from ``opens`` (the start, or the as-of
    date for the window under way) or the later day they become ready. A window that ended
    before the as-of date is closed (``open`` is False) and takes no carriers.
    """

    number: int
    start: date
    end: date
    opens: date
    open: bool


@dataclass(frozen=True, eq=False)
class Plan:
    """A release plan: every carrier in one batch, held, or not releasable, with why.

    Attributes
    ----------
    as_of, policy, windows
        What the plan was made with.
    assignments
        One row per carrier (indexed like the input): ``batch`` (Int64, NA when not
        released), ``outcome`` (`OUTCOMES`), ``reason`` (`REASONS`), ``score`` (on its
        window's last day; for a carrier not released, on the trial's last day: the highest
        it reaches), ``ready_from`` (the date its gates pass, NaT if unknown),
        ``eligible_on`` (the first day in the trial it is ready: gates pass and the score
        clears the threshold; NaT if none), ``gates_window`` (the window its gates pass in),
        ``first_eligible`` (the first window it could go in before capacity), ``rank`` (its
        place among its unit's releases in its window), ``responsible_unit``,
        ``usable_area_m2``, ``window_start``, ``window_end`` and ``released_on`` (the day
        it is released: its window's opening day, or the day it becomes ready when that is
        later).
    window_scores
        The score of every carrier on the last day of every window (columns: window
        numbers; NaN for closed windows).
    usage
        Carriers released per window (rows) and unit (columns), with ``capacity`` alongside
        in `capacity` (None: no limit).
    readiness
        The full readiness as of the as-of date, for explanations (a property, built on
        first use).
    model
        The prepared readiness model, to explain a batch on its own dates (`readiness_for`).
    """

    as_of: date
    policy: Policy
    windows: tuple[Window, ...]
    assignments: pd.DataFrame
    window_scores: pd.DataFrame
    usage: pd.DataFrame
    model: Model

    @functools.cached_property
    def readiness(self) -> Readiness:
        """The full readiness as of the as-of date (built on first use, then kept)."""
        return self.model.readiness(self.model.as_of)

    @property
    def capacity(self) -> dict[str, int | None]:
        """Carriers per window by unit (None: no limit)."""
        return self.policy.capacity_of()

    def window(self, number: int) -> Window:
        """The window of batch ``number``."""
        for w in self.windows:
            if w.number == number:
                return w
        raise KeyError(f"no batch {number}: the plan has {len(self.windows)} windows")

    def readiness_for(self, number: int) -> Readiness:
        """The readiness on the day batch ``number`` is scored (its window's last day)."""
        return self.model.readiness(day(self.window(number).end))

    def batch(self, number: int) -> pd.DataFrame:
        """The carriers of batch ``number``, highest score first (ties: carrier id)."""
        self.window(number)
        a = self.assignments
        rows = a[a["batch"] == number]
        order = np.lexsort((rows.index.to_numpy(dtype=str), -rows["score"].to_numpy(float)))
        return rows.iloc[order]

    def fingerprint(self) -> str:
        """A short hash of the as-of date, the policy and every carrier's placement."""
        a = self.assignments.sort_index()
        h = hashlib.sha256()
        h.update(self.as_of.isoformat().encode())
        h.update(self.policy.key().encode())
        h.update("|".join(map(str, a.index)).encode())
        h.update(a["batch"].fillna(0).to_numpy(np.int64).tobytes())
        h.update(a["released_on"].to_numpy("datetime64[s]").astype(np.int64).tobytes())
        h.update("|".join(a["reason"].astype(str)).encode())
        return h.hexdigest()[:12]


def add_months(d: date, months: int) -> date:
    """``d`` moved by whole months, the day clipped to the month's length."""
    m = d.month - 1 + months
    year, month = d.year + m // 12, m % 12 + 1
    last = (date(year + month // 12, month % 12 + 1, 1) - date(year, month, 1)).days
    return date(year, month, min(d.day, last))


def windows(policy: Policy, as_of: date | str | np.datetime64) -> tuple[Window, ...]:
    """The release windows of the trial, numbered from 1.

    The last window ends with the trial even when the cadence does not divide its length.
    """
    r = policy.release
    a = to_date(day(as_of))
    trial_end = add_months(r.trial_start, r.trial_months)
    out = []
    k = 0
    while True:
        start = add_months(r.trial_start, k * r.cadence_months)
        if start >= trial_end:
            break
        end = min(add_months(r.trial_start, (k + 1) * r.cadence_months), trial_end)
        end = to_date(day(end) - 1)
        is_open = end >= a
        out.append(Window(k + 1, start, end, max(start, a) if is_open else start, is_open))
        k += 1
    return tuple(out)


def plan(
    carriers: pd.DataFrame,
    teams: pd.DataFrame,
    facts: CarrierFacts,
    *,
    policy: Policy,
    as_of: date | str | np.datetime64,
) -> Plan:
    """Assign every carrier to a release batch, or say why it is not released.

    Parameters
    ----------
    carriers
        `spaces.rollup.carrier_table` output (see `planning.readiness.REQUIRED_COLUMNS`).
    teams
        `Inventory.service_teams`.
    facts
        The carriers' facts, built for this policy (`Policy.carrier_facts`).
    policy
        The policy (weights, threshold, cadence, gates, capacities, tracks).
    as_of
        The date the plan is made on: earlier windows are closed, later facts projected.

    Returns
    -------
    Plan
        The same carriers, data, policy and date always give the same plan.
    """
    model = prepare(carriers, teams, facts, policy=policy, as_of=as_of)
    wins = windows(policy, as_of)
    n, k = len(model.index), len(wins)
    is_open = np.array([w.open for w in wins], dtype=bool)
    opens = np.array([day(w.opens) for w in wins], dtype=np.int64)
    ends = np.array([day(w.end) for w in wins], dtype=np.int64)
    opened = np.flatnonzero(is_open)
    eligible_on = _ready_day(
        model, opens[opened[0]] if len(opened) else NEVER, ends[-1] if k else NEVER
    )
    held = model.held

    scores = np.full((n, k), np.nan)
    eligible = np.zeros((n, k), dtype=bool)
    for j in opened:
        scores[:, j] = model.score_at(ends[j])
        eligible[:, j] = (eligible_on <= ends[j]) & ~held

    units = list(policy.capacity_of())
    cap = np.array([np.inf if c is None else c for c in policy.capacity_of().values()], dtype=float)
    order_of_id = _id_order(model.index)
    placed = np.full(n, -1, dtype=np.int64)
    rank = np.zeros(n, dtype=np.int64)
    usage = np.zeros((k, len(units)), dtype=np.int64)
    rows_of_unit = [np.flatnonzero(model.units == u) for u in range(len(units))]
    for j in opened:
        for u, rows in enumerate(rows_of_unit):
            pool = rows[eligible[rows, j] & (placed[rows] < 0)]
            take = _top(pool, scores[pool, j], order_of_id[pool], cap[u])
            placed[take] = j
            rank[take] = np.arange(1, len(take) + 1)
            usage[j, u] = len(take)

    assignments = _assignments(model, wins, scores, eligible, placed, rank, eligible_on)
    numbers = [w.number for w in wins]
    return Plan(
        as_of=to_date(model.as_of),
        policy=policy,
        windows=wins,
        assignments=assignments,
        window_scores=pd.DataFrame(scores, index=model.index, columns=numbers),
        usage=pd.DataFrame(usage, index=numbers, columns=units),
        model=model,
    )


def _ready_day(model: Model, first: np.int64, last: np.int64) -> np.ndarray:
    """The first day in [first, last] each carrier is ready (NEVER where none is).

    Ready: its gates pass and its score clears the threshold. Both only change on the days
    its facts change (`Model.change_days`), so the first ready day is ``first`` or one of
    them.
    """
    n = len(model.index)
    if first >= NEVER:
        return np.full(n, NEVER, dtype=np.int64)
    candidates = np.column_stack([np.full(n, first, dtype=np.int64), model.change_days()])
    at = np.column_stack([model.score_at(candidates[:, c]) for c in range(candidates.shape[1])])
    ok = (
        (candidates >= first)
        & (candidates <= last)
        & (candidates >= model.ready_from[:, None])
        & (at >= model.policy.threshold)
    )
    chosen = np.where(ok, candidates, NEVER)
    best = np.argmin(chosen, axis=1)
    rows = np.arange(n)
    return np.where(ok[rows, best], chosen[rows, best], NEVER)


def _top(pool: np.ndarray, score: np.ndarray, order: np.ndarray, cap: float) -> np.ndarray:
    """The ``cap`` best of ``pool`` by score (ties: carrier id), best first.

    Only the carriers taken are sorted: the cut is found by partitioning the scores.
    """
    if len(pool) > cap:
        c = int(cap)
        if c == 0:
            return pool[:0]
        cut = np.partition(score, len(score) - c)[len(score) - c]
        above = score > cut
        tied = np.flatnonzero(score == cut)
        tied = tied[np.argsort(order[tied], kind="stable")[: c - int(above.sum())]]
        keep = np.concatenate([np.flatnonzero(above), tied])
        pool, score, order = pool[keep], score[keep], order[keep]
    return pool[np.lexsort((order, -score))]


def _id_order(index: pd.Index) -> np.ndarray:
    """Each carrier's position in carrier-id order (the tie-break)."""
    order = np.argsort(index.to_numpy(dtype=str), kind="stable")
    out = np.empty(len(index), dtype=np.int64)
    out[order] = np.arange(len(index))
    return out


def _first(mask: np.ndarray) -> np.ndarray:
    """Index of the first True in each row, -1 where none."""
    if mask.shape[1] == 0:
        return np.full(mask.shape[0], -1)
    return np.where(mask.any(axis=1), mask.argmax(axis=1), -1)


def _assignments(model, wins, scores, eligible, placed, rank, eligible_on):
    n, k = len(model.index), len(wins)
    is_open = np.array([w.open for w in wins], dtype=bool)
    opens = np.array([day(w.opens) for w in wins], dtype=np.int64)
    ends = np.array([day(w.end) for w in wins], dtype=np.int64)
    first_eligible = _first(eligible)
    gates_window = _first((model.ready_from[:, None] <= ends[None, :]) & is_open[None, :])
    released = placed >= 0
    last_end = ends[-1] if k else NEVER
    conditions = [
        released & (placed == first_eligible),
        released,
        model.leased,
        model.reserved & model.held,
        np.full(n, not is_open.any()),
        model.ready_from >= NEVER,
        model.ready_from > last_end,
        first_eligible < 0,
    ]
    reason = np.select(conditions, np.arange(len(conditions)), len(conditions))
    outcome = np.where(released, 0, np.where(model.held, 1, 2))
    rows = np.arange(n)
    slot = np.where(released, placed, k - 1)
    if k:
        score = scores[rows, slot]
        score = np.where(released | is_open[-1], score, np.nan)
        released_on = np.where(released, np.maximum(opens[slot], eligible_on), NEVER)
    else:
        score = np.full(n, np.nan)
        released_on = np.full(n, NEVER)
    nat = [np.datetime64("NaT", "s")]
    starts = np.array([np.datetime64(w.start, "s") for w in wins] + nat)
    ends_s = np.array([np.datetime64(w.end, "s") for w in wins] + nat)
    at = np.where(released, placed, k)

    def window_number(j: np.ndarray) -> pd.arrays.IntegerArray:
        return pd.arrays.IntegerArray(np.where(j >= 0, j + 1, 0).astype(np.int64), j < 0)

    return pd.DataFrame(
        {
            "batch": window_number(placed),
            "outcome": pd.Categorical.from_codes(outcome, OUTCOMES, validate=False),
            "reason": pd.Categorical.from_codes(reason, REASONS, validate=False),
            "score": score,
            "ready_from": dates_of(model.ready_from),
            "eligible_on": dates_of(eligible_on),
            "gates_window": window_number(gates_window),
            "first_eligible": window_number(first_eligible),
            "rank": pd.arrays.IntegerArray(rank, ~released),
            "responsible_unit": labelled(model.units, list(model.policy.capacity_of())),
            "usable_area_m2": model.area,
            "window_start": starts[at],
            "window_end": ends_s[at],
            "released_on": dates_of(released_on),
        },
        index=model.index,
    )


def totals(plan: Plan, carriers: pd.DataFrame, *, by: str) -> pd.DataFrame:
    """Count and usable area of each batch by one attribute of its carriers.

    Parameters
    ----------
    plan
        A release plan.
    carriers
        The carrier table the plan was made from.
    by
        "tier", "track" (the carrier's own track, else its best fit), "area" or
        "responsible_unit".

    Returns
    -------
    DataFrame with one row per (batch, value): ``batch``, ``by`` value, ``count`` and
    ``area_m2``; released carriers only, batches in order.
    """
    if by == "track":
        values = plan.readiness.facts["track_used"]
    elif by in carriers.columns:
        values = carriers[by]
    else:
        raise ValueError(f"by must be tier, track, area or responsible_unit, got {by!r}")
    a = plan.assignments
    frame = pd.DataFrame(
        {
            "batch": a["batch"],
            by: values.reindex(a.index).astype(object).where(values.reindex(a.index).notna(), "—"),
            "area_m2": carriers["usable_area_m2"].reindex(a.index).fillna(0.0),
        }
    )
    frame = frame[frame["batch"].notna()]
    out = frame.groupby(["batch", by], sort=True).agg(
        count=("area_m2", "size"), area_m2=("area_m2", "sum")
    )
    return out.reset_index()
