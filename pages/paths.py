"""Hidden-state paths: every recording's path through the network's memory, squeezed onto a flat map (PCA)."""

import streamlit as st

from core.analyses import projection
from core.presentation import charts
from core.presentation.glossary import explain
from core.presentation.honesty import map_grouping_sentence
from core.presentation.numbers import percent, percent_total
from core.presentation.summary import observation_summary
from ui import computed, display, state
from ui.header import network_skill, page_header

sel = state.selection()
trace = computed.trace(sel)
data = sel.dataset
info = sel.info
word = info.class_word
T = sel.n_steps
BACKGROUNDS = {"train": "Training set", "test": "Test set"}

page_header(
    sel,
    "Hidden-state paths",
    f"At every time step the network's memory is the values of its {sel.model.config.hidden_size} hidden units"
    f"{' in layer ' + str(sel.layer + 1) if sel.stacked else ''}: "
    "too many numbers to draw at once. Here they are squeezed onto a flat map that keeps as much of their "
    "differences as possible. **Each dot is the network's whole memory at one moment, squeezed onto a flat map**; "
    "joining one recording's dots, step after step, gives its *path*.\n\n"
    f"The faint lines are the paths of many recordings, coloured by {word}. The thick line is "
    f"{'your sequence' if sel.split == 'upload' else 'the recording chosen in the sidebar'}, and the large amber "
    f"dot is where its memory is at the time step you pick. Where the recordings of one {word} end up together, "
    "the map shows where the network makes up its mind; the line below says how far it does.",
    ["hidden state", "hidden unit", "PCA / projection", "principal component", "time step", "class"],
)
st.info(observation_summary(trace, sel.label, info=info), icon=":material/insights:")

pca = computed.hidden_pca(sel)
share = pca.explained_variance_ratio  # (2,)
train_ends, test_ends = (
    projection.endings(computed.projected_split(sel, split), computed.split_traces(sel, split).lengths)
    for split in ("train", "test")
)  # each (N, 2)
st.markdown(
    map_grouping_sentence(
        projection.endings_grouped(train_ends, data.train.labels, test_ends, data.test.labels),
        network_skill(sel).majority,
        info=info,
    )
)
c1, c2, c3 = st.columns(3)
c1.metric(
    "Variation left to right",
    percent(share[0]),
    help="The share of the variation of the memories that lies along the map's left-to-right direction (PC 1). "
    + explain("PCA / projection", info=info),
)
c2.metric(
    "Variation bottom to top",
    percent(share[1]),
    help="The share of the variation that lies along the map's bottom-to-top direction (PC 2).",
)
c3.metric(
    "Variation the map keeps",
    percent_total(share),
    help=f"The two together. The map was made from every memory of the {len(data.train)} training recordings; "
    "what it does not show are differences in other directions.",
)


@st.fragment
def path_map():
    """The time-step slider, the background chooser and the map: a slider move reruns only this part."""
    left, right = st.columns([3, 2])
    with left:
        step = state.bound(
            st.slider,
            "Time step",
            1,
            T,
            value=T,
            key="paths_step",
            help="Moves the amber dot along the thick path. " + explain("time step", info=info),
        )
    with right:
        background = state.bound(
            st.radio,
            "Faint paths from",
            list(BACKGROUNDS),
            format_func=BACKGROUNDS.get,
            key="paths_bg",
            horizontal=True,
            help=f"Whose paths to draw behind the chosen one: the {len(data.train)} training or the "
            f"{len(data.test)} test recordings.",
        )
    batch = computed.split_traces(sel, background)
    focus = projection.project(pca, trace.hidden)  # (T, 2)
    # The step stays out of the title, so that a step change updates the map in place instead of rebuilding it.
    display.altair(
        charts.hidden_paths_chart(
            computed.projected_split(sel, background),
            batch.lengths,
            data.split(background).labels,
            focus=focus,
            focus_label=sel.label,
            step=step,
            explained=share,
            title=sel.title,
            info=info,
        ),
        key="paths_chart",
    )
    predicted = int(trace.predictions[step - 1])
    st.caption(
        f"After step {step}, the network's best guess is {info.class_names[predicted - 1]} "
        f"({percent(trace.probs[step - 1, predicted - 1])} sure). The labels “start” and “end” mark the first and "
        "last steps. Hover over a faint line to see which recording it is."
    )


path_map()
