"""What a unit responds to: one hidden unit over every test recording, per class, and every unit in plain words."""

import numpy as np
import streamlit as st

from core.analyses import units
from core.presentation import charts, describe
from core.presentation.glossary import explain
from ui import computed, display, navigation, state
from ui.header import page_header

sel = state.selection()
data = sel.dataset
info = sel.info
word = info.class_word
H = sel.model.config.hidden_size
N_TEST = len(data.test)
ALL = 0  # the class filter's "every unit"
batch = computed.split_traces(sel, "test")
stats = computed.unit_stats(sel, "test")  # list of UnitStats, unit order
classes = units.class_units(computed.selectivity(sel, "test"))  # which class each unit singles out: the one meaning
means = units.class_means(batch, data.test.labels, n_classes=info.n_classes)  # (C, H)
ranking = classes.ranking()  # (H,) 0-based: the units that single out a class first, strongest first
table = describe.unit_table(stats, info=info).iloc[ranking].reset_index(drop=True)  # one row per unit, ranked
table.insert(0, "rank", np.arange(1, H + 1))

page_header(
    sel,
    "What a unit responds to",
    f"{sel.units_owner.capitalize()} has {H} **hidden units**, small internal dials that each react to some "
    f"pattern in the recordings. Here you pick one unit and see how it behaves on all {N_TEST} test recordings at "
    f"once. A unit **singles out** {info.a_class_word} when its average on that {word}'s recordings stands clearly "
    f"apart from its average on the others': **on for** the {word} when it is higher there, **off for** it when "
    f"it is lower. Whether the network needs the unit to recognise that {word} is checked by silencing it.",
    ["hidden unit", "selectivity", "strength", "class", "time step", "ablation"],
)


def _name(k: int) -> str:
    return info.class_names[k - 1]


def _matching_rows(klass: int, search: str):
    """The ranked table's rows of the units that single out ``klass`` (every unit for :data:`ALL`) whose
    description contains ``search`` (any case)."""
    rows = table if klass == ALL else table[table["class"] == klass]
    needle = search.strip().casefold()
    if needle:
        rows = rows[rows["description"].str.casefold().str.contains(needle, regex=False)]
    return rows.reset_index(drop=True)


def _open_rank_pick() -> None:
    """The ranking chart's callback: look at the unit of the clicked bar."""
    pick = ((st.session_state.get("units_rank") or {}).get("selection") or {}).get("pick") or []
    picked = [int(p["unit"]) for p in pick if isinstance(p, dict) and "unit" in p]
    if picked:
        st.session_state["units_unit"] = picked[0]


def _open_table_pick() -> None:
    """The table's callback: look at the unit of the clicked row (of the rows the filter and search show)."""
    rows = ((st.session_state.get("units_table") or {}).get("selection") or {}).get("rows") or []
    shown = _matching_rows(st.session_state.get("units_class", ALL), st.session_state.get("units_search", ""))
    if rows and rows[0] < len(shown):
        st.session_state["units_unit"] = int(shown["unit"].iloc[rows[0]])


def unit_ui() -> int:
    """The unit slider, the unit's description and numbers, and the button that silences it; returns the unit."""
    unit = state.bound(
        st.slider,
        "Hidden unit",
        1,
        H,
        value=int(ranking[0]) + 1,
        key="units_unit",
        help=explain("hidden unit", info=info) + " Starts at the unit that singles out a class most strongly.",
    )
    s = stats[unit - 1]
    st.info(f"**{describe.describe_unit(s, info=info)}**", icon=":material/tune:")
    c1, c2 = st.columns(2)
    c1.metric(
        "It singles out",
        describe.role_words(s, info),
        help=f"On for {info.a_class_word}: the unit's average on that {word}'s recordings is above its average on "
        f"the others'. Off for it: below. No class: for no {word} do the two averages differ by at least "
        f"{units.MIN_CONTRAST:g} spread and {units.MIN_GAP:g} in value.",
    )
    c2.metric(
        "Strength",
        f"{s.strength:.2f}",
        help=explain("strength", info=info)
        + (f" Here the gap is {abs(s.gap):.2f}, {s.strength:.2f} times that spread." if s.klass else ""),
    )
    c3, c4 = st.columns(2)
    c3.metric(
        f"Its {word} if silenced",
        describe.class_change_words(s),
        help=f"How far the probability of the {word} it singles out falls (−) or rises (+), in percentage points, "
        f"on average over that {word}'s test recordings, when only this unit is switched off. Under 1 point: no "
        "effect of its own.",
    )
    c4.metric(
        "Right answers if silenced",
        describe.effect_words(s),
        help=f"Of the {N_TEST} test recordings: how many more (or fewer) the network gets wrong when only this "
        "unit is switched off.",
    )
    st.button(
        f"Silence unit {unit}",
        key="units_silence",
        icon=":material/volume_off:",
        on_click=state.open_page,
        args=(navigation.page("ablation"),),
        kwargs={"abl_units": [unit], "abl_from": 1},
        help="Opens Silence units with this unit switched off, on the recording chosen in the sidebar.",
    )
    return unit


