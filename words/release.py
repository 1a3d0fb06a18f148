"""The release model in words: readiness explanations, placements and scenario moves (zh/en).

`planning` gives the codes and numbers (`planning.readiness.Readiness`, `planning.release.Plan`,
`planning.scenario.Comparison`); these functions word them, vectorised over the carriers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from planning.policy import COMPONENTS, Policy
from planning.readiness import Readiness, blocking_gates
from planning.release import Plan, add_months
from planning.scenario import Comparison
from words import LANGS, pick

COMPONENT_LABELS = {
    "construction": ("载体建设", "Construction"),
    "facilities": ("配套设施", "Supporting facilities"),
    "service_team": ("企业服务团队", "Service team"),
    "industry_fit": ("产业匹配度", "Industry fit"),
}
GATE_LABELS = {
    "acceptance": ("竣工验收", "Completion acceptance"),
    "land": ("净地交付", "Land readiness"),
    "team_in_place": ("服务团队到位", "Service team in place"),
    "min_facilities": ("配套设施达标", "Facilities at minimum"),
}
OUTCOME_LABELS = {
    "released": ("纳入批次", "In a batch"),
    "held": ("已出租或预留", "Let or reserved"),
    "not_releasable": ("试点期内不可释放", "Not releasable in the trial"),
}
REASON_LABELS = {
    "ready": ("成熟即释放", "Released when ready"),
    "waited_capacity": ("因服务能力顺延", "Moved on for capacity"),
    "already_let": ("已出租，不再释放", "Already let, not released again"),
    "reserved": ("已预留，保留空间", "Reserved: held space"),
    "trial_over": ("试点期已结束", "Trial is over"),
    "gate_no_date": ("闸门无预计日期", "A gate has no expected date"),
    "gate_after_trial": ("闸门晚于试点期", "Gates pass after the trial"),
    "below_threshold": ("成熟度未达阈值", "Score below threshold"),
    "capacity_full": ("服务能力已满", "Unit capacity full"),
}
_TEAM = {
    "in_place": ("已到位", "in place"),
    "forming": ("组建中", "forming"),
    "none": ("未组建", "not formed"),
}
_SPEC_WORDS = {
    "min_floor_load_kn_m2": ("floor_load_kn_m2", "楼面荷载", "floor load", "kN/m²"),
    "min_clear_height_m": ("clear_height_m", "净高", "clear height", "m"),
    "min_power_kva": ("power_kva", "供电", "power", "kVA"),
}
_FLAG_WORDS = {
    "exhaust": ("实验排风", "lab exhaust"),
    "wet_lab_drainage": ("湿实验排水", "wet-lab drainage"),
}


def unit_name(policy: Policy, unit_id: str, lang: str) -> str:
    """A responsible unit's name in ``lang``; its id if the policy does not know it."""
    for u in policy.units:
        if u.id == unit_id:
            return pick((u.name_zh, u.name_en), lang)
    return str(unit_id)


@dataclass(frozen=True)
class Explanation:
    """Why a carrier scores what it scores, and what holds it back.

    ``components``: one row per component (component, label, weight, score, points, facts);
    ``gates``: one row per gate in force (gate, label, passes, expected, text); ``summary``:
    one sentence.
    """

    carrier_id: str
    score: float
    components: pd.DataFrame
    gates: pd.DataFrame
    summary: str


