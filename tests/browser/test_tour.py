"""The guided tour on Home: five steps, each opening its page with its settings; skip and restart."""

from __future__ import annotations

import re

import pytest
from browser_helpers import (
    click_nav,
    drawn_charts,
    exceptions,
    keyed,
    nav_link,
    open_path,
    query,
    recording,
    rerun,
    slider_values,
)
from playwright.sync_api import expect

from ui import tour

pytestmark = pytest.mark.browser


def click_button(page, key: str, goes_to: str | None = None) -> None:
    """Click the button with ``key`` and wait for the run it causes to end (on page ``goes_to``, if given)."""
    with rerun(page, path=goes_to):
        keyed(page, key).get_by_role("button").click()


def test_the_tour_walks_through_its_five_pages(page, app_url, web_errors):
    open_path(page, app_url, "/?obs=5")  # the tour shows test recording 1, whatever was chosen before
    for step, entry in tour.STEP_PAGES.items():
        title, path = entry.title, entry.url_path
        if step > 1:
            click_nav(page, "Home")
        expect(keyed(page, f"tour_go_{step}").get_by_role("button")).to_be_visible()
        click_button(page, f"tour_go_{step}", goes_to=f"/{path}")
        expect(page).to_have_url(re.compile(rf"/{path}(\?|$)"))
        assert "obs" not in query(page), "recording 1, the default, is left out of the link"
        expect(nav_link(page, title)).to_have_attribute("aria-current", "page")  # the menu marks the page
        page.keyboard.press("Escape")
        expect(page.get_by_role("heading", level=1).first).to_be_visible()
        assert recording(page) == 1, title
        assert exceptions(page) == [], title
        assert drawn_charts(page) > 0, f"{title} shows its charts"
        if path == "trajectory":  # opened at the step from which the answer no longer changes
            decided = page.get_by_test_id("stMetric").filter(has_text="Settled from step")
            settled = int(re.search(r"(\d+) of \d+", decided.inner_text())[1])
            assert slider_values(page, "traj_step") == [settled]
        if path == "activations":  # a window of ten units
            first, last = slider_values(page, "act_units")
            assert last - first == 9

    click_nav(page, "Home")
    expect(keyed(page, "tour_restart")).to_be_visible()  # finished: only "start again"
    expect(page.locator("[class*='st-key-tour_go_']")).to_have_count(0)
    click_button(page, "tour_restart")
    expect(keyed(page, "tour_go_1")).to_be_visible()
    click_button(page, "tour_skip")
    expect(page.locator("[class*='st-key-tour_go_']")).to_have_count(0)
    click_button(page, "tour_restart")
    expect(keyed(page, "tour_go_1")).to_be_visible()
    assert exceptions(page) == [] and web_errors == []
