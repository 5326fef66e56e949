"""Silence units: switch hidden units off and see what the network loses, on one recording and on the test set."""

import numpy as np
import streamlit as st

import core
from core.analyses import ablation, units
from core.presentation import charts, describe
from core.presentation.glossary import explain
from core.presentation.numbers import accuracy_percent, change, percent
from core.presentation.summary import summary_facts
from ui import computed, display, state
from ui.header import page_header

sel = state.selection()
data = sel.dataset
info = sel.info
word = info.class_word
H = sel.model.config.hidden_size
N_TEST = len(data.test)
labels = data.test.labels  # (N,)
plain = computed.split_traces(sel, "test").final_predictions  # (N,)
classes = units.class_units(computed.selectivity(sel, "test"))  # which class each unit singles out: the one meaning
default_class = sel.label if sel.label is not None else 1
K_MAX = min(H, 50)


def name(k: int) -> str:
    """Class ``k`` (1-based) as people read it."""
    return info.class_names[k - 1]


def units_for(k_class: int, k: int) -> list[int]:
    """Up to ``k`` units (1-based, sorted) that single out class ``k_class``, the strongest ones (as listed on
    *What a unit responds to*)."""
    return sorted(int(u) + 1 for u in classes.for_class(k_class)[:k])


page_header(
    sel,
    "Silence units",
    "What happens if some of the network's hidden units stop working? Here you **silence** units: from a time "
    "step you choose, their output is forced to zero, as if they had been unplugged, while the rest of the "
    "network works as before. If the network's answer gets worse, those units mattered. Researchers call this "
    "*ablation*. Nothing is changed for good: every view starts again from the trained network.",
    ["ablation", "hidden unit", "selectivity", "accuracy", "probability", "time step", "class"],
)
# The quick choice's class follows the recording chosen in the sidebar until the user picks another.
state.link.restart_when(("abl_speaker",), (sel.dataset.key, sel.split, sel.index))


def fill_from_preset() -> None:
    """The quick choice's button: put the K most selective units for the chosen class into the list."""
    st.session_state["abl_units"] = units_for(st.session_state["abl_speaker"], st.session_state["abl_k"])