def explain(
    readiness: Readiness,
    carrier_id: str,
    *,
    lang: str,
    carriers: pd.DataFrame | None = None,
) -> Explanation:
    """Explain one carrier's readiness: components with weights and facts, gates with dates.

    Parameters
    ----------
    readiness
        `planning.readiness.score` output.
    carrier_id
        The carrier.
    lang
        "zh" or "en".
    carriers
        The carrier table, to name the unmet specifications (optional).
    """
    if carrier_id not in readiness.score.index:
        raise KeyError(f"unknown carrier {carrier_id!r}")
    on = readiness.on
    policy = readiness.policy
    f = readiness.facts.loc[carrier_id]
    p = readiness.parts.loc[carrier_id]
    comp = readiness.components.loc[carrier_id]
    row = None if carriers is None else carriers.loc[carrier_id]
    is_plot = bool(f["is_plot"])
    texts = {
        "construction": _construction_text(f, is_plot, lang),
        "facilities": _facilities_text(f, lang),
        "service_team": _team_text(f, p, lang),
        "industry_fit": _fit_text(f, p, policy, readiness, carrier_id, row, lang),
    }
    weights = policy.weights
    components = pd.DataFrame(
        {
            "component": list(COMPONENTS),
            "label": [pick(COMPONENT_LABELS[c], lang) for c in COMPONENTS],
            "weight": [weights[c] for c in COMPONENTS],
            "score": [float(comp[c]) for c in COMPONENTS],
            "points": [100 * weights[c] * float(comp[c]) for c in COMPONENTS],
            "facts": [texts[c] for c in COMPONENTS],
        }
    )
    gate_rows = []
    for gate in readiness.gates.columns:
        passes = bool(readiness.gates.loc[carrier_id, gate])
        expected = readiness.gate_dates.loc[carrier_id, gate]
        gate_rows.append(
            {
                "gate": gate,
                "label": _gate_label(gate, policy, lang),
                "passes": passes,
                "expected": None if pd.isna(expected) else pd.Timestamp(expected).date(),
                "text": _gate_text(gate, passes, expected, f, is_plot, policy, lang),
            }
        )
    gates = pd.DataFrame(gate_rows, columns=["gate", "label", "passes", "expected", "text"])
    score = float(readiness.score.loc[carrier_id])
    failing = [r["label"] for r in gate_rows if not r["passes"]]
    threshold = policy.threshold
    if lang == "zh":
        summary = f"{on:%Y-%m-%d} 成熟度 {score:.1f}（阈值 {threshold:g}）"
        summary += "；闸门全部通过" if not failing else f"；未通过：{'、'.join(failing)}"
    else:
        summary = f"Readiness {score:.1f} on {on:%Y-%m-%d} (threshold {threshold:g})"
        summary += "; all gates pass" if not failing else f"; failing: {', '.join(failing)}"
    return Explanation(str(carrier_id), score, components, gates, summary)


def _d(value: object) -> str:
    return "—" if value is None or pd.isna(value) else f"{pd.Timestamp(value):%Y-%m-%d}"


def _when(date: object, actual: bool, overdue: bool, lang: str) -> str:
    if date is None or pd.isna(date):
        return "日期未知" if lang == "zh" else "date unknown"
    if actual:
        return f"{_d(date)}（实际）" if lang == "zh" else f"{_d(date)} (actual)"
    if overdue:
        return (
            f"已逾期，最早 {_d(date)}（计划日期已过、尚无实际日期）"
            if lang == "zh"
            else f"overdue, at the earliest {_d(date)} (planned date passed, no actual date)"
        )
    return f"{_d(date)}（计划）" if lang == "zh" else f"{_d(date)} (planned)"


def _construction_text(f: pd.Series, is_plot: bool, lang: str) -> str:
    if is_plot:
        when = _when(f["land_date"], f["land_actual"], f["land_overdue"], lang)
        return f"地块净地交付：{when}" if lang == "zh" else f"plot: land ready {when}"
    progress = f"{float(f['construction_progress']):.0%}"
    completion = _when(f["completion_date"], f["completion_actual"], f["completion_overdue"], lang)
    acceptance = _when(f["acceptance_date"], f["acceptance_actual"], f["acceptance_overdue"], lang)
    if lang == "zh":
        return f"建设进度 {progress}；竣工 {completion}；竣工验收 {acceptance}"
    return f"build progress {progress}; completion {completion}; acceptance {acceptance}"


def _facilities_text(f: pd.Series, lang: str) -> str:
    value = f"{float(f['facilities_progress']):.0%}"
    return f"配套设施进度 {value}" if lang == "zh" else f"supporting facilities {value} complete"


