"""LSTM Activation Explorer: the entry point (``streamlit run streamlit_app.py``).

It sets up the page, the navigation (the pages of ``ui.navigation``) and the sidebar shared by every page,
then runs the chosen page from ``pages/``.
"""

import logging

import streamlit as st

import core
from ui import navigation, state, tour

st.set_page_config(page_title="LSTM Activation Explorer", page_icon=":material/biotech:", layout="wide")

chosen = navigation.menu()
state.start_session(chosen.url_path)
try:
    selection = state.sidebar()
except core.CheckpointError as exc:
    logging.getLogger(__name__).exception("the network could not be loaded")
    st.error(f"The network could not be loaded, so the app cannot show anything yet. {exc}")
    st.stop()
state.follow_page_request()
state.show_notices()
tour.tour_hint(selection)
state.run_page(chosen, selection)
if not state.url_written():
    state.write_url()
