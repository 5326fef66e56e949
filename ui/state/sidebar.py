"""The sidebar's shared choices (data set, recordings, recording, network, layer), which every page shows.

Each is a widget of :data:`ui.state.link.LINK_PARAMS`: its value is in the link and holds across pages. Options
keep the same labels whatever else is chosen, so a choice never shows as none. The recording is a number box
(bound to the link: its identity holds when the number of recordings changes, so a value set by a callback is
kept) with a slider beside it that follows it.
"""

from __future__ import annotations

import streamlit as st

import core
from ui import loaders

from . import stores
from .link import bound
from .selection import Selection

__all__ = ["SPLIT_LABELS", "dataset_options", "network_options", "network_of", "sidebar", "choose", "open_recording"]

SPLIT_LABELS = {"test": "Test set", "train": "Training set", "upload": "My own sequence"}


def dataset_options(session=None) -> dict[str, str]:
    """The data sets to choose from: key -> title; the shipped ones, then the session's own."""
    options = {key: shipped.info.title for key, shipped in core.DATASETS.items()}
    if (mine := stores.own_dataset(session)) is not None:
        options[mine.key] = f"{mine.info.title} (yours)"
    return options


def _chosen_dataset() -> core.Dataset:
    key = st.session_state.get("data", core.DEFAULT_DATASET)
    mine = stores.own_dataset()
    if mine is not None and mine.key == key:
        return mine
    return loaders.dataset(key if key in core.DATASETS else core.DEFAULT_DATASET)


def network_options(data: core.Dataset) -> dict[str, str]:
    """The networks of ``data``: key -> name in the sidebar; the shipped ones first, then this session's lab
    networks."""
    options = {}
    if data.shipped:
        for network in core.shipped_networks(data.key):
            model = loaders.shipped_network(data.key, network.key)[0]
            options[network.key] = f"{network.title}, {model.config.hidden_size} units"
    options.update({key: lab.label for key, lab in stores.lab_networks(data.key).items()})
    return options


def network_of(data: core.Dataset, key: str) -> tuple[core.LSTMClassifier, list[dict]]:
    """Network ``key`` of ``data`` and its training log."""
    if key in stores.lab_networks(data.key):
        result = stores.lab_networks(data.key)[key].result
        return result.model, result.history
    model, meta = loaders.shipped_network(data.key, key)
    return model, meta["history"]


def choose(**choices) -> None:
    """Make ``choices`` (``data=``, ``split=``, ``net=``, ``obs=``: widget key -> value) the sidebar's, from a
    callback, before the sidebar is drawn."""
    st.session_state.update(choices)


def open_recording(split: str, number: int) -> None:
    """Show recording ``number`` (1-based) of ``split`` of the chosen data set on every page (a callback)."""
    choose(split=split, obs=number)


def _recording_ui(data: core.Dataset, split: str) -> tuple[int, object, int | None]:
    """The recording's number box (in the link) and the slider that follows it; returns (index, x, label)."""
    part = data.split(split)
    n = len(part)
    # side by side on every screen (columns would stack on a phone), the box drawn first: the slider follows it
    row = st.container(horizontal=True, vertical_alignment="bottom", gap="small")
    slider = row.empty()
    with row:
        number = bound(
            st.number_input, "Number", 1, n, key="obs", step=1, width=96, help=f"Type a number from 1 to {n}."
        )
    st.session_state["obs_slider"] = number
    slider.slider(
        "Recording",
        1,
        n,
        key="obs_slider",
        on_change=lambda: st.session_state.update(obs=st.session_state["obs_slider"]),
        help=f"Which of the {n} recordings; or type its number in the box beside.",
    )
    index = number - 1
    label = int(part.labels[index])
    st.caption(f"{data.info.class_names[label - 1].capitalize()} · {part.sequences[index].shape[1]} time steps")
    return index, part.sequences[index], label


def sidebar() -> Selection:
    """Draw the shared choices in the sidebar and return the :class:`Selection` they make."""
    with st.sidebar:
        st.markdown("### What to look at")
        datasets = dataset_options()
        bound(st.radio, "Data set", list(datasets), key="data", format_func=datasets.get)
        data = _chosen_dataset()
        own = stores.own_sequence(data.key)
        splits = ["test", "train"] + (["upload"] if own is not None else [])
        split = bound(
            st.radio,
            "Recordings",
            splits,
            key="split",
            format_func=SPLIT_LABELS.get,
            horizontal=True,
            help=f"The network learned from the {len(data.train)} training recordings and never saw the "
            f"{len(data.test)} test recordings.",
        )
        if split == "upload":
            index, x, label = 0, own, None
            st.caption(f"Your sequence: {own.shape[1]} time steps.")
        else:
            index, x, label = _recording_ui(data, split)
        networks = network_options(data)
        if not networks:
            st.caption(f"No network has been trained on {data.info.title} yet: train one in the Model lab.")
            return Selection(data, split, index, x, label, "", "", None, [], 0)
        network = bound(st.selectbox, "Network", list(networks), key="net", format_func=networks.get)
        model, history = network_of(data, network)
        layers = model.config.num_layers
        layer = layers - 1
        if layers > 1:
            layer = bound(
                st.radio,
                "Layer",
                list(range(layers)),
                key="layer",
                index=layers - 1,
                format_func=lambda k: f"Layer {k + 1}",
                horizontal=True,
                help="Whose hidden units the pages show: layer 1 reads the recording, the top layer passes its "
                "units to the answer.",
            )
        for what, private in (
            ("Your data set", not data.shipped),
            ("Your own sequence", split == "upload"),
            ("A network trained in the lab", network in stores.lab_networks(data.key)),
        ):
            if private:
                st.caption(
                    f":material/lock: {what} stays in this browser tab: whoever opens this page's address sees "
                    "the app's own choices instead."
                )
                break
    return Selection(data, split, index, x, label, network, networks[network], model, history, layer)
