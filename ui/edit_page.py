"""编辑数据 / Edit: a table editor and a building/floor form, saved with optimistic locking."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from access.permissions import PermissionDenied
from services.context import vocabs_for
from spaces.changes import VERSION, ConflictError, Edit
from spaces.outline import OutlineError, format_outline, parse_outline
from spaces.schema import TABLES, Field
from spaces.validation import InventoryError
from ui.common import current_actor, get_settings, get_store, lang, load_data, plain
from ui.editing import (
    EDITABLE,
    column_kind,
    conflict_frame,
    editor_frame,
    edits_from_editor,
    in_scope,
    options,
    rebase,
)
from words import t
from words.access import refusal
from words.inventory import conflict_message, field_label, issues_frame, table_label

CONFLICT = "hq_edit_conflict"  # (edits, conflicts) of the last refused save
MESSAGE = "hq_edit_message"
GENERATION = "hq_edit_generation"  # bumped after a save: fresh editors and forms
NEW = "__new__"

settings = get_settings()
lg = lang()
repo = get_store()
actor = current_actor()
vocabs = vocabs_for(settings)
inv, _, _ = load_data()
generation = st.session_state.get(GENERATION, 0)


def _table_label(name: str) -> str:
    return table_label(name, lg)


def _saved(message: str) -> None:
    st.session_state[MESSAGE] = message
    st.session_state[GENERATION] = generation + 1
    st.session_state.pop(CONFLICT, None)
    for key in [k for k in st.session_state if str(k).startswith("hq_edit_base_")]:
        del st.session_state[key]
    st.rerun()


def _save(edits: list[Edit], where: str) -> None:
    """Write edits; a conflict or an invalid result is shown and the input is kept."""
    try:
        result = repo.apply_edits(edits, actor=actor, note=where)
    except ConflictError as e:
        st.session_state[CONFLICT] = (edits, e.conflicts, where)
        st.rerun()
    except PermissionDenied as e:
        st.error(refusal(e, lg, settings.units))
    except InventoryError as e:
        st.error(t("edit_invalid", lg))
        st.dataframe(issues_frame(e.issues, lg), hide_index=True, width="stretch")
    else:
        _saved(
            t("edit_saved", lg).format(n=result.diff.records().shape[0], revision=result.revision)
        )


def _conflict_panel() -> None:
    edits, conflicts, where = st.session_state[CONFLICT]
    st.error(t("edit_conflict", lg))
    for c in conflicts:
        st.markdown(f"**{plain(conflict_message(c, lg))}**")
        st.dataframe(conflict_frame(c, lang=lg), hide_index=True, width="stretch")
    a, b, _ = st.columns([2, 2, 3])
    if a.button(t("edit_reapply", lg), type="primary", key="hq_edit_reapply"):
        current = repo.load_inventory()
        _save(rebase(edits, current), where)
    if b.button(t("edit_discard", lg), key="hq_edit_discard"):
        _saved(t("edit_discarded", lg))


def _column_config(table: str, frame: pd.DataFrame) -> dict[str, Any]:
    spec = TABLES[table]
    config: dict[str, Any] = {
        spec.id: st.column_config.TextColumn(field_label(table, spec.id, lg), required=True),
        VERSION: st.column_config.NumberColumn(t("version", lg), disabled=True),
    }
    for f in spec.fields:
        if f.name == spec.id or f.kind == "geometry":
            continue
        label = field_label(table, f.name, lg) + (
            f" ({f.unit})" if f.unit and f.unit != "0–1" else ""
        )
        kind = column_kind(f)
        if kind == "select":
            opts = options(f, vocabs, lang=lg)
            config[f.name] = st.column_config.SelectboxColumn(
                label,
                options=list(opts),
                format_func=lambda c, o=opts: o.get(c, c),
                required=f.required,
            )
        elif f.ref:
            ids = sorted(set(in_scope(inv, f.ref, actor)) | set(frame[f.name].dropna()))
            config[f.name] = st.column_config.SelectboxColumn(
                label, options=ids, required=f.required
            )
        elif kind == "number":
            config[f.name] = st.column_config.NumberColumn(
                label,
                min_value=f.min,
                max_value=f.max,
                step=1 if f.kind == "int" else None,
                required=f.required,
            )
        elif kind == "date":
            config[f.name] = st.column_config.DateColumn(
                label, format="YYYY-MM-DD", required=f.required
            )
        elif kind == "check":
            config[f.name] = st.column_config.CheckboxColumn(label)
        else:
            config[f.name] = st.column_config.TextColumn(label, required=f.required)
    return config


def _table_editor() -> None:
    table = st.selectbox(
        t("edit_table", lg), EDITABLE, format_func=_table_label, key="hq_edit_table"
    )
    base_key = f"hq_edit_base_{table}"
    if base_key not in st.session_state:
        st.session_state[base_key] = editor_frame(inv, table, actor)
    base = st.session_state[base_key]
    st.caption(t("edit_table_help", lg).format(n=len(base)))
    editor_key = f"hq_editor_{table}_{generation}"
    st.data_editor(
        base,
        key=editor_key,
        num_rows="dynamic",
        hide_index=True,
        width="stretch",
        column_config=_column_config(table, base),
        disabled=[VERSION],
    )
    a, b, _ = st.columns([1, 1, 4])
    if a.button(t("save", lg), type="primary", key=f"hq_edit_save_{table}"):
        edits, problems = edits_from_editor(
            base, st.session_state.get(editor_key, {}), table, lang=lg
        )
        for p in problems:
            st.error(plain(p))
        if not problems:
            if edits:
                _save(edits, "table editor")
            else:
                st.info(t("edit_nothing", lg))
    if b.button(t("edit_reload", lg), key=f"hq_edit_reload_{table}"):
        _saved(t("edit_reloaded", lg))


def _widget(f: Field, value: Any, key: str) -> Any:
    label = _form_label(f)
    kind = column_kind(f)
    if kind == "select":
        opts = options(f, vocabs, lang=lg)
        choices = ([None] if not f.required else []) + list(opts)
        index = choices.index(value) if value in choices else 0
        return st.selectbox(
            label,
            choices,
            index=index,
            format_func=lambda c: "—" if c is None else opts.get(c, c),
            key=key,
        )
    if kind == "number":
        is_int = f.kind == "int"
        return st.number_input(
            label,
            value=None if value is None else (int(value) if is_int else float(value)),
            min_value=None if f.min is None else (int(f.min) if is_int else float(f.min)),
            max_value=None if f.max is None else (int(f.max) if is_int else float(f.max)),
            step=1 if is_int else None,
            format=None if is_int else "%g",
            key=key,
        )
    if kind == "date":
        return st.date_input(
            label, value=value, min_value=date(1990, 1, 1), max_value=date(2100, 12, 31), key=key
        )
    if kind == "check":
        return st.checkbox(label, value=bool(value), key=key)
    return st.text_input(label, value="" if value is None else str(value), key=key) or None


def _form_label(f: Field) -> str:
    """A form label: the field's name and unit, ``*`` when required."""
    text = (f.label_zh if lg == "zh" else f.label_en) + (
        f" ({f.unit})" if f.unit and f.unit != "0–1" else ""
    )
    return text + (" *" if f.required else "")


