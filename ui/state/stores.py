"""What exists in one browser session only: the visitor's own data set, own sequence and networks trained in the
Model lab. Nothing here is shared with other sessions or written to disk."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import streamlit as st

import core

__all__ = [
    "LabNetwork",
    "own_dataset",
    "keep_dataset",
    "drop_dataset",
    "own_sequence",
    "keep_sequence",
    "drop_sequence",
    "lab_networks",
    "keep_lab_network",
]

_DATASET = "_own_dataset"  # core.Dataset read from the visitor's files
_SEQUENCES = "_own_sequences"  # {data set key: (channels, T) float64, read-only}
_NETWORKS = "_lab_networks"  # {data set key: {network key: LabNetwork}}


@dataclass(frozen=True)
class LabNetwork:
    """A network trained in the Model lab in this session: its name in the sidebar and the trained result."""

    label: str
    result: core.analyses.lab.LabResult


def own_dataset(session=None) -> core.Dataset | None:
    """The data set uploaded in ``session`` (this run's by default), or None."""
    return (st.session_state if session is None else session).get(_DATASET)


def keep_dataset(data: core.Dataset) -> None:
    """Keep ``data`` as this session's own data set, replacing an earlier one with its networks and sequence."""
    drop_dataset()
    st.session_state[_DATASET] = data


def drop_dataset() -> None:
    """Forget this session's own data set and the networks and sequence of it."""
    data = st.session_state.pop(_DATASET, None)
    if data is not None:
        st.session_state.get(_NETWORKS, {}).pop(data.key, None)
        st.session_state.get(_SEQUENCES, {}).pop(data.key, None)


def own_sequence(data_key: str, session=None) -> np.ndarray | None:
    """The sequence of data set ``data_key`` uploaded in ``session`` (this run's by default): (channels, T),
    read-only; None if none."""
    return ((st.session_state if session is None else session).get(_SEQUENCES) or {}).get(data_key)


def keep_sequence(data_key: str, x: np.ndarray) -> None:
    """Keep ``x`` (channels, T) as this session's own sequence of data set ``data_key``."""
    x.flags.writeable = False
    st.session_state.setdefault(_SEQUENCES, {})[data_key] = x


def drop_sequence(data_key: str) -> None:
    st.session_state.get(_SEQUENCES, {}).pop(data_key, None)


def lab_networks(data_key: str, session=None) -> dict[str, LabNetwork]:
    """The networks trained in the Model lab on data set ``data_key`` in ``session`` (this run's by default)."""
    return dict(((st.session_state if session is None else session).get(_NETWORKS) or {}).get(data_key, {}))


def keep_lab_network(data_key: str, key: str, network: LabNetwork) -> None:
    """Offer ``network``, trained on data set ``data_key``, in the sidebar's list, for this session only."""
    st.session_state.setdefault(_NETWORKS, {}).setdefault(data_key, {})[key] = network
