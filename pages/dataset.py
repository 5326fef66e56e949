"""Dataset: the chosen data set's recordings, and the chosen one's channels over time."""

import streamlit as st

import core
from core.presentation import charts, frames
from core.presentation.glossary import glossary_markdown, own_terms
from ui import display, state

sel = state.selection()
data = sel.dataset
info = sel.info
per_class_train = [int((data.train.labels == k).sum()) for k in range(1, info.n_classes + 1)]
per_class_test = [int((data.test.labels == k).sum()) for k in range(1, info.n_classes + 1)]


def _counts_words(counts: list[int]) -> str:
    """Recordings per class in words: "30 recordings of each <class word>", or "between 24 and 88"."""
    low, high = min(counts), max(counts)
    return f"{low} recordings of each {info.class_word}" if low == high else f"between {low} and {high}"


st.title(f"The {info.title} data")
st.markdown(core.describe_dataset(data))
with st.expander("What do these words mean?"):
    st.markdown(
        glossary_markdown(["recording", "time step", "channel", "feature", *own_terms(info), "class"], info=info)
    )

left, right = st.columns(2)
with left:
    st.subheader(f"Recordings per {info.class_word}")
    display.altair(charts.class_balance_chart(data.train.labels, data.test.labels, info=info), key="dataset_balance")
    st.caption(
        f"The training set has {_counts_words(per_class_train)}; the test set has {_counts_words(per_class_test)}."
    )
with right:
    st.subheader("How long the recordings are")
    display.altair(charts.length_histogram_chart(data.train.lengths, data.test.lengths), key="dataset_lengths")
    st.caption("Each bar counts the recordings with that many time steps.")

st.subheader(sel.title)
matlab = " This is the plot MATLAB's example draws for test observation 1." if info.key == core.DEFAULT_DATASET else ""
st.markdown(
    f"Each line is one of the {info.n_channels} channels; left to right is time.{matlab} Pick another recording "
    "in the sidebar."
)
display.altair(charts.features_chart(sel.x, title=sel.title, info=info), key="dataset_features")

table = frames.features_frame(sel.x, info=info)
with st.expander(f"The raw numbers ({sel.n_steps} time steps × {info.n_channels} channels)"):
    st.dataframe(table, hide_index=True, key="dataset_table")
st.download_button(
    "Download these numbers as CSV",
    table.to_csv(index=False),
    file_name="observation.csv",
    mime="text/csv",
    key="dataset_download",
)
