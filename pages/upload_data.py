"""Your own data set: upload a UEA/UCR .ts file pair or a zip of CSV files, check it, then train and explore.

The files are read in memory only by ``core.compute.dataset_upload.read_uploaded_dataset`` (never unpickled,
never written to disk). A data set that cannot be read is reported and nothing is stored; a good one is kept,
read-only, for this session only (``ui.state.stores.keep_dataset``), where the sidebar's *Data set* offers it.
"""

import streamlit as st

import core
from core.compute import dataset_upload, upload
from core.presentation import charts
from ui import display, navigation, state
from ui.header import page_header

sel = state.selection()
# Session keys: why the last upload was refused (the files' names and the problems); how many uploads were read.
# The uploader's key carries that count, so after each upload it starts empty and the next files are read alone.
ERROR, ATTEMPTS = "upd_error", "upd_attempts"
LIMIT_MB = dataset_upload.MAX_DATASET_MB


def _read_files(key: str) -> None:
    """File-uploader callback: read the chosen files; keep them as the session's data set, or say why not.

    A lone ``.ts`` file stays in the uploader, waiting for the other file of its pair.
    """
    files = st.session_state.get(key) or []
    st.session_state.pop(ERROR, None)
    if not files or dataset_upload.missing_ts_partner([file.name for file in files]):
        return
    st.session_state[ATTEMPTS] = st.session_state.get(ATTEMPTS, 0) + 1  # the next uploader starts empty
    try:
        data = dataset_upload.read_uploaded_dataset([(file.name, file.getvalue()) for file in files])
    except upload.UploadError as exc:
        st.session_state[ERROR] = (", ".join(f"“{file.name}”" for file in files), exc.problems)
        return
    state.stores.keep_dataset(data)
    state.choose(data=data.key)


def _forget() -> None:
    mine = state.stores.own_dataset()
    state.stores.drop_dataset()
    if mine is not None and st.session_state.get("data") == mine.key:
        state.choose(data=core.DEFAULT_DATASET)
    st.session_state.pop(ERROR, None)


page_header(
    sel,
    "Your own data set",
    "Bring recordings of your own: any set of **multivariate time series** (several numbers measured at "
    "every time step), each recording labelled with its **class**. The app checks the files, then you train "
    "a network on them in the Model lab and look inside it on every page, as with the data sets it ships with.",
    ["recording", "time step", "channel", "class"],
)
mine = state.stores.own_dataset()
with st.expander("Which files, and what is checked", expanded=mine is None):
    st.markdown(
        f"""
Upload **one** of these:

- **Two `.ts` files** in the format of the UEA & UCR time-series classification archive, one whose name contains
  `TRAIN` and one whose name contains `TEST` (for example `Walking_TRAIN.ts` and `Walking_TEST.ts`).
- **One `.zip` of CSV files**, one file per recording: one row per time step, one column per channel, an
  optional first row of channel names. A recording's class is the name of the folder it is in
  (`walking/rec01.csv`), or, without class folders, a column named `label` or `class`. Folders `train/` and
  `test/` at the top choose the split; without them, a quarter of each class's recordings is kept aside for
  testing.

What is checked: at most {LIMIT_MB} MB per file and in all (a zip also once unpacked) and
{dataset_upload.MAX_RECORDINGS:,} recordings; every
recording has the same number of channels and {dataset_upload.MIN_STEPS} to {dataset_upload.MAX_STEPS:,} time
steps; every value is a number (no gaps); every recording has a class, and each class has recordings to learn
from and to test on. Every file that fails is named with the reason (the first
{dataset_upload.MAX_LISTED}, and how many more), and nothing is kept.

Your data stay in this browser tab's session: other visitors never see them, and nothing is written to the
server's disk. Closing the tab forgets them.
"""
    )

