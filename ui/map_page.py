"""载体地图 / Carrier map: every carrier of the zone over the base layers, with building cards."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ui import cards
from ui.common import get_settings, lang, load_data, plain, show_map
from ui.mapview import (
    carrier_features,
)
from words import t, vocab

SELECTED = "hq_map_selected"


def _pairs(pairs: list[tuple[str, str]]) -> None:
    st.dataframe(pd.DataFrame(pairs, columns=["", " "]), hide_index=True, width="stretch")


settings = get_settings()
lg = lang()
inv, layers, carriers = load_data()

st.title(t("page_map", lg))

left, right = st.columns([3, 2], gap="medium")
with left:
    color_by = (
        st.segmented_control(
            t("color_by", lg),
            ["tier", "status"],
            default="tier",
            format_func=lambda k: t(f"by_{k}", lg),
            key="hq_map_color_by",
        )
        or "tier"
    )
    features = carrier_features(inv, carriers, color_by=color_by)
    show_map(features, layers, key="hq_map", height=640, selection_key=SELECTED)
    st.caption(t("schematic_note", lg))

with right:
    c1, c2, c3 = st.columns(3)
    c1.metric(t("carriers", lg), f"{len(carriers):,}")
    c2.metric(t("buildings", lg), f"{len(inv.buildings):,}")
    available = carriers.loc[carriers.status == "available", "usable_area_m2"].sum()
    c3.metric(t("available_area_10k", lg), f"{available / 10_000:,.1f}")
    by_tier = carriers.groupby("tier").size().reindex(["room", "floor", "building", "plot"])
    st.caption(
        " · ".join(f"{vocab('tier', k, lg)} {int(v) if v == v else 0}" for k, v in by_tier.items())
    )

    options = [None, *features.sort_values(["kind", "name"]).index]
    names = features.name.to_dict()
    current = st.session_state.get(SELECTED)
    choice = st.selectbox(
        t("select_building", lg),
        options,
        index=options.index(current) if current in options else 0,
        format_func=lambda k: "—" if k is None else f"{names[k]} ({k})",
        key=f"hq_map_pick_{current}",
    )
    if choice != current:
        st.session_state[SELECTED] = choice
        st.rerun()

    if current is None:
        st.info(t("none_selected", lg))
    elif features.loc[current, "kind"] == "building":
        st.subheader(plain(features.loc[current, "name"]))
        here = carriers[(carriers.building_id == current) & (carriers.tier != "plot")]
        st.html(cards.stacking_plan_html(inv, current, lang=lg))
        with st.expander(t("card_attributes", lg), expanded=True):
            _pairs(cards.building_attributes(inv, current, lang=lg, settings=settings))
        st.markdown(f"**{t('card_carriers', lg)}** ({len(here)})")
        st.dataframe(cards.carrier_rows(here, lang=lg, settings=settings), hide_index=True)
    else:
        st.subheader(plain(features.loc[current, "name"]))
        here = carriers[(carriers.plot_id == current) & (carriers.tier == "plot")]
        with st.expander(t("card_attributes", lg), expanded=True):
            _pairs(cards.plot_attributes(inv, current, lang=lg, settings=settings))
        on_plot = inv.buildings[inv.buildings.plot_id == current]
        if len(on_plot):
            st.markdown(f"**{t('buildings', lg)}**: " + plain("、".join(on_plot.name)))
        if len(here):
            st.markdown(f"**{t('card_carriers', lg)}** ({len(here)})")
            st.dataframe(cards.carrier_rows(here, lang=lg, settings=settings), hide_index=True)
