"""Approving or returning a batch: the frozen record of a batch, and its drift since."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import numpy as np
import pandas as pd

from planning.policy import COMPONENTS
from planning.release import Plan

MEMBER_COLUMNS = (
    "carrier_id",
    "position",
    "name",
    "tier",
    "status",
    "responsible_unit",
    "track",
    "area",
    "building_id",
    "plot_id",
    "usable_area_m2",
    "score",
    *COMPONENTS,
    "ready",
    "ready_from",
    "reason_zh",
    "reason_en",
)
"""The columns of a frozen batch's member list, as kept in the store."""

CHANGES = ("removed", "status", "score", "gates", "batch", "added")
"""Kinds of drift since approval: a member gone from the inventory, its status changed, its
score moved by 0.05 or more, its gates no longer (or newly) pass, the current data put it in
another window; or a carrier not frozen now falls in the batch's window."""

SCORE_TOLERANCE = 0.05

Reasons = Callable[[Plan, pd.Index], pd.DataFrame]
"""Words a batch's placements: (plan, carrier ids) -> ``reason_zh`` and ``reason_en`` columns."""


def freeze(
    plan: Plan,
    number: int,
    carriers: pd.DataFrame,
    *,
    reasons: Reasons,
    decision: str,
    comment: str,
    decided_at: datetime,
    data_revision: int | None = None,
) -> tuple[dict[str, Any], pd.DataFrame]:
    """The record of a decision on batch ``number`` and the members it freezes.

    Parameters
    ----------
    plan
        The plan the batch comes from (its policy and as-of date are kept).
    number
        The batch.
    carriers
        The carrier table the plan was made from (names, tiers, statuses, areas).
    reasons
        Words each member's placement in Chinese and English (`words.release.member_reasons`).
    decision
        "approved" or "returned".
    comment
        The leader's comment (who decides is recorded by the store, from the signed-in
        actor: `store.repository.Repository.record_decision`).
    decided_at
        When (timezone-aware; stored in UTC).
    data_revision
        The store revision the plan was made from.

    Returns
    -------
    (record, members)
        ``record``: the decision's fields (dates as ISO text, the policy as JSON);
        ``members``: one row per carrier of the batch with `MEMBER_COLUMNS`, best first,
        its score, components, gates and reasons (Chinese and English) on the batch's date.
    """
    w = plan.window(number)
    members = members_of(plan, number, carriers, reasons=reasons)
    if decided_at.tzinfo is None:
        raise ValueError("decided_at must be timezone-aware (e.g. datetime.now(UTC))")
    record = {
        "batch": int(number),
        "window_start": w.start,
        "window_end": w.end,
        "evaluated": w.end,
        "as_of": plan.as_of,
        "decision": decision,
        "comment": comment.strip(),
        "decided_at": decided_at.astimezone(UTC).isoformat(timespec="seconds"),
        "policy": plan.policy.key(),
        "plan_fingerprint": plan.fingerprint(),
        "data_revision": data_revision,
        "members": len(members),
        "area_m2": float(members["usable_area_m2"].sum()),
    }
    return record, members


def members_of(
    plan: Plan, number: int, carriers: pd.DataFrame, *, reasons: Reasons
) -> pd.DataFrame:
    """Batch ``number`` of a plan as a member list (`MEMBER_COLUMNS`), best score first.

    The same list a decision freezes; also what a briefing shows for a proposed batch.
    ``reasons(plan, ids)`` gives the members' ``reason_zh`` and ``reason_en``.
    """
    batch = plan.batch(number)
    ids = batch.index
    r = plan.readiness_for(number)
    c = carriers.loc[ids]

    def column(name: str) -> pd.Series:
        if name not in c.columns:
            return pd.Series(None, index=ids, dtype=object)
        return c[name].astype(object).where(c[name].notna(), None)

    return pd.DataFrame(
        {
            "carrier_id": ids.astype(str),
            "position": np.arange(1, len(ids) + 1),
            "name": column("name"),
            "tier": column("tier"),
            "status": column("status"),
            "responsible_unit": column("responsible_unit"),
            "track": plan.readiness.facts.loc[ids, "track_used"].astype(object),
            "area": column("area"),
            "building_id": column("building_id"),
            "plot_id": column("plot_id"),
            "usable_area_m2": batch["usable_area_m2"].astype(float),
            "score": batch["score"].astype(float),
            **{k: r.components.loc[ids, k].astype(float) for k in COMPONENTS},
            "ready": r.ready.loc[ids].astype(bool),
            "ready_from": batch["ready_from"].dt.date,
            **reasons(plan, ids)[["reason_zh", "reason_en"]],
        },
        index=ids,
    )[list(MEMBER_COLUMNS)].reset_index(drop=True)