def unit_charts_ui(unit: int) -> None:
    """The unit over every test recording, and its average per class."""
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
        f"by {word}. If one colour sits apart from the rest, the unit helps to tell that {word} apart. "
        f"Click {info.a_class_word} in the legend to bring out only its lines (double-click to see all)."
        + (
            f" The thick line with dots is the recording chosen in the sidebar ({sel.title})."
            if highlight is not None
            else " Choose a test recording in the sidebar to see it drawn thick."
        )
    )
    display.altair(charts.class_means_chart(means[:, unit - 1], unit=unit, info=info), key="units_means", where=right)
    right.caption(
        f"The same unit averaged over each {word}'s recordings: a bar that stands out above the others is "
        f"{info.a_class_word} the unit is on for, one that stands out below {info.a_class_word} it is off for."
    )


def ranking_ui(unit: int) -> None:
    """Every unit as a bar, strongest first, clickable."""
    st.subheader(f"Which units single out {info.a_class_word}?")
    st.markdown(
        f"Every unit as one bar: first the units that single out {info.a_class_word}, the strongest first, then "
        "those that single out none. The colour says which. **Click a bar** to look at that unit; the dashed "
        "amber line marks the unit on show."
    )
    display.altair(
        charts.selectivity_ranking_chart(classes, unit=unit, info=info),
        on_select=_open_rank_pick,
        selection_mode="pick",
        key="units_rank",
    )


def table_ui() -> None:
    """The ranking as a table with a description of each unit: filtered by class, searched, clickable."""
    st.subheader("Every unit in plain words")
    st.markdown(
        f"The same ranking as a table. Choose {info.a_class_word} to list the units that single it out (on or off), "
        "or type words to search the descriptions. **Click a row** to look at that unit."
    )
    c1, c2 = st.columns(2)
    klass = c1.selectbox(
        f"Units for {info.a_class_word}",
        [ALL, *range(1, info.n_classes + 1)],
        format_func=lambda k: "every unit" if k == ALL else _name(k),
        key="units_class",
        persist_state="session",
    )
    search = c2.text_input(
        "Search the descriptions", key="units_search", placeholder="e.g. off for, last third", persist_state="session"
    )
    shown = _matching_rows(klass, search)
    if shown.empty:
        st.warning(
            f"No unit singles out that {word}." if klass != ALL and not search.strip() else "No unit matches.",
            icon=":material/search_off:",
        )
    st.dataframe(
        shown.drop(columns="class"),
        hide_index=True,
        on_select=_open_table_pick,
        selection_mode="single-row",
        key="units_table",
        height=420,
        column_config={
            "rank": st.column_config.NumberColumn("rank", help="1 singles out its class most strongly.", width=50),
            "unit": st.column_config.NumberColumn("unit", width=50),
            "singles out": st.column_config.TextColumn(
                "singles out", help=f"On for {info.a_class_word}: higher there; off: lower there.", width=140
            ),
            "strength": st.column_config.NumberColumn(
                "strength", format="%.2f", help=explain("strength", info=info), width=80
            ),
            "class if silenced": st.column_config.TextColumn(
                f"its {word} if silenced",
                help=f"How far the probability of its {word} falls (−) or rises (+) when only this unit is silenced.",
                width=170,
            ),
            "when active": st.column_config.TextColumn("when active", width=100),
            "answers when silenced": st.column_config.TextColumn("answers if silenced", width=160),
            "description": st.column_config.TextColumn("description", width=900),
        },
    )
    st.caption(
        f"Showing {len(shown)} of {H} units, measured on the {N_TEST} test recordings with the network chosen in "
        "the sidebar. The description column is wide: scroll the table sideways, or hover over a cell, to read "
        "it all."
    )


@st.fragment
def explorer():
    """Everything that depends on the unit: a slider move or a pick reruns only this part."""
    state.running.follow_page_request()  # "Silence unit" asks for Silence units and reruns only this part
    unit = unit_ui()
    unit_charts_ui(unit)
    ranking_ui(unit)
    table_ui()


explorer()
