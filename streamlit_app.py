"""LSTM Activation Explorer: the entry point (``streamlit run streamlit_app.py``).

It sets up the page, the navigation menu (the pages of ``ui.navigation``) and the sidebar's shared choices,
then runs the chosen page from ``pages/`` (or says how to train a network, for a page that needs one).
"""

import logging

import streamlit as st

import core
from ui import navigation, state
from ui.header import no_network_ui

st.set_page_config(page_title="LSTM Activation Explorer", page_icon=":material/biotech:", layout="wide")

chosen = navigation.menu()
state.link.remember_start(chosen.url_path)
state.notices.new_run()
try:
    selection = state.sidebar.sidebar()
except core.CheckpointError as exc:
    logging.getLogger(__name__).exception("the network could not be loaded")
    st.error(f"The network could not be loaded, so the app cannot show anything yet. {exc}")
    st.stop()
state.running.follow_page_request()
if selection.model is None and navigation.page(chosen.url_path).needs_network:
    no_network_ui(selection, chosen.title)
else:
    state.running.run_page(chosen, selection)
