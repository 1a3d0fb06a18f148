"""Tables and chart data of the leaders' page, built without Streamlit from plans and records."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from planning.policy import COMPONENTS, Policy
from planning.release import Plan
from planning.scenario import Comparison
from settings import Settings
from ui.times import beijing_column
from words import pick, t, vocab
from words.access import person
from words.release import (
    OUTCOME_LABELS,
    Explanation,
    move_reasons,
    placement_reasons,
    score_one_decimal,
)

BY = ("tier", "track", "area", "responsible_unit")
"""The attributes a batch is totalled by."""


def label_of(by: str, code: Any, lang: str, settings: Settings) -> str:
    """The display label of a tier, track, area or unit code ("—" when missing)."""
    if code is None or (isinstance(code, float) and pd.isna(code)) or code == "":
        return "—"
    code = str(code)
    if by == "tier":
        return vocab("tier", code, lang)
    if by == "area":
        return vocab("area", code, lang) if code not in ("nan", "None") else "—"
    if by == "track":
        for track in settings.tracks:
            if track.id == code:
                return track.name_zh if lang == "zh" else track.name_en
        return code
    if by == "responsible_unit":
        for unit in settings.units:
            if unit.id == code:
                return unit.name_zh if lang == "zh" else unit.name_en
        return code
    if by == "status":
        return vocab("status", code, lang)
    return code


def state_of(decisions: pd.DataFrame, start: Any, end: Any) -> tuple[str, pd.Series | None]:
    """The review state of the window ``start``–``end`` and its latest decision (or None)."""
    if decisions is None or decisions.empty:
        return "proposed", None
    hit = decisions[
        (pd.to_datetime(decisions["window_start"]) == pd.Timestamp(start))
        & (pd.to_datetime(decisions["window_end"]) == pd.Timestamp(end))
    ]
    if hit.empty:
        return "proposed", None
    latest = hit.sort_index().iloc[-1]
    return str(latest["decision"]), latest


def windows_table(plan: Plan, decisions: pd.DataFrame, *, lang: str) -> pd.DataFrame:
    """One row per window: batch, dates, judged on, carriers, area and review state."""
    rows = []
    a = plan.assignments
    for w in plan.windows:
        members = a[a["batch"] == w.number]
        count, area = len(members), float(members["usable_area_m2"].sum())
        state, latest = state_of(decisions, w.start, w.end)
        if state == "approved":  # what was approved, not what today's plan would put there
            count, area = int(latest["members"]), float(latest["area_m2"])
        elif not w.open:
            state = "closed"
        elif members.empty:
            state = "empty" if state == "proposed" else state
        rows.append(
            {
                t("col_batch", lang): t("batch_n", lang).format(n=w.number),
                t("col_window", lang): f"{w.start} – {w.end}",
                t("col_evaluated", lang): str(w.end),
                t("col_count", lang): count,
                t("col_area", lang): round(area),
                t("col_state", lang): t(f"state_{state}", lang),
            }
        )
    return pd.DataFrame(rows)


def members_table(members: pd.DataFrame, *, lang: str, settings: Settings) -> pd.DataFrame:
    """A batch's member list (`planning.approval.MEMBER_COLUMNS`) for display."""
    return pd.DataFrame(
        {
            t("col_position", lang): members["position"].astype(int),
            t("col_carrier", lang): members["carrier_id"].astype(str),
            t("col_name", lang): members["name"].astype(str),
            t("col_tier", lang): members["tier"].map(lambda v: label_of("tier", v, lang, settings)),
            t("col_unit", lang): members["responsible_unit"].map(
                lambda v: label_of("responsible_unit", v, lang, settings)
            ),
            t("col_track", lang): members["track"].map(
                lambda v: label_of("track", v, lang, settings)
            ),
            t("col_area", lang): members["usable_area_m2"].astype(float).round(0),
            t("col_score", lang): members["score"].astype(float).round(1),
            t("col_reason", lang): members["reason_zh" if lang == "zh" else "reason_en"],
        }
    ).reset_index(drop=True)


def totals_table(members: pd.DataFrame, by: str, *, lang: str, settings: Settings) -> pd.DataFrame:
    """Count and usable area of a member list by tier, track, area or unit."""
    if by not in BY:
        raise ValueError(f"by must be one of {BY}, got {by!r}")
    values = members[by].map(lambda v: label_of(by, v, lang, settings))
    g = (
        pd.DataFrame({"key": values, "area": members["usable_area_m2"].astype(float)})
        .groupby("key", sort=True)["area"]
        .agg(["size", "sum"])
    )
    return pd.DataFrame(
        {
            t(f"by_{'unit' if by == 'responsible_unit' else by}", lang): g.index,
            t("col_count", lang): g["size"].to_numpy(),
            t("col_area", lang): g["sum"].round(0).to_numpy(),
        }
    )


