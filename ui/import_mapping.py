"""The import page's mapping step: every column of the file, the field it feeds, value maps.

`mapping_step` shows the proposal (`spaces.mapping.propose`) or the unit's saved profile for
the same headers, one selectbox per column and per vocabulary word, and returns the mapping the
preview is checked with: at once when every column is recognised exactly (or a saved profile
applies, which it says), else once the steward presses "confirm".
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from spaces.mapping import EXACT, FLAT, Mapping, Proposal, SheetMapping, field_of, targets
from spaces.schema import TABLES, VOCABULARIES
from ui.common import plain
from words import pick, t, vocab
from words.inventory import table_label

CONFIRMED = "hq_import_mapping_confirmed"
NOT_IMPORTED = ""  # the selectboxes' "not imported" (None is Streamlit's "nothing chosen")


def target_label(target: str | None, lg: str) -> str:
    """A target in the page's language: 楼栋 · 楼栋名称; "not imported" for None."""
    if target is None:
        return t("map_not_imported", lg)
    table = target.partition(".")[0]
    f = field_of(target)
    name = pick((f.label_zh, f.label_en), lg) if f is not None else target
    return f"{table_label(table, lg)} · {name}"


def _vocabulary_label(name: str, lg: str) -> str:
    """A vocabulary by the label of the first field that takes it (状态, 载体梯度 ...)."""
    for table in TABLES.values():
        for f in table.fields:
            if f.vocabulary == name:
                return pick((f.label_zh, f.label_en), lg)
    return name


def _auto(proposal: Proposal) -> bool:
    """Whether the proposal needs no confirmation: template tables, every column exact."""
    for s in proposal.sheets:
        if s.table == FLAT:
            return False
        if any(c.has_data and (c.target is None or c.confidence < EXACT) for c in s.columns):
            return False
    return all(v.code is not None and v.confidence >= EXACT for v in proposal.values)


def mapping_step(
    proposal: Proposal, base: Mapping, lg: str, *, key: str, profile: str | None = None
) -> Mapping | None:
    """Show the step for ``proposal`` starting from ``base`` (the proposal or a saved profile
    named ``profile``); the mapping to check the file with, or None until it is confirmed."""
    auto = profile is not None or _auto(proposal)
    sheets: list[SheetMapping] = []
    values: dict[str, dict[str, str]] = {}
    if profile is not None:
        st.info(t("map_profile_used", lg).format(name=plain(profile)))
    with st.expander(t("map_title", lg), expanded=not auto):
        st.caption(t("map_help", lg))
        for si, sheet in enumerate(proposal.sheets):
            given = next((m for m in base.sheets if m.sheet == sheet.sheet), None)
            given = given or (base.sheets[si] if si < len(base.sheets) else None)
            chosen_map = dict(given.columns) if given is not None else {}
            table = t("map_flat", lg) if sheet.table == FLAT else table_label(sheet.table, lg)
            st.markdown(
                plain(
                    t("map_sheet", lg).format(
                        sheet=sheet.sheet or proposal.filename, table=table, row=sheet.header_row
                    )
                )
            )
            overview = pd.DataFrame(
                {
                    t("map_header", lg): [c.header for c in sheet.columns],
                    t("map_samples", lg): ["、".join(c.samples) for c in sheet.columns],
                    t("map_target", lg): [target_label(c.target, lg) for c in sheet.columns],
                    t("map_confidence", lg): [round(c.confidence, 2) for c in sheet.columns],
                }
            )
            st.dataframe(overview, hide_index=True, width="stretch", key=f"{key}_o{si}")
            options = [NOT_IMPORTED, *targets(sheet.table)]
            cols = st.columns(3)
            columns: dict[str, str | None] = {}
            for ci, c in enumerate(sheet.columns):
                current = chosen_map.get(c.header, c.target if profile is None else None)
                index = options.index(current) if current in options else 0
                with cols[ci % 3]:
                    chosen = st.selectbox(
                        plain(c.header),
                        options,
                        index=index,
                        format_func=lambda o: target_label(o or None, lg),
                        key=f"{key}_c{si}_{ci}",
                        help=plain("、".join(c.samples)) or None,
                    )
                columns[c.header] = chosen or None
            sheets.append(SheetMapping(sheet.sheet, sheet.table, columns))
        shown = [v for v in proposal.values if v.vocabulary in VOCABULARIES]
        if shown:
            st.markdown(t("map_values", lg))
            cols = st.columns(3)
            for vi, v in enumerate(shown):
                codes = [NOT_IMPORTED, *(VOCABULARIES.get(v.vocabulary) or {})]
                current = base.values.get(v.vocabulary, {}).get(v.word, v.code)
                with cols[vi % 3]:
                    code = st.selectbox(
                        plain(
                            t("map_value_word", lg).format(
                                vocab=_vocabulary_label(v.vocabulary, lg), word=v.word, n=v.count
                            )
                        ),
                        codes,
                        index=codes.index(current) if current in codes else 0,
                        format_func=lambda c, vc=v.vocabulary: (
                            vocab(vc, c, lg) if c else t("map_value_none", lg)
                        ),
                        key=f"{key}_v{vi}",
                    )
                if code:
                    values.setdefault(v.vocabulary, {})[v.word] = code
        mapping = Mapping(tuple(sheets), values)
        pending = not auto and st.session_state.get(CONFIRMED) != key
        if pending and st.button(t("map_confirm", lg), type="primary", key=f"{key}_confirm"):
            st.session_state[CONFIRMED] = key
            st.rerun()
    if auto or st.session_state.get(CONFIRMED) == key:
        return mapping
    st.info(t("map_unconfirmed", lg))
    return None
