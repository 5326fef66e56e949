"""Every page of the navigation opens from its link in the menu at the top, draws its charts and shows no
exception."""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest
from browser_helpers import ROOT, click_nav, drawn_charts, exceptions, nav_link, open_path, screenshot, url_path
from playwright.sync_api import expect

from ui import navigation

pytestmark = pytest.mark.browser

# url path -> the page draws charts: True = at least one, False = none, None = may or may not
DRAWS_CHARTS = {
    "home": False,
    "dataset": True,
    "model": True,
    "mistakes": True,
    "activations": True,
    "trajectory": True,
    "why": True,
    "units": True,
    "ablation": True,
    "whatif": True,
    "patterns": True,
    "paths": True,
    "compare": True,
    "upload": None,  # nothing to draw before a file is uploaded
    "upload_data": None,  # nothing to draw before a data set is uploaded
    "lab": None,  # nothing to draw before a network is trained
    "networks": None,  # nothing to draw with only the pretrained network
    "glossary": False,
}


def is_placeholder(entry: navigation.Page) -> bool:
    """A page still being written: its file says so in its first line."""
    return (ROOT / entry.file).read_text().lstrip("\"' \n").startswith("Placeholder")


def test_every_page_of_the_registry_is_opened():
    assert set(DRAWS_CHARTS) == {p.url_path for p in navigation.PAGES}


def test_the_menu_shows_the_registry(page, app_url):
    """The menu at the top has a dropdown per section of ``ui.navigation``, in the registry's order, each listing
    its pages' links in order."""
    open_path(page, app_url, "/")
    sections = list(dict.fromkeys(p.section for p in navigation.PAGES))
    expect(page.get_by_test_id("stTopNav").get_by_test_id("stTopNavSection")).to_have_text(sections)
    for section in sections:
        page.get_by_test_id("stTopNavSection").filter(has=page.get_by_text(section, exact=True)).click()
        links = page.get_by_test_id("stTopNavPopover").get_by_test_id("stTopNavDropdownLink")
        expected = [p for p in navigation.PAGES if p.section == section]
        expect(links).to_have_count(len(expected))
        assert [urlparse(link.get_attribute("href")).path for link in links.all()] == [p.address for p in expected]
        for link, entry in zip(links.all(), expected, strict=True):
            expect(link).to_contain_text(entry.title)
        page.keyboard.press("Escape")
        expect(page.get_by_test_id("stTopNavPopover")).to_have_count(0)
    assert [urlparse(nav_link(page, p.title).get_attribute("href")).path for p in navigation.PAGES] == [
        p.address for p in navigation.PAGES
    ]
    expect(page.get_by_test_id("stSidebarNav")).to_have_count(0)  # the side panel holds only the shared choices


@pytest.mark.parametrize("entry", navigation.PAGES, ids=lambda p: p.url_path)
def test_every_page_opens_from_its_menu_link(page, app_url, web_errors, entry):
    open_path(page, app_url, "/dataset" if entry == navigation.HOME else "/")
    click_nav(page, entry.title)
    expect(page).to_have_url(re.compile(r"^[^?]*/(\?|$)" if entry == navigation.HOME else rf"/{entry.url_path}(\?|$)"))
    assert url_path(page) == entry.address
    assert exceptions(page) == [] and web_errors == []
    expect(page.get_by_test_id("stMain").get_by_role("heading", level=1).first).to_be_visible()
    n_charts = page.get_by_test_id("stVegaLiteChart").count()
    assert drawn_charts(page) == n_charts, "every chart on the page is drawn"
    screenshot(page, entry.url_path)
    has_charts = DRAWS_CHARTS[entry.url_path]
    if has_charts and not is_placeholder(entry):
        assert n_charts > 0, f"{entry.title} draws no chart"
    elif has_charts is False:
        assert n_charts == 0
