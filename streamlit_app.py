"""LSTM Activation Explorer: the entry point (``streamlit run streamlit_app.py``).

It sets up the page, the navigation menu (the pages of ``ui.navigation``) and the sidebar's shared choices,
then runs the chosen page from ``pages/``.
"""

import logging

import streamlit as st

import core
from ui import navigation, state

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
state.follow_page_request()
state.run_page(chosen, selection)