def drift(
    record: dict[str, Any] | pd.Series,
    members: pd.DataFrame,
    current: Plan,
    carriers: pd.DataFrame,
) -> pd.DataFrame:
    """What has changed since a batch was frozen, judged with its own policy and date.

    Parameters
    ----------
    record, members
        A stored decision and its frozen members.
    current
        A plan of today's data made with the decision's policy and as-of date (so that only
        the data differs).
    carriers
        Today's carrier table.

    Returns
    -------
    DataFrame with one row per change: ``carrier_id``, ``name``, ``change`` (`CHANGES`),
    ``before`` and ``after`` (text), ordered by change then carrier id. Empty when nothing
    drifted.
    """
    start = _as_date(record["window_start"])
    frozen = members.set_index("carrier_id")
    ids = frozen.index
    present = ids.isin(carriers.index)
    rows = []

    def add(mask: np.ndarray, change: str, before: pd.Series, after: pd.Series) -> None:
        sel = ids[mask]
        rows.append(
            pd.DataFrame(
                {
                    "carrier_id": sel,
                    "name": frozen.loc[sel, "name"].astype(str).to_numpy(),
                    "change": change,
                    "before": before.loc[sel].astype(str).to_numpy(),
                    "after": after.loc[sel].astype(str).to_numpy(),
                }
            )
        )

    gone = pd.Series("—", index=ids)
    add(~present, "removed", frozen["status"].astype(str), gone)
    now_status = carriers["status"].astype(str).reindex(ids).fillna("—")
    add(
        present & (now_status != frozen["status"].astype(str)).to_numpy(),
        "status",
        frozen["status"].astype(str),
        now_status,
    )

    a = current.assignments.reindex(ids)
    window = [w for w in current.windows if w.start == start]
    if window:
        number = window[0].number
        now_score = current.window_scores[number].reindex(ids)
        r = current.readiness_for(number)
        now_ready = r.ready.reindex(ids).fillna(False).astype(bool)
    else:  # the policy's windows no longer hold this one: compare with as-of scores
        now_score = current.readiness.score.reindex(ids)
        now_ready = current.readiness.ready.reindex(ids).fillna(False).astype(bool)
    moved = (now_score - frozen["score"]).abs() >= SCORE_TOLERANCE
    add(
        present & moved.fillna(False).to_numpy(),
        "score",
        frozen["score"].map("{:.1f}".format),
        now_score.map("{:.1f}".format),
    )
    ready_changed = now_ready != frozen["ready"].astype(bool)
    add(
        present & ready_changed.to_numpy(),
        "gates",
        frozen["ready"].map({True: "pass", False: "fail"}),
        now_ready.map({True: "pass", False: "fail"}),
    )
    now_start = pd.to_datetime(a["window_start"]).dt.date
    other = now_start.astype(object).where(now_start.notna(), None) != start
    add(
        present & other.to_numpy(),
        "batch",
        pd.Series(str(int(record["batch"])), index=ids),
        a["batch"].astype("Int64").astype(str).where(a["batch"].notna(), "—"),
    )
    if window:
        members_now = current.assignments.index[current.assignments["batch"] == window[0].number]
        new = members_now[~members_now.isin(ids)]
        if len(new):
            names = carriers["name"].reindex(new).astype(str) if "name" in carriers else new
            rows.append(
                pd.DataFrame(
                    {
                        "carrier_id": new,
                        "name": np.asarray(names),
                        "change": "added",
                        "before": "—",
                        "after": str(window[0].number),
                    }
                )
            )
    out = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame()
    if out.empty:
        return pd.DataFrame(columns=["carrier_id", "name", "change", "before", "after"])
    out["change"] = pd.Categorical(out["change"], CHANGES)
    return out.sort_values(["change", "carrier_id"], kind="stable").reset_index(drop=True)


def _as_date(value: Any) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    return pd.Timestamp(value).date()


def policy_of(record: dict[str, Any] | pd.Series) -> dict[str, Any]:
    """The policy a decision was taken under, as a dict (see `Policy.from_dict`)."""
    return json.loads(record["policy"])


def released_carriers(
    latest: pd.DataFrame, members: dict[int, pd.DataFrame], *, as_of: date
) -> pd.DataFrame:
    """The carriers released so far: members of approved batches whose window has begun.

    Parameters
    ----------
    latest
        The latest decision on each window (`Repository.latest_decisions`), indexed by
        decision id, with ``batch``, ``window_start`` and ``decision``.
    members
        Decision id -> its frozen members (`Repository.decision_members`), for at least the
        approved decisions in ``latest``.
    as_of
        Carriers of a window starting after this date are approved but not yet released.

    Returns
    -------
    DataFrame indexed by carrier_id with ``batch`` (int) and ``window_start`` (date); empty
    when nothing is released.
    """
    columns = {"batch": pd.Series(dtype="Int64"), "window_start": pd.Series(dtype="object")}
    if latest.empty:
        return pd.DataFrame(columns, index=pd.Index([], name="carrier_id"))
    starts = latest["window_start"].map(_as_date)
    open_ = latest[(latest["decision"] == "approved") & (starts <= as_of)]
    frames = [
        pd.DataFrame(
            {"batch": int(d.batch), "window_start": _as_date(d.window_start)},
            index=pd.Index(members[i]["carrier_id"], name="carrier_id"),
        )
        for i, d in open_.iterrows()
    ]
    if not frames:
        return pd.DataFrame(columns, index=pd.Index([], name="carrier_id"))
    out = pd.concat(frames)
    out["batch"] = out["batch"].astype("Int64")
    return out[~out.index.duplicated(keep="first")]
