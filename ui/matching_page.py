"""供需匹配 / Matching: carriers for each demand with reasons, gaps, growth paths, supply list."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from planning.matching import (
    DemandArrays,
    demands_for_carrier,
    gap_report,
    growth_path,
    match_demand,
)
from spaces.export import XLSX_MIME, excel_bytes
from ui.common import (
    current_actor,
    get_settings,
    lang,
    load_data,
    load_demands,
    load_supply,
    plain,
    plan_date_input,
    released_batches,
)
from words import t, vocab
from words.matching import constraint_label, reasons
from words.tables import supply_list

settings = get_settings()
lg = lang()
inv, layers, carriers = load_data()
index = load_supply()
demands = load_demands(current_actor())
arrays = DemandArrays.build(demands, tracks=settings.tracks)
track_names = {tr.id: (tr.name_zh if lg == "zh" else tr.name_en) for tr in settings.tracks}
components = list(settings.matching.weights())


def _track(code: object) -> str:
    return track_names.get(code, "—") if isinstance(code, str) else "—"


def _m2(value: float) -> str:
    return "—" if pd.isna(value) else f"{value:,.0f}"


def _scores(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.rename(columns={c: t(f"component_{c}", lg) for c in components})
    return out.rename(columns={"score": t("match_score", lg)})


st.title(t("page_matching", lg))
st.caption(t("matching_intro", lg))
as_of = plan_date_input(st.columns([1, 3])[0], key="hq_match_as_of")
with st.expander(t("match_weights", lg), expanded=True):
    weights = settings.matching.weights()
    total = sum(weights.values())
    st.dataframe(
        pd.DataFrame(
            {
                t("component", lg): [t(f"component_{k}", lg) for k in weights],
                t("weight", lg): list(weights.values()),
                t("share", lg): [f"{w / total:.0%}" for w in weights.values()],
                t("meaning", lg): [t(f"component_{k}_help", lg) for k in weights],
            }
        ),
        hide_index=True,
        width="stretch",
    )
    st.caption(t("match_weights_note", lg))

tabs = st.tabs(
    [
        t("tab_by_demand", lg),
        t("tab_by_carrier", lg),
        t("tab_gaps", lg),
        t("tab_growth", lg),
        t("tab_supply", lg),
    ]
)

with tabs[0]:
    open_ids = list(demands.index[demands.status == "open"])
    if not open_ids:
        st.info(t("no_open_demands", lg))
    else:
        did = st.selectbox(
            t("pick_demand", lg),
            open_ids,
            format_func=lambda d: f"{d} · {demands.loc[d, 'enterprise']}",
            key="hq_match_demand",
        )
        d = demands.loc[did]
        wanted = [
            f"{t('tier', lg)}: {vocab('tier', d.tier, lg) or t('any', lg)}",
            f"{t('area_m2', lg)}: {_m2(d.area_min_m2)}–{_m2(d.area_max_m2)}",
            f"{t('track', lg)}: {_track(d.track)}",
            f"{t('needed_by', lg)}: {d.needed_by:%Y-%m-%d}" if pd.notna(d.needed_by) else "",
            vocab("yrd_city", d.home_city, lg),
        ]
        st.caption(plain(" · ".join(w for w in wanted if w)))
        every = match_demand(index, arrays, did, settings=settings.matching, as_of=as_of)
        matches = every.head(20)
        st.metric(t("n_matches", lg), len(every))
        if matches.empty:
            st.warning(t("no_matches", lg))
        else:
            why = reasons(index, arrays, did, list(matches.index), tracks=settings.tracks, lang=lg)
            shown = pd.DataFrame(
                {
                    t("carrier", lg): carriers.loc[matches.index, "name"],
                    t("tier", lg): [
                        vocab("tier", x, lg) for x in carriers.loc[matches.index, "tier"]
                    ],
                    t("status", lg): [
                        vocab("status", x, lg) for x in carriers.loc[matches.index, "status"]
                    ],
                },
                index=matches.index,
            ).join(_scores(matches))
            shown[t("reasons", lg)] = why
            for cid in matches.index[:3]:
                name = plain(carriers.loc[cid, "name"])
                st.markdown(f"**{name}** · {matches.loc[cid, 'score']:.1f}")
                st.caption(plain(why[cid]))
            st.dataframe(
                shown,
                width="stretch",
                column_config={t("reasons", lg): st.column_config.TextColumn(width="large")},
            )

with tabs[1]:
    offered = carriers.index[index.offered]
    cid = st.selectbox(
        t("pick_carrier", lg),
        list(offered),
        format_func=lambda c: f"{carriers.loc[c, 'name']} ({c})",
        key="hq_match_carrier",
    )
    if cid is not None:
        served = demands_for_carrier(index, arrays, cid, settings=settings.matching, as_of=as_of)
        st.metric(t("n_demands_served", lg), len(served))
        if len(served):
            st.dataframe(
                demands.loc[served.index, ["enterprise", "home_city", "track", "tier"]]
                .assign(
                    home_city=lambda f: [vocab("yrd_city", x, lg) for x in f.home_city],
                    track=lambda f: [_track(x) for x in f.track],
                    tier=lambda f: [vocab("tier", x, lg) or "—" for x in f.tier],
                )
                .join(_scores(served)),
                width="stretch",
            )

with tabs[2]:
    gaps = gap_report(index, arrays, carriers, demands)
    st.markdown(f"**{t('gap_unmet', lg)}** ({len(gaps.unmet)})")
    st.caption(t("gap_unmet_help", lg))
    unmet = (
        gaps.unmet.assign(
            track=lambda f: [_track(x) for x in f.track],
            tier=lambda f: [vocab("tier", x, lg) or "—" for x in f.tier],
            blocking=lambda f: [constraint_label(x, lg) for x in f.blocking],
        )
        .rename_axis(t("demand_id", lg))
        .rename(
            columns={
                "enterprise": t("enterprise", lg),
                "track": t("track", lg),
                "tier": t("tier", lg),
                "band": t("band", lg),
                "blocking": t("blocking", lg),
                "without_it": t("without_it", lg),
            }
        )
    )
    st.dataframe(unmet, width="stretch")
    st.markdown(f"**{t('gap_by_group', lg)}**")
    headers = {
        "track": t("track", lg),
        "tier": t("tier", lg),
        "band": t("band", lg),
        "area": t("f_areas", lg),
        "demands": t("demands_total", lg),
        "carriers": t("carriers", lg),
        "area_m2": t("area_m2", lg),
    }
    st.dataframe(
        gaps.unmet_summary.assign(
            track=lambda f: [_track(x) for x in f.track],
            tier=lambda f: [vocab("tier", x, lg) or "—" for x in f.tier],
            area_m2=lambda f: f.area_m2.round(0),
        ).rename(columns=headers),
        hide_index=True,
        width="stretch",
    )
    st.markdown(f"**{t('gap_unwanted', lg)}** ({len(gaps.unwanted)})")
    st.dataframe(
        gaps.unwanted_summary.assign(
            tier=lambda f: [vocab("tier", x, lg) for x in f.tier],
            area=lambda f: [vocab("area", x, lg) or "—" for x in f.area],
            track=lambda f: [_track(x) for x in f.track],
            area_m2=lambda f: f.area_m2.round(0),
        ).rename(columns=headers),
        hide_index=True,
        width="stretch",
    )

with tabs[3]:
    st.caption(t("growth_help", lg).format(km=settings.matching.growth_radius_m / 1000))
    occupied = carriers[carriers.tenant.notna() & carriers.tier.isin(["room", "floor"])]
    start = st.selectbox(
        t("pick_tenant", lg),
        list(occupied.sort_values("tenant").index),
        format_func=lambda c: f"{occupied.loc[c, 'tenant']} · {occupied.loc[c, 'name']}",
        key="hq_growth_start",
    )
    if start is not None:
        path = growth_path(index, start, settings=settings.matching)
        if path.empty:
            st.info(t("growth_none", lg))
        else:
            st.dataframe(
                pd.DataFrame(
                    {
                        t("carrier", lg): carriers.loc[path.index, "name"],
                        t("tier", lg): [vocab("tier", x, lg) for x in path.tier],
                        t("distance_m", lg): path.distance_m,
                        t("area_m2", lg): path.usable_area_m2,
                        t("rent", lg): carriers.loc[path.index, "rent_yuan_m2_day"],
                        t("available_from", lg): carriers.loc[path.index, "available_from"].dt.date,
                    }
                ),
                width="stretch",
            )

with tabs[4]:
    batches = released_batches()
    supply = supply_list(
        carriers, lang=lg, settings=settings, batches=batches if len(batches) else None
    )
    st.metric(t("supply_count", lg), len(supply))
    if batches.empty:
        st.info(t("supply_batches_pending", lg), icon="ℹ️")
    st.dataframe(supply, hide_index=True, width="stretch")
    export = supply_list(
        carriers, lang="zh", settings=settings, batches=batches if len(batches) else None
    )
    st.download_button(
        t("download_supply", lg),
        excel_bytes({"供给清单": export}, notes={"供给清单": [t("export_note", "zh")]}),
        file_name=f"供给清单_{as_of.isoformat()}.xlsx",
        mime=XLSX_MIME,
        key="hq_supply_xlsx",
    )
