"""The data set, recording and network that every page shows, and what pages compute from them."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

import core
from ui import loaders

__all__ = ["Selection"]


@dataclass(frozen=True)
class Selection:
    """What the sidebar has chosen.

    Attributes
    ----------
    dataset : core.Dataset
        The chosen data set (shipped, or this session's upload); ``dataset.info`` names its classes and channels.
    split : {"test", "train", "upload"}
    index : int
        0-based position in the split (0 for the visitor's own sequence).
    x : ndarray of shape (channels, T_raw)
        The recording as recorded.
    label : int or None
        True class, 1 to C; None for the visitor's own sequence.
    network : str
        The network's key among the data set's (a shipped one's, or a lab network's); "" when there is none.
    network_label : str
        Its name in the sidebar.
    model : core.LSTMClassifier or None
        None only for an uploaded data set on which no network has been trained yet.
    history : list of dict
        The network's training log, one dict per epoch.
    layer : int
        The LSTM layer whose hidden units the pages show, 0-based from the bottom (the top one by default).
    """

    dataset: core.Dataset
    split: str
    index: int
    x: np.ndarray
    label: int | None
    network: str
    network_label: str
    model: core.LSTMClassifier | None
    history: list[dict]
    layer: int

    @property
    def info(self) -> core.DatasetInfo:
        return self.dataset.info

    @property
    def model_id(self) -> str:
        """The network's fingerprint, its identity in the caches."""
        return loaders.network_id(self.model)

    @property
    def title(self) -> str:
        """ "Test recording 7 (walking)", or "Your own sequence"."""
        if self.split == "upload":
            return "Your own sequence"
        name = "Test" if self.split == "test" else "Training"
        return f"{name} recording {self.index + 1} ({self.info.class_names[self.label - 1]})"

    @property
    def step_block(self) -> int:
        """Recorded steps per step of the network (1 unless it reads averages of blocks of a long recording)."""
        return 1 if self.model is None else self.model.config.step_block

    @property
    def network_x(self) -> np.ndarray:
        """What the network reads of the recording, (channels, T): ``x`` averaged over blocks of
        :attr:`step_block` recorded steps."""
        return self.x if self.model is None else self.model.network_input(self.x)

    @property
    def n_steps(self) -> int:
        """Time steps of the recording as the network reads it (:attr:`network_x`)."""
        return self.network_x.shape[1]

    @property
    def stacked(self) -> bool:
        """True for a network of 2 or more LSTM layers."""
        return self.model is not None and self.model.config.num_layers > 1

    @property
    def units_owner(self) -> str:
        """Whose hidden units the pages show: "the network", or "layer 2 (of 3 stacked layers)"."""
        if not self.stacked:
            return "the network"
        return f"layer {self.layer + 1} (of {self.model.config.num_layers} stacked layers)"

    def with_network(self, network: str, label: str, model: core.LSTMClassifier, history: list[dict]) -> Selection:
        """The same recording seen by another network of the data set (its top layer)."""
        layer = model.config.num_layers - 1
        return replace(self, network=network, network_label=label, model=model, history=history, layer=layer)

    def trace(self) -> core.Trace:
        """Hidden state, cell state and gates of the chosen layer, and probabilities, after every step."""
        if self.split == "upload":
            return self.sequence_trace(self.x)
        return self.split_traces(self.split)[self.index]

    def sequence_trace(self, x: np.ndarray) -> core.Trace:
        """The chosen layer's trace of a recording ``x`` (channels, T_raw) that is not in the data set."""
        return loaders.sequence_trace(self.model, self.model_id, x).layer(self.layer)

    def split_traces(self, split: str) -> core.BatchTrace:
        """Every recording of ``split`` (``"train"`` or ``"test"``) seen from the chosen layer; read-only."""
        return self._split(loaders.split_traces, split).layer(self.layer)

    def selectivity(self, split: str = "test") -> core.analyses.units.Selectivity:
        """How strongly each hidden unit of the chosen layer singles out each class over ``split``."""
        return self._split(loaders.selectivity, split, self.layer)

    def unit_stats(self, split: str = "test") -> list:
        """Every hidden unit's statistics of the chosen layer over ``split``."""
        return self._split(loaders.unit_stats, split, self.layer)

    def hidden_pca(self) -> core.analyses.projection.PCA:
        """The flat map (2-D PCA) of the chosen layer's training hidden states."""
        return loaders.hidden_pca(self.model, self.model_id, self.dataset, self.dataset.fingerprint, self.layer)

    def projected_split(self, split: str) -> np.ndarray:
        """Every hidden state of ``split`` on :meth:`hidden_pca`'s map, shape (N, T_max, 2)."""
        return self._split(loaders.projected_split, split, self.layer)

    def ablation_predictions(self, silenced: tuple[int, ...], silence_from: int) -> np.ndarray:
        """Final predicted class of every test recording, shape (N,), with units ``silenced`` (0-based) of the
        chosen layer off from network step ``silence_from`` (0-based) on."""
        return self._split(loaders.ablation_predictions, silenced, silence_from, self.layer)

    def _split(self, loader, *args):
        """``loader`` called with this selection's network and data set, then ``args``."""
        return loader(self.model, self.model_id, self.dataset, self.dataset.fingerprint, *args)