uploader = f"upd_files_{st.session_state.get(ATTEMPTS, 0)}"
chosen = st.file_uploader(
    f"Your files (.ts pair or .zip), at most {LIMIT_MB} MB per file and in all",
    type=["ts", "zip"],
    accept_multiple_files=True,
    key=uploader,
    on_change=_read_files,
    args=(uploader,),
    max_upload_size=LIMIT_MB,
    help="Two .ts files (…_TRAIN.ts and …_TEST.ts) or one .zip of CSV files.",
)
st.caption(
    f"A file larger than {LIMIT_MB} MB is not read: it stays in the box with a red mark. Remove it (its ×), "
    "then upload a smaller file, for example a zip of fewer recordings."
)
if chosen and (missing := dataset_upload.missing_ts_partner([file.name for file in chosen])):
    st.info(missing, icon=":material/upload_file:")
if failed := st.session_state.get(ERROR):
    names, problems = failed
    if len(problems) == 1:
        st.error(
            f"{names} could not be used: {problems[0]}. Nothing was stored; fix the files and try again.",
            icon=":material/error:",
        )
    else:
        st.error(
            f"{names} could not be used. Nothing was stored; fix the files and try again.\n\n"
            + "\n".join(f"- {problem}" for problem in problems),
            icon=":material/error:",
        )


def show_dataset(mine) -> None:
    """The stored data set: what was read, and the next step (choose it, train a network, explore)."""

    info = mine.info
    st.subheader(f"{info.title}: read and checked")
    c1, c2, c3, c4 = st.columns(4)
    c1.metric("Classes", info.n_classes)
    c2.metric("Channels", info.n_channels)
    c3.metric("Training recordings", len(mine.train))
    c4.metric("Test recordings", len(mine.test))
    shortest = int(min(mine.train.lengths.min(), mine.test.lengths.min()))
    longest = int(max(mine.train.lengths.max(), mine.test.lengths.max()))
    st.markdown(
        f"**Classes:** {', '.join(info.class_names)}.  \n**Channels:** {', '.join(info.channel_names)}.  \n"
        f"**Time steps per recording:** {shortest if shortest == longest else f'{shortest} to {longest}'}."
    )
    left, right = st.columns(2)
    display.altair(
        charts.class_balance_chart(mine.train.labels, mine.test.labels, info=info), key="upd_balance", where=left
    )
    lengths = (mine.train.lengths, mine.test.lengths)
    if charts.common_length(*lengths) is None:
        display.altair(charts.length_histogram_chart(*lengths), key="upd_lengths", where=right)
        right.caption(charts.length_caption(*lengths))
    else:
        right.markdown(charts.length_caption(*lengths))

    lab = navigation.page("lab")
    if sel.info.key != info.key:
        st.button(
            "Show my data set on every page",
            key="upd_choose",
            on_click=state.choose,
            kwargs={"data": info.key},
            type="primary",
            icon=":material/swap_horiz:",
            help="Chooses it in the sidebar's *Data set*.",
        )
    elif sel.model is None:
        st.success(
            "Your data set is chosen in the sidebar. Next, train a network on it: the Model lab does it in a minute "
            "or two, with a progress bar; then every page shows the network.",
            icon=":material/check_circle:",
        )
        st.page_link(lab.file, label=f"**{lab.title}**: train a network on {info.title}", icon=lab.icon)
    else:
        st.success(
            f"Every page now shows your data set and the network “{sel.network_label}” "
            "trained on it. Look, for example, at these pages:",
            icon=":material/check_circle:",
        )
        for name in ("activations", "trajectory", "units", "lab"):
            page = navigation.page(name)
            st.page_link(page.file, label=page.title, icon=page.icon)
    st.button(
        "Forget my data set",
        key="upd_forget",
        on_click=_forget,
        icon=":material/delete:",
        help="Removes your data set and the networks trained on it from this session.",
    )


if mine is None:
    st.info("No data set of yours yet: upload files above.", icon=":material/folder_zip:")
else:
    show_dataset(mine)
