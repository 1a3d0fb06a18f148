"""分批释放审议 / Release batches: the plan, its reasons, scenarios, and leaders' decisions."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import altair as alt
import pandas as pd
import streamlit as st

from access.permissions import PermissionDenied, allowed
from planning.approval import drift, freeze, members_of
from planning.policy import COMPONENTS, Policy, PolicyError
from planning.release import Plan, plan
from planning.rules import GATES
from planning.scenario import compare
from settings import BEIJING
from spaces.export import XLSX_MIME
from store.repository import DecisionError
from ui import leaders
from ui.briefing import Briefing, excel_workbook, html_page, static_map_png
from ui.common import (
    ask_confirmation,
    confirmation,
    current_actor,
    get_settings,
    get_store,
    lang,
    load_data,
    load_facts,
    plain,
    plain_table,
    plan_date_input,
    show_map,
)
from ui.mapview import carrier_features
from ui.times import beijing
from words import pick, t
from words.access import person, refusal
from words.release import explain, member_reasons

VIEW = "hq_lead_view"
BATCH = "hq_lead_batch"
SCENARIO = "hq_lead_scenario"
FLASH = "hq_lead_flash"
CADENCES = (3, 4, 6, 12)


@st.cache_resource(show_spinner="正在编制释放方案 / planning…", max_entries=8)
def _plan(_inv, _carriers, url: str, revision: int, policy_key: str, as_of: str) -> Plan:
    """The plan of the stored data for a policy and date (shared; do not modify)."""
    policy = Policy.from_dict(json.loads(policy_key))
    facts = load_facts(policy)
    return plan(_carriers, _inv.service_teams, facts, policy=policy, as_of=as_of)


@st.cache_data(show_spinner=False, max_entries=16)
def _briefing_files(_b: Briefing, _inv, _layers, key: tuple, lang: str) -> tuple[bytes, str]:
    """The Excel workbook and printable page of a batch (``key`` identifies its content)."""
    settings = get_settings()
    now = datetime.now(UTC)
    xlsx = excel_workbook(_b, settings=settings, generated=now)
    png = static_map_png(_b, _inv, _layers)
    return xlsx, html_page(_b, png=png, settings=settings, lang=lang, generated=now)


settings = get_settings()
lg = lang()
repo = get_store()
inv, layers, carriers = load_data()
revision = repo.revision()
url = settings.database_url
current = Policy.from_settings(settings)
actor = current_actor()
is_leader = allowed(actor, "decide.batch")
sample = repo.get_meta("sample") == "1"

st.title(t("page_leaders", lg))
st.caption(t("leaders_intro", lg))
left, right = st.columns([1, 3])
as_of: date = plan_date_input(left, key="hq_lead_as_of")
p = _plan(inv, carriers, url, revision, current.key(), as_of.isoformat())
right.caption(leaders.policy_caption(current, lang=lg))
right.caption(t("labelled", lg).format(label=t("fingerprint", lg), value=f"`{p.fingerprint()}`"))

a = p.assignments
released = a["outcome"] == "released"
m1, m2, m3, m4 = st.columns(4)
m1.metric(t("m_released", lg), f"{int(released.sum()):,}")
m2.metric(t("m_released_area", lg), f"{a.loc[released, 'usable_area_m2'].sum() / 10_000:,.1f}")
m3.metric(t("m_not_releasable", lg), f"{int((a.outcome == 'not_releasable').sum()):,}")
m4.metric(t("m_held", lg), f"{int((a.outcome == 'held').sum()):,}")

if FLASH in st.session_state:
    st.success(st.session_state.pop(FLASH))

views = ["batches", "map", "scenario", "history"]
view = st.radio(
    t("tab_batches", lg),
    views,
    format_func=lambda v: t(f"tab_{v}", lg),
    horizontal=True,
    key=VIEW,
    label_visibility="collapsed",
)
decisions = repo.latest_decisions(actor=actor)


def _batch_view() -> None:
    st.dataframe(leaders.windows_table(p, decisions, lang=lg), hide_index=True)
    c1, c2 = st.columns(2)
    by = c1.radio(
        t("chart_by", lg),
        list(leaders.BY),
        format_func=lambda k: t(f"by_{'unit' if k == 'responsible_unit' else k}", lg),
        horizontal=True,
        key="hq_lead_chart_by",
    )
    measure = c2.radio(
        t("chart_measure", lg),
        ["count", "area"],
        format_func=lambda k: t(f"measure_{k}", lg),
        horizontal=True,
        key="hq_lead_measure",
    )
    data = leaders.chart_data(p, carriers, by=by, lang=lg, settings=settings)
    if not data.empty:
        order = [t("batch_n", lg).format(n=w.number) for w in p.windows]
        chart = (
            alt.Chart(data, title=t("chart_title", lg))
            .mark_bar()
            .encode(
                x=alt.X(
                    "batch_label:N",
                    sort=order,
                    title=t("col_batch", lg),
                    axis=alt.Axis(labelAngle=0),
                ),
                y=alt.Y(f"{measure}:Q", title=t(f"measure_{measure}", lg)),
                color=alt.Color("group:N", title=t("chart_by", lg)),
                tooltip=["batch_label", "group", "count", alt.Tooltip("area:Q", format=",.0f")],
            )
            .properties(height=260)
        )
        st.altair_chart(chart, width="stretch")

    numbers = [w.number for w in p.windows]
    with_members = [n for n in numbers if (a["batch"] == n).any()]
    default = with_members[0] if with_members else numbers[0]
    if st.session_state.get(BATCH) not in numbers:
        st.session_state[BATCH] = default
    number = st.selectbox(
        t("choose_batch", lg),
        numbers,
        format_func=lambda n: t("batch_n", lg).format(n=n),
        key=BATCH,
    )
    _batch_detail(number)

    nr = leaders.not_released_table(p, carriers, lang=lg, settings=settings)
    with st.expander(t("with_count", lg).format(text=t("not_released_title", lg), n=len(nr))):
        st.dataframe(nr, hide_index=True)


def _batch_detail(number: int) -> None:
    w = p.window(number)
    state, latest = leaders.state_of(decisions, w.start, w.end)
    st.subheader(t("batch_title", lg).format(n=number, start=w.start, end=w.end))
    if state == "approved":
        members = repo.decision_members(int(latest.name))
        st.success(
            t("approved_note", lg).format(
                by=plain(person(latest["decided_by"], latest["account"], lg)),
                role=t(f"role_{latest['role']}", lg),
                when=t("at_beijing", lg).format(time=beijing(latest["decided_at"])),
                comment=plain(latest["comment"] or "—"),
                count=len(members),
            )
        )
        _drift(latest, members)
    else:
        if state == "returned":
            st.warning(
                t("returned_note", lg).format(
                    by=plain(person(latest["decided_by"], latest["account"], lg)),
                    role=t(f"role_{latest['role']}", lg),
                    when=t("at_beijing", lg).format(time=beijing(latest["decided_at"])),
                    comment=plain(latest["comment"]),
                )
            )
        members = members_of(p, number, carriers, reasons=member_reasons)
    st.caption(
        t("batch_judged", lg).format(
            evaluated=w.end, count=len(members), area=members["usable_area_m2"].sum()
        )
    )
    if not w.open:
        st.info(t("batch_closed", lg))
    elif members.empty:
        st.info(t("batch_empty", lg))

    if not members.empty:
        st.markdown(f"**{t('totals', lg)}**")
        cols = [*st.columns(2), *st.columns(2)]
        for col, by in zip(cols, leaders.BY, strict=True):
            col.dataframe(
                leaders.totals_table(members, by, lang=lg, settings=settings), hide_index=True
            )
        title = t("frozen_members" if state == "approved" else "members", lg)
        st.markdown(t("with_count", lg).format(text=f"**{title}**", n=len(members)))
        st.dataframe(
            leaders.members_table(members, lang=lg, settings=settings),
            hide_index=True,
            height=min(420, 38 + 35 * len(members)),
        )
        _drill_down(number, members)
    _decision(number, state, members)
    if not members.empty:
        _downloads(number, state, latest, members)


def _drift(latest: pd.Series, members: pd.DataFrame) -> None:
    frozen_policy = Policy.from_dict(json.loads(latest["policy"]))
    now = _plan(inv, carriers, url, revision, frozen_policy.key(), str(latest["as_of"])[:10])
    d = drift(latest, members, now, carriers)
    with st.expander(t("drift_title", lg).format(n=len(d)), expanded=not d.empty):
        if d.empty:
            st.success(t("drift_none", lg))
        else:
            st.dataframe(leaders.drift_table(d, lang=lg), hide_index=True)


def _drill_down(number: int, members: pd.DataFrame) -> None:
    ids = [c for c in members["carrier_id"] if c in carriers.index]
    if not ids:
        return
    names = dict(zip(members["carrier_id"], members["name"], strict=True))
    cid = st.selectbox(
        t("drill_down", lg),
        ids,
        format_func=lambda c: f"{c} · {names.get(c, '')}",
        key=f"hq_lead_carrier_{number}",
    )
    row = members[members["carrier_id"] == cid].iloc[0]
    st.markdown(f"**{plain(row['reason_zh' if lg == 'zh' else 'reason_en'])}**")
    e = explain(p.readiness_for(number), cid, lang=lg, carriers=carriers)
    st.caption(plain(e.summary))
    comp, gates = leaders.explanation_tables(e, lang=lg)
    st.table(plain_table(comp.set_index(comp.columns[0])))
    st.table(plain_table(gates.set_index(gates.columns[0])))


def _decision(number: int, state: str, members: pd.DataFrame) -> None:
    w = p.window(number)
    st.markdown(f"**{t('decision_title', lg)}**")
    if is_leader:
        st.caption(t("decider_name", lg).format(name=plain(person(actor.user, actor.account, lg))))
    else:
        st.info(t("leader_only", lg).format(role=t(f"role_{actor.role}", lg)))
    comment = st.text_area(
        t("decision_comment", lg), key=f"hq_lead_comment_{number}", disabled=not is_leader
    )
    today = settings.release.as_of or datetime.now(BEIJING).date()
    over = p.as_of != today
    elsewhere = repo.approved_elsewhere(w.start, w.end)
    twice = elsewhere[elsewhere.index.isin(members["carrier_id"].astype(str))]
    if state != "approved" and not members.empty:
        if over:
            st.info(t("plan_not_today", lg).format(as_of=p.as_of, today=today))
        elif len(twice):
            listed = pick(("、", ", "), lg).join(
                f"{c}（{t('batch_n', lg).format(n=b)}）" for c, b in twice.head(3).items()
            )
            st.warning(plain(t("batch_overlap", lg).format(n=len(twice), listed=listed)))
    c1, c2 = st.columns(2)
    can_approve = (
        is_leader and w.open and not members.empty and state != "approved" and not over
    ) and twice.empty
    approve = c1.button(
        t("approve", lg),
        type="primary",
        disabled=not can_approve,
        key=f"hq_lead_approve_{number}",
    )
    back = c2.button(
        t("reopen" if state == "approved" else "return", lg),
        disabled=not (is_leader and w.open),
        key=f"hq_lead_return_{number}",
    )
    key = f"hq_lead_decide_{number}"
    if approve or back:
        if back and not comment.strip():
            st.error(t("comment_needed", lg))
            return
        decision = "approved" if approve else "returned"
        step = "approve" if approve else "withdraw" if state == "approved" else "return"
        ask_confirmation(key, {"decision": decision, "step": step, "comment": comment})
    asked = confirmation(
        key,
        title=t("confirm_batch_title", lg),
        describe=lambda c: _decision_summary(number, members, c),
    )
    if asked is None:
        return
    decision = asked["decision"]
    record, frozen = freeze(
        p,
        number,
        carriers,
        reasons=member_reasons,
        decision=decision,
        comment=asked["comment"],
        decided_at=datetime.now(UTC),
        data_revision=revision,
    )
    try:
        repo.record_decision(record, frozen, actor=actor)
    except PermissionDenied as err:
        st.error(refusal(err, lg, settings.units))
        return
    except DecisionError as err:
        st.error(plain(err))
        return
    st.session_state[FLASH] = t("decision_saved", lg).format(decision=t(f"decision_{decision}", lg))
    st.rerun()


def _decision_summary(number: int, members: pd.DataFrame, asked: dict) -> list[str]:
    """What a leader confirms: the step, the batch's window, its carriers and area, the areas
    of the zone, the comment and under whose account it is recorded."""
    w, step = p.window(number), asked["step"]
    by_area = members.groupby("area", dropna=False)["carrier_id"].count() if len(members) else {}
    areas = pick(("、", ", "), lg).join(
        f"{leaders.label_of('area', code, lg, settings)} {n}" for code, n in by_area.items()
    )
    lines = [
        f"**{t(f'confirm_step_{step}', lg)}**",
        t("batch_title", lg).format(n=number, start=w.start, end=w.end),
        t("confirm_members", lg).format(
            count=len(members), area=float(members["usable_area_m2"].sum()) if len(members) else 0
        ),
    ]
    if areas:
        lines.append(t("labelled", lg).format(label=t("by_area", lg), value=plain(areas)))
    comment = asked["comment"].strip()
    lines.append(t("confirm_comment", lg).format(comment=plain(comment) if comment else "—"))
    lines.append(t("confirm_as", lg).format(who=plain(person(actor.user, actor.account, lg))))
    return lines


def _downloads(number: int, state: str, latest: pd.Series | None, members: pd.DataFrame) -> None:
    w = p.window(number)
    decision = None if latest is None else {k: latest[k] for k in latest.index}
    if state == "approved":
        frozen_policy = Policy.from_dict(json.loads(latest["policy"]))
        as_of_b, policy_b, fp = latest["as_of"], frozen_policy, latest["plan_fingerprint"]
    else:
        as_of_b, policy_b, fp = p.as_of, current, p.fingerprint()
    b = Briefing(
        batch=number,
        start=w.start,
        end=w.end,
        evaluated=w.end if state != "approved" else latest["evaluated"],
        as_of=as_of_b,
        state=state,
        members=members,
        policy=policy_b,
        fingerprint=fp,
        decision=decision,
        sample=sample,
    )
    key = (revision, fp, number, state, None if latest is None else int(latest.name))
    xlsx, page = _briefing_files(b, inv, layers, key, lg)
    stem = f"briefing-batch{number}-{w.start}"
    c1, c2 = st.columns(2)
    c1.download_button(
        t("download_excel", lg),
        xlsx,
        file_name=f"{stem}.xlsx",
        mime=XLSX_MIME,
        key=f"hq_lead_xlsx_{number}",
    )
    c2.download_button(
        t("download_html", lg),
        page,
        file_name=f"{stem}.html",
        mime="text/html",
        key=f"hq_lead_html_{number}",
    )


def _map_view() -> None:
    color_by = st.radio(
        t("color_by", lg),
        ["batch", "readiness"],
        format_func=lambda k: t(f"by_{k}", lg),
        horizontal=True,
        key="hq_lead_color_by",
    )
    joined = carriers.join(a[["batch", "outcome"]]).assign(readiness=p.readiness.score)
    features = carrier_features(inv, joined, color_by=color_by)
    show_map(features, layers, key="hq_lead_map", height=600)
    st.caption(t("map_caption", lg))


def _scenario_view() -> None:
    st.caption(t("scenario_intro", lg))
    chosen = st.session_state.get(SCENARIO) or {}
    percent = chosen.get("weights") or leaders.weights_percent(current)
    with st.form("hq_lead_scenario_form"):
        cols = st.columns(4)
        weights = {
            c: col.slider(
                t("weight_of", lg).format(name=t(f"component_{c}", lg)),
                0,
                100,
                int(percent[c]),
                step=5,
            )
            for c, col in zip(COMPONENTS, cols, strict=True)
        }
        c1, c2, c3 = st.columns(3)
        threshold = c1.slider(
            t("threshold", lg), 0, 100, int(chosen.get("threshold", current.threshold))
        )
        cadences = sorted({*CADENCES, current.release.cadence_months})
        cadence = c2.selectbox(
            t("cadence", lg),
            cadences,
            index=cadences.index(chosen.get("cadence", current.release.cadence_months)),
        )
        gates = c3.multiselect(
            t("gates", lg),
            list(GATES),
            default=list(chosen.get("gates", current.release.gates)),
            format_func=lambda g: t(f"gate_{g}", lg),
            placeholder=t("gates_placeholder", lg),
        )
        run = st.form_submit_button(t("scenario_run", lg), type="primary")
    if run:
        chosen = {"weights": weights, "threshold": threshold, "cadence": cadence, "gates": gates}
        st.session_state[SCENARIO] = chosen
    if st.button(t("scenario_reset", lg), key="hq_lead_scenario_reset"):
        st.session_state.pop(SCENARIO, None)
        st.rerun()
    if not chosen:
        return
    try:
        scenario = current.with_changes(
            weights=chosen["weights"],
            threshold=chosen["threshold"],
            cadence_months=chosen["cadence"],
            gates=tuple(chosen["gates"]),
        )
    except PolicyError as err:
        st.error(plain(err))
        return
    other = _plan(inv, carriers, url, revision, scenario.key(), as_of.isoformat())
    c = compare(p, other)
    st.markdown(
        t("labelled", lg).format(
            label=f"**{t('scenario_weights', lg)}**",
            value=leaders.policy_caption(scenario, lang=lg),
        )
    )
    st.dataframe(leaders.scenario_summary(c, lang=lg), hide_index=True)
    bars = leaders.scenario_windows(c, lang=lg)
    sides = [t("col_current", lg), t("col_scenario", lg)]
    chart = (
        alt.Chart(bars, title=t("scenario_windows", lg))
        .mark_bar()
        .encode(
            x=alt.X("window:N", title=t("col_window", lg), axis=alt.Axis(labelAngle=0)),
            xOffset=alt.XOffset("plan:N", sort=sides),
            y=alt.Y("count:Q", title=t("measure_count", lg)),
            color=alt.Color("plan:N", title="", sort=sides),
            tooltip=["plan", "batch", "window", "count"],
        )
        .properties(height=240)
    )
    st.altair_chart(chart, width="stretch")
    st.markdown(f"**{t('scenario_moves', lg).format(n=len(c.moves))}**")
    if c.moves.empty:
        st.info(t("scenario_no_moves", lg))
    else:
        st.dataframe(leaders.moves_table(c, carriers, lang=lg), hide_index=True)


def _history_view() -> None:
    history = repo.decisions(actor=actor)
    if history.empty:
        st.info(t("history_empty", lg))
    else:
        st.dataframe(leaders.history_table(history, lang=lg, settings=settings), hide_index=True)
        st.caption(t("beijing_time", lg))


{"batches": _batch_view, "map": _map_view, "scenario": _scenario_view, "history": _history_view}[
    view
]()
