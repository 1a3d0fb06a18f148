"""导出数据 / Export: the inventory and layers as GeoPackage, GeoJSON or Excel."""

from __future__ import annotations

import streamlit as st

from services.context import vocabs_for
from services.transfer import FORMATS, export
from ui.common import get_settings, get_store, lang
from words import t
from words.imports import sheet_words


@st.cache_data(show_spinner=False, max_entries=6)
def _export(url: str, revision: int, fmt: str, lg: str) -> tuple[bytes, str, str]:
    out = export(get_store(), fmt, words=sheet_words(vocabs_for(get_settings()), lg))
    return out.data, out.filename, out.mime


settings = get_settings()
lg = lang()
repo = get_store()

st.title(t("page_export", lg))
st.markdown(t("export_help", lg))
revision = repo.revision()
for fmt in FORMATS:
    st.subheader(t(f"export_{fmt}", lg))
    st.caption(t(f"export_{fmt}_help", lg))
    if (
        st.button(t("export_prepare", lg), key=f"hq_export_prepare_{fmt}")
        or st.session_state.get(f"hq_export_ready_{fmt}") == revision
    ):
        st.session_state[f"hq_export_ready_{fmt}"] = revision
        with st.spinner(t("export_preparing", lg)):
            data, name, mime = _export(settings.database_url, revision, fmt, lg)
        st.download_button(
            t("export_download", lg).format(name=name, size=len(data) / 1e6),
            data,
            file_name=name,
            mime=mime,
            key=f"hq_export_{fmt}",
        )
