"""Home: what the app shows and where to start."""

import streamlit as st

import core
from ui import navigation, state, tour
from ui.header import page_header

sel = state.selection()
data = sel.dataset
info = sel.info

page_header(
    sel,
    "LSTM Activation Explorer",
    "Look inside a **recurrent neural network** while it reads. The network reads a recording one time step at "
    f"a time and, after every step, says which of the {info.n_classes} {info.class_word_plural} it thinks the "
    "recording belongs to. This app shows what happens inside it at every one of those moments.",
    ["LSTM", "activation", "class", "recording", "time step", "channel", "probability", "hidden unit", "heatmap"]
    + ["selectivity", "ablation"],
)
named = f": {info.title}" if data.shipped else ""  # an upload's description starts with its name
st.markdown(f"**The data{named}.** {core.describe_dataset(data)}")
c1, c2, c3 = st.columns(3)
c1.metric(info.class_word_plural.capitalize(), info.n_classes)
c2.metric("Training recordings", len(data.train))
c3.metric("Test recordings", len(data.test))

tour.tour_panel(sel)

st.markdown("### Where to start")
for name in ("dataset", "model", "activations", "trajectory", "why", "glossary"):
    page = navigation.page(name)
    st.page_link(page.file, label=f"**{page.title}** — {page.summary}", icon=page.icon)
st.caption(
    f"Now showing: {sel.title}. Change it in the sidebar (on a phone, open it with the » arrow at the top "
    "left); your choice holds on every page, and the address bar always holds a link to exactly this view. The "
    "menu at the top lists every page."
)
