"""Where it goes wrong: the test recordings the network misnames, chosen from a clickable confusion matrix."""

import streamlit as st

import core
from core.analyses import mistakes
from core.compute.checks import counted
from core.presentation import charts
from core.presentation.glossary import explain
from core.presentation.numbers import accuracy_percent
from core.presentation.summary import final_answer_words
from ui import computed, display, navigation, state
from ui.header import page_header

sel = state.selection()
data = sel.dataset
info = sel.info
word = info.class_word
batch = computed.split_traces(sel, "test")
labels = data.test.labels  # (N,)
score = core.score_split(batch, labels)
C = score.confusion.shape[0]
N_CLOSEST = 5  # recordings listed when the network makes no mistakes
N_LISTED = 20  # mistakes listed (and drawn) unless the user asks for them all


def name(k: int) -> str:
    """Class ``k`` (1-based) as people read it."""
    return info.class_names[k - 1]


# The cells that hold mistakes, as "true-predicted", for the chooser and the link (labels without counts, so that
# a link names a cell the same way for any network).
CELLS = {"all": "All mistakes"}
CELLS.update(
    {
        f"{t}-{p}": f"{name(t)[:1].upper() + name(t)[1:]} taken for {name(p)}"
        for t in range(1, C + 1)
        for p in range(1, C + 1)
        if t != p and score.confusion[t - 1, p - 1]
    }
)


def _on_cell_click() -> None:
    """Chart callback: a click on a square chooses that cell in the list (a square without mistakes: all)."""
    points = (st.session_state.get("mis_confusion") or {}).get("selection", {}).get("cell") or []
    if not points:
        st.session_state["mis_cell"] = "all"
        return
    true, predicted = int(points[0]["true"]), int(points[0]["predicted"])
    cell = f"{true}-{predicted}"
    if cell in CELLS:
        st.session_state["mis_cell"] = cell
        return
    st.session_state["mis_cell"] = "all"
    st.session_state["mis_note"] = (
        f"That square counts recordings of {name(true)} that the network named {name(predicted)}: "
        + ("right answers, not mistakes." if true == predicted else "there are none.")
        + " All the mistakes are listed instead."
    )


page_header(
    sel,
    "Where it goes wrong",
    f"On the {len(labels)} test recordings, which it never saw while learning, the network names the right {word} "
    f"{counted(len(labels) - score.n_wrong, 'time')} and the wrong one **{counted(score.n_wrong, 'time')}**. "
    + ("This page is about those mistakes. " if score.n_wrong else "")
    + f"The square table counts every answer: each row is the true {word} of the recordings, each column "
    f"the {word} the network named. Green squares on the diagonal are right answers"
    + ("; **red squares are mistakes**. " if score.n_wrong else ". ")
    + (
        "**Click a red square** (or pick it in the list) to see the recordings behind it, how sure the network "
        "was, and open any of them to watch its guess form step by step."
        if score.n_wrong
        else "Without mistakes, the page shows the network's closest calls: the right answers it was least sure of."
    ),
    ["confusion matrix", "probability", "class", "accuracy"],
)

c1, c2 = st.columns(2)
c1.metric("Test accuracy", accuracy_percent(score.accuracy), help=explain("accuracy", info=info))
c2.metric("Mistakes", f"{score.n_wrong} of {len(labels)}")


