"""What a unit responds to: one hidden unit over every test recording, per class, and every unit in plain words."""

import numpy as np
import streamlit as st

from core.analyses import units
from core.presentation import charts, describe
from core.presentation.glossary import explain
from ui import display, state
from ui.header import page_header

sel = state.selection()
data = sel.dataset
info = sel.info
word = info.class_word
H = sel.model.config.hidden_size
N_TEST = len(data.test)
batch = sel.split_traces("test")
stats = sel.unit_stats("test")  # list of UnitStats, unit order
means = units.class_means(batch, data.test.labels, n_classes=sel.info.n_classes)  # (C, H)
table = describe.unit_table(stats, info=info)  # one row per unit, unit order
ranking = units.rank_units(np.abs(table["selectivity"].to_numpy()))  # (H,) 0-based, most selective first
ranked = table.iloc[ranking].reset_index(drop=True)
ranked.insert(0, "rank", np.arange(1, H + 1))
ranked[f"best {word}"] = [info.class_names[k - 1] for k in ranked[f"best {word}"]]  # the class's name

page_header(
    sel,
    "What a unit responds to",
    f"{sel.units_owner.capitalize()} has {H} **hidden units**, small internal dials that each react to some "
    "pattern in the recordings. Here you pick one unit and see how it behaves on all "
    f"{N_TEST} test recordings at once. Many units fire more for one {word} than for the others: that is how "
    f"the network tells the {info.n_classes} {info.class_word_plural} apart. Pick a unit with the slider, or "
    "click a bar or a row in the lists further down.",
    ["hidden unit", "selectivity", "class", "time step", "ablation"],
)


def _matching_rows(search: str):
    """The ranked table's rows whose description contains ``search`` (any case)."""
    search = search.strip().casefold()
    if not search:
        return ranked
    return ranked[ranked["description"].str.casefold().str.contains(search, regex=False)].reset_index(drop=True)


def _open_rank_pick() -> None:
    """The ranking chart's callback: look at the unit of the clicked bar."""
    pick = ((st.session_state.get("units_rank") or {}).get("selection") or {}).get("pick") or []
    units_picked = [int(p["unit"]) for p in pick if isinstance(p, dict) and "unit" in p]
    if units_picked:
        st.session_state["units_unit"] = units_picked[0]


def _open_table_pick() -> None:
    """The table's callback: look at the unit of the clicked row (of the rows the search shows)."""
    rows = ((st.session_state.get("units_table") or {}).get("selection") or {}).get("rows") or []
    shown = _matching_rows(st.session_state.get("units_search", ""))
    if rows and rows[0] < len(shown):
        st.session_state["units_unit"] = int(shown["unit"].iloc[rows[0]])


