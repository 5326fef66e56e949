"""The slider baseline: a bare Streamlit app that redraws ONE Altair heatmap from a slider.

Same size as the Activations page's default view (10 units x 19 steps, ``BENCH_UNITS`` x ``BENCH_STEPS``)
with the chosen step outlined, and nothing else: no sidebar, no fragment, no caches. With ``BENCH_GC_FREEZE=1``
it calls ``gc.freeze()`` after its imports, as the app does (see ``ui/loaders.py``).
"""

import gc
import os

import altair as alt
import numpy as np
import pandas as pd
import streamlit as st

UNITS = int(os.environ.get("BENCH_UNITS", "10"))
STEPS = int(os.environ.get("BENCH_STEPS", "19"))
if os.environ.get("BENCH_GC_FREEZE") == "1" and not gc.get_freeze_count():
    gc.freeze()

values = np.tanh(np.random.default_rng(0).standard_normal((STEPS, UNITS)))  # (T, U)
data = pd.DataFrame(
    {
        "step": np.repeat(np.arange(1, STEPS + 1), UNITS),
        "unit": np.tile(np.arange(1, UNITS + 1), STEPS),
        "value": values.ravel(),
    }
)

step = st.slider("Time step", 1, STEPS, 1)
heatmap = (
    alt.Chart(data)
    .mark_rect()
    .encode(
        x="step:O",
        y="unit:O",
        color=alt.Color("value:Q", scale=alt.Scale(domain=[-1, 1], scheme="redblue", reverse=True)),
    )
)
outline = (
    alt.Chart(pd.DataFrame({"step": [step]})).mark_rect(fill=None, stroke="#ffa600", strokeWidth=3).encode(x="step:O")
)
st.altair_chart(alt.layer(heatmap, outline).properties(height=160), key="bare_heatmap")
