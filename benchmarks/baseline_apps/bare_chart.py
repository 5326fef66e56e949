"""The cold-start baseline: a bare Streamlit app that imports torch and draws one Altair chart."""

import altair as alt
import numpy as np
import pandas as pd
import streamlit as st
import torch

x = torch.linspace(0, 6.28, 50)
data = pd.DataFrame({"t": x.numpy(), "y": np.sin(x.numpy())})
st.altair_chart(alt.Chart(data).mark_line().encode(x="t:Q", y="y:Q"), key="bare_chart")
