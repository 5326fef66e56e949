"""The top of every page: notices, the title, the caveats that hold for the network on screen, what the page
shows and the page's technical words."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from core.presentation import honesty
from core.presentation.glossary import glossary_markdown
from ui import loaders, navigation, tour
from ui.selection import Selection
from ui.state.notices import show_notices

__all__ = ["network_skill", "page_header", "no_network_ui"]


@st.cache_data(max_entries=16, show_spinner=False)
def _skill(_model, model_id: str, _data, data_id: str) -> honesty.Skill:
    return honesty.skill(loaders.split_traces(_model, model_id, _data, data_id, "test").final_predictions, _data)


def network_skill(sel: Selection) -> honesty.Skill:
    """The chosen network's test accuracy beside always answering the most common class, once per network."""
    return _skill(sel.model, sel.model_id, sel.dataset, sel.dataset.fingerprint)


def page_header(
    sel: Selection, title: str, intro: str = "", words: Sequence[str] = (), *, drawn: str = "network"
) -> None:
    """Draw the top of a page: ``title``, the network's caveats, ``intro`` (Markdown: what the page shows, in
    plain words) and an expander explaining the glossary's ``words``. ``drawn``: whose steps the page's charts
    are over (see :func:`core.presentation.honesty.network_caveats`)."""
    show_notices()
    tour.tour_hint(sel)
    st.title(title)
    if sel.model is not None:
        owner = sel.units_owner if sel.stacked else ""
        for caveat in honesty.network_caveats(
            network_skill(sel), sel.step_block, owner, drawn=drawn, class_word=sel.info.class_word
        ):
            if caveat.minor:
                st.caption(caveat.text)
            else:
                st.warning(caveat.text, icon=":material/info:")
    if intro:
        st.markdown(intro)
    if words:
        with st.expander("What do these words mean?"):
            st.markdown(glossary_markdown(list(words), info=sel.info))


def no_network_ui(sel: Selection, title: str) -> None:
    """Stand in for page ``title``, which looks inside a network, while ``sel``'s data set has none."""
    show_notices()
    st.title(title)
    st.info(
        f"No network has been trained on {sel.info.title} yet, so there is nothing inside to look at. Train one in "
        "the Model lab (a minute or two): it then appears in the sidebar's *Network* list."
    )
    st.page_link(navigation.page("lab").file, label="Open the Model lab", icon=":material/science:")