@st.fragment
def silencer():
    """The choice of units and every view of its effect: changing the choice reruns only this part."""
    with st.container(border=True):
        st.markdown(
            f"**Quick choice:** silence the units that single out one {word}, on or off for it, the strongest first "
            "(as listed on *What a unit responds to*)."
        )
        c1, c2, c3 = st.columns([2, 3, 2], vertical_alignment="bottom")
        chosen_class = c1.selectbox(
            word.capitalize(),
            list(range(1, info.n_classes + 1)),
            index=default_class - 1,
            key="abl_speaker",
            persist_state="session",
            format_func=lambda k: name(k)[:1].upper() + name(k)[1:],
            help=f"Starts at the {word} of the recording chosen in the sidebar. " + explain("class", info=info),
        )
        state.link.keep_in_range("abl_k", 1, K_MAX)  # a network with fewer units
        k = c2.slider(
            "How many units",
            1,
            K_MAX,
            value=min(20, K_MAX),
            key="abl_k",
            persist_state="session",
            help=f"How many of the units that single out that {word} to silence, the strongest first. "
            + explain("selectivity", info=info),
        )
        available = len(classes.for_class(chosen_class))
        n_quick = min(k, available)
        c3.button(
            "Silence this one" if n_quick == 1 else f"Silence these {n_quick}" if n_quick else "Silence them",
            key="abl_fill",
            on_click=fill_from_preset,
            icon=":material/volume_off:",
            disabled=available == 0,
            help=f"Puts the units that single out {name(chosen_class)} into the list below.",
        )
        if available < k:
            st.caption(
                f"Only {available} unit{'s' if available != 1 else ''} single{'s' if available == 1 else ''} out "
                f"{name(chosen_class)}; the quick choice takes {'them' if available != 1 else 'it'}."
                if available
                else f"No unit singles out {name(chosen_class)}, so the quick choice has nothing to silence."
            )

    chosen = state.bound(
        st.multiselect,
        "Units to silence",
        list(range(1, H + 1)),
        default=units_for(default_class, 20),
        key="abl_units",
        format_func=lambda u: f"Unit {u}",
        placeholder="Choose hidden units to switch off",
        help="Type a number to find a unit. " + explain("hidden unit", info=info),
    )
    from_step = state.bound(
        st.slider,
        "Silence them from time step",
        1,
        sel.n_steps,
        key="abl_from",
        help="Before this step the units work normally; from this step to the end of the "
        "recording their output is zero. On the test set, recordings shorter than this "
        "are not affected. " + explain("time step", info=info),
    )
    silenced = tuple(u - 1 for u in chosen)  # 0-based

    after = computed.ablation_predictions(sel, silenced, from_step - 1)  # (N,)
    C = info.n_classes
    acc_before, acc_after = core.accuracy(plain, labels, C), core.accuracy(after, labels, C)
    right_before, right_after = int(np.sum(plain == labels)), int(np.sum(after == labels))
    broken = int(np.sum((plain == labels) & (after != labels)))
    mended = int(np.sum((plain != labels) & (after == labels)))
    changed = int(np.sum(plain != after))
    lost = right_before - right_after

    st.subheader("On the whole test set")
    c1, c2, c3 = st.columns(3)
    moved = change(acc_before, acc_after, 1)  # worked out from the two accuracies as shown
    c1.metric(
        "Test accuracy with these units silenced",
        accuracy_percent(acc_after),
        delta=moved.signed if chosen else None,
        delta_arrow=moved.arrow,
        delta_color=moved.colour,
        help=f"As trained: {accuracy_percent(acc_before)}. " + explain("accuracy", info=info),
    )
    c2.metric(
        "Recordings that change their answer",
        f"{changed} of {N_TEST}",
        help=f"Test recordings for which the network names a different {word} than before, right or wrong.",
    )
    c3.metric(
        "Right answers",
        describe.answers_change_words(lost),
        help="Right answers with the units silenced, compared with the network as trained.",
    )
    if not chosen:
        st.info(
            "No units are silenced, so the network works exactly as trained. Choose units above, or use the "
            "quick choice.",
            icon=":material/info:",
        )
    else:
        st.markdown(describe.silencing_summary(len(chosen), from_step, broken, mended, (acc_before, acc_after)))
        if abs(lost) <= 2:
            st.caption(
                "Little changes? The network spreads what it knows over many units, so losing a few rarely "
                "matters. Try more units, or the quick choice with a larger number."
            )

    before_cm = core.confusion_matrix(plain, labels, n_classes=info.n_classes)
    after_cm = core.confusion_matrix(after, labels, n_classes=info.n_classes)
    display.altair(
        charts.ablation_classes_chart(np.diag(before_cm), np.diag(after_cm), before_cm.sum(axis=1), info=info),
        key="abl_speakers",
    )
    st.caption(
        f"For each {word}, the grey bar is the share of its test recordings the trained network names "
        "right, the red bar the share with the units silenced. Silencing the units that single out one "
        f"{word} often hurts that {word} more than the others, though not always: the network spreads "
        "what it knows over many units."
    )

    st.subheader(f"On {sel.title[0].lower() + sel.title[1:]}")
    trace_before, trace_after = ablation.compare_trajectories(
        sel.model, sel.x, list(silenced) or None, from_step - 1, silenced_layer=sel.layer
    )
    left, right = st.columns(2)
    for column, trace, title, key in (
        (left, trace_before, "As trained", "abl_before"),
        (right, trace_after, "With the units silenced", "abl_after"),
    ):
        facts = summary_facts(trace, sel.label)
        # Both charts mark the step (same axes side by side).
        display.altair(
            charts.trajectory_chart(trace.probs, step=from_step, true_label=sel.label, title=title, info=info),
            key=key,
            where=column,
        )
        verdict = "" if facts.correct is None else (" (right)" if facts.correct else " (wrong)")
        column.markdown(f"Final answer: **{name(facts.predicted)}**{verdict}, {percent(facts.confidence)} sure.")
    st.caption(
        f"Each line is one {word}'s probability after every time step, as on the Class trajectory page; "
        f"the thick line is the true {word}. The dashed amber line marks the step from which the units are "
        "silenced on the right: before it the two pictures are the same."
    )


silencer()
