"""Activations: MATLAB's heatmap of hidden units over time steps, and the gates and cell state behind it."""

import streamlit as st

from core.analyses import units
from core.presentation import charts, frames
from core.presentation.glossary import explain, glossary_markdown
from core.presentation.summary import observation_summary
from ui import display, state

sel = state.selection()
info = sel.info
trace = sel.trace()
H = sel.model.config.hidden_size

QUANTITY_LABELS = {
    "hidden": "Hidden state: what each unit passes on",
    "cell": "Cell state: each unit's memory",
    "input": "Input gate: how much new information is let in",
    "forget": "Forget gate: how much of the memory is kept",
    "cell candidate": "Cell candidate: the new information on offer",
    "output": "Output gate: how much of the memory is shown",
}
ORDERS = {"number": "By unit number", "activity": "Most active first"}
# link parameters: name, widget key, values, default, what a good value is
LINK = (
    state.LinkParam("q", "act_quantity", state.one_of(QUANTITY_LABELS), "hidden", "a known quantity"),
    state.LinkParam("units", "act_units", state.range_in(1, H), (1, 10), f"a range like 1-10 within 1-{H}"),
    state.LinkParam("step", "act_step", state.int_in(1, sel.n_steps), 1, f"a step from 1 to {sel.n_steps}"),
    state.LinkParam("order", "act_order", state.one_of(ORDERS), "number", "number or activity"),
)

st.title("Activations")
st.info(observation_summary(trace, sel.label, info=info), icon=":material/insights:")
st.markdown(
    f"{sel.units_owner.capitalize()} has "
    f"{H} **hidden units**. At every time step each unit takes a value between −1 and 1. The heatmap shows "
    "one row per unit and one column per time step: **red** means the unit is strongly positive at that moment, "
    "**blue** strongly negative, **white** near zero. This is the figure of MATLAB's example, for any units and "
    "any recording."
)
if sel.stacked:
    st.caption(sel.layer_note)
with st.expander("What do these words mean?"):
    st.markdown(
        glossary_markdown(
            [
                "hidden unit",
                "hidden state",
                "activation",
                "cell state",
                "gate",
                "input gate",
                "forget gate",
                "cell candidate",
                "output gate",
                "time step",
                "heatmap",
            ],
            info=info,
        )
    )

state.use_link(LINK)

quantity = st.selectbox(
    "What to show",
    list(QUANTITY_LABELS),
    format_func=QUANTITY_LABELS.get,
    key="act_quantity",
    help=explain("gate", info=info),
)
c1, c2 = st.columns([3, 2])
first, last = c1.slider(
    "Hidden units", 1, H, key="act_units", help="Which units (rows) to show; MATLAB's example shows the first 10."
)
order = c2.radio(
    "Order of the rows",
    list(ORDERS),
    format_func=ORDERS.get,
    key="act_order",
    horizontal=True,
    help="“Most active” puts the units with the largest average absolute value on top.",
)
values = units.quantity_values(trace, quantity)  # (T, H)
shown = units.shown_units(values, first, last, by_activity=order == "activity")  # 0-based
scale = charts.scale_for(quantity, values)  # fitted to every step, so the colours hold still as the step moves


@st.fragment
def step_explorer():
    """The time-step slider and the charts it moves: a step change reruns only this part.

    Only what depends on the step is in here, because every element of a fragment is sent to the browser
    again on each of its reruns, and each one costs the browser a redraw of the page.
    """
    step = st.slider(
        "Time step",
        1,
        sel.n_steps,
        key="act_step",
        help="Outlines this step on the heatmap and lists the units' values at it.",
    )
    display.altair(
        charts.heatmap_chart(
            values[:, shown], shown + 1, quantity=quantity, step=step, scale=scale, title=f"{sel.title}: {quantity}"
        ),
        key="act_heatmap",
    )
    display.altair(
        charts.values_at_step_chart(values[step - 1, shown], shown + 1, quantity=quantity, scale=scale),
        key="act_values",
    )
    state.write_url(LINK)


step_explorer()
st.download_button(
    "Download the shown values as CSV",
    frames.heatmap_long(values[:, shown], shown + 1).to_csv(index=False),
    file_name=f"activations_{quantity.replace(' ', '_')}.csv",
    mime="text/csv",
    key="act_download",
)
