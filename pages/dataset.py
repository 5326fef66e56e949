"""Dataset: the Japanese Vowels utterances, and the chosen one's 12 features over time."""

import streamlit as st

from core.presentation import charts, frames
from core.presentation.glossary import glossary_markdown
from ui import display, state

sel = state.selection()
data = sel.dataset

st.title("The Japanese Vowels data")
st.markdown(
    "Nine men each said the Japanese vowels “a-e”. Every recording became a short sequence of **time steps**; "
    "at each step, 12 numbers (**features**, LPC cepstrum coefficients) describe the sound. The network's job "
    "is to name the speaker (1 to 9) from such a sequence."
)
with st.expander("What do these words mean?"):
    st.markdown(glossary_markdown(["time step", "feature", "LPC cepstrum coefficient", "speaker"]))

left, right = st.columns(2)
with left:
    st.subheader("Recordings per speaker")
    display.altair(charts.class_balance_chart(data.train.labels, data.test.labels), key="dataset_balance")
    st.caption("The training set has 30 recordings of each speaker; the test set has between 24 and 88.")
with right:
    st.subheader("How long the recordings are")
    display.altair(charts.length_histogram_chart(data.train.lengths, data.test.lengths), key="dataset_lengths")
    st.caption("Each bar counts the recordings with that many time steps.")

st.subheader(sel.title)
st.markdown(
    "Each line is one of the 12 features; left to right is time. This is the plot MATLAB's example draws for "
    "test observation 1. Pick another recording in the sidebar."
)
display.altair(charts.features_chart(sel.x, title=sel.title), key="dataset_features")

table = frames.features_frame(sel.x)
with st.expander(f"The raw numbers ({sel.n_steps} time steps × 12 features)"):
    st.dataframe(table, hide_index=True, key="dataset_table")
st.download_button(
    "Download these numbers as CSV",
    table.to_csv(index=False),
    file_name="observation.csv",
    mime="text/csv",
    key="dataset_download",
)
