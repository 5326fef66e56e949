"""Your own sequence: upload or paste one number per channel and time step, see the network's answer, explore it.

The text is read only by ``core.compute.upload.parse_sequence_csv`` (as text: never unpickled, never opened as a path).
A sequence that cannot be read is reported and nothing is stored; a good one is kept, read-only, for this session
only (``ui.state.stores.keep_sequence``), where the sidebar offers it as "My own sequence".
"""

import streamlit as st

from core.compute import upload
from core.compute.checks import counted
from core.presentation import charts
from core.presentation.glossary import explain, own_terms
from core.presentation.numbers import percent
from core.presentation.summary import observation_summary, summary_facts
from ui import computed, display, loaders, navigation, state
from ui.header import page_header

sel = state.selection()
data = sel.dataset
info = sel.info
F = info.n_channels
SHORTEST = int(min(data.train.lengths.min(), data.test.lengths.min()))
LONGEST = int(max(data.train.lengths.max(), data.test.lengths.max()))
LENGTHS = str(SHORTEST) if SHORTEST == LONGEST else f"{SHORTEST} to {LONGEST}"  # rows of a recording, in words
LIMIT = loaders.edit_limit(data, data.fingerprint)  # how far from 0 a value may lie, as for a What if? edit
ERROR, SOURCE = "up_error", "up_source"  # session keys: why the last text was refused; where the sequence came from


def _store(raw: bytes | str, source: str) -> None:
    """Parse ``raw``; keep it as the session's sequence, or remember why it could not be read (nothing stored)."""
    try:
        x = upload.parse_sequence_csv(raw, info=info, lengths=(SHORTEST, LONGEST), limit=LIMIT)  # (F, T) float64
    except upload.UploadError as exc:
        st.session_state[ERROR] = f"{source} could not be read: {exc}."
        return
    state.stores.keep_sequence(data.key, x)
    st.session_state[SOURCE] = source
    st.session_state.pop(ERROR, None)


def _read_file() -> None:
    """File-uploader callback: read the new file (a removed file changes nothing)."""
    file = st.session_state.get("up_file")
    if file is not None:
        _store(file.getvalue(), f"The file “{file.name}”")


def _read_text() -> None:
    _store(st.session_state.get("up_text", ""), "The pasted text")


def _example() -> str:
    """Test recording 1 of the data set as CSV, with the channels' names as its header."""
    return upload.template_csv(data.test.sequences[0], channel_names=info.channel_names)


def _fill_example() -> None:
    st.session_state["up_text"] = _example()


def _forget() -> None:
    state.stores.drop_sequence(data.key)
    if st.session_state.get("split") == "upload":
        state.choose(split="test")
    for key in (SOURCE, ERROR):
        st.session_state.pop(key, None)


page_header(
    sel,
    "Your own sequence",
    "Try the network on numbers of your own. A sequence is a table with **one row per time step** and "
    + (
        f"**{counted(F, 'column')}**, one per channel, in the same order as in the data set ({info.title})"
        if F > 1
        else f"**1 column**, for the one channel of the data set ({info.title})"
    )
    + f"; a first row with column names is allowed. The recordings in the data set have {LENGTHS} rows. The "
    "easiest start is the example file below (test recording 1): open it in a spreadsheet, change some numbers, "
    "save it as CSV and upload it.\n\n"
    "Your sequence is kept only for this visit, for you alone, until you press **Forget my sequence** or close "
    "the tab. A **CSV file** is a plain text table, one line per row and commas between the columns; every "
    "spreadsheet program can save one (File → Save as → CSV).",
    ["time step", "channel", *own_terms(info), "probability", "class"],
)

st.download_button(
    "Download the example CSV",
    _example(),
    file_name="example_sequence.csv",
    mime="text/csv",
    icon=":material/download:",
    key="up_template",
    help="Test recording 1 in the layout this page reads: a header, then one row per time step.",
)

left, right = st.columns(2)
with left:
    st.markdown("**Upload a CSV file**")
    st.file_uploader(
        "CSV file",
        type=["csv"],
        key="up_file",
        on_change=_read_file,
        max_upload_size=upload.MAX_UPLOAD_MB,
        help=f"One row per time step, {counted(F, 'number')} per row, separated by commas, semicolons or tabs. "
        f"At most {upload.MAX_UPLOAD_MB} MB.",
    )
with right:
    st.markdown("**Or paste the numbers**")
    st.text_area(
        "Numbers, one row per time step",
        key="up_text",
        height=150,
        placeholder=", ".join(["0.5"] * min(F, 4)) + (f", … ({counted(F, 'number')})" if F > 4 else "") + "\n…",
        help=f"{counted(F, 'number')} per line, separated by commas; one line per time step. "
        + explain("channel", info=info),
    )
    b1, b2 = st.columns(2)
    b1.button("Use these numbers", key="up_paste", on_click=_read_text, icon=":material/check:", type="primary")
    b2.button(
        "Fill in the example",
        key="up_example",
        on_click=_fill_example,
        icon=":material/edit_note:",
        help="Puts test recording 1 in the box, to edit.",
    )

if error := st.session_state.get(ERROR):
    st.error(error + " Nothing was stored; fix the file or text and try again.", icon=":material/error:")


def show_result(x) -> None:
    """The stored sequence: the network's answer, the channels, and the way to every page."""
    trace = computed.sequence_trace(sel, x)
    facts = summary_facts(trace)
    T = x.shape[1]
    st.subheader("What the network makes of it")
    st.caption(
        f"{st.session_state.get(SOURCE, 'Your sequence')}, read as {counted(T, 'time step')} × "
        f"{counted(F, 'channel')}; "
        f"checked with the network chosen in the sidebar."
    )
    st.info(observation_summary(trace, info=info), icon=":material/insights:")
    c1, c2, c3 = st.columns(3)
    c1.metric("Time steps", T)
    c2.metric(
        "The network's answer",
        info.class_names[facts.predicted - 1],
        help=f"The {info.class_word} with the highest probability after the last time step.",
    )
    c3.metric("How sure", percent(facts.confidence), help=explain("probability", info=info))
    left, right = st.columns([3, 2])
    display.altair(
        charts.features_chart(
            x, title=f"Your sequence: {'its channel' if F == 1 else f'the {F} channels'} over time", info=info
        ),
        key="up_features",
        where=left,
    )
    display.altair(charts.probs_at_step_chart(trace.probs[-1], T, info=info), key="up_probs", where=right)

    if sel.split == "upload":
        st.success(
            "Every page now shows your sequence (see “My own sequence” in the sidebar). Look at it, for "
            "example, on these pages:",
            icon=":material/check_circle:",
        )
        for name in ("activations", "trajectory", "paths", "patterns"):
            page = navigation.page(name)
            st.page_link(page.file, label=page.title, icon=page.icon)
    else:
        st.button(
            "Explore it on every page",
            key="up_explore",
            on_click=state.choose,
            kwargs={"split": "upload"},
            icon=":material/explore:",
            type="primary",
            help="Chooses “My own sequence” in the sidebar, so every page shows it.",
        )
    st.button(
        "Forget my sequence",
        key="up_forget",
        on_click=_forget,
        icon=":material/delete:",
        help="Removes your sequence from this session; the pages go back to the test set.",
    )


if (stored := state.stores.own_sequence(data.key)) is None:
    st.info("No sequence yet: upload a file or paste numbers above.", icon=":material/upload_file:")
else:
    show_result(stored)
