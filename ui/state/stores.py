"""What exists in one browser session only, never shared, written to disk or put in a link: the visitor's own data
set, own sequences and the networks trained in the Model lab (both by data set key)."""

from dataclasses import dataclass

import numpy as np
import streamlit as st

import core

__all__ = ["LabNetwork", "own_dataset", "keep_dataset", "drop_dataset", "own_sequence", "keep_sequence",
           "drop_sequence", "lab_networks", "keep_lab_network"]  # fmt: skip

_DATASET, _SEQUENCES, _NETWORKS = "_own_dataset", "_own_sequences", "_lab_networks"


@dataclass(frozen=True)
class LabNetwork:
    """A network trained in the Model lab in this session: its name in the sidebar and the trained result."""

    label: str
    result: core.analyses.lab.LabResult


def _held(name: str, session=None) -> dict:
    """What ``session`` (this run's by default) holds under ``name``."""
    return (st.session_state if session is None else session).get(name) or {}


def own_dataset(session=None) -> core.Dataset | None:
    """The data set uploaded in ``session`` (this run's by default), or None."""
    return (st.session_state if session is None else session).get(_DATASET)


def keep_dataset(data: core.Dataset) -> None:
    """Keep ``data`` as this session's own data set, replacing an earlier one with its networks and sequence."""
    drop_dataset()
    st.session_state[_DATASET] = data


def drop_dataset() -> None:
    if (data := st.session_state.pop(_DATASET, None)) is not None:
        _held(_NETWORKS).pop(data.key, None)
        drop_sequence(data.key)


def own_sequence(data_key: str, session=None) -> np.ndarray | None:
    """This session's own sequence of data set ``data_key``, (channels, T) read-only; None if none."""
    return _held(_SEQUENCES, session).get(data_key)


def keep_sequence(data_key: str, x: np.ndarray) -> None:
    x.flags.writeable = False
    st.session_state.setdefault(_SEQUENCES, {})[data_key] = x


def drop_sequence(data_key: str) -> None:
    _held(_SEQUENCES).pop(data_key, None)


def lab_networks(data_key: str, session=None) -> dict[str, LabNetwork]:
    """The networks trained in the Model lab on data set ``data_key`` in ``session``, by key."""
    return dict(_held(_NETWORKS, session).get(data_key, {}))


def keep_lab_network(data_key: str, key: str, network: LabNetwork) -> None:
    st.session_state.setdefault(_NETWORKS, {}).setdefault(data_key, {})[key] = network
