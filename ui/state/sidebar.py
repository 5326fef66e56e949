"""The sidebar's shared choices (data set, recordings, recording, network, layer), which every page shows.

Each is a widget of the link (:mod:`.link`); option labels stay the same whatever else is chosen, so a choice
never shows as none. The recording is a number box bound to the link (its identity holds when the number of
recordings changes, so a value set by a callback is kept) with a slider beside it that follows it.
"""

import streamlit as st

import core
from ui import loaders
from ui.selection import Selection

from . import stores
from .link import bound

__all__ = ["SPLIT_LABELS", "dataset_options", "network_options", "network_of", "choose", "sidebar"]

_BEHIND = "whoever opens this page's address sees the app's own choices instead."
SPLIT_LABELS = {"test": "Test set", "train": "Training set", "upload": "My own sequence"}


def dataset_options(session=None) -> dict[str, str]:
    """The data sets to choose from, key -> title: the shipped ones, then the session's own."""
    mine = stores.own_dataset(session)
    own = {mine.key: f"{mine.info.title} (yours)"} if mine is not None else {}
    return {key: shipped.info.title for key, shipped in core.DATASETS.items()} | own


def network_options(data: core.Dataset) -> dict[str, str]:
    """The networks of ``data``, key -> name: the shipped ones first, then this session's lab networks."""
    shipped = core.shipped_networks(data.key) if data.shipped else ()
    sizes = [loaders.shipped_network(data.key, n.key)[0].config.hidden_size for n in shipped]
    options = {n.key: f"{n.title}, {size} units" for n, size in zip(shipped, sizes, strict=True)}
    return options | {key: lab.label for key, lab in stores.lab_networks(data.key).items()}


def network_of(data: core.Dataset, key: str) -> tuple[core.LSTMClassifier, list[dict], int | None]:
    """Network ``key`` of ``data``, its training log and the epoch whose weights were kept (None: the last)."""
    if (lab := stores.lab_networks(data.key).get(key)) is not None:
        return lab.result.model, lab.result.history, lab.result.summary["kept_epoch"]
    model, meta = loaders.shipped_network(data.key, key)
    return model, meta["history"], None


def choose(**choices) -> None:
    """Make ``choices`` (widget key -> value: ``data=``, ``split=``, ``obs=``...) the app's, from a callback."""
    st.session_state.update(choices)


def _recording_ui(part: core.Split, info: core.DatasetInfo) -> int:
    """The recording's number box with the slider beside it (a row: columns would stack on a phone); its index."""
    n, row = len(part), st.container(horizontal=True, vertical_alignment="bottom", gap="small")
    slider = row.empty()
    with row:
        number = bound(st.number_input, "Number", 1, n, key="obs", step=1, width=96, help=f"From 1 to {n}.")
    st.session_state["obs_slider"] = number
    follow = lambda: st.session_state.update(obs=st.session_state["obs_slider"])  # noqa: E731
    slider.slider("Recording", 1, n, key="obs_slider", on_change=follow, help=f"Which of the {n} recordings.")
    label = int(part.labels[number - 1])
    st.caption(f"{info.class_names[label - 1]} · {part.sequences[number - 1].shape[1]:,} time steps")  # as named
    return number - 1


def sidebar() -> Selection:
    """Draw the shared choices in the sidebar and return the :class:`Selection` they make."""
    with st.sidebar:
        st.markdown("### What to look at")
        datasets = dataset_options()
        key = bound(st.radio, "Data set", list(datasets), key="data", format_func=datasets.get)
        data = stores.own_dataset() if key not in core.DATASETS else loaders.dataset(key)
        own = stores.own_sequence(data.key)
        splits = ["test", "train"] + (["upload"] if own is not None else [])
        learned = f"The network learned from the {len(data.train)} training recordings, never from the test ones."
        split = bound(
            st.radio, "Recordings", splits, key="split", format_func=SPLIT_LABELS.get, horizontal=True, help=learned
        )
        if split == "upload":
            index, x, label = 0, own, None
            st.caption(f"Your sequence: {own.shape[1]} time steps.")
        else:
            index = _recording_ui(data.split(split), data.info)
            x, label = data.split(split).sequences[index], int(data.split(split).labels[index])
        if not (networks := network_options(data)):
            st.caption(f"No network has been trained on {data.info.title} yet: train one in the Model lab.")
            return Selection(data, split, index, x, label, "", "", None, [], 0)
        network = bound(st.selectbox, "Network", list(networks), key="net", format_func=networks.get)
        model, history, kept_epoch = network_of(data, network)
        layer = top = model.config.num_layers - 1
        if top:
            name = lambda k: f"Layer {k + 1}"  # noqa: E731
            layer = bound(st.radio, "Layer", list(range(top + 1)), key="layer", index=top, format_func=name)
            st.caption(f"Layer 1 reads the recording; layer {top + 1} passes its hidden units to the answer.")
        private = {"Your data set": not data.shipped, "Your own sequence": split == "upload"}
        private["A network trained in the lab"] = network in stores.lab_networks(data.key)
        if what := [what for what, here in private.items() if here]:
            st.caption(f":material/lock: {what[0]} stays in this browser tab: {_BEHIND}")
    return Selection(data, split, index, x, label, network, networks[network], model, history, layer, kept_epoch)
