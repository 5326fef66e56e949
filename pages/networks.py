"""Two networks: the sidebar's network and another one of the same data set, on the chosen recording (both class
trajectories on one chart, both heatmaps on one colour scale) and on a whole split (scores, disagreements)."""

from functools import partial

import pandas as pd
import streamlit as st

from core.analyses.side_by_side import compare_networks
from core.presentation import charts
from core.presentation.glossary import explain
from core.presentation.numbers import accuracy_percent, percent
from core.presentation.summary import summary_facts
from ui import computed, display, navigation, state
from ui.header import page_header
from ui.selection import Selection
from ui.state.sidebar import network_of

sel = state.selection()
info = sel.info
options = state.sidebar.network_options(sel.dataset)
others = [key for key in options if key != sel.network]
SPLITS = {"test": "Test set", "train": "Training set"}
ME = navigation.page("networks")

page_header(
    sel,
    "Two networks",
    "Put the network chosen in the sidebar (**A**) next to another one trained on the same data (**B**): how "
    "each one's answer forms on the same recording, what their hidden units do, how often each is right, and on "
    "which recordings their answers differ.",
    ["probability", "hidden unit", "heatmap", "accuracy", "confusion matrix", "test set", "class"],
)


def other_network_ui() -> tuple[str, str]:
    """The other network and the split to score on (widgets ``nets_other``, ``nets_split``, in the link)."""
    c1, c2 = st.columns([3, 2])
    with c1:
        other = state.bound(st.selectbox, "Network B", others, key="nets_other", format_func=options.get)
    with c2:
        split = state.bound(
            st.radio,
            "Score them on",
            list(SPLITS),
            format_func=SPLITS.get,
            key="nets_split",
            horizontal=True,
            help=explain("test set"),
        )
    return other, split


def recording_ui(a: Selection, b: Selection) -> None:
    """Both networks on the sidebar's recording: their answers, trajectories on one chart, heatmaps on one
    scale."""
    trace_a, trace_b = computed.trace(a), computed.trace(b)
    st.subheader(f"On {sel.title[0].lower() + sel.title[1:]}")
    facts = [summary_facts(trace, sel.label) for trace in (trace_a, trace_b)]
    columns = st.columns(2)
    for column, name, fact in zip(columns, ("A", "B"), facts, strict=True):
        column.metric(
            f"{name}: {(a if name == 'A' else b).network_label}",
            info.class_names[fact.predicted - 1],
            help=f"The network's answer after the last step, {percent(fact.confidence)} sure.",
        )
    display.altair(
        charts.trajectory_pair_chart(
            trace_a.probs,
            trace_b.probs,
            names=(f"A: {a.network_label}", f"B: {b.network_label}"),
            true_label=sel.label,
            info=info,
        ),
        key="nets_trajectories",
    )
    st.caption(
        f"Each colour is one {info.class_word}'s probability after every time step: solid for A, dashed for B; "
        f"the thicker lines are the true {info.class_word}."
    )
    shared = min(a.model.config.hidden_size, b.model.config.hidden_size)
    first, last = st.slider(
        "Hidden units to show (of both)",
        1,
        shared,
        value=(1, min(10, shared)),
        key="nets_units",
        persist_state="session",
        help="The same unit numbers of both networks; unit 5 of A has nothing to do with unit 5 of B.",
    )
    units = list(range(first, last + 1))
    heat_a, heat_b = charts.heatmap_pair_charts(
        trace_a.hidden[:, first - 1 : last],
        trace_b.hidden[:, first - 1 : last],
        units,
        titles=(f"A: {a.network_label}", f"B: {b.network_label}"),
    )
    left, right = st.columns(2)
    display.altair(heat_a, key="nets_heat_a", where=left)
    display.altair(heat_b, key="nets_heat_b", where=right)
    st.caption(
        "Each row is a hidden unit, each column a time step; both maps use the same colours (red above zero, "
        "blue below). Two networks learn different units, so compare patterns, not rows."
    )


def split_ui(a: Selection, b: Selection, split: str) -> None:
    """Both networks over a whole split: accuracies, confusion matrices, and the recordings they disagree on,
    each opening on this page when clicked."""
    labels = sel.dataset.split(split).labels
    result = compare_networks(computed.split_traces(a, split), computed.split_traces(b, split), labels)
    st.subheader(f"On the whole {SPLITS[split].lower()}")
    c1, c2, c3 = st.columns(3)
    c1.metric(f"A: {a.network_label}", accuracy_percent(result.a.accuracy), help=explain("accuracy"))
    c2.metric(f"B: {b.network_label}", accuracy_percent(result.b.accuracy), help=explain("accuracy"))
    c3.metric(
        "Answers differ on",
        f"{len(result.disagree)} of {len(result.labels)}",
        help=f"A alone is right on {len(result.only_a_right)}, B alone on {len(result.only_b_right)}.",
    )
    left, right = st.columns(2)
    display.altair(charts.confusion_chart(result.a.confusion, info=info), key="nets_confusion_a", where=left)
    display.altair(charts.confusion_chart(result.b.confusion, info=info), key="nets_confusion_b", where=right)
    st.caption(f"Rows: the true {info.class_word}; columns: the network's answer. Left A, right B.")
    st.markdown("#### Where they disagree")
    if not len(result.disagree):
        st.caption("The two networks give the same final answer on every recording.")
        return
    name = [info.class_names[k - 1] for k in range(1, info.n_classes + 1)]
    table = pd.DataFrame(
        {
            "recording": result.disagree + 1,
            f"true {info.class_word}": [name[k - 1] for k in result.labels[result.disagree]],
            "A answers": [name[k - 1] for k in result.a.predicted[result.disagree]],
            "B answers": [name[k - 1] for k in result.b.predicted[result.disagree]],
        }
    )
    st.dataframe(
        table,
        hide_index=True,
        key="nets_table",
        on_select=partial(open_picked, split, tuple(int(n) for n in table["recording"])),
        selection_mode="single-row",
    )
    st.caption("Click a row to look at that recording above, with both networks.")


def open_picked(split: str, recordings: tuple[int, ...]) -> None:
    """The disagreement table's callback: make the clicked recording (1-based numbers ``recordings``, one per
    row) of ``split`` the sidebar's choice."""
    rows = st.session_state["nets_table"].selection.rows
    if rows:
        state.open_page(ME, split=split, obs=recordings[rows[0]])


if not others:
    st.info(
        f"There is only one network of {info.title} so far. Train another one in the Model lab; it then appears here.",
        icon=":material/science:",
    )
    lab = navigation.page("lab")
    st.page_link(lab.file, label=lab.title, icon=lab.icon)
else:
    other_key, split = other_network_ui()
    b = sel.with_network(other_key, options[other_key], *network_of(sel.dataset, other_key))
    if sel.stacked or b.stacked:
        st.caption("For a network of stacked layers, its top layer is shown.")
    a = sel.with_network(sel.network, sel.network_label, sel.model, sel.history, sel.kept_epoch)
    recording_ui(a, b)
    split_ui(a, b, split)
