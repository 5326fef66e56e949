"""Compare two: the sidebar's recording and a second one side by side, on the same scales."""

import streamlit as st

from core.compute.checks import counted
from core.presentation import charts
from core.presentation.glossary import explain
from core.presentation.summary import observation_summary
from ui import computed, display, state
from ui.header import page_header

sel = state.selection()
data = sel.dataset
info = sel.info
word = info.class_word
H = sel.model.config.hidden_size
uploaded = state.stores.own_sequence(data.key)
SPLITS = {"test": "Test set", "train": "Training set"}
if uploaded is not None:
    SPLITS["upload"] = "My own sequence"
QUANTITIES = {"hidden": "Hidden state", "cell": "Cell state"}
# the first test recording of another class than the sidebar's (test 2 for an own sequence)
DEFAULT_OTHER = 2 if sel.label is None else int((data.test.labels != sel.label).argmax()) + 1

page_header(
    sel,
    "Compare two",
    "Put two recordings side by side: on the left the one chosen in the sidebar, on the right one you choose "
    "here. Both are drawn on the **same scales**, so the same colour or height means the same value on both sides. "
    f"Try two recordings of the same {word}, then two of different {info.class_word_plural}: which hidden units "
    "behave alike, and when does the network's answer part ways?",
    ["channel", "time step", "hidden unit", "hidden state", "cell state", "heatmap", "probability", "class"],
)

st.markdown("**The second recording**")
c1, c2 = st.columns([2, 3])
with c1:
    b_split = state.bound(
        st.radio,
        "From",
        list(SPLITS),
        format_func=SPLITS.get,
        key="cmp_split",
        horizontal=True,
        help="The right-hand recording: from the test set, the training set or your own sequence.",
    )
if b_split == "upload":
    b_number, x_b, label_b = 1, uploaded, None
    trace_b = computed.sequence_trace(sel, x_b)
    title_b = "Your own sequence"
    c2.caption(f"Your sequence: {x_b.shape[1]} time steps.")
else:
    part = data.split(b_split)
    with c2:
        b_number = state.bound(
            st.slider,
            "Recording",
            1,
            len(part),
            value=min(DEFAULT_OTHER, len(part)),
            key="cmp_obs",
            help="Which recording of that set to show on the right.",
        )
    x_b, label_b = part.sequences[b_number - 1], int(part.labels[b_number - 1])
    trace_b = computed.split_traces(sel, b_split)[b_number - 1]
    title_b = f"{'Test' if b_split == 'test' else 'Training'} recording {b_number} ({info.class_names[label_b - 1]})"
trace_a = computed.trace(sel)

left, right = st.columns(2)
for column, title, trace, label in ((left, sel.title, trace_a, sel.label), (right, title_b, trace_b, label_b)):
    column.subheader(title)
    column.info(observation_summary(trace, label, info=info), icon=":material/insights:")

st.markdown(f"#### The recordings: {counted(info.n_channels, 'channel')} over time")
st.caption(
    "The recordings as recorded"
    + (f" (the network reads averages of {sel.step_block} steps of them)" if sel.step_block > 1 else "")
    + f". {charts.pair_reading(info.n_channels, apart=charts.scales_apart(sel.x, x_b))}"
)
feat_a, feat_b = charts.features_pair_charts(sel.x, x_b, titles=(sel.title, title_b), info=info)
left, right = st.columns(2)
display.altair(feat_a, key="cmp_features_a", where=left)
display.altair(feat_b, key="cmp_features_b", where=right)


@st.fragment
def inside():
    """The unit range and quantity, the two heatmaps and trajectories: a slider move reruns only this part."""
    st.markdown("#### Inside the network")
    c1, c2 = st.columns([3, 2])
    with c1:
        first, last = state.bound(
            st.slider,
            "Hidden units",
            1,
            H,
            value=(1, min(20, H)),
            key="cmp_units",
            help="Which units (rows) to show, the same on both sides. " + explain("hidden unit", info=info),
        )
    with c2:
        quantity = state.bound(
            st.radio,
            "What to show",
            list(QUANTITIES),
            format_func=QUANTITIES.get,
            key="cmp_q",
            help="Hidden state: what each unit passes on. " + explain("cell state", info=info),
        )
    shown = list(range(first - 1, last))
    values_a = getattr(trace_a, quantity)[:, shown]  # (T_a, U)
    values_b = getattr(trace_b, quantity)[:, shown]  # (T_b, U)
    heat_a, heat_b = charts.heatmap_pair_charts(
        values_a, values_b, [u + 1 for u in shown], quantity=quantity, titles=(sel.title, title_b)
    )
    left, right = st.columns(2)
    display.altair(heat_a, key="cmp_heatmap_a", where=left)
    display.altair(heat_b, key="cmp_heatmap_b", where=right)
    st.caption(
        "Red: the unit is strongly positive; blue: strongly negative; white: near zero. "
        + (
            "The hidden state always lies between −1 and 1."
            if quantity == "hidden"
            else "The cell state has no fixed range; one colour scale is fitted to both recordings together."
        )
    )
    st.markdown("#### How the answer forms")
    st.caption(f"Each {word}'s probability after every time step; the thick line is the true {word}.")
    left, right = st.columns(2)
    display.altair(
        charts.trajectory_chart(trace_a.probs, true_label=sel.label, title=sel.title, info=info),
        key="cmp_trajectory_a",
        where=left,
    )
    display.altair(
        charts.trajectory_chart(trace_b.probs, true_label=label_b, title=title_b, info=info),
        key="cmp_trajectory_b",
        where=right,
    )


inside()
