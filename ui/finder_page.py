"""找空间 / Space finder: enterprises filter carriers, see them on the map and shortlist them."""

from __future__ import annotations

import json
from datetime import date

import pandas as pd
import streamlit as st

from planning.finder import (
    AVAILABLE_BY_RANGE,
    CLEAN_ROOM_CLASSES,
    QUERY_KEYS,
    Filters,
    find,
    matched_places,
)
from spaces.export import CSV_MIME, XLSX_MIME, csv_bytes, excel_bytes
from spaces.schema import AREAS, STATUSES, TIERS
from ui import cards
from ui.common import (
    get_settings,
    lang,
    load_data,
    load_supply,
    plain,
    released_batches,
    show_map,
)
from ui.mapview import (
    carrier_features,
)
from words import t, vocab
from words.finder import query_problem
from words.tables import public_table

K = "hq_finder_"  # widget keys
FILTERS = "hq_finder_filters"  # the last search, kept across pages
URL = "hq_finder_url"  # the query string last applied or written
SHORTLIST = "hq_shortlist"
SELECTED = "hq_finder_selected"
MAX_ROWS = 2000
_NUMBERS = ("area_min", "area_max", "min_floor_load", "min_clear_height", "min_power_kva")
_NUMBERS += ("rent_min", "rent_max")


def _set_widgets(f: Filters) -> None:
    for name, value in f.__dict__.items():
        st.session_state[K + name] = list(value) if isinstance(value, tuple) else value


def _reset() -> None:
    _set_widgets(Filters())
    st.session_state["hq_finder_problems"] = []


def _widgets_to_filters() -> Filters:
    s = st.session_state
    values = {name: s.get(K + name) for name in Filters.__dataclass_fields__}
    for name in ("tiers", "areas", "statuses"):
        values[name] = tuple(values[name] or ())
    for name in ("exhaust", "wet_lab_drainage", "released_only"):
        values[name] = bool(values[name])
    return Filters(**values)


settings = get_settings()
lg = lang()
inv, layers, carriers = load_data()
index = load_supply()
track_ids = [tr.id for tr in settings.tracks]
track_names = {tr.id: (tr.name_zh if lg == "zh" else tr.name_en) for tr in settings.tracks}

# The URL is the search: a shared link reproduces it; returning from another page keeps it.
ours = {k: v for k, v in st.query_params.to_dict().items() if k in QUERY_KEYS}
signature = json.dumps(ours, sort_keys=True)
if st.session_state.get(URL) != signature:
    if ours or FILTERS not in st.session_state:
        found, problems = Filters.from_query(ours, tracks=track_ids)
        st.session_state["hq_finder_problems"] = [query_problem(p, lg) for p in problems]
    else:
        found = st.session_state[FILTERS]
    _set_widgets(found)
    st.session_state[URL] = signature
elif K + "tiers" not in st.session_state:
    _set_widgets(st.session_state.get(FILTERS, Filters()))

st.title(t("page_finder", lg))
st.caption(t("finder_intro", lg))
for message in st.session_state.get("hq_finder_problems", []):
    st.warning(plain(message), icon="⚠️")

with st.sidebar:
    st.subheader(t("finder_filters", lg))
    c1, c2 = st.columns(2)
    c1.number_input(t("f_area_min", lg), min_value=0.0, step=100.0, key=K + "area_min")
    c2.number_input(t("f_area_max", lg), min_value=0.0, step=100.0, key=K + "area_max")
    st.multiselect(
        t("f_tiers", lg),
        list(TIERS),
        format_func=lambda k: vocab("tier", k, lg),
        key=K + "tiers",
        placeholder=t("any", lg),
    )
    st.multiselect(
        t("f_areas", lg),
        list(AREAS),
        format_func=lambda k: vocab("area", k, lg),
        key=K + "areas",
        placeholder=t("any", lg),
    )
    st.selectbox(
        t("f_track", lg),
        [None, *track_ids],
        format_func=lambda k: t("any", lg) if k is None else track_names[k],
        key=K + "track",
        help=t("f_track_help", lg),
        placeholder=t("any", lg),
    )
    with st.expander(t("f_lab", lg), expanded=False):
        st.number_input(t("f_load", lg), min_value=0.0, step=0.5, key=K + "min_floor_load")
        st.number_input(t("f_height", lg), min_value=0.0, step=0.1, key=K + "min_clear_height")
        st.checkbox(t("f_exhaust", lg), key=K + "exhaust")
        st.checkbox(t("f_wet", lg), key=K + "wet_lab_drainage")
        st.number_input(t("f_power", lg), min_value=0.0, step=50.0, key=K + "min_power_kva")
        st.selectbox(
            t("f_clean", lg),
            [None, *CLEAN_ROOM_CLASSES],
            format_func=lambda k: t("any", lg) if k is None else f"ISO {k} {t('or_cleaner', lg)}",
            key=K + "max_clean_room_iso",
            placeholder=t("any", lg),
        )
        st.caption(t("f_plots_note", lg))
    c1, c2 = st.columns(2)
    c1.number_input(t("f_rent_min", lg), min_value=0.0, step=0.5, key=K + "rent_min")
    c2.number_input(t("f_rent_max", lg), min_value=0.0, step=0.5, key=K + "rent_max")
    st.date_input(
        t("f_by", lg),
        min_value=AVAILABLE_BY_RANGE[0],
        max_value=AVAILABLE_BY_RANGE[1],
        key=K + "available_by",
        format="YYYY-MM-DD",
    )
    st.multiselect(
        t("f_statuses", lg),
        [s for s in STATUSES if s != "leased"] + ["leased"],
        format_func=lambda k: vocab("status", k, lg),
        key=K + "statuses",
        placeholder=t("any", lg),
        help=t("f_statuses_help", lg),
    )
    st.checkbox(t("f_released", lg), key=K + "released_only", help=t("f_released_help", lg))
    st.button(t("f_reset", lg), key="hq_finder_reset", on_click=_reset)