def _team_text(f: pd.Series, p: pd.Series, lang: str) -> str:
    if pd.isna(f["team_id"]):
        return "未指定企业服务团队" if lang == "zh" else "no enterprise-service team assigned"
    recorded = str(f["team_recorded_status"])
    status = pick(_TEAM.get(recorded, (recorded, recorded)), lang)
    name = (
        f"{f['team_name']}（{f['team_id']}）"
        if lang == "zh"
        else f"{f['team_id']} {f['team_name']}"
    )
    parts = [f"{name}：{status}" if lang == "zh" else f"{name}: {status}"]
    if recorded == "forming":
        ready = f["team_in_place_from"]
        if pd.isna(ready):
            parts.append("到位日期未定" if lang == "zh" else "no ready date")
        else:
            parts.append(f"预计 {_d(ready)} 到位" if lang == "zh" else f"in place from {_d(ready)}")
    assigned, capacity = int(f["team_assigned"]), int(f["team_capacity"])
    if lang == "zh":
        parts.append(f"服务载体 {assigned} 个，能力 {capacity} 个")
    else:
        parts.append(f"serves {assigned} carriers, capacity {capacity}")
    load = float(p["team_load"])
    if load < 1:
        parts.append(
            f"超负荷，得分乘以 {load:.2f}" if lang == "zh" else f"overloaded: score × {load:.2f}"
        )
    return "；".join(parts) if lang == "zh" else "; ".join(parts)


def _fit_text(
    f: pd.Series,
    p: pd.Series,
    policy: Policy,
    readiness: Readiness,
    carrier_id: str,
    row: pd.Series | None,
    lang: str,
) -> str:
    fit = policy.readiness.industry_fit
    track_id = f["track_used"]
    parts = []
    if pd.isna(track_id):
        parts.append("无可用赛道" if lang == "zh" else "no track configured")
    else:
        track = next(t for t in policy.tracks if t.id == track_id)
        name = track.name_zh if lang == "zh" else track.name_en
        own = f["track_source"] == "own"
        if lang == "zh":
            parts.append(f"赛道：{name}（{'载体指定' if own else '未指定，取最适配赛道'}）")
            parts.append(f"规格满足 {float(p['specs']):.0%}")
        else:
            parts.append(f"track: {name} ({'its own' if own else 'none set: best fit'})")
            parts.append(f"specifications met {float(p['specs']):.0%}")
        codes = readiness.carrier_facts.unmet(str(carrier_id), str(track_id))
        unmet = _unmet(codes, track, row, lang)
        if unmet:
            parts.append(("未满足：" if lang == "zh" else "short: ") + ", ".join(unmet))
        parts.append(
            f"优先级 {track.priority}（得分 {float(p['priority']):.2f}）"
            if lang == "zh"
            else f"priority {track.priority} (score {float(p['priority']):.2f})"
        )
    n = int(f["neighbours"])
    more = "≥" if n >= fit.neighbours_full else ""
    radius = f"{fit.neighbour_radius_m / 1000:g} km"
    parts.append(
        f"{radius} 内同赛道已租/预留载体 {more}{n} 个"
        if lang == "zh"
        else f"{more}{n} leased or reserved same-track carriers within {radius}"
    )
    hub = f["hub_zh"] if lang == "zh" else f["hub_en"]
    parts.append(
        f"距{hub} {float(f['hub_m']) / 1000:.1f} km"
        if lang == "zh"
        else f"{float(f['hub_m']) / 1000:.1f} km from {hub}"
    )
    station = f["station_zh"] if lang == "zh" else f["station_en"]
    if pd.isna(station):
        parts.append("无地铁站图层" if lang == "zh" else "no metro stations known")
    else:
        km = float(f["metro_m"]) / 1000
        parts.append(
            f"最近地铁站 {station} {km:.1f} km"
            if lang == "zh"
            else f"nearest metro {station} {km:.1f} km"
        )
    return "；".join(parts) if lang == "zh" else "; ".join(parts)


