"""Activations: MATLAB's heatmap of hidden units over time steps, and the gates and cell state behind it."""

import streamlit as st

from core.analyses import units
from core.presentation import charts, describe, frames
from core.presentation.glossary import explain
from core.presentation.summary import observation_summary
from ui import computed, display, state
from ui.header import page_header

sel = state.selection()
info = sel.info
trace = computed.trace(sel)
H = sel.model.config.hidden_size

QUANTITY_LABELS = {
    "hidden": "Hidden state",
    "cell": "Cell state",
    "input": "Input gate",
    "forget": "Forget gate",
    "cell candidate": "Cell candidate",
    "output": "Output gate",
}
QUANTITY_HELP = {
    "hidden": "what each unit passes on to the next step and to the answer",
    "cell": "each unit's memory",
    "input": "how much new information each unit lets in",
    "forget": "how much of its memory each unit keeps",
    "cell candidate": "the new information on offer",
    "output": "how much of its memory each unit shows",
}
ORDERS = {"number": "By unit number", "activity": "Most active first"}

page_header(
    sel,
    "Activations",
    f"{sel.units_owner.capitalize()} has {H} **hidden units** (small internal dials, each holding one number that "
    "changes as the recording is read). The heatmap shows one row per unit and one column per time step, and "
    "colours each cell by the unit's value at that moment; under *What to show* it says which colour is which. "
    "This is the figure of MATLAB's example, for any units and any recording.",
    ["hidden unit", "hidden state", "activation", "cell state", "gate", "input gate", "forget gate"]
    + ["cell candidate", "output gate", "time step", "heatmap"],
)
st.info(observation_summary(trace, sel.label, info=info), icon=":material/insights:")

quantity = state.bound(
    st.selectbox,
    "What to show",
    list(QUANTITY_LABELS),
    key="act_q",
    format_func=QUANTITY_LABELS.get,
    help=explain("gate", info=info),
)
values = units.quantity_values(trace, quantity)  # (T, H)
scale = charts.scale_for(quantity, values)  # fitted to every step, so the colours hold still as the step moves
st.caption(f"{QUANTITY_LABELS[quantity]}: {QUANTITY_HELP[quantity]}. {describe.colour_words(quantity, scale)}")
c1, c2 = st.columns([3, 2])
with c1:
    first, last = state.bound(
        st.slider,
        "Hidden units",
        1,
        H,
        value=(1, min(10, H)),
        key="act_units",
        help="Which units (rows) to show; MATLAB's example shows the first 10.",
    )
with c2:
    order = state.bound(
        st.radio,
        "Order of the rows",
        list(ORDERS),
        key="act_order",
        format_func=ORDERS.get,
        horizontal=True,
        help="“Most active” puts the units with the largest average absolute value on top.",
    )
shown = units.shown_units(values, first, last, by_activity=order == "activity")  # 0-based


@st.fragment
def step_explorer():
    """The time-step slider and the charts it moves: a step change reruns only this part.

    Only what depends on the step is in here, because every element of a fragment is sent to the browser
    again on each of its reruns, and each one costs the browser a redraw of the page.
    """
    step = state.bound(
        st.slider,
        "Time step",
        1,
        sel.n_steps,
        key="act_step",
        help="Outlines this step on the heatmap and lists the units' values at it.",
    )
    display.altair(
        charts.heatmap_chart(
            values[:, shown],
            shown + 1,
            quantity=quantity,
            step=step,
            scale=scale,
            title=f"{sel.title}: {QUANTITY_LABELS[quantity].lower()}",
        ),
        key="act_heatmap",
    )
    display.altair(
        charts.values_at_step_chart(values[step - 1, shown], shown + 1, quantity=quantity, scale=scale),
        key="act_values",
    )


step_explorer()
st.download_button(
    "Download the shown values as CSV",
    frames.heatmap_long(values[:, shown], shown + 1).to_csv(index=False),
    file_name=f"activations_{quantity.replace(' ', '_')}.csv",
    mime="text/csv",
    key="act_download",
)
