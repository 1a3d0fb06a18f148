"""Text from the store, files and links is shown as plain text, never as live Markdown."""

from __future__ import annotations

import re
import string

import pandas as pd
import pytest
import streamlit as st
from hypothesis import given
from hypothesis import strategies as hst
from streamlit.testing.v1 import AppTest

from settings import load_settings
from store.bootstrap import open_store
from tests.ui.apps import APP
from ui.common import plain, plain_table

LINK = "[click](https://evil.example/q) ![i](https://evil.example/i.png)"


def _shown(markdown: str) -> str:
    """The text a Markdown renderer shows for ``plain``'s output: escapes resolved, no joiners."""
    return re.sub(r"\\(.)", r"\1", markdown).replace("\u2060", "")


@given(hst.text(hst.characters(exclude_characters="\u2060"), max_size=40))
def test_plain_shows_the_text_as_written(text):
    out = plain(text)
    assert _shown(out) == text
    unescaped = re.sub(r"\\.", "", out)
    assert not set(unescaped) & set(string.punctuation)


@pytest.mark.parametrize(
    "text",
    ["https://evil.example/x", "see www.evil.example", "me@evil.example", ":fire: :red[x]"],
)
def test_plain_breaks_what_markdown_would_turn_into_links_or_emoji(text):
    shown = plain(text).replace("\\", "")
    for live in ("://", "www.", "e@", ":fire:", ":red"):
        assert live not in shown


def test_plain_table_escapes_cells_headers_and_index():
    frame = pd.DataFrame({"[h](https://e.example)": ["**x**"]}, index=pd.Index(["_i_"], name="n"))
    out = plain_table(frame)
    assert out.iat[0, 0] == r"\*\*x\*\*" and out.index[0] == r"\_i\_"
    assert _shown(out.columns[0]) == "[h](https://e.example)"


@pytest.fixture
def public_app(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path}/app.sqlite"
    repo = open_store(load_settings(env={"DATABASE_URL": url}))
    monkeypatch.setenv("DATABASE_URL", url)
    st.cache_resource.clear()
    st.cache_data.clear()
    yield AppTest.from_file(APP, default_timeout=120)
    st.cache_resource.clear()
    repo.engine.dispose()


def test_a_bad_link_value_is_echoed_as_plain_text(public_app):
    public_app.query_params["amin"] = LINK
    public_app.run()
    assert not public_app.exception
    (warning,) = [w.value for w in public_app.warning if "amin" in w.value]
    assert f"'{LINK}'" in _shown(warning)
    assert "](" not in warning and "https:/" not in warning
