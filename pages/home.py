"""Home: what the app shows and where to start."""

import streamlit as st

from core.presentation.glossary import glossary_markdown
from ui import navigation, state, tour

sel = state.selection()
data = sel.dataset

st.title("LSTM Activation Explorer")
st.markdown(
    """
Look inside a **recurrent neural network** while it listens. The network hears a short recording one
slice at a time and, after every slice, says which of nine people it thinks is speaking. This app shows
what happens inside it at every one of those moments.

**The data.** Nine Japanese men each said the vowels “a-e” many times. Each recording was cut into short
time steps (7 to 29 of them), and each time step was described by 12 numbers (the *features*) that
capture the shape of the voice at that moment.
"""
)
train_n, test_n = len(data.train), len(data.test)
c1, c2, c3 = st.columns(3)
c1.metric("Speakers", 9)
c2.metric("Training recordings", train_n)
c3.metric("Test recordings", test_n)

tour.tour_panel(sel)
with st.expander("What do these words mean?"):
    st.markdown(
        glossary_markdown(
            ["speaker", "time step", "feature", "probability", "hidden unit", "heatmap", "selectivity", "ablation"]
        )
    )
    st.caption("Every technical word of the app is explained on the Glossary page (under Help in the menu).")

st.markdown("### Where to start")
for name in ("dataset", "model", "activations", "trajectory", "why", "glossary"):
    page = navigation.page(name)
    st.page_link(page.file, label=f"**{page.title}** — {page.summary}", icon=page.icon)
st.caption(
    f"Now showing: {sel.title}. Change it in the sidebar on the left (on a phone, open it with the › arrow); "
    "your choice holds on every page, and the address bar always holds a link to exactly this view."
)
