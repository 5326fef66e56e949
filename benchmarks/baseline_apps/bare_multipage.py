"""A second slider baseline: ``bare_heatmap.py`` as the default page of an 18-page navigation with a sidebar.

The app has the same shell (``st.navigation`` over 18 pages in 6 sections, as a menu at the top, and the sidebar's
shared choices: two radios, a number box with a slider beside it, a select box), and the browser redraws that shell
on every message a rerun sends. Measured beside the app and the bare heatmap, it tells how much of the app's slider
answer time is Streamlit's multipage shell rather than the app's own work.
"""

from pathlib import Path

import streamlit as st


def other_page():
    st.title("Another page")


SECTIONS = {"Start": 0, "The data": 3, "Inside": 6, "Across": 3, "Your turn": 4, "Help": 1}  # other pages per section
pages = {"Start": [st.Page(Path(__file__).with_name("bare_heatmap.py"), title="Heatmap", default=True)]}
number = 2
for section, count in SECTIONS.items():
    for _ in range(count):
        pages.setdefault(section, []).append(st.Page(other_page, title=f"Page {number}", url_path=f"page{number}"))
        number += 1
navigation = st.navigation(pages, position="top", expanded=4)
with st.sidebar:
    st.markdown("### What to look at")
    st.radio("Data set", ["Japanese Vowels", "BasicMotions"], key="data")
    st.radio("Recordings", ["Test set", "Training set"], key="split", horizontal=True)
    row = st.container(horizontal=True, vertical_alignment="bottom", gap="small")
    with row:
        st.slider("Recording", 1, 370, 1, key="observation_slider")
        st.number_input("Number", 1, 370, 1, key="observation", width=96)
    st.caption("Speaker 1 · 19 time steps")
    st.selectbox("Network", ["Pretrained, 100 units"], key="network")
navigation.run()