def _plain(v: Any) -> Any:
    if v is None or v is pd.NA or (isinstance(v, float) and v != v) or v is pd.NaT:
        return None
    if isinstance(v, pd.Timestamp):
        return v.date()
    if hasattr(v, "item"):
        return v.item()
    return v


def _record_form(table: str, rid: str | None, fixed: dict[str, Any], title: str) -> None:
    """A form for one record; only the fields the user changed are saved."""
    spec = TABLES[table]
    df = getattr(inv, table)
    exists = rid is not None and rid in df.index
    base_key = f"hq_edit_base_form_{table}_{rid}"
    if base_key not in st.session_state:
        values = {
            f.name: (_plain(df.at[rid, f.name]) if exists else None)
            for f in spec.fields
            if f.kind != "geometry" and f.name != spec.id
        }
        if spec.geometry and exists:
            values["geometry"] = format_outline(df.geometry[rid])
        version = int(df.at[rid, VERSION]) if exists else None
        st.session_state[base_key] = (version, values)
    version, base = st.session_state[base_key]
    prefix = f"hq_form_{table}_{rid}_{version}_{generation}"
    with st.form(key=prefix):
        st.markdown(f"**{title}**" + (f" · {t('version', lg)} {version}" if version else ""))
        new_id = None
        if not exists:
            new_id = st.text_input(_form_label(spec.field(spec.id)), key=f"{prefix}_id")
        inputs: dict[str, Any] = {}
        fields = [
            f
            for f in spec.fields
            if f.kind != "geometry" and f.name != spec.id and f.name not in fixed
        ]
        cols = st.columns(3)
        for i, f in enumerate(fields):
            with cols[i % 3]:
                inputs[f.name] = _widget(f, base.get(f.name), f"{prefix}_{f.name}")
        if spec.geometry:
            inputs["geometry"] = st.text_area(
                t("outline_wkt", lg), value=base.get("geometry") or "", key=f"{prefix}_geometry"
            )
        delete = st.checkbox(t("edit_delete", lg), key=f"{prefix}_delete") if exists else False
        submitted = st.form_submit_button(t("save", lg), type="primary")
    if not submitted:
        return
    if delete:
        _save([Edit(table, rid, None, version)], "form")
        return
    changed = {k: v for k, v in inputs.items() if v != base.get(k)}
    if "geometry" in changed:
        try:
            changed["geometry"] = (
                parse_outline(changed["geometry"]) if changed["geometry"] else None
            )
        except OutlineError as e:
            st.error(f"{t('outline_wkt', lg)}: {plain(e)}")
            return
    if exists:
        if not changed:
            st.info(t("edit_nothing", lg))
            return
        _save([Edit(table, rid, changed, version)], "form")
    else:
        if not new_id or not new_id.strip():
            st.error(t("edit_new_without_id", lg))
            return
        _save([Edit(table, new_id.strip(), {**fixed, **inputs}, None)], "form")