def _unmet(codes: list[str], track, row: pd.Series | None, lang: str) -> list[str]:
    """The unmet requirements in words, with the carrier's value where the table is given."""
    zh = lang == "zh"
    out = []
    for code in codes:
        need = getattr(track, code)
        if code in _SPEC_WORDS:
            column, zh_name, en_name, unit = _SPEC_WORDS[code]
            have = None if row is None else row[column]
            shown = "—" if have is None or pd.isna(have) else f"{float(have):g}"
            out.append(f"{zh_name if zh else en_name} {shown}/{need:g} {unit}")
        elif code == "max_clean_room_iso":
            out.append(f"洁净室 ISO {need}" if zh else f"clean room ISO {need}")
        else:
            out.append(pick(_FLAG_WORDS[code], lang))
    return out


def _gate_label(gate: str, policy: Policy, lang: str) -> str:
    label = pick(GATE_LABELS[gate], lang)
    if gate == "min_facilities":
        label += f" ≥ {policy.release.min_facilities:.0%}"
    return label


def _gate_text(gate, passes, expected, f, is_plot, policy, lang) -> str:
    zh = lang == "zh"
    if (gate == "acceptance" and is_plot) or (gate == "land" and not is_plot):
        return "不适用" if zh else "does not apply"
    if passes:
        return "已通过" if zh else "passes"
    if pd.isna(expected):
        why = {
            "acceptance": ("无计划验收日期", "no planned acceptance date"),
            "land": ("无计划净地交付日期", "no planned land-ready date"),
            "team_in_place": (
                (
                    "未指定服务团队或团队未组建、无到位日期",
                    "no team, or a team not formed and no ready date",
                )
            ),
            "min_facilities": (
                f"配套设施进度 {float(f['facilities_progress']):.0%}，无达标日期",
                f"facilities at {float(f['facilities_progress']):.0%}, no date to reach it",
            ),
        }[gate]
        return ("未通过：" if zh else "not yet: ") + pick(why, lang)
    fact = {
        "acceptance": (f["acceptance_actual"], f["acceptance_overdue"]),
        "land": (f["land_actual"], f["land_overdue"]),
    }.get(gate, (False, False))
    when = _when(expected, bool(fact[0]), bool(fact[1]), lang)
    return f"未通过；预计通过：{when}" if zh else f"not yet; expected to pass: {when}"


# --- placements (vectorised over the carriers asked for) ------------------------------------


