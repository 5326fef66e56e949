"""LSTM Activation Explorer: the entry point (``streamlit run streamlit_app.py``).

It sets up the page, the navigation and the sidebar shared by every page, then
runs the chosen page from ``pages/``.
"""

import logging

import streamlit as st

import core
from ui import state, tour

st.set_page_config(page_title="LSTM Activation Explorer", page_icon=":material/biotech:", layout="wide")

PAGES = {
    "Start": [
        st.Page("pages/home.py", title="Home", icon=":material/home:", url_path="home", default=True),
    ],
    "The data and the network": [
        st.Page("pages/dataset.py", title="Dataset", icon=":material/dataset:", url_path="dataset"),
        st.Page("pages/model.py", title="Model", icon=":material/neurology:", url_path="model"),
        st.Page("pages/mistakes.py", title="Where it goes wrong", icon=":material/report:", url_path="mistakes"),
    ],
    "Inside the network": [
        st.Page("pages/activations.py", title="Activations", icon=":material/grid_on:", url_path="activations"),
        st.Page("pages/trajectory.py", title="Class trajectory", icon=":material/show_chart:", url_path="trajectory"),
        st.Page("pages/why.py", title="Why did it decide?", icon=":material/lightbulb:", url_path="why"),
        st.Page("pages/units.py", title="What a unit responds to", icon=":material/tune:", url_path="units"),
        st.Page("pages/ablation.py", title="Silence units", icon=":material/volume_off:", url_path="ablation"),
    ],
    "Across the data set": [
        st.Page("pages/patterns.py", title="Pattern search", icon=":material/manage_search:", url_path="patterns"),
        st.Page("pages/paths.py", title="Hidden-state paths", icon=":material/timeline:", url_path="paths"),
        st.Page("pages/compare.py", title="Compare two", icon=":material/compare:", url_path="compare"),
    ],
    "Your turn": [
        st.Page("pages/upload.py", title="Your own sequence", icon=":material/upload_file:", url_path="upload"),
        st.Page("pages/lab.py", title="Model lab", icon=":material/science:", url_path="lab"),
    ],
    "Help": [
        st.Page("pages/glossary.py", title="Glossary", icon=":material/menu_book:", url_path="glossary"),
    ],
}

navigation = st.navigation(PAGES, expanded=True)
state.start_session(navigation.url_path)
try:
    selection = state.sidebar()
except core.CheckpointError as exc:
    logging.getLogger(__name__).exception("the network could not be loaded")
    st.error(f"The network could not be loaded, so the app cannot show anything yet. {exc}")
    st.stop()
state.show_notices()
tour.tour_hint(selection)
state.run_page(navigation, selection)
if not state.url_written():
    state.write_url()