def _building_form() -> None:
    ids = list(in_scope(inv, "buildings", actor))
    if not ids:
        st.info(t("edit_no_buildings", lg))
        return
    names = inv.buildings.name.to_dict()
    bid = st.selectbox(
        t("edit_building", lg),
        sorted(ids),
        format_func=lambda b: f"{names.get(b, b)} ({b})",
        key="hq_form_building",
    )
    _record_form("buildings", bid, {}, t("edit_building_form", lg))
    floors = inv.floors[inv.floors.building_id == bid].sort_values("level", ascending=False)
    choices = [*floors.index, NEW]
    fid = st.selectbox(
        t("edit_floor", lg),
        choices,
        format_func=lambda f: (
            t("edit_new_floor", lg) if f == NEW else f"{f} · L{floors.at[f, 'level']}"
        ),
        key=f"hq_form_floor_{bid}",
    )
    _record_form(
        "floors", None if fid == NEW else fid, {"building_id": bid}, t("edit_floor_form", lg)
    )


st.title(t("page_edit", lg))
if actor.scope:
    unit = settings.unit(actor.scope)
    st.caption(t("steward_scope", lg).format(unit=unit.name_zh if lg == "zh" else unit.name_en))
if MESSAGE in st.session_state:
    st.success(st.session_state.pop(MESSAGE))
if CONFLICT in st.session_state:
    _conflict_panel()
tab_table, tab_form = st.tabs([t("edit_tab_table", lg), t("edit_tab_form", lg)])
with tab_table:
    _table_editor()
with tab_form:
    _building_form()
