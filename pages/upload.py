"""Your own sequence: upload or paste 12 numbers per time step, see the network's answer, explore it on every page.

The text is read only by ``core.compute.upload.parse_sequence_csv`` (as text: never unpickled, never opened as a path).
A sequence that cannot be read is reported and nothing is stored; a good one is kept, read-only, for this session
only (``ui.state.store_upload``), where the sidebar offers it as "My own sequence".
"""

import streamlit as st

from core import N_FEATURES
from core.compute import upload
from core.presentation import charts
from core.presentation.glossary import explain, glossary_markdown
from core.presentation.summary import observation_summary, summary_facts
from ui import display, navigation, state

sel = state.selection()
data = sel.dataset
SHORTEST = int(min(data.train.lengths.min(), data.test.lengths.min()))
LONGEST = int(max(data.train.lengths.max(), data.test.lengths.max()))
ERROR, SOURCE = "up_error", "up_source"  # session keys: why the last text was refused; where the sequence came from


def _store(raw: bytes | str, source: str) -> None:
    """Parse ``raw``; keep it as the session's sequence, or remember why it could not be read (nothing stored)."""
    try:
        x = upload.parse_sequence_csv(raw)  # (12, T) float64
    except upload.UploadError as exc:
        st.session_state[ERROR] = f"{source} could not be read: {exc}."
        return
    state.store_upload(x)
    st.session_state[SOURCE] = source
    st.session_state.pop(ERROR, None)


def _read_file() -> None:
    """File-uploader callback: read the new file (a removed file changes nothing)."""
    file = st.session_state.get("up_file")
    if file is not None:
        _store(file.getvalue(), f"The file “{file.name}”")


def _read_text() -> None:
    _store(st.session_state.get("up_text", ""), "The pasted text")


def _fill_example() -> None:
    st.session_state["up_text"] = upload.template_csv()


def _forget() -> None:
    state.forget_upload()
    for key in (SOURCE, ERROR):
        st.session_state.pop(key, None)


st.title("Your own sequence")
st.markdown(
    "Try the network on numbers of your own. A sequence is a table with **one row per time step** and "
    f"**{N_FEATURES} columns**, one per feature, in the same order as in the data set; a first row with column "
    f"names is allowed. The recordings in the data set have {SHORTEST} to {LONGEST} rows. The easiest start is the "
    "example file below (test observation 1): open it in a spreadsheet, change some numbers, save it as CSV and "
    "upload it.\n\n"
    "Your sequence is kept only for this visit, for you alone, until you press **Forget my sequence** or close "
    "the tab."
)
with st.expander("What do these words mean?"):
    st.markdown(
        glossary_markdown(["time step", "feature", "LPC cepstrum coefficient", "probability", "speaker"])
        + "\n- **CSV file**: a plain text table, one line per row and commas between the columns; every "
        "spreadsheet program can save one (File → Save as → CSV)."
    )

st.download_button(
    "Download the example CSV",
    upload.template_csv(),
    file_name="example_sequence.csv",
    mime="text/csv",
    icon=":material/download:",
    key="up_template",
    help="Test observation 1 in the layout this page reads: a header, then one row per time step.",
)

left, right = st.columns(2)
with left:
    st.markdown("**Upload a CSV file**")
    st.file_uploader(
        "CSV file",
        type=["csv"],
        key="up_file",
        on_change=_read_file,
        max_upload_size=1,
        help=f"One row per time step, {N_FEATURES} numbers per row, separated by commas, semicolons "
        "or tabs. At most 1 MB.",
    )
with right:
    st.markdown("**Or paste the numbers**")
    st.text_area(
        "Numbers, one row per time step",
        key="up_text",
        height=150,
        placeholder=", ".join(["0.5"] * 4) + ", … (12 numbers)\n…",
        help=f"{N_FEATURES} numbers per line, separated by commas; one line per time step. " + explain("feature"),
    )
    b1, b2 = st.columns(2)
    b1.button("Use these numbers", key="up_paste", on_click=_read_text, icon=":material/check:", type="primary")
    b2.button(
        "Fill in the example",
        key="up_example",
        on_click=_fill_example,
        icon=":material/edit_note:",
        help="Puts test observation 1 in the box, to edit.",
    )

if error := st.session_state.get(ERROR):
    st.error(error + " Nothing was stored; fix the file or text and try again.", icon=":material/error:")


def show_result(x) -> None:
    """The stored sequence: the network's answer, the features, and the way to every page."""
    trace = sel.sequence_trace(x)
    facts = summary_facts(trace)
    T = x.shape[1]
    st.subheader("What the network makes of it")
    st.caption(
        f"{st.session_state.get(SOURCE, 'Your sequence')}, read as {T} time steps × {N_FEATURES} features; "
        f"checked with the network chosen in the sidebar."
    )
    st.info(observation_summary(trace), icon=":material/record_voice_over:")
    c1, c2, c3 = st.columns(3)
    c1.metric("Time steps", T)
    c2.metric(
        "The network's answer",
        f"speaker {facts.predicted}",
        help="The speaker with the highest probability after the last time step.",
    )
    c3.metric("How sure", f"{facts.confidence:.1%}", help=explain("probability"))
    left, right = st.columns([3, 2])
    display.altair(
        charts.features_chart(x, title="Your sequence: the 12 features over time"), key="up_features", where=left
    )
    display.altair(charts.probs_at_step_chart(trace.probs[-1], T), key="up_probs", where=right)

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
            on_click=state.choose_split,
            args=("upload",),
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


if (stored := state.uploaded_sequence()) is None:
    st.info("No sequence yet: upload a file or paste numbers above.", icon=":material/upload_file:")
else:
    show_result(stored)
