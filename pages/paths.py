"""Hidden-state paths: every recording's path through the network's memory, squeezed onto a flat map (PCA)."""

import streamlit as st

from core.analyses import projection
from core.presentation import charts
from core.presentation.glossary import explain, glossary_markdown
from core.presentation.summary import observation_summary
from ui import display, state

sel = state.selection()
trace = sel.trace()
data = sel.dataset
info = sel.info
word = info.class_word
T = sel.n_steps
BACKGROUNDS = {"train": f"Training set ({len(data.train)})", "test": f"Test set ({len(data.test)})"}
# link parameters: name, widget key, values, default, what a good value is
LINK = (
    state.LinkParam("step", "paths_step", state.int_in(1, T), T, f"a step from 1 to {T}"),
    state.LinkParam("bg", "paths_split", state.one_of(BACKGROUNDS), "train", "train or test"),
)

st.title("Hidden-state paths")
st.info(observation_summary(trace, sel.label, info=info), icon=":material/insights:")
st.markdown(
    f"At every time step the network's memory is the values of its {sel.model.config.hidden_size} hidden units"
    f"{' in layer ' + str(sel.layer + 1) if sel.stacked else ''}: "
    "too many numbers to draw at once. Here they are squeezed onto a flat map that keeps as much of their "
    "differences as possible. **Each dot is the network's whole memory at one moment, squeezed onto a flat map**; "
    "joining one recording's dots, step after step, gives its *path*.\n\n"
    f"The faint lines are the paths of many recordings, coloured by {word}. The thick line is "
    f"{'your sequence' if sel.split == 'upload' else 'the recording chosen in the sidebar'}, and the large amber "
    f"dot is where its memory is at the time step you pick. Recordings of the same {word} tend to end up in the "
    "same region of the map: that is where the network makes up its mind."
)
with st.expander("What do these words mean?"):
    st.markdown(
        glossary_markdown(["hidden state", "hidden unit", "PCA / projection", "time step", "class"], info=info) + "\n"
        "- **PC 1, PC 2**: the two directions of the map. PC 1 is the direction in which the memories "
        "differ the most, PC 2 the next most; the percentages say how much of all the differences each "
        "direction shows (the rest is lost in the squeezing)."
    )

pca = sel.hidden_pca()
share = pca.explained_variance_ratio  # (2,)
c1, c2, c3 = st.columns(3)
c1.metric("Spread shown left to right", f"{share[0]:.0%}", help=explain("PCA / projection", info=info))
c2.metric("Spread shown bottom to top", f"{share[1]:.0%}", help="The second direction of the map (PC 2).")
c3.metric(
    "so the flat map keeps",
    f"{share.sum():.0%}",
    help=f"The map was made from every memory of the {len(data.train)} training recordings; what it does not show are "
    "differences in other directions.",
)

state.use_link(LINK)


@st.fragment
def path_map():
    """The time-step slider, the background chooser and the map: a slider move reruns only this part."""
    left, right = st.columns([3, 2])
    step = left.slider(
        "Time step",
        1,
        T,
        key="paths_step",
        help="Moves the amber dot along the thick path. " + explain("time step", info=info),
    )
    background = right.radio(
        "Faint paths from",
        list(BACKGROUNDS),
        format_func=BACKGROUNDS.get,
        key="paths_split",
        horizontal=True,
        help="Whose paths to draw behind the chosen one.",
    )
    batch = sel.split_traces(background)
    focus = projection.project(pca, trace.hidden)  # (T, 2)
    # The step stays out of the title, so that a step change updates the map in place instead of rebuilding it.
    display.altair(
        charts.hidden_paths_chart(
            sel.projected_split(background),
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
        f"({trace.probs[step - 1, predicted - 1]:.0%} sure). The labels “start” and “end” mark the first and "
        "last steps. Hover over a faint line to see which recording it is."
    )
    state.write_url(LINK)


path_map()
