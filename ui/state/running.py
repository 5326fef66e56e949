"""Running a page: the selection it shows and the page a button asked for. A linked page's file that Streamlit
runs on its own (its older ``pages/`` folder mode, on a cold server's first deep link and under AppTest) declares
the app's menu, ending that mode server-wide, and reruns through the entry point (:func:`selection`)."""

import streamlit as st

from ui import navigation
from ui.selection import Selection

from . import sidebar

__all__ = ["selection", "run_page", "current_page", "open_page", "follow_page_request"]

_SELECTION, _IN_ENTRY_RUN, _PAGE, _REQUEST = "_selection", "_in_entry_run", "_page", "_page_request"


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
    """Run ``page`` (the ``st.Page`` chosen in the menu) showing ``sel``."""
    st.session_state[_SELECTION], st.session_state[_PAGE] = sel, page.url_path
    st.session_state[_IN_ENTRY_RUN] = True
    try:
        page.run()
    finally:
        st.session_state[_IN_ENTRY_RUN] = False


def open_page(page: navigation.Page, **choices) -> None:
    """Button callback: make ``choices`` (widget key -> value) the app's and open ``page`` early in the next run
    (:func:`follow_page_request`): ``st.switch_page`` does not work in a callback under AppTest."""
    sidebar.choose(**choices)
    st.session_state[_REQUEST] = page.file


def follow_page_request() -> None:
    """Open the page a button asked for: the entry point calls it after the sidebar, a fragment whose buttons open
    pages first thing. An empty ``query_params``: without one, ``st.switch_page`` clears the link, and raises on
    the parameters bound to widgets; each bound widget writes its value back as the page is drawn."""
    if file := st.session_state.pop(_REQUEST, None):
        st.switch_page(file, query_params={})
