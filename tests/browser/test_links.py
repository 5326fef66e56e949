"""A shared link opens the same view; bad link values fall back with a notice; an unknown page falls back to Home."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

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
    recording,
    slider_values,
    url_path,
)
from playwright.sync_api import expect

from ui import navigation

pytestmark = pytest.mark.browser

SHARED = (
    "/activations?split=Training+set&obs=12&act_units=5&act_units=25&act_step=4&act_q=Cell+state"
    "&act_order=Most+active+first"
)


def link_of(page) -> dict[str, list[str]]:
    """The address bar's parameters, each with all its values."""
    return parse_qs(urlparse(page.url).query)


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
    sections = list(dict.fromkeys(p.section for p in navigation.PAGES))
    expect(page.get_by_test_id("stTopNav").get_by_test_id("stTopNavSection")).to_have_text(sections)
    later = new_context().new_page()
    open_path(later, fresh_url, "/trajectory?obs=5&traj_step=3")
    assert recording(later) == 5 and slider_values(later, "traj_step") == [3]
    expect(later.get_by_role("heading", level=1)).to_have_text("Class trajectory")
    assert link_of(later) == {"obs": ["5"], "traj_step": ["3"]} and exceptions(later) == []


def assert_shows_the_shared_view(page) -> None:
    """``page`` shows what the link :data:`SHARED` asks for, with no notice."""
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar.get_by_role("radio", name="Training set")).to_be_checked()
    assert recording(page) == 12
    expect(keyed(page, "act_q").get_by_role("combobox")).to_have_value("Cell state")
    assert slider_values(page, "act_units") == [5, 25]
    assert slider_values(page, "act_step") == [4]
    expect(keyed(page, "act_order").get_by_role("radio", name="Most active first")).to_be_checked()
    shown = heatmap(page)
    assert "Training recording 12 " in shown["title"] and shown["title"].endswith(": cell state")
    assert len(shown["units"]) == 21, "activity ranks 5 to 25"
    assert shown["marker"] == [4]
    assert link_of(page) == {
        "split": ["Training set"],
        "obs": ["12"],
        "act_units": ["5", "25"],
        "act_step": ["4"],
        "act_q": ["Cell state"],
        "act_order": ["Most active first"],
    }
    assert exceptions(page) == [] and alerts(page)[1:] == [], "only the page's summary box, no notice"


# link parameter, a bad value (the value shown instead is the default, which the link leaves out)
BAD = [
    ("obs", "abc"),
    ("obs", "9999"),
    ("obs", "1e999"),
    ("split", "validation"),
    ("act_q", "weights"),
    ("act_step", "99"),
]


@pytest.mark.parametrize("name, bad", BAD, ids=[f"{n}={b}" for n, b in BAD])
def test_a_bad_link_value_falls_back_with_a_notice(page, app_url, name, bad):
    open_path(page, app_url, f"/activations?{name}={bad}")
    assert exceptions(page) == []
    notices = [a for a in alerts(page) if f"“{name}”" in a]
    assert len(notices) == 1 and bad in notices[0], alerts(page)
    assert name not in link_of(page), "the address bar holds what is shown"
    assert recording(page) == 1
    assert slider_values(page, "act_units") == [1, 10] and slider_values(page, "act_step") == [1]
    expect(keyed(page, "act_q").get_by_role("combobox")).to_have_value("Hidden state")
    assert heatmap(page)["units"] == list(range(1, 11))
    # the address bar, as it is now, opens the same view without a notice
    open_path(page, page.url, "")
    assert not [a for a in alerts(page) if "link's value" in a] and recording(page) == 1


def test_an_unknown_page_falls_back_to_home(page, app_url):
    open_path(page, app_url, "/nosuchpage?obs=5")
    expect(page.get_by_role("dialog")).to_contain_text("Page not found")
    assert url_path(page) == "/" and query(page)["obs"] == "5"
    expect(page.get_by_role("heading", level=1)).to_have_text("LSTM Activation Explorer")
    assert exceptions(page) == []
    page.get_by_role("dialog").get_by_role("button", name="Close").click()
    expect(page.get_by_role("dialog")).to_have_count(0)
    click_nav(page, "Activations")  # the app still works, with the link's recording
    assert recording(page) == 5
    assert "Test recording 5 " in heatmap(page)["title"]
    assert exceptions(page) == []
