"""Short messages shown once at the top of the page: a link value the app could not use, a choice that fell back."""

import streamlit as st

__all__ = ["notice", "show_notices", "new_run"]

_QUEUE, _SHOWN = "_notices", "_notices_shown"  # texts waiting for the top of the page; whether it has shown them


def notice(text: str) -> None:
    """Show ``text`` once: queued for the top of the page, or at once if the page has shown its queue."""
    if st.session_state.get(_SHOWN):
        st.warning(text, icon=":material/warning:")
    else:
        st.session_state.setdefault(_QUEUE, []).append(text)


def show_notices() -> None:
    """Show the queued notices (the page header's first step); later notices of this run go straight on screen."""
    for text in st.session_state.pop(_QUEUE, []):
        st.warning(text, icon=":material/warning:")
    st.session_state[_SHOWN] = True


def new_run() -> None:
    """The entry point's first step: this run has not shown its queue yet."""
    st.session_state[_SHOWN] = False