def placement_reasons(plan: Plan, *, lang: str, ids: Sequence[str] | None = None) -> pd.Series:
    """One sentence per carrier saying why it is in its batch, or why in none.

    Built with vectorised string operations over the carriers asked for (all by default).
    """
    pick(LANGS, lang)
    a = plan.assignments if ids is None else plan.assignments.loc[list(ids)]
    zh = lang == "zh"
    thr = f"{plan.policy.threshold:g}"
    batch = a["batch"].astype("Int64").astype(str)
    first = a["first_eligible"].astype("Int64").astype(str)
    gates_window = a["gates_window"].astype("Int64").astype(str)
    score = pd.Series(np.char.mod("%.1f", a["score"].to_numpy(float)), index=a.index)
    score = score.where(a["score"].notna(), "—")
    start = a["window_start"].dt.strftime("%Y-%m-%d").fillna("—")
    ready = a["ready_from"].dt.strftime("%Y-%m-%d").fillna("—")
    rank = a["rank"].astype("Int64").astype(str)
    caps = plan.policy.capacity_of()
    unit_ids = a["responsible_unit"].astype(str)
    unit = unit_ids.map({u: unit_name(plan.policy, u, lang) for u in caps})
    cap = unit_ids.map({u: "∞" if c is None else str(c) for u, c in caps.items()})
    end = a["window_end"].dt.strftime("%Y-%m-%d").fillna("—")
    released = a["released_on"].dt.strftime("%Y-%m-%d").fillna("—")
    last_day = f"{plan.windows[-1].end:%Y-%m-%d}" if plan.windows else "—"
    tenant = plan.readiness.facts["tenant"].reindex(a.index)
    named = tenant.notna().to_numpy()
    tenant = tenant.astype(object).where(tenant.notna(), "").astype(str)
    trial_end = add_months(plan.policy.release.trial_start, plan.policy.release.trial_months)
    blocking = _blocking_gates(plan.readiness, a.index, lang)
    later = a["first_eligible"].fillna(0) > a["gates_window"].fillna(0)
    if zh:
        texts = {
            "ready": "第"
            + batch
            + "批（"
            + start
            + "–"
            + end
            + "）："
            + released
            + " 起可释放，闸门于 "
            + ready
            + " 通过，批次末日成熟度 "
            + score
            + " ≥ 阈值 "
            + thr
            + np.where(later, "（闸门第" + gates_window + "批已通过，成熟度至本批达到阈值）", "")
            + "；"
            + unit
            + "本批第 "
            + rank
            + " 位，能力 "
            + cap
            + " 个",
            "waited_capacity": "第"
            + first
            + "批起即可释放，但"
            + unit
            + "每批服务能力 "
            + cap
            + " 个已满，顺延至第"
            + batch
            + "批（"
            + start
            + "起，本批第 "
            + rank
            + " 位）；成熟度 "
            + score,
            "already_let": "已出租，不再释放",
            "reserved": np.where(
                named,
                "已预留给" + tenant + "（保留空间），不纳入批次",
                "已预留（保留空间），不纳入批次",
            ),
            "trial_over": f"试点期已于 {trial_end:%Y-%m-%d} 结束，无可用批次",
            "gate_no_date": "闸门无法给出通过日期：" + blocking,
            "gate_after_trial": "闸门预计 "
            + ready
            + " 才通过（"
            + blocking
            + "），晚于试点期最后一天 "
            + last_day,
            "below_threshold": "闸门可在试点期内通过，但至试点期最后一天（"
            + last_day
            + "）成熟度最高 "
            + score
            + "，低于阈值 "
            + thr,
            "capacity_full": "第"
            + first
            + "批起可释放，但"
            + unit
            + "服务能力（每批 "
            + cap
            + " 个）至试点期结束均已排满",
        }
    else:
        texts = {
            "ready": "Batch "
            + batch
            + " ("
            + start
            + " – "
            + end
            + "): releasable from "
            + released
            + ", gates pass on "
            + ready
            + ", readiness "
            + score
            + " on the batch's last day ≥ threshold "
            + thr
            + np.where(
                later,
                " (gates passed in batch "
                + gates_window
                + ", the score reached the threshold in this one)",
                "",
            )
            + "; #"
            + rank
            + " of "
            + unit
            + "'s "
            + cap
            + " this batch",
            "waited_capacity": "Ready from batch "
            + first
            + ", but "
            + unit
            + "'s capacity of "
            + cap
            + " per batch was full: moved to batch "
            + batch
            + " (from "
            + start
            + ", #"
            + rank
            + "); readiness "
            + score,
            "already_let": "Already let: not released again",
            "reserved": np.where(
                named,
                "Reserved for " + tenant + ": held space, not released",
                "Reserved: held space, not released",
            ),
            "trial_over": f"The trial ended on {trial_end:%Y-%m-%d}: no window left",
            "gate_no_date": "No date can be given for a gate: " + blocking,
            "gate_after_trial": "Gates pass only on "
            + ready
            + " ("
            + blocking
            + "), after the trial's last day, "
            + last_day,
            "below_threshold": "Gates pass within the trial, but readiness reaches only "
            + score
            + " by its last day ("
            + last_day
            + "), below the threshold of "
            + thr,
            "capacity_full": "Ready from batch "
            + first
            + ", but "
            + unit
            + "'s capacity ("
            + cap
            + " per batch) is full to the end of the trial",
        }
    reason = a["reason"].astype(str)
    out = pd.Series("", index=a.index, dtype=object)
    for code, text in texts.items():
        mask = (reason == code).to_numpy()
        if mask.any():
            out[mask] = text[mask] if isinstance(text, pd.Series | np.ndarray) else text
    return out.astype(str).rename("reason_text")


