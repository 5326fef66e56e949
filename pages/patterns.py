"""Pattern search (after LSTMVis, Strobelt et al. 2018): units that are on together, and where else that happens."""

import pandas as pd
import streamlit as st

from core.analyses import patterns
from core.presentation import charts
from core.presentation.glossary import explain
from core.presentation.honesty import matches_sentence
from core.presentation.summary import observation_summary
from ui import computed, display, navigation, state
from ui.header import page_header

sel = state.selection()
trace = computed.trace(sel)
data = sel.dataset
info = sel.info
word = info.class_word
H = sel.model.config.hidden_size
T = sel.n_steps
N_THUMBNAILS = 3  # matches drawn as small heatmaps (one row; each costs the page time): the table lists them all
MAX_MATCHES = 20
SEARCH_SPLITS = {"test": "the test set", "train": "the training set"}

default_where = sel.split if sel.split in SEARCH_SPLITS else "train"
default_steps = (min(3, T), min(7, T))
# 0.3, or lower where the stretch has fewer than 3 units above it (small hidden states)
default_threshold = patterns.default_threshold(trace.hidden, default_steps[0] - 1, default_steps[1] - 1)
page_header(
    sel,
    "Pattern search",
    "A **pattern** is a set of hidden units that are *on* together for a while: all of them above a level you "
    "choose, at every step of a stretch of the recording. **Where else does that happen?** Pick a stretch of "
    f"{'your sequence' if sel.split == 'upload' else 'this recording'} and a level below. The units that stay on "
    "over the whole stretch are outlined on the heatmap; then the app looks through other recordings for stretches "
    f"where the same units switch on together. If far more of those come from one {word} than its share of the "
    f"recordings would give by chance, the pattern is probably something the network has learnt about that {word}.",
    ["hidden unit", "hidden state", "time step", "heatmap", "class", "pattern", "threshold", "match"],
)
st.info(observation_summary(trace, sel.label, info=info), icon=":material/insights:")


def _match_card(where: str, number: int, match: patterns.Match, label: int, values, units, n_selected: int):
    """One match: which recording (of class ``label``) and where, a small heatmap of the pattern's units with the
    matched stretch outlined."""
    name = "Test" if where == "test" else "Training"
    with st.container(border=True):
        st.markdown(f"**{name} recording {number}** · {info.class_names[label - 1]}")
        on = "the pattern's unit on" if n_selected == 1 else f"{match.overlap} of the {n_selected} pattern units on"
        st.caption(
            f"Steps {match.start + 1}–{match.end + 1}: {on}, {match.extra} other unit{'s' if match.extra != 1 else ''} "
            "on too."
        )
        display.altair(
            charts.window_heatmap_chart(
                values, units, match.start + 1, match.end + 1, height=max(170, 90 + 16 * len(units))
            ),
            key=f"pat_match_chart_{where}_{number}_{match.start}",
        )
        st.button(
            f"Open recording {number}",
            key=f"pat_open_{where}_{number}_{match.start}",
            icon=":material/open_in_new:",
            on_click=state.open_page,
            args=(navigation.page("activations"),),
            kwargs={"split": where, "obs": number},
            help="Shows this recording on the Activations page (and makes it the sidebar's choice).",
        )