def show_mistakes() -> None:
    """The clickable table, the chosen cell's recordings with their final chances, and a button for each."""
    left, right = st.columns([2, 3])
    with left:
        chosen = st.session_state.get("mis_cell", "all")
        chosen = chosen if chosen in CELLS else "all"
        outline = None if chosen == "all" else tuple(int(v) for v in chosen.split("-"))
        display.altair(
            charts.confusion_choice_chart(score.confusion, outline, info=info),
            on_select=_on_cell_click,
            selection_mode="cell",
            key="mis_confusion",
        )
        st.caption(
            f"Rows: the true {word}. Columns: the {word} the network named."
            + ("" if outline is None else " The amber outline marks the chosen square.")
        )
    with right:
        cell = state.bound(
            st.selectbox,
            "Mistakes to list",
            list(CELLS),
            key="mis_cell",
            format_func=CELLS.get,
            help=f"All mistakes, or one red square of the table: one {word} taken for another.",
        )
        if note := st.session_state.pop("mis_note", None):
            st.info(note, icon=":material/info:")
        true, predicted = (None, None) if cell == "all" else (int(v) for v in cell.split("-"))
        wrong = mistakes.misclassified(score.predicted, labels, true, predicted, n_classes=C)  # 0-based indices
        if len(wrong) > N_LISTED:
            every = st.toggle(
                f"List all {len(wrong)}",
                key="mis_all",
                persist_state="session",
                help=f"Without it, the first {N_LISTED} by recording number are listed, to keep the page short.",
            )
        else:
            every = True
        shown = wrong if every else wrong[:N_LISTED]
        final = batch.final_probs[shown]  # (k, C)
        display.altair(
            charts.final_probs_chart(
                final, shown + 1, labels[shown], title="The network's final chances, one row per recording", info=info
            ),
            key="mis_probs",
        )
        st.caption(
            f"Each row is one misnamed recording; each square is the chance the network gave that {word} "
            f"after the last time step. The amber outline marks the true {word}."
        )

    st.subheader(f"The {counted(len(wrong), 'recording')}")
    if len(shown) < len(wrong):
        st.caption(
            f"The first {len(shown)} of {len(wrong)}, by recording number; {len(wrong) - len(shown)} more are not "
            f"listed. Switch on *List all {len(wrong)}* above to see them, or choose one red square (one {word} taken "
            "for another) to list only its recordings."
        )
    _list_recordings(shown, final)


def _list_recordings(indices, final) -> None:
    """One line per test recording of ``indices`` (0-based) with its final chances ``final`` (k, C): what the
    network said and how sure it was, and a button that opens it on the Class trajectory page."""
    for i, probs in zip(indices, final, strict=True):
        verdict = final_answer_words(probs, int(labels[i]), info=info)
        with st.container(border=True):
            text, button = st.columns([3, 1], vertical_alignment="center")
            text.markdown(
                f"**Test recording {i + 1}** ({counted(data.test.sequences[i].shape[1], 'time step')}): {verdict}"
            )
            button.button(
                "Open trajectory",
                key=f"mis_open_{i + 1}",
                icon=":material/show_chart:",
                on_click=state.open_page,
                args=(navigation.page("trajectory"),),
                kwargs={"split": "test", "obs": int(i + 1)},
                help="Opens the Class trajectory page: how the network's guess changed, step by step, for this "
                "recording.",
            )


def show_closest_calls() -> None:
    """For a network without mistakes: the table of its answers, and the recordings it was least sure of."""
    closest = mistakes.least_sure(batch.final_probs, N_CLOSEST)  # 0-based, least sure first
    final = batch.final_probs[closest]  # (k, C)
    left, right = st.columns([2, 3])
    with left:
        display.altair(charts.confusion_chart(score.confusion, info=info), key="mis_matrix")
        st.caption(f"Rows: the true {word}. Columns: the {word} the network named. Every answer is on the diagonal.")
    with right:
        display.altair(
            charts.final_probs_chart(
                final,
                closest + 1,
                labels[closest],
                title="Its closest calls: the answers it was least sure of",
                info=info,
            ),
            key="mis_probs",
        )
        st.caption(
            f"Each row is one of the {len(closest)} test recordings the network was least sure about; each square is "
            f"the chance it gave that {word} after the last time step. The amber outline marks the true {word}."
        )
    st.subheader("Its closest calls")
    _list_recordings(closest, final)


if score.n_wrong == 0:
    st.success(
        "This network names every test recording right: there are no mistakes to show. Below are the answers it was "
        "least sure of instead.",
        icon=":material/check_circle:",
    )
    show_closest_calls()
else:
    show_mistakes()
