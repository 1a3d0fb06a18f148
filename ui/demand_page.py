"""需求清单 / Demand list: planners add, edit and import the space demands of YRD enterprises."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from access.permissions import PermissionDenied
from spaces.changes import ConflictError
from spaces.demands import DemandError, assign_ids, read_demands
from spaces.export import XLSX_MIME, excel_bytes
from spaces.limits import LimitError
from spaces.schema import AREAS, DEMAND_STATUSES, DEMANDS, TIERS, YRD_CITIES
from spaces.tabular import UnreadableFileError
from ui.common import current_actor, get_settings, get_store, lang, load_demands, plain
from words import t, vocab
from words.access import refusal
from words.imports import file_error_text, issue_report
from words.inventory import conflict_message, issues_frame

settings = get_settings()
lg = lang()
repo = get_store()
actor = current_actor()
demands = load_demands(actor)
track_ids = [tr.id for tr in settings.tracks]
track_names = {tr.id: (tr.name_zh if lg == "zh" else tr.name_en) for tr in settings.tracks}
track_labels = {tr.id: (tr.name_zh, tr.name_en) for tr in settings.tracks}
VOCAB_OPTIONS = {
    "home_city": (list(YRD_CITIES), lambda k: vocab("yrd_city", k, lg)),
    "track": (track_ids, lambda k: track_names.get(k, k)),
    "tier": (list(TIERS), lambda k: vocab("tier", k, lg)),
    "area": (list(AREAS), lambda k: vocab("area", k, lg)),
    "status": (list(DEMAND_STATUSES), lambda k: vocab("demand_status", k, lg)),
}


def _label(name: str) -> str:
    f = DEMANDS.field(name)
    text = f.label_zh if lg == "zh" else f.label_en
    return f"{text} ({f.unit})" if f.unit else text


def _show_problems(error: DemandError) -> None:
    st.error(t("demand_invalid", lg).format(n=len(error.issues)))
    frame = issues_frame(error.issues, lg)
    st.dataframe(frame, hide_index=True, width="stretch")


FLASH = "hq_demands_flash"
UPLOADS = "hq_demands_uploads"
GENERATION = "hq_demands_generation"  # bumped after a save or a reload: a fresh editor
VERSIONS = "hq_demands_versions"  # {ids shown: their versions when the editor showed them}

st.title(t("page_demands", lg))
if FLASH in st.session_state:
    st.success(st.session_state.pop(FLASH))
st.caption(t("demands_intro", lg))
if repo.get_meta("sample") == "1":
    st.caption(t("demands_sample", lg))

counts = demands.status.value_counts()
c = st.columns(4)
c[0].metric(t("demands_total", lg), len(demands))
for col, code in zip(c[1:], DEMAND_STATUSES, strict=True):
    col.metric(vocab("demand_status", code, lg), int(counts.get(code, 0)))

tab_list, tab_add, tab_import = st.tabs(
    [t("demands_tab_list", lg), t("demands_tab_add", lg), t("demands_tab_import", lg)]
)

with tab_list:
    status_filter = st.multiselect(
        t("demand_status_filter", lg),
        list(DEMAND_STATUSES),
        default=["open", "matched"],
        format_func=lambda k: vocab("demand_status", k, lg),
        key="hq_demands_status",
    )
    shown = demands[demands.status.isin(status_filter)] if status_filter else demands
    # Each row's version travels with the edit from when the editor showed it (kept while
    # edits are pending, under the rows the editor holds), so that a demand someone else
    # saved meanwhile is refused by the store instead of overwritten.
    editor_key = f"hq_demands_editor_{st.session_state.get(GENERATION, 0)}"
    rows_shown = tuple(shown.index)
    kept = st.session_state.get(VERSIONS, {})
    if rows_shown not in kept or not st.session_state.get(editor_key, {}).get("edited_rows"):
        kept = st.session_state[VERSIONS] = {rows_shown: shown["version"].to_dict()}
    read_versions = kept[rows_shown]
    editable = shown.drop(columns=["version"]).copy()
    editable["needed_by"] = editable["needed_by"].dt.date
    config = {
        name: st.column_config.Column(_label(name))
        for name in editable.columns
        if name not in VOCAB_OPTIONS
    }
    for name, (options, fmt) in VOCAB_OPTIONS.items():
        config[name] = st.column_config.SelectboxColumn(
            _label(name), options=options, format_func=fmt
        )
    config["_index"] = st.column_config.Column(_label("demand_id"))
    config["needed_by"] = st.column_config.DateColumn(_label("needed_by"), format="YYYY-MM-DD")
    config["source"] = st.column_config.Column(_label("source"), disabled=True)
    edited = st.data_editor(
        editable,
        column_config=config,
        num_rows="fixed",
        width="stretch",
        key=editor_key,
    )
    changed = edited.index[
        ~edited.astype("object").fillna("\0").eq(editable.astype("object").fillna("\0")).all(axis=1)
    ]
    if st.button(
        t("demands_save", lg).format(n=len(changed)), disabled=not len(changed), type="primary"
    ):
        rows = edited.loc[changed].assign(version=[read_versions[i] for i in changed])
        try:
            repo.update_demands(rows.reset_index(), actor=actor)
        except ConflictError as e:
            messages = [
                t("demands_conflict", lg),
                *(plain(conflict_message(c, lg)) for c in e.conflicts),
            ]
            st.error("  \n".join(messages))
        except PermissionDenied as e:
            st.error(refusal(e, lg, settings.units))
        except DemandError as e:
            _show_problems(e)
        else:
            st.session_state[FLASH] = t("demands_saved", lg).format(n=len(changed))
            st.session_state[GENERATION] = st.session_state.get(GENERATION, 0) + 1
            st.rerun()
    if st.button(t("edit_reload", lg), key="hq_demands_reload"):
        st.session_state[GENERATION] = st.session_state.get(GENERATION, 0) + 1
        st.rerun()
    labelled = shown.drop(columns=["version"]).reset_index()
    labelled.columns = [_label(c) for c in labelled.columns]
    st.download_button(
        t("download_xlsx", lg),
        excel_bytes({"需求清单": labelled}),
        file_name=f"需求清单_{date.today().isoformat()}.xlsx",
        mime=XLSX_MIME,
        key="hq_demands_xlsx",
    )

with tab_add, st.form("hq_demand_add", clear_on_submit=False):
    new: dict[str, object] = {}
    a, b = st.columns(2)
    new["enterprise"] = a.text_input(_label("enterprise"), key="hq_add_enterprise")
    new["home_city"] = b.selectbox(
        _label("home_city"),
        *VOCAB_OPTIONS["home_city"][:1],
        format_func=VOCAB_OPTIONS["home_city"][1],
    )
    new["track"] = a.selectbox(
        _label("track"),
        [None, *track_ids],
        format_func=lambda k: "—" if k is None else track_names[k],
    )
    new["tier"] = b.selectbox(
        _label("tier"),
        [None, *TIERS],
        format_func=lambda k: "—" if k is None else vocab("tier", k, lg),
    )
    new["area_min_m2"] = a.number_input(_label("area_min_m2"), min_value=0.0, value=None)
    new["area_max_m2"] = b.number_input(_label("area_max_m2"), min_value=0.0, value=None)
    new["needed_by"] = a.date_input(_label("needed_by"), value=None)
    new["area"] = b.selectbox(
        _label("area"),
        [None, *AREAS],
        format_func=lambda k: "—" if k is None else vocab("area", k, lg),
    )
    new["track_specs"] = a.checkbox(_label("track_specs"))
    new["exhaust"] = a.checkbox(_label("exhaust"))
    new["wet_lab_drainage"] = a.checkbox(_label("wet_lab_drainage"))
    new["min_floor_load_kn_m2"] = b.number_input(
        _label("min_floor_load_kn_m2"), min_value=0.0, value=None
    )
    new["min_clear_height_m"] = b.number_input(
        _label("min_clear_height_m"), min_value=0.0, value=None
    )
    new["min_power_kva"] = b.number_input(_label("min_power_kva"), min_value=0.0, value=None)
    new["max_clean_room_iso"] = a.selectbox(
        _label("max_clean_room_iso"),
        [None, 5, 6, 7, 8],
        format_func=lambda k: "—" if k is None else f"ISO {k}",
    )
    new["max_rent_yuan_m2_day"] = b.number_input(
        _label("max_rent_yuan_m2_day"), min_value=0.0, value=None
    )
    new["contact"] = a.text_input(_label("contact"))
    new["note"] = b.text_input(_label("note"))
    new["status"] = "open"
    if st.form_submit_button(t("demands_add", lg), type="primary"):
        row = assign_ids(pd.DataFrame([new]), existing=demands.index)
        try:
            repo.add_demands(row, actor=actor)
        except PermissionDenied as e:
            st.error(refusal(e, lg, settings.units))
        except DemandError as e:
            _show_problems(e)
        else:
            st.session_state[FLASH] = t("demands_added", lg).format(id=row.demand_id.iloc[0])
            st.rerun()

with tab_import:
    st.caption(t("demands_import_help", lg))
    upload = st.file_uploader(
        t("demands_import_file", lg),
        type=["xlsx", "csv"],
        key=f"hq_demands_upload_{st.session_state.get(UPLOADS, 0)}",
    )
    if upload is not None:
        try:
            result = read_demands(
                upload.getvalue(),
                filename=upload.name,
                tracks=track_ids,
                track_labels=track_labels,
                existing_ids=demands.index,
            )
        except (LimitError, UnreadableFileError) as e:
            st.error(plain(file_error_text(e, lg)))
        else:
            if result.demands is None:
                st.error(t("demands_import_refused", lg).format(n=len(result.issues)))
                report = issue_report(result.issues, result.reads, lg)
                st.dataframe(report, hide_index=True, width="stretch")
            else:
                new_ids = result.demands.index.difference(demands.index)
                st.success(
                    t("demands_import_ok", lg).format(
                        n=result.rows, new=len(new_ids), updated=result.rows - len(new_ids)
                    )
                )
                st.dataframe(result.demands.reset_index(), hide_index=True)
                if st.button(t("demands_import_go", lg), type="primary", key="hq_demands_import"):
                    try:
                        repo.import_demands(result.demands, actor=actor, note=upload.name)
                    except PermissionDenied as e:
                        st.error(refusal(e, lg, settings.units))
                    except DemandError as e:
                        _show_problems(e)
                    else:
                        st.session_state[FLASH] = t("demands_imported", lg).format(n=result.rows)
                        st.session_state[UPLOADS] = st.session_state.get(UPLOADS, 0) + 1
                        st.rerun()
