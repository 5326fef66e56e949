"""The first paint of a cold server: a deep link opened as the server's first session never shows, not even for a
frame, the menu of file names of Streamlit's older ``pages/`` mode ("streamlit app", "upload data", "whatif"...),
and the app's own menu appears at the top.

Until some session has run ``st.navigation``, Streamlit runs a linked page's file on its own and would list the
files of ``pages/`` in the sidebar; ``client.showSidebarNavigation = false`` keeps that list off the screen (see
``ui.state.running``). A MutationObserver installed before the page's own scripts records every menu link and
section ever put on the page, so nothing drawn and removed in between is missed.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from browser_helpers import ROOT, app_server, exceptions, open_path
from playwright.sync_api import expect

from ui import navigation

pytestmark = pytest.mark.browser

# Every menu link and section ever added to the page, by its text (icons left out); whether a menu ever appeared in
# the sidebar, and at the top.
MENU_WATCH_JS = """
(() => {
  const seen = window.__menuSeen = {texts: [], sidebarMenu: false, topMenu: false};
  const ITEMS = ["stSidebarNavLink", "stTopNavLink", "stTopNavDropdownLink", "stTopNavSection", "stNavSectionHeader"]
    .map(id => `[data-testid='${id}']`).join(", ") + ", [data-testid='stSidebarNav'] a";
  const text = el => {
    const copy = el.cloneNode(true);
    copy.querySelectorAll("[aria-hidden='true']").forEach(icon => icon.remove());
    return copy.textContent.trim();
  };
  const look = node => {
    if (!(node instanceof Element)) return;
    if (node.closest("[data-testid='stSidebarNav']") || node.querySelector("[data-testid='stSidebarNav']")) {
      seen.sidebarMenu = true;
    }
    if (node.closest("[data-testid='stTopNav']") || node.querySelector("[data-testid='stTopNav']")) seen.topMenu = true;
    for (const item of [node, ...node.querySelectorAll(ITEMS)]) if (item.matches(ITEMS)) seen.texts.push(text(item));
  };
  new MutationObserver(records => {
    for (const record of records) {
      record.addedNodes.forEach(look);
      if (record.type === "characterData" && record.target.parentElement) {
        const item = record.target.parentElement.closest(ITEMS);
        if (item) seen.texts.push(text(item));
      }
    }
  }).observe(document, {childList: true, subtree: true, characterData: true});
})();
"""

# The names Streamlit's older pages/ mode gives the entry point and the files of pages/.
FILE_NAMES = {"streamlit app"} | {path.stem.replace("_", " ") for path in (ROOT / "pages").glob("*.py")}


def test_the_raw_file_names_are_plain_file_names():
    assert {"streamlit app", "upload data", "whatif", "ablation", "home"} <= FILE_NAMES
    assert not FILE_NAMES & {p.title for p in navigation.PAGES}, "the app's titles are not the file names"


@pytest.mark.parametrize("link", ["/units", "/upload_data?obs=5"], ids=["units", "upload_data"])
def test_a_deep_link_to_a_cold_server_never_shows_the_file_names(new_context, tmp_path, link):
    with app_server(Path(tmp_path) / "cache", "server-cold") as server:  # a new process: no session has run yet
        context = new_context()
        context.add_init_script(MENU_WATCH_JS)
        page = context.new_page()
        open_path(page, server.url, link)
        seen = page.evaluate("window.__menuSeen")
        shown_names = sorted(set(seen["texts"]) & FILE_NAMES)
        assert not shown_names, f"the older mode's menu showed: {shown_names}"
        assert not seen["sidebarMenu"], "no menu in the sidebar on a wide screen, not even for a frame"
        sections = list(dict.fromkeys(p.section for p in navigation.PAGES))
        assert seen["topMenu"] and set(sections) <= set(seen["texts"]), seen
        expect(page.get_by_test_id("stTopNav").get_by_test_id("stTopNavSection")).to_have_text(sections)
        title = navigation.page(link[1:].split("?")[0]).title
        expect(page.get_by_role("heading", level=1).first).to_have_text(title)
        assert exceptions(page) == []
