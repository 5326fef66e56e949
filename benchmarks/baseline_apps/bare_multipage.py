"""A second slider baseline: ``bare_heatmap.py`` as the default page of a 15-page navigation with a sidebar.

The app has the same shell (``st.navigation`` over 15 pages, expanded, and a few sidebar widgets), and the
browser redraws that shell on every message a rerun sends. Measured beside the app and the bare heatmap, it
tells how much of the app's slider answer time is Streamlit's multipage shell rather than the app's own work.
"""

from pathlib import Path

import streamlit as st


def other_page():
    st.title("Another page")


pages = [st.Page(Path(__file__).with_name("bare_heatmap.py"), title="Heatmap", default=True)]
pages += [st.Page(other_page, title=f"Page {n}", url_path=f"page{n}") for n in range(2, 16)]
navigation = st.navigation(pages, expanded=True)
with st.sidebar:
    st.radio("Data", ["Test set (370)", "Training set (270)"], key="data")
    st.slider("Observation", 1, 370, 1, key="observation")
    st.caption("Speaker 1 · 19 time steps")
    st.selectbox("Network", ["Shipped network"], key="network")
navigation.run()
