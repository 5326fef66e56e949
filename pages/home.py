"""Home: what the app shows and where to start."""

import streamlit as st

import core
from core.presentation.glossary import glossary_markdown
from ui import navigation, state, tour

sel = state.selection()
data = sel.dataset
info = sel.info

st.title("LSTM Activation Explorer")
st.markdown(
    "Look inside a **recurrent neural network** while it reads. The network reads a recording one time step at "
    f"a time and, after every step, says which of the {info.n_classes} {info.class_word_plural} it thinks the "
    "recording belongs to. This app shows what happens inside it at every one of those moments."
)
named = f": {info.title}" if info.key in core.DATASETS else ""  # an upload's description starts with its name
st.markdown(f"**The data{named}.** {core.describe_dataset(data)}")
train_n, test_n = len(data.train), len(data.test)
c1, c2, c3 = st.columns(3)
c1.metric(info.class_word_plural.capitalize(), info.n_classes)
c2.metric("Training recordings", train_n)
c3.metric("Test recordings", test_n)

tour.tour_panel(sel)
with st.expander("What do these words mean?"):
    st.markdown(
        glossary_markdown(
            ["class", "recording", "time step", "channel", "probability", "hidden unit", "heatmap", "selectivity"]
            + ["ablation"],
            info=info,
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
