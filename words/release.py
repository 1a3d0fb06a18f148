"""The release model in words: readiness explanations, placements and scenario moves (zh/en).

`planning` gives the codes and numbers (`planning.readiness.Readiness`, `planning.release.Plan`,
`planning.scenario.Comparison`); these functions word them, vectorised over the carriers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from planning.approval import CHANGES
from planning.policy import COMPONENTS, Policy
from planning.readiness import Readiness, blocking_gates
from planning.release import Plan, add_months
from planning.rules import GATES
from planning.scenario import DIRECTIONS, Comparison
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


def score_one_decimal(scores: pd.Series) -> pd.Series:
    """Scores to one decimal, cut rather than rounded: 59.97 shows as 59.9, never as 60.0 next
    to a threshold of 60 it does not reach."""
    values = np.floor(np.round(scores.to_numpy(float), 6) * 10) / 10
    return pd.Series(values, index=scores.index, name=scores.name)


def _score_text(scores: pd.Series) -> pd.Series:
    text = pd.Series(np.char.mod("%.1f", score_one_decimal(scores).to_numpy()), index=scores.index)
    return text.where(scores.notna(), "—")


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
        "construction": _construction_text(f, is_plot, on, lang),
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
    shown = _score_text(pd.Series([score])).iloc[0]
    failing = [r["label"] for r in gate_rows if not r["passes"]]
    threshold = policy.threshold
    if lang == "zh":
        summary = f"{on:%Y-%m-%d} 成熟度 {shown}（阈值 {threshold:g}）"
        summary += "；闸门全部通过" if not failing else f"；未通过：{'、'.join(failing)}"
    else:
        summary = f"Readiness {shown} on {on:%Y-%m-%d} (threshold {threshold:g})"
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


def _construction_text(f: pd.Series, is_plot: bool, on, lang: str) -> str:
    if is_plot:
        when = _when(f["land_date"], f["land_actual"], f["land_overdue"], lang)
        return f"地块净地交付：{when}" if lang == "zh" else f"plot: land ready {when}"
    progress = f"{float(f['construction_progress']):.0%}"
    done = f["completion_date"]
    if float(f["construction_progress"]) < 1 and pd.notna(done) and pd.Timestamp(done).date() <= on:
        # Completed by the date judged: the score counts the progress as 100 %.
        progress += "（竣工后按 100% 计）" if lang == "zh" else " (100 % once complete)"
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
        actual = {"acceptance": f["acceptance_actual"], "land": f["land_actual"]}.get(gate, True)
        if bool(actual) or pd.isna(expected):
            return "已通过" if zh else "passes"
        when = f"{pd.Timestamp(expected):%Y-%m-%d}"
        return (
            f"按计划于 {when} 通过（尚无实际日期）"
            if zh
            else f"passes as planned on {when} (no actual date yet)"
        )
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
    score = _score_text(a["score"])
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
        return _score_text(score)

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


TEXT: dict[str, tuple[str, str]] = {
    "count": ("数量", "Count"),
    "leaders_intro": (
        "按载体及配套设施建设进度、企业服务团队搭建、产业匹配度等要素成熟情况，"
        "在三年试点期内分批次释放载体资源（行动方案第二部分第1条）。",
        "Carriers are released in batches over the three-year trial as construction and "
        "facilities, the enterprise-service teams and the industry fit mature (action plan, "
        "section 2.1).",
    ),
    "fingerprint": ("方案指纹", "Plan fingerprint"),
    "policy_caption": (
        "权重：载体建设 {construction:.0%}、配套设施 {facilities:.0%}、企业服务团队 "
        "{service_team:.0%}、产业匹配度 {industry_fit:.0%}；阈值 {threshold:g}；每 {cadence} "
        "个月一批",
        "Weights: construction {construction:.0%}, facilities {facilities:.0%}, service team "
        "{service_team:.0%}, industry fit {industry_fit:.0%}; threshold {threshold:g}; a batch "
        "every {cadence} months",
    ),
    "m_released": ("纳入批次", "In batches"),
    "m_released_area": ("释放面积（万m²）", "Area released (10k m²)"),
    "m_not_releasable": ("试点期内不可释放", "Not releasable"),
    "m_held": ("已出租或预留", "Let or reserved"),
    "tab_batches": ("批次", "Batches"),
    "tab_map": ("地图", "Map"),
    "tab_scenario": ("情景比较", "Scenario"),
    "tab_history": ("审议记录", "Decisions"),
    "col_batch": ("批次", "Batch"),
    "col_window": ("时间窗", "Window"),
    "col_evaluated": ("评估日（批次末日）", "Scored on (last day)"),
    "col_count": ("载体数", "Carriers"),
    "col_area": ("面积 (m²)", "Area (m²)"),
    "col_state": ("审议状态", "Review"),
    "col_carrier": ("载体编号", "Carrier"),
    "col_name": ("名称", "Name"),
    "col_tier": ("梯度", "Tier"),
    "col_unit": ("责任单位", "Responsible unit"),
    "col_track": ("赛道", "Track"),
    "col_score": ("成熟度", "Readiness"),
    "col_reason": ("理由", "Reason"),
    "col_outcome": ("去向", "Outcome"),
    "plan_not_today": (
        "方案按 {as_of} 编制：批准须按今天（{today}）的方案，请将评估日期改回今天。",
        "This plan is made as of {as_of}: approvals take today's plan ({today}); set the date "
        "back to today.",
    ),
    "batch_overlap": (
        "本批有 {n} 个载体已在其他已批准批次中（如 {listed}）："
        "请先退回该批次，或重新编制方案后再批准。",
        "{n} carriers of this batch are in another approved batch already (e.g. {listed}): "
        "return that batch first, or plan again before approving.",
    ),
    "col_position": ("序号", "No."),
    "col_component": ("要素", "Component"),
    "col_weight": ("权重", "Weight"),
    "col_component_score": ("得分 (0–1)", "Score (0–1)"),
    "col_points": ("贡献分", "Points"),
    "col_facts": ("依据", "Facts"),
    "col_gate": ("闸门", "Gate"),
    "col_passes": ("是否通过", "Passes"),
    "col_expected": ("预计通过", "Expected"),
    "col_change": ("变化", "Change"),
    "col_before": ("批准时", "At approval"),
    "col_after": ("现在", "Now"),
    "col_from": ("原批次", "From"),
    "col_to": ("情景批次", "To"),
    "col_why": ("原因", "Why"),
    "col_decision": ("决定", "Decision"),
    "col_by": ("审议人", "By"),
    "col_role": ("角色", "Role"),
    "col_when": ("时间（北京时间）", "When (Beijing time)"),
    "col_comment": ("意见", "Comment"),
    "col_members": ("冻结载体数", "Frozen carriers"),
    "col_metric": ("指标", "Measure"),
    "col_current": ("现行方案", "Current"),
    "col_scenario": ("情景方案", "Scenario"),
    "col_diff": ("变化", "Change"),
    "state_proposed": ("待审议", "Proposed"),
    "state_approved": ("已批准", "Approved"),
    "state_returned": ("已退回", "Returned"),
    "state_closed": ("已过", "Closed"),
    "state_empty": ("无载体", "Empty"),
    "chart_by": ("分组", "Group by"),
    "chart_measure": ("指标", "Measure"),
    "measure_count": ("载体数", "Carriers"),
    "measure_area": ("面积 (m²)", "Area (m²)"),
    "chart_title": ("各批次载体", "Carriers per batch"),
    "choose_batch": ("选择批次", "Choose a batch"),
    "batch_title": ("第{n}批 · {start} – {end}", "Batch {n} · {start} – {end}"),
    "batch_judged": (
        "评估日 {evaluated}；{count} 个载体，{area:,.0f} m²",
        "Scored on {evaluated}; {count} carriers, {area:,.0f} m²",
    ),
    "batch_closed": (
        "此时间窗在评估日期前已结束，不再安排载体。",
        "This window ended before the as-of date: no carriers are placed in it.",
    ),
    "batch_empty": ("本批没有载体。", "No carriers in this batch."),
    "totals": ("汇总", "Totals"),
    "members": ("本批载体", "Carriers of the batch"),
    "frozen_members": ("批准时冻结的载体", "Carriers frozen at approval"),
    "drill_down": ("查看载体理由", "Why this carrier"),
    "not_released_title": ("未纳入批次的载体", "Carriers in no batch"),
    "approved_note": (
        "已批准：{by}（{role}），{when}。意见：{comment}。批准时冻结 {count} 个载体；"
        "后续数据变化不改变本批。",
        "Approved by {by} ({role}) on {when}. Comment: {comment}. {count} carriers frozen at "
        "approval; later data changes do not alter this batch.",
    ),
    "returned_note": (
        "已退回：{by}（{role}），{when}。意见：{comment}",
        "Returned by {by} ({role}) on {when}. Comment: {comment}",
    ),
    "drift_title": ("批准后的变化（{n}）", "Changes since approval ({n})"),
    "drift_none": (
        "批准后数据无变化：本批载体的状态、成熟度与闸门与批准时一致。",
        "Nothing has drifted: the batch's statuses, scores and gates are as approved.",
    ),
    "drift_removed": ("已从库中删除", "Removed from the inventory"),
    "drift_status": ("状态变化", "Status changed"),
    "drift_score": ("成熟度变化", "Score changed"),
    "drift_gates": ("闸门变化", "Gates changed"),
    "drift_batch": ("现方案批次不同", "Now in another batch"),
    "drift_added": ("现方案新增", "Now in this batch"),
    "decision_title": ("审议", "Review"),
    "decider_name": ("审议人：{name}", "Deciding as: {name}"),
    "decision_comment": ("意见", "Comment"),
    "confirm_batch_title": ("请确认审议", "Confirm the decision"),
    "confirm_step_approve": ("批准本批，冻结其载体", "Approve the batch and freeze its carriers"),
    "confirm_step_withdraw": ("撤回对本批的批准", "Withdraw the approval of the batch"),
    "confirm_step_return": ("退回本批修改", "Return the batch for rework"),
    "confirm_members": (
        "{count} 个载体，可用面积 {area:,.0f} m²",
        "{count} carriers, {area:,.0f} m²",
    ),
    "confirm_comment": ("意见：{comment}", "Comment: {comment}"),
    "confirm_as": ("以 {who} 的账户记录。", "Recorded under the account of {who}."),
    "approve": ("批准本批", "Approve the batch"),
    "return": ("退回修改", "Return for rework"),
    "reopen": ("撤回批准（退回）", "Withdraw approval (return)"),
    "leader_only": (
        "仅领导角色可以批准或退回批次（当前角色：{role}；请以领导账户登录）。",
        "Only a leader can approve or return a batch (current role: {role}; sign in with a "
        "leader's account).",
    ),
    "decision_saved": ("已记录：{decision}", "Recorded: {decision}"),
    "comment_needed": ("退回时请填写意见。", "Say what to change when returning a batch."),
    "download_excel": ("下载简报（Excel）", "Download briefing (Excel)"),
    "download_html": ("下载简报（可打印网页）", "Download briefing (printable page)"),
    "map_caption": (
        "楼栋/地块按其载体中最早的批次着色；成熟度按最成熟载体着色。",
        "A building or plot takes the earliest batch of its carriers; readiness that of its "
        "most ready carrier.",
    ),
    "scenario_intro": (
        "调整权重、阈值或批次间隔，与现行方案对比：哪些载体移动、从哪批到哪批、原因及前后汇总。"
        "权重按比例归一化为 100%。",
        "Change the weights, threshold or cadence and compare with the current plan: which "
        "carriers move, from which batch to which, why, and the totals before and after. "
        "Weights are normalised to 100 %.",
    ),
    "scenario_run": ("计算情景", "Compute the scenario"),
    "scenario_reset": ("恢复现行方案", "Back to the current policy"),
    "weight_of": ("{name}权重", "Weight of {name}"),
    "threshold": ("释放阈值", "Threshold"),
    "cadence": ("批次间隔（月）", "Months per batch"),
    "gates": ("附加闸门", "Extra gates"),
    "scenario_weights": ("情景规则（权重已归一化）", "Scenario rules (weights normalised)"),
    "scenario_moves": ("移动的载体（{n}）", "Carriers that move ({n})"),
    "scenario_no_moves": ("情景与现行方案相同。", "The scenario gives the current plan."),
    "scenario_windows": ("各批次前后对比", "Batches before and after"),
    "sum_released": ("纳入批次载体", "Carriers in batches"),
    "sum_released_area": ("纳入批次面积 (m²)", "Area in batches (m²)"),
    "sum_not_releasable": ("不可释放", "Not releasable"),
    "sum_held": ("已出租或预留", "Let or reserved"),
    "dir_earlier": ("提前", "earlier"),
    "dir_later": ("推后", "later"),
    "dir_in": ("新纳入", "newly in"),
    "dir_out": ("移出", "out"),
    "dir_changed": ("理由变化", "other reason"),
    "history_empty": ("尚无审议记录。", "No decisions yet."),
    "decision_approved": ("批准", "approved"),
    "decision_returned": ("退回", "returned"),
    "decision_withdrawn": ("撤回批准", "approval withdrawn"),
    "gate_pass": ("通过", "pass"),
    "gate_fail": ("未通过", "fail"),
    "briefing_title": ("释放批次简报", "Release batch briefing"),
    "briefing_status": ("审议状态", "Review"),
    "briefing_generated": ("生成时间", "Generated"),
    "briefing_map": ("本批载体分布（示意）", "Where the batch lies (schematic)"),
    "briefing_list": ("载体清单", "Carrier list"),
    "briefing_policy": ("评估规则", "Rules"),
    "briefing_other": ("其他载体", "Other carriers"),
    "gate_team_in_place": ("服务团队到位", "Service team in place"),
    "gate_min_facilities": ("配套设施达标", "Facilities at minimum"),
    "with_count": ("{text}（{n}）", "{text} ({n})"),
    "gates_placeholder": ("无附加闸门", "No extra gates"),
    "labelled": ("{label}：{value}", "{label}: {value}"),
}

FAMILIES: dict[str, tuple[str, ...]] = {
    "state_{}": ("proposed", "approved", "returned", "closed", "empty"),
    "gate_{}": ("pass", "fail", *GATES),
    "drift_{}": CHANGES,
    "decision_{}": ("approved", "returned", "withdrawn"),
    "dir_{}": DIRECTIONS,
    "measure_{}": ("count", "area"),
    "tab_{}": ("batches", "map", "scenario", "history"),
    "confirm_step_{}": ("approve", "withdraw", "return"),
}
"""Keys built at run time: each pattern's "{}" takes each of the codes."""
