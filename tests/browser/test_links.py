"""A shared link opens the same view; bad link values fall back with a notice; an unknown page falls back to Home."""

from __future__ import annotations

import re

import pytest
from browser_helpers import (
    alerts,
    app_server,
    click_nav,
    exceptions,
    heatmap,
    keyed,
    open_path,
    query,
    slider_values,
    url_path,
)
from playwright.sync_api import expect

from ui import navigation

pytestmark = pytest.mark.browser

SHARED = "/activations?split=train&obs=12&units=5-25&step=4&q=cell&order=activity"


def test_a_shared_link_opens_the_same_view(page, app_url):
    open_path(page, app_url, SHARED)
    assert_shows_the_shared_view(page)


@pytest.fixture()
def fresh_url(tmp_path):
    """A server started for one test, with an empty disk cache: none of its sessions has run yet."""
    with app_server(tmp_path / "cache", "server-fresh") as server:
        yield server.url


def test_a_deep_link_on_a_fresh_server_opens_its_page(page, new_context, fresh_url):
    """The server's first session opens a page directly, which Streamlit runs on its own (its older ``pages/``
    mode); the page declares the menu of ``ui.navigation`` (``st.navigation``, which ends that mode for the whole
    server) and reruns through the entry point. The next session's deep link goes through the entry point."""
    open_path(page, fresh_url, SHARED)
    assert_shows_the_shared_view(page)
    expect(page.get_by_test_id("stSidebarNav").locator("a")).to_have_count(len(navigation.PAGES))
    later = new_context().new_page()
    open_path(later, fresh_url, "/trajectory?obs=5&step=3")
    assert slider_values(later, "sel_obs_japanese_vowels_test", sidebar=True) == [5] and slider_values(
        later, "traj_step"
    ) == [3]
    expect(later.get_by_role("heading", level=1)).to_have_text("Class trajectory")
    assert query(later) == {"split": "test", "obs": "5", "step": "3"} and exceptions(later) == []


def assert_shows_the_shared_view(page) -> None:
    """``page`` shows what the link :data:`SHARED` asks for, with no notice."""
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar.get_by_role("radio", name="Training set (270)")).to_be_checked()
    assert slider_values(page, "sel_obs_japanese_vowels_train", sidebar=True) == [12]
    expect(keyed(page, "act_quantity").get_by_role("combobox")).to_have_value("Cell state: each unit's memory")
    assert slider_values(page, "act_units") == [5, 25]
    assert slider_values(page, "act_step") == [4]
    expect(keyed(page, "act_order").get_by_role("radio", name="Most active first")).to_be_checked()
    shown = heatmap(page)
    assert "Training observation 12 " in shown["title"] and shown["title"].endswith(": cell")
    assert len(shown["units"]) == 21, "activity ranks 5 to 25"
    assert shown["marker"] == [4]
    assert query(page) == {
        "split": "train",
        "obs": "12",
        "units": "5-25",
        "step": "4",
        "q": "cell",
        "order": "activity",
    }
    assert exceptions(page) == [] and alerts(page)[1:] == [], "only the page's summary box, no notice"


# link parameter, bad value, what is shown instead (the value the address bar then holds)
BAD = [
    ("obs", "abc", "1"),
    ("obs", "9999", "1"),
    ("split", "validation", "test"),
    ("units", "50-3", "1-10"),
    ("q", "weights", "hidden"),
    ("step", "99", "1"),
]


@pytest.mark.parametrize("name, bad, fallback", BAD, ids=[f"{n}={b}" for n, b, _ in BAD])
def test_a_bad_link_value_falls_back_with_a_notice(page, app_url, name, bad, fallback):
    open_path(page, app_url, f"/activations?{name}={bad}")
    assert exceptions(page) == []
    notices = [a for a in alerts(page) if f"“{name}”" in a]
    assert len(notices) == 1 and bad in notices[0], alerts(page)
    expect(page).to_have_url(re.compile(rf"[?&]{name}={re.escape(fallback)}(&|$)"))
    assert slider_values(page, "sel_obs_japanese_vowels_test", sidebar=True) == [1]
    assert slider_values(page, "act_units") == [1, 10] and slider_values(page, "act_step") == [1]
    expect(keyed(page, "act_quantity").get_by_role("combobox")).to_have_value("Hidden state: what each unit passes on")
    assert heatmap(page)["units"] == list(range(1, 11))


def test_an_unknown_page_falls_back_to_home(page, app_url):
    open_path(page, app_url, "/nosuchpage?obs=5")
    expect(page.get_by_role("dialog")).to_contain_text("Page not found")
    assert url_path(page) == "/" and query(page)["obs"] == "5"
    expect(page.get_by_role("heading", level=1)).to_have_text("LSTM Activation Explorer")
    assert exceptions(page) == []
    page.get_by_role("dialog").get_by_role("button", name="Close").click()
    expect(page.get_by_role("dialog")).to_have_count(0)
    click_nav(page, "Activations")  # the app still works, with the link's observation
    assert slider_values(page, "sel_obs_japanese_vowels_test", sidebar=True) == [5]
    assert "Test observation 5 " in heatmap(page)["title"]
    assert exceptions(page) == []