def _blocking_gates(readiness: Readiness, ids: pd.Index, lang: str) -> pd.Series:
    """The names of the gate(s) passing last for each carrier (`blocking_gates`)."""
    last = blocking_gates(readiness, ids)
    names = pd.Series("", index=ids, dtype=object)
    sep = "、" if lang == "zh" else ", "
    for gate in last.columns:
        hit = last[gate].to_numpy()
        label = _gate_label(gate, readiness.policy, lang)
        names = names.where(~hit, names.where(names == "", names + sep) + label)
    return names


def member_reasons(plan: Plan, ids: pd.Index) -> pd.DataFrame:
    """``reason_zh`` and ``reason_en`` of these carriers: what a frozen batch keeps."""
    return pd.DataFrame(
        {f"reason_{lang}": placement_reasons(plan, lang=lang, ids=ids) for lang in LANGS},
        index=ids,
    )


def move_reasons(comparison: Comparison, *, lang: str) -> pd.Series:
    """Why each moved carrier moved, in ``lang``: the facts that differ between the plans.

    Vectorised over the moves: from which batch to which, the readiness before and after, the
    threshold, the date it could first go, and a capacity wait or a new cadence.
    """
    pick(("zh", "en"), lang)
    m = comparison.moves
    pa, pb = comparison.a.policy, comparison.b.policy
    zh = lang == "zh"

    def batch_label(batch: pd.Series, start: pd.Series, end: pd.Series) -> pd.Series:
        number = batch.astype("Int64").astype(str)
        dates = start.dt.strftime("%Y-%m") + "–" + end.dt.strftime("%Y-%m")
        label = (
            ("第" + number + "批（" + dates + "）")
            if zh
            else ("batch " + number + " (" + dates + ")")
        )
        return label.where(batch.notna(), "不释放" if zh else "not released")

    def fmt(score: pd.Series) -> pd.Series:
        return pd.Series(np.char.mod("%.1f", score.to_numpy(float)), index=score.index)

    def fmt_date(d: pd.Series) -> pd.Series:
        return pd.Series(d, index=m.index).dt.strftime("%Y-%m-%d").fillna("—")

    src = batch_label(m["from_batch"], m["from_start"], m["from_end"])
    dst = batch_label(m["to_batch"], m["to_start"], m["to_end"])
    text = src + " → " + dst
    score_changed = (m["score_a"] - m["score_b"]).abs() >= 0.05
    sa, sb = fmt(m["score_a"]), fmt(m["score_b"])
    text = text + np.where(
        score_changed,
        ("；成熟度 " if zh else "; readiness ") + sa + " → " + sb,
        ("；成熟度 " if zh else "; readiness ") + sa,
    )
    if pa.threshold != pb.threshold:
        text = text + (
            f"；阈值 {pa.threshold:g} → {pb.threshold:g}"
            if zh
            else f"; threshold {pa.threshold:g} → {pb.threshold:g}"
        )
    ea, eb = fmt_date(m["eligible_a"]), fmt_date(m["eligible_b"])
    text = text + np.where(
        ea != eb,
        ("；可释放起 " if zh else "; eligible from ") + ea + " → " + eb,
        "",
    )
    labels = {code: pick(pair, lang) for code, pair in REASON_LABELS.items()}
    ra, rb = m["from_reason"].astype(str).map(labels), m["to_reason"].astype(str).map(labels)
    capacity = m["to_reason"].astype(str).isin(["waited_capacity", "capacity_full"])
    text = text + np.where(
        ra != rb,
        ("；" if zh else "; ") + ra + " → " + rb,
        np.where(capacity, ("；" if zh else "; ") + rb, ""),
    )
    if pa.release.cadence_months != pb.release.cadence_months:
        ca, cb = pa.release.cadence_months, pb.release.cadence_months
        text = text + (f"；批次间隔 {ca} → {cb} 个月" if zh else f"; windows of {ca} → {cb} months")
    return pd.Series(text, index=m.index, dtype=object).astype(str).rename("why")
