"""Dataset: the chosen data set's recordings, and the chosen one's channels over time."""

import streamlit as st

import core
from core.compute.checks import counted
from core.presentation import charts, frames
from core.presentation.glossary import own_terms
from ui import display, state
from ui.header import page_header

sel = state.selection()
data = sel.dataset
info = sel.info
per_class_train = core.class_counts(data.train.labels, info.n_classes)
per_class_test = core.class_counts(data.test.labels, info.n_classes)


def _counts_words(counts) -> str:
    """Recordings per class in words: "30 recordings of each <class word>", or "between 24 and 88 recordings of
    each <class word>"."""
    low, high = int(min(counts)), int(max(counts))
    each = f"of each {info.class_word}"
    return f"{counted(low, 'recording')} {each}" if low == high else f"between {low} and {high} recordings {each}"


page_header(
    sel,
    f"The {info.title} data",
    core.describe_dataset(data),
    ["recording", "time step", "channel", *own_terms(info), "class"],
    drawn="recorded",
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
    lengths = (data.train.lengths, data.test.lengths)
    if charts.common_length(*lengths) is None:
        display.altair(charts.length_histogram_chart(*lengths), key="dataset_lengths")
        st.caption(charts.length_caption(*lengths))
    else:
        st.markdown(charts.length_caption(*lengths))

st.subheader("One recording, channel by channel")
matlab = (
    " This is the plot MATLAB's example draws for its first test recording." if info.key == core.DEFAULT_DATASET else ""
)
st.markdown(
    "The recording chosen in the sidebar. "
    f"{charts.features_reading(info.n_channels, apart=charts.scales_apart(sel.x))}{matlab} Pick another "
    "recording in the sidebar."
)
T = sel.x.shape[1]
first, last = 1, T
if T > frames.MAX_COLUMNS:
    first, last = st.slider(
        "Time window",
        1,
        T,
        value=(1, T),
        key="dataset_window",
        help=f"A recording of more than {frames.MAX_COLUMNS} steps is drawn in blocks of steps; narrow the window to "
        f"at most {frames.MAX_COLUMNS} steps to see every one.",
    )
    k = frames.column_block(last - first + 1)
    st.caption(
        f"{charts.block_reading(info.n_channels, k)} Narrow the time window to see every step."
        if k > 1
        else "Every step is drawn."
    )
display.altair(
    charts.features_chart(sel.x[:, first - 1 : last], title=sel.title, first_step=first, info=info),
    key="dataset_features",
)

table = frames.features_frame(sel.x, info=info)
with st.expander(f"The numbers ({counted(sel.x.shape[1], 'time step')} × {counted(info.n_channels, 'channel')})"):
    st.dataframe(table, hide_index=True, key="dataset_table")
st.download_button(
    "Download these numbers as CSV",
    table.to_csv(index=False),
    file_name="recording.csv",
    mime="text/csv",
    key="dataset_download",
)