@st.fragment
def explorer():
    """The unit slider and everything that depends on it: a slider move or a pick reruns only this part."""
    unit = state.bound(
        st.slider,
        "Hidden unit",
        1,
        H,
        value=int(ranking[0]) + 1,
        key="units_unit",
        help=explain("hidden unit", info=info) + " Starts at the most selective unit.",
    )
    s = stats[unit - 1]
    st.info(f"**{describe.describe_unit(s, info=info)}**", icon=":material/tune:")

    c1, c2, c3 = st.columns(3)
    direction = "goes quiet for" if s.is_off_unit else "fires for"
    c1.metric(
        f"{word.capitalize()} it singles out",
        info.class_names[s.speaker - 1],
        help=f"The {word} this unit {direction} most, compared with the other {info.n_classes - 1}.",
    )
    c2.metric(
        "Selectivity",
        f"{abs(s.selectivity):.2f}",
        help=explain("selectivity", info=info) + f" 0 means no {word} stands out; about 3 is as high as it goes. "
        "Above 2 is called strong, above 1.5 moderate, above 1 weak.",
    )
    c3.metric(
        "Cost of silencing it",
        f"{s.cost} of {N_TEST}",
        help="How many more test recordings the network gets wrong when only this unit is switched off "
        "(negative: it then gets more right). Try it on the Silence units page.",
    )

    left, right = st.columns([3, 2])
    highlight = sel.index if sel.split == "test" else None
    display.altair(
        charts.unit_lines_chart(
            batch.hidden[:, :, unit - 1],
            batch.lengths,
            data.test.labels,
            unit=unit,
            highlight=highlight,
            title=f"Unit {unit} in all {N_TEST} test recordings",
            info=info,
        ),
        key="units_lines",
        where=left,
    )
    left.caption(
        "Each thin line is one test recording: how high this unit was (from −1 to 1) at every time step, coloured "
        f"by {word}. If one colour sits apart from the rest, the unit helps to recognise that {word}. "
        f"Click {info.a_class_word} in the legend to bring out only its lines (click again elsewhere in the legend, or "
        "double-click, to see all)."
        + (
            f" The thick line with dots is the recording chosen in the sidebar ({sel.title})."
            if highlight is not None
            else " Choose a test recording in the sidebar to see it drawn thick."
        )
    )
    display.altair(charts.class_means_chart(means[:, unit - 1], unit=unit, info=info), key="units_means", where=right)
    right.caption(
        f"The same unit averaged over each {word}'s recordings: a bar that stands out above (or below) "
        f"the others is the {word} the unit singles out."
    )

    st.subheader(f"Which units single out {info.a_class_word} most?")
    st.markdown(
        "Every unit as one bar, the most **selective** first: the taller the bar, the more the unit's average for "
        f"one {word} stands apart from its average for all the others (measured against how much it varies "
        f"anyway). The colour says which {word}. **Click a bar** to look at that unit; the dashed amber line marks "
        "the unit on show."
    )
    display.altair(
        charts.selectivity_ranking_chart(
            table["selectivity"].to_numpy(), table[f"best {word}"].to_numpy(), unit=unit, info=info
        ),
        on_select=_open_rank_pick,
        selection_mode="pick",
        key="units_rank",
    )

    st.subheader("Every unit in plain words")
    example = info.class_names[min(2, info.n_classes - 1)]
    st.markdown(
        "The same ranking as a table, with a one-sentence description of each unit. Type a few words to "
        f"find units, for example *{example}*, *off for*, or *last third*. **Click a row** to look at that "
        "unit."
    )
    search = st.text_input(
        "Search the descriptions", key="units_search", placeholder=f"e.g. {example}", persist_state="session"
    )
    shown = _matching_rows(search)
    if shown.empty:
        st.warning(f"No unit's description contains “{search}”.", icon=":material/search_off:")
    st.dataframe(
        shown,
        hide_index=True,
        on_select=_open_table_pick,
        selection_mode="single-row",
        key="units_table",
        height=420,
        column_config={
            "rank": st.column_config.NumberColumn("rank", help="1 is the most selective unit.", width="small"),
            "unit": st.column_config.NumberColumn("unit", width="small"),
            f"best {word}": st.column_config.TextColumn(word, help=f"The {word} the unit singles out.", width="small"),
            "selectivity": st.column_config.NumberColumn(
                "selectivity",
                format="%.2f",
                help=f"How strongly the unit singles out its {word}; negative when "
                f"it goes quiet for that {word} instead of firing.",
            ),
            "when active": st.column_config.TextColumn(
                "when active", help="The part of the recording where the unit is busiest."
            ),
            "cost": st.column_config.NumberColumn(
                "cost", help=f"Test recordings (of {N_TEST}) lost when only this unit is silenced."
            ),
            "description": st.column_config.TextColumn(
                "description", width="large", help="Widen this column or hover a cell to read it all."
            ),
        },
    )
    st.caption(
        f"Showing {len(shown)} of {H} units. Selectivity and cost are measured on the {N_TEST} test "
        "recordings with the network chosen in the sidebar."
    )


explorer()
