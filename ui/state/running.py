"""Running a page: the selection it shows, the page a button asked for, and pages that need a network.

With a folder named ``pages/`` next to the entry point, Streamlit starts in its older multipage mode and runs a
linked page's file directly, without the entry point, until some session calls ``st.navigation`` (so it does on
every first run under AppTest). A page run that way declares the app's menu (which ends that mode for every
session of the server) and reruns through the entry point to the same page: :func:`selection`.
``client.showSidebarNavigation = false`` keeps that older mode's menu of file names off the screen meanwhile.
"""

from __future__ import annotations

import streamlit as st

from ui import navigation

from . import sidebar
from .notices import show_notices
from .selection import Selection

__all__ = ["selection", "run_page", "current_page", "open_page", "follow_page_request"]

_SELECTION = "_selection"  # this run's Selection
_IN_ENTRY_RUN = "_in_entry_run"
_PAGE = "_page"  # url path of the page this run shows ("" for Home)
_REQUEST = "_page_request"  # file of the page a button callback asked for


def selection() -> Selection:
    """The selection the entry point computed for this run; the first call of every page."""
    if not st.session_state.get(_IN_ENTRY_RUN):
        navigation.menu()
        st.rerun()
    return st.session_state[_SELECTION]


def current_page(session=None) -> str:
    """The url path of the page shown (``""`` for Home) in ``session``, this run's by default."""
    return (st.session_state if session is None else session).get(_PAGE, "")


def run_page(page, sel: Selection) -> None:
    """Run ``page``, the ``st.Page`` chosen in the menu, with ``sel`` as this run's selection; a page that looks
    inside a network says how to get one while the data set has none."""
    st.session_state[_SELECTION] = sel
    st.session_state[_PAGE] = page.url_path
    if sel.model is None and navigation.page(page.url_path).needs_network:
        show_notices()
        st.title(page.title)
        st.info(
            f"No network has been trained on {sel.info.title} yet, so there is nothing inside to look at. Train one "
            "in the Model lab (a minute or two); it then appears in the sidebar's *Network* list, and this page "
            "shows it.",
            icon=":material/science:",
        )
        st.page_link(navigation.page("lab").file, label="Open the Model lab", icon=":material/science:")
        return
    st.session_state[_IN_ENTRY_RUN] = True
    try:
        page.run()
    finally:
        st.session_state[_IN_ENTRY_RUN] = False


def open_page(page: navigation.Page, **choices) -> None:
    """Button callback: make ``choices`` the sidebar's (``ui.state.sidebar.choose``) and open ``page``.

    The page opens early in the run the click starts (:func:`follow_page_request`): ``st.switch_page`` does not
    work in a callback under AppTest, whose pages are unknown until ``st.navigation`` runs.
    """
    sidebar.choose(**choices)
    st.session_state[_REQUEST] = page.file


def follow_page_request() -> None:
    """Open the page a button callback asked for, if any: the entry point calls it after the sidebar; a fragment
    whose buttons open pages calls it first thing, since a click there reruns the fragment only."""
    if file := st.session_state.pop(_REQUEST, None):
        # Without query_params, st.switch_page clears the link and raises on the parameters bound to widgets; an
        # empty one replaces the link, and every bound widget writes its value back as the page is drawn.
        st.switch_page(file, query_params={})
