"""Every page of the navigation opens from its sidebar link, draws its charts and shows no exception."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from browser_helpers import ENTRY, ROOT, click_nav, drawn_charts, exceptions, open_path, screenshot, url_path

pytestmark = pytest.mark.browser

# (title in the sidebar, url_path, draws charts: True = at least one, False = none, None = may or may not)
PAGES = [
    ("Home", "home", False),
    ("Dataset", "dataset", True),
    ("Model", "model", True),
    ("Where it goes wrong", "mistakes", True),
    ("Activations", "activations", True),
    ("Class trajectory", "trajectory", True),
    ("Why did it decide?", "why", True),
    ("What a unit responds to", "units", True),
    ("Silence units", "ablation", True),
    ("Pattern search", "patterns", True),
    ("Hidden-state paths", "paths", True),
    ("Compare two", "compare", True),
    ("Your own sequence", "upload", None),  # nothing to draw before a file is uploaded
    ("Model lab", "lab", None),  # nothing to draw before a network is trained
    ("Glossary", "glossary", False),
]
DEFAULT = "home"
PAGE_ENTRY = re.compile(r'st\.Page\(\s*"(?P<file>[^"]+)"[^)]*?title="(?P<title>[^"]+)"[^)]*?url_path="(?P<path>[^"]+)"',
                        re.S)


def app_pages() -> list[tuple[str, str, str]]:
    """(file, title, url_path) of every ``st.Page`` in streamlit_app.py, in navigation order."""
    return [(m["file"], m["title"], m["path"]) for m in PAGE_ENTRY.finditer(ENTRY.read_text())]


def is_placeholder(url_path: str) -> bool:
    """A page still being written: its file says so in its first line."""
    file = next(f for f, _, p in app_pages() if p == url_path)
    return (ROOT / file).read_text().lstrip('"\' \n').startswith("Placeholder")


def test_the_page_list_matches_the_navigation():
    """A page added to streamlit_app.py must be added here too, so that it is opened in the browser."""
    assert [(title, path) for _, title, path in app_pages()] == [(title, path) for title, path, _ in PAGES]


@pytest.mark.parametrize("title, path, has_charts", PAGES, ids=[p[1] for p in PAGES])
def test_every_page_opens_from_its_sidebar_link(page, app_url, web_errors, title, path, has_charts):
    open_path(page, app_url, "/dataset" if path == DEFAULT else "/")
    click_nav(page, title)
    expect(page).to_have_url(re.compile(r"^[^?]*/(\?|$)" if path == DEFAULT else rf"/{path}(\?|$)"))
    assert url_path(page) == ("/" if path == DEFAULT else f"/{path}")
    assert exceptions(page) == [] and web_errors == []
    expect(page.get_by_test_id("stMain").get_by_role("heading", level=1).first).to_be_visible()
    n_charts = page.get_by_test_id("stVegaLiteChart").count()
    assert drawn_charts(page) == n_charts, "every chart on the page is drawn"
    screenshot(page, path)
    if has_charts and not is_placeholder(path):
        assert n_charts > 0, f"{title} draws no chart"
    elif has_charts is False:
        assert n_charts == 0
