"""Text from the store and from links shows as plain text: no live link, image or HTML."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from urllib.parse import quote

import pytest

from commands.planning import load
from planning.approval import freeze
from planning.policy import Policy
from planning.release import plan
from settings import load_settings
from spaces.changes import Edit
from store.bootstrap import open_store
from store.repository import Actor
from words.release import member_reasons

from .conftest import REPO_ROOT, non_local_requests, sign_in

pytestmark = pytest.mark.browser

TIMEOUT_MS = 90_000
AS_OF = "2026-11-30"
NAME = "[x](https://evil.example/) ![i](https://evil.example/i.png)"
COMMENT = (
    "同意 [详情](https://evil.example/c) ![c](https://evil.example/c.png) "
    "<img src=https://evil.example/h.png> https://evil.example/bare"
)
LINK_VALUE = "[click](https://evil.example/q)"


@pytest.fixture
def evil_store(tmp_path):
    """A sample store with a building named like Markdown and a batch approved with a link."""
    url = f"sqlite:///{tmp_path}/evil.sqlite"
    settings = load_settings(env={"DATABASE_URL": url})
    repo = open_store(settings)
    inv = repo.load_inventory()
    offered = inv.carriers[(inv.carriers.status == "available") & (inv.carriers.tier == "floor")]
    building = inv.floors.at[offered.target_id.iloc[0], "building_id"]
    version = int(inv.buildings.at[building, "version"])
    repo.apply_edits([Edit("buildings", building, {"name": NAME}, version)], actor=Actor("t"))
    carriers, teams, layers = load(settings)
    policy = Policy.from_settings(settings)
    p = plan(carriers, teams, policy.carrier_facts(carriers, layers), policy=policy, as_of=AS_OF)
    record, members = freeze(
        p,
        1,
        carriers,
        reasons=member_reasons,
        decision="approved",
        comment=COMMENT,
        decided_at=datetime(2026, 11, 30, tzinfo=UTC),
    )
    repo.record_decision(record, members, actor=Actor(NAME, role="leader"))
    repo.engine.dispose()
    return url


def _nothing_live(page) -> None:
    page.wait_for_load_state("networkidle")
    for frame in page.frames:
        links = frame.locator("a[href*='evil.example']")
        assert links.count() == 0, [
            links.nth(i).evaluate(
                "e => e.outerHTML + ' IN ' + (e.closest('[data-testid]') || {}).outerHTML"
            )[:600]
            for i in range(links.count())
        ]
        assert frame.locator("img[src*='evil.example']").count() == 0
    assert non_local_requests(page.requested_urls) == []


def _text(locator) -> str:
    """What a reader sees (word joiners, which keep URLs from turning into links, are invisible)."""
    return locator.inner_text().replace("\u2060", "")


def _pick(page, label: str) -> None:
    box = page.get_by_label(label)
    box.click()
    box.press_sequentially("evil.example")
    page.get_by_role("option", name=re.compile("evil")).first.click()


def test_public_finder_shows_names_and_link_values_as_text(serve_app, evil_store, page):
    url = serve_app(REPO_ROOT / "app.py", env={"DATABASE_URL": evil_store})
    page.goto(f"{url}/?amin={quote(LINK_VALUE)}")
    page.get_by_role("heading", name="找空间").wait_for(timeout=TIMEOUT_MS)
    warning = page.locator('[data-testid="stAlert"]', has_text="amin")
    warning.wait_for(timeout=TIMEOUT_MS)
    assert LINK_VALUE in _text(warning)
    _pick(page, "查看楼栋或地块（含符合条件的载体数）")
    page.locator(".hq-stacking").wait_for(timeout=TIMEOUT_MS)
    assert _text(page.get_by_role("heading", level=3).filter(has_text="evil")) == NAME
    _nothing_live(page)


def test_leaders_comment_and_the_map_card_show_as_text(serve_app, evil_store, page):
    env = {"DATABASE_URL": evil_store, "HQ_AS_OF": AS_OF}
    url = serve_app(REPO_ROOT / "app.py", env=env)
    sign_in(page, url, "sample-planner")
    page.goto(f"{url}/leaders")
    note = page.locator('[data-testid="stAlert"]', has_text="已批准")
    note.wait_for(timeout=TIMEOUT_MS)
    assert NAME in _text(note) and COMMENT in _text(note)
    _nothing_live(page)

    page.goto(f"{url}/map")
    page.get_by_role("heading", name="载体地图").wait_for(timeout=TIMEOUT_MS)
    _pick(page, "选择楼栋或地块")
    heading = page.get_by_role("heading", level=3).filter(has_text="evil")
    heading.wait_for(timeout=TIMEOUT_MS)
    assert _text(heading) == NAME
    _nothing_live(page)