filters = _widgets_to_filters()
st.session_state[FILTERS] = filters
query = filters.to_query()
if query != ours:
    for key in ours:
        del st.query_params[key]
    st.query_params.update(query)
    st.session_state[URL] = json.dumps(query, sort_keys=True)

released = released_batches()
positions = find(index, filters, released=released)
found = carriers.iloc[positions]
places = matched_places(index, positions)

if filters.released_only and released.empty:
    st.info(t("no_batch_yet", lg), icon="ℹ️")
m1, m2, m3 = st.columns(3)
m1.metric(t("n_found", lg), f"{len(found):,}")
m2.metric(t("found_area", lg), f"{found.usable_area_m2.sum():,.0f}")
m3.metric(t("found_places", lg), f"{len(places):,}")
st.caption(t("share_link", lg))

left, right = st.columns([3, 2], gap="medium")
with left:
    features = carrier_features(inv, carriers, color_by="match")
    show_map(
        features,
        layers,
        key="hq_finder_map",
        height=560,
        selection_key=SELECTED,
        highlight=places.index,
    )
    st.caption(t("schematic_note", lg))

with right:
    options = [None, *places.index]
    names = features.name.to_dict()
    current = st.session_state.get(SELECTED)
    if current is not None and current not in options:
        options.append(current)
    choice = st.selectbox(
        t("finder_pick", lg),
        options,
        index=options.index(current) if current in options else 0,
        format_func=lambda k: "—" if k is None else f"{names.get(k, k)} · {places.get(k, 0)}",
        key=f"hq_finder_pick_{current}",
    )
    if choice != current:
        st.session_state[SELECTED] = choice
        st.rerun()
    if current is None:
        st.info(t("finder_pick_hint", lg))
    else:
        here = found[(found.building_id == current) | (found.plot_id == current)]
        st.subheader(plain(names.get(current, current)))
        st.caption(t("finder_card_matches", lg).format(n=len(here)))
        if current in inv.buildings.index:
            st.html(cards.stacking_plan_html(inv, current, lang=lg, highlight=set(here.index)))
            pairs = cards.building_attributes(inv, current, lang=lg, settings=settings, public=True)
        else:
            pairs = cards.plot_attributes(inv, current, lang=lg, settings=settings, public=True)
        with st.expander(t("card_attributes", lg), expanded=False):
            st.dataframe(pd.DataFrame(pairs, columns=["", " "]), hide_index=True)

st.subheader(t("finder_results", lg))
shown = found.iloc[:MAX_ROWS]
if len(found) > MAX_ROWS:
    st.caption(t("finder_capped", lg).format(n=MAX_ROWS, total=len(found)))
table = public_table(shown, lang=lg, settings=settings)
selection = st.dataframe(
    table,
    hide_index=True,
    width="stretch",
    on_select="rerun",
    selection_mode="multi-row",
    key="hq_finder_table",
)
chosen = [str(shown.index[i]) for i in (selection.selection.rows if selection else [])]
shortlist: list[str] = st.session_state.setdefault(SHORTLIST, [])
if st.button(
    t("add_shortlist", lg).format(n=len(chosen)), disabled=not chosen, key="hq_finder_add"
):
    shortlist.extend(c for c in chosen if c not in shortlist)
    st.rerun()

st.subheader(t("shortlist", lg) + f" ({len(shortlist)})")
if not shortlist:
    st.caption(t("shortlist_empty", lg))
else:
    listed = carriers.loc[[c for c in shortlist if c in carriers.index]]
    short = public_table(listed, lang=lg, settings=settings)
    st.dataframe(short, hide_index=True, width="stretch", key="hq_shortlist_table")
    remove = st.multiselect(
        t("shortlist_remove", lg),
        list(listed.index),
        format_func=lambda c: f"{listed.loc[c, 'name']} ({c})",
        key="hq_shortlist_remove",
    )
    c1, c2, c3 = st.columns(3)
    if c1.button(t("remove", lg), disabled=not remove, key="hq_shortlist_remove_btn"):
        st.session_state[SHORTLIST] = [c for c in shortlist if c not in remove]
        st.rerun()
    export = public_table(listed, lang="zh", settings=settings)
    stamp = date.today().isoformat()
    c2.download_button(
        t("download_xlsx", lg),
        excel_bytes({"备选载体清单": export}, notes={"备选载体清单": [t("export_note", "zh")]}),
        file_name=f"备选载体清单_{stamp}.xlsx",
        mime=XLSX_MIME,
        key="hq_shortlist_xlsx",
    )
    c3.download_button(
        t("download_csv", lg),
        csv_bytes(export),
        file_name=f"备选载体清单_{stamp}.csv",
        mime=CSV_MIME,
        key="hq_shortlist_csv",
    )