def chart_data(
    plan: Plan, carriers: pd.DataFrame, *, by: str, lang: str, settings: Settings
) -> pd.DataFrame:
    """Long data for a stacked bar chart: batch label, group label, count and area."""
    a = plan.assignments
    released = a[a["batch"].notna()]
    if by == "track":
        values = plan.readiness.facts.loc[released.index, "track_used"]
    else:
        values = carriers.loc[released.index, by]
    frame = pd.DataFrame(
        {
            "batch": released["batch"].astype(int),
            "group": values.astype(object).map(lambda v: label_of(by, v, lang, settings)),
            "area": released["usable_area_m2"].astype(float),
        }
    )
    g = frame.groupby(["batch", "group"]).agg(count=("area", "size"), area=("area", "sum"))
    g = g.reset_index()
    g["batch_label"] = g["batch"].map(lambda n: t("batch_n", lang).format(n=n))
    return g


def explanation_tables(e: Explanation, *, lang: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The components and gates of an explanation with translated headers."""
    comp = pd.DataFrame(
        {
            t("col_component", lang): e.components["label"],
            t("col_weight", lang): (e.components["weight"] * 100).round(1).astype(str) + "%",
            t("col_component_score", lang): e.components["score"].map("{:.3f}".format),
            t("col_points", lang): e.components["points"].map("{:.2f}".format),
            t("col_facts", lang): e.components["facts"],
        }
    )
    gates = pd.DataFrame(
        {
            t("col_gate", lang): e.gates["label"],
            t("col_passes", lang): e.gates["passes"].map(
                {True: t("gate_pass", lang), False: t("gate_fail", lang)}
            ),
            t("col_expected", lang): e.gates["expected"].map(
                lambda d: "—" if d is None or pd.isna(d) else str(d)
            ),
            t("col_facts", lang): e.gates["text"],
        }
    )
    return comp, gates


def not_released_table(
    plan: Plan, carriers: pd.DataFrame, *, lang: str, settings: Settings
) -> pd.DataFrame:
    """Carriers in no batch with why: not releasable within the trial first, then held space
    (leased, or reserved for a prospect)."""
    a = plan.assignments
    rows = a[a["outcome"] != "released"]
    rows = rows.iloc[
        np.lexsort(
            (
                rows.index.to_numpy(dtype=str),
                rows["reason"].astype(str).to_numpy(),
                (rows["outcome"] == "held").to_numpy(),
            )
        )
    ]
    reasons = placement_reasons(plan, lang=lang, ids=rows.index)
    return pd.DataFrame(
        {
            t("col_outcome", lang): rows["outcome"]
            .astype(str)
            .map(lambda o: pick(OUTCOME_LABELS[o], lang))
            .to_numpy(),
            t("col_carrier", lang): rows.index.astype(str),
            t("col_name", lang): carriers.loc[rows.index, "name"].astype(str).to_numpy(),
            t("col_unit", lang): rows["responsible_unit"]
            .astype(str)
            .map(lambda v: label_of("responsible_unit", v, lang, settings))
            .to_numpy(),
            t("col_score", lang): score_one_decimal(rows["score"]).to_numpy(),
            t("col_reason", lang): reasons.to_numpy(),
        }
    )


def drift_table(d: pd.DataFrame, *, lang: str) -> pd.DataFrame:
    """Drift since approval (`planning.approval.drift`) for display."""
    return pd.DataFrame(
        {
            t("col_carrier", lang): d["carrier_id"].astype(str),
            t("col_name", lang): d["name"].astype(str),
            t("col_change", lang): d["change"].astype(str).map(lambda c: t(f"drift_{c}", lang)),
            t("col_before", lang): d["before"].map(lambda v: _drift_value(v, lang)),
            t("col_after", lang): d["after"].map(lambda v: _drift_value(v, lang)),
        }
    )


def _drift_value(value: str, lang: str) -> str:
    if value in ("pass", "fail"):
        return t(f"gate_{value}", lang)
    if value in {"available", "reserved", "leased", "under_construction", "reserve_land"}:
        return vocab("status", value, lang)
    return value


def history_table(decisions: pd.DataFrame, *, lang: str, settings: Settings) -> pd.DataFrame:
    """Every decision, newest first: who decided (display name and account's login) and when,
    in Beijing time. A return of an approved batch shows as the approval's withdrawal."""
    if decisions.empty:
        return pd.DataFrame()
    steps = _steps(decisions)
    return pd.DataFrame(
        {
            t("col_batch", lang): decisions["batch"].map(lambda n: t("batch_n", lang).format(n=n)),
            t("col_window", lang): decisions["window_start"].astype(str)
            + " – "
            + decisions["window_end"].astype(str),
            t("col_decision", lang): [t(f"decision_{d}", lang) for d in steps],
            t("col_by", lang): [
                person(n, a, lang)
                for n, a in zip(decisions["decided_by"], decisions["account"], strict=True)
            ],
            t("col_role", lang): decisions["role"].map(lambda r: t(f"role_{r}", lang)),
            t("col_when", lang): beijing_column(decisions["decided_at"]),
            t("col_comment", lang): decisions["comment"],
            t("col_members", lang): decisions["members"],
            t("fingerprint", lang): decisions["plan_fingerprint"],
        }
    ).reset_index(drop=True)


def _steps(decisions: pd.DataFrame) -> list[str]:
    """Each decision's step: "approved", "returned", or "withdrawn" (a return of a window whose
    previous decision was an approval). ``decisions`` newest first, as the store gives them."""
    older = decisions.iloc[::-1]
    before: dict[tuple[str, str], str] = {}
    steps: dict[Any, str] = {}
    for i, row in older.iterrows():
        window = (str(row["window_start"]), str(row["window_end"]))
        step = row["decision"]
        if step == "returned" and before.get(window) == "approved":
            step = "withdrawn"
        steps[i] = step
        before[window] = row["decision"]
    return [steps[i] for i in decisions.index]


def scenario_summary(c: Comparison, *, lang: str) -> pd.DataFrame:
    """Totals of the current and the scenario plan side by side."""
    names = {
        "released": "sum_released",
        "released_area_m2": "sum_released_area",
        "not_releasable": "sum_not_releasable",
        "held": "sum_held",
    }
    s = c.summary
    return pd.DataFrame(
        {
            t("col_metric", lang): [t(names[k], lang) for k in s.index],
            t("col_current", lang): s["a"].round(0).astype(int).to_numpy(),
            t("col_scenario", lang): s["b"].round(0).astype(int).to_numpy(),
            t("col_diff", lang): s["change"].round(0).astype(int).to_numpy(),
        }
    )


def scenario_windows(c: Comparison, *, lang: str) -> pd.DataFrame:
    """Long data of carriers per batch in both plans (for a grouped bar chart)."""
    rows = []
    for side, frame in (
        (t("col_current", lang), c.windows_a),
        (t("col_scenario", lang), c.windows_b),
    ):
        for r in frame.itertuples():
            rows.append(
                {
                    "plan": side,
                    "window": f"{r.start:%Y-%m}",
                    "batch": t("batch_n", lang).format(n=r.batch),
                    "count": r.count,
                    "area": r.area_m2,
                }
            )
    return pd.DataFrame(rows)


def moves_table(c: Comparison, carriers: pd.DataFrame, *, lang: str) -> pd.DataFrame:
    """The carriers that move under the scenario, with from, to and why."""
    m = c.moves
    why = move_reasons(c, lang=lang)

    def batch(b: pd.Series) -> pd.Series:
        return b.map(lambda n: "—" if pd.isna(n) else t("batch_n", lang).format(n=int(n)))

    return pd.DataFrame(
        {
            t("col_carrier", lang): m.index.astype(str),
            t("col_name", lang): carriers.loc[m.index, "name"].astype(str).to_numpy(),
            t("col_change", lang): m["direction"].astype(str).map(lambda d: t(f"dir_{d}", lang)),
            t("col_from", lang): batch(m["from_batch"]).to_numpy(),
            t("col_to", lang): batch(m["to_batch"]).to_numpy(),
            t("col_why", lang): why.to_numpy(),
        }
    )


def policy_caption(policy: Policy, *, lang: str) -> str:
    """One line saying the weights, threshold and cadence of a policy."""
    return t("policy_caption", lang).format(
        **policy.weights,
        threshold=policy.threshold,
        cadence=policy.release.cadence_months,
    )


def weights_percent(policy: Policy) -> Mapping[str, int]:
    """The component weights as whole percentages (for sliders)."""
    return {c: round(policy.weights[c] * 100) for c in COMPONENTS}
