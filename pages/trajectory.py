"""Class trajectory: every class's probability after every time step (MATLAB's classifyAndUpdateState loop)."""

import streamlit as st

from core.presentation import charts, frames
from core.presentation.numbers import percent
from core.presentation.summary import SURE, observation_summary, summary_facts
from ui import computed, display, state
from ui.header import page_header

sel = state.selection()
info = sel.info
word = info.class_word
trace = computed.trace(sel)
facts = summary_facts(trace, sel.label)

page_header(
    sel,
    "Class trajectory",
    "The network does not wait for the end of the recording: after **every time step** it says how likely each "
    f"of the {info.n_classes} {info.class_word_plural} is. Each line below is one {word}; the thick line is the "
    f"true {word}. Watch the decision form as the recording comes in.",
    ["probability", "softmax", "time step", "class"],
)
st.info(observation_summary(trace, sel.label, info=info), icon=":material/insights:")

c1, c2, c3, c4, c5 = st.columns(5)
c1.metric(f"True {word}", info.class_names[sel.label - 1] if sel.label is not None else "unknown")
c2.metric("Final answer", info.class_names[facts.predicted - 1], help=f"The {word} with the highest probability.")
c3.metric("Confidence", percent(facts.confidence), help="The final answer's probability after the last step.")
c4.metric(
    "Settled from step",
    f"{facts.settling_step} of {sel.n_steps}",
    help=f"From this step on, the network's answer no longer changes. It was {percent(facts.settled_confidence)} "
    "sure of it then.",
)
c5.metric(
    f"{percent(SURE)} sure from step",
    "never" if facts.sure_step is None else f"{facts.sure_step} of {sel.n_steps}",
    help=f"From this step on, the final answer's probability stays at {percent(SURE)} or above.",
)


@st.fragment
def stepper():
    step = state.bound(
        st.slider,
        "Time step",
        1,
        sel.n_steps,
        value=sel.n_steps,
        key="traj_step",
        help="Shows the probabilities after this step, as the network saw them then.",
    )
    left, right = st.columns([3, 2])
    display.altair(
        charts.trajectory_chart(trace.probs, step=step, true_label=sel.label, title=sel.title, info=info),
        key="traj_chart",
        where=left,
    )
    display.altair(
        charts.probs_at_step_chart(trace.probs[step - 1], None, true_label=sel.label, info=info),
        key="traj_bars",
        where=right,
    )


stepper()

with st.expander("The answer after each step"):
    st.dataframe(
        frames.predictions_frame(trace.probs, info=info),
        hide_index=True,
        key="traj_table",
        column_config={"probability": st.column_config.ProgressColumn(format="%.2f", min_value=0, max_value=1)},
    )