@st.fragment
def search():
    """Sliders, the heatmap with the selection, and the matches: a slider move reruns only this part."""
    state.running.follow_page_request()  # a click on "Open recording" asks for Activations and reruns only this part
    c1, c2 = st.columns(2)
    with c1:
        a, b = state.bound(
            st.slider,
            "Stretch of the recording (time steps)",
            1,
            T,
            value=default_steps,
            key="pat_steps",
            help="The pattern is made of the units that stay on at every step of this stretch. "
            + explain("time step", info=info),
        )
    with c2:
        threshold = state.bound(
            st.slider,
            "Level a unit must be above to count as on",
            0.0,
            0.9,
            value=default_threshold,
            step=0.05,
            format="%.2f",
            key="pat_level",
            help="Hidden units take values from −1 to 1. A higher level keeps only units that are "
            "strongly on; a lower one lets more in.",
        )
    c3, c4 = st.columns(2)
    with c3:
        first, last = state.bound(
            st.slider,
            "Hidden units shown on the heatmap",
            1,
            H,
            value=(1, H),
            key="pat_units",
            help="Which rows to draw. The search always uses every unit of the pattern, shown or "
            "not. " + explain("hidden unit", info=info),
        )
    with c4:
        where = state.bound(
            st.radio,
            "Look for the pattern in",
            list(SEARCH_SPLITS),
            index=list(SEARCH_SPLITS).index(default_where),
            format_func=SEARCH_SPLITS.get,
            key="pat_where",
            horizontal=True,
            help=f"Which recordings to search: the test set has {len(data.test)}, the training set "
            f"{len(data.train)}. The stretch you chose is never counted as its own match.",
        )

    selected = patterns.select_units(trace.hidden, a - 1, b - 1, threshold)  # 0-based, ascending
    shown = list(range(first - 1, last))
    display.altair(
        charts.window_heatmap_chart(
            trace.hidden[:, shown],
            [u + 1 for u in shown],
            a,
            b,
            highlight_units=[u + 1 for u in selected],
            title=f"{sel.title}: hidden state, steps {a}–{b} selected",
        ),
        key="pat_heatmap",
    )
    st.caption(
        "Red means a unit is on (positive), blue that it is negative, white near zero. The dashed amber "
        "box is the stretch you chose; the amber rows are the pattern's units."
    )

    if selected.size == 0:
        st.warning(
            f"No hidden unit stays above {threshold:.2f} at every step from {a} to {b}, so there is no "
            "pattern to look for. Choose a shorter stretch or a lower level.",
            icon=":material/search_off:",
        )
        return
    hidden_rows = sum(not first - 1 <= u < last for u in selected)
    st.markdown(
        f"**The pattern: {selected.size} unit{'s' if selected.size != 1 else ''} "
        f"{'are' if selected.size != 1 else 'is'} above {threshold:.2f} at every step from {a} to {b}:** "
        + ", ".join(str(u + 1) for u in selected)
        + "."
        + (
            f" ({hidden_rows} of them {'are' if hidden_rows != 1 else 'is'} outside the rows shown.)"
            if hidden_rows
            else ""
        )
    )

    batch = computed.split_traces(sel, where)
    labels = data.split(where).labels
    exclude = (sel.index, a - 1, b - 1) if where == sel.split else None
    matches = patterns.find_matches(
        batch, selected, threshold, length=b - a + 1, exclude=exclude, max_results=MAX_MATCHES
    )
    st.subheader("Where else it happens")
    if not matches:
        st.info(
            f"None of these units are on together for {b - a + 1} steps anywhere in {SEARCH_SPLITS[where]}.",
            icon=":material/search_off:",
        )
        return
    st.markdown(
        f"The {len(matches)} best matches in {SEARCH_SPLITS[where]}: stretches of at least {b - a + 1} steps where "
        "as many of the pattern's units as possible are on together, and as few other units as possible. "
        "Best first; each recording gives at most one match per stretch."
    )
    left, right = st.columns([2, 3])
    with left:
        counts = patterns.class_summary(matches, labels, n_classes=info.n_classes)  # (C,)
        display.altair(
            charts.class_counts_chart(
                counts,
                highlight=sel.label,
                count_title="Matches",
                title=f"The {info.class_word_plural} the {len(matches)} matches come from",
                info=info,
            ),
            key="pat_speakers",
        )
        st.caption(
            matches_sentence(counts, labels, split_name=SEARCH_SPLITS[where], info=info)
            + (f" The amber outline marks the {word} of the recording you chose." if sel.label else "")
        )
    with right:
        table = pd.DataFrame(
            {
                "recording": [m.seq_index + 1 for m in matches],
                word: [info.class_names[int(labels[m.seq_index]) - 1] for m in matches],
                "steps": [f"{m.start + 1}–{m.end + 1}" for m in matches],
                "pattern units on": [m.overlap for m in matches],
                "others on": [m.extra for m in matches],
            }
        )
        st.dataframe(
            table,
            hide_index=True,
            key="pat_table",
            height=320,
            column_config={
                "recording": st.column_config.NumberColumn(width=80),
                word: st.column_config.TextColumn(width=110),
                "steps": st.column_config.TextColumn(width=70),
                "pattern units on": st.column_config.NumberColumn(
                    width=120, help="How many of the pattern's units are on over the whole stretch."
                ),
                "others on": st.column_config.NumberColumn(
                    width=80, help="How many other units are on over the whole stretch too."
                ),
            },
        )

    st.markdown(
        f"**The {min(N_THUMBNAILS, len(matches))} best matches**, showing only the pattern's units "
        "over the whole recording; the dashed box is the matching stretch."
    )
    units = [u + 1 for u in selected]
    columns = st.columns(3)
    for i, match in enumerate(matches[:N_THUMBNAILS]):
        with columns[i % 3]:
            _match_card(
                where,
                match.seq_index + 1,
                match,
                int(labels[match.seq_index]),
                batch.hidden[match.seq_index, : int(batch.lengths[match.seq_index])][:, selected],
                units,
                selected.size,
            )


search()
