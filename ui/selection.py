"""The data set, recording and network that every page shows (what pages compute from it: :mod:`ui.computed`)."""

from dataclasses import dataclass, replace

import numpy as np

import core
from ui import loaders

__all__ = ["Selection"]


@dataclass(frozen=True)
class Selection:
    """What the sidebar has chosen. ``split`` is "test", "train" or "upload" (the session's own sequence: ``index``
    0, ``label`` None); ``x`` (channels, T_raw) the recording as recorded, ``label`` its class (1 to C);
    ``network`` the network's key among the data set's ("" and ``model`` None while an upload has none),
    ``history`` its training log, ``kept_epoch`` the epoch whose weights its training kept (None: the last, as for
    the shipped networks); ``layer`` the LSTM layer (0-based) whose units pages show."""

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
    kept_epoch: int | None = None

    @property
    def info(self) -> core.DatasetInfo:
        return self.dataset.info

    @property
    def model_id(self) -> str:
        """The network's fingerprint: its identity in the caches."""
        return loaders.network_id(self.model)

    @property
    def title(self) -> str:
        """ "Test recording 7 (walking)", or "Your own sequence"."""
        name = {"test": "Test recording", "train": "Training recording"}.get(self.split)
        return f"{name} {self.index + 1} ({self.info.class_names[self.label - 1]})" if name else "Your own sequence"

    @property
    def step_block(self) -> int:
        """Recorded steps per step the network reads (1 unless it reads averages of blocks of steps)."""
        return 1 if self.model is None else self.model.config.step_block

    @property
    def network_x(self) -> np.ndarray:
        """What the network reads of the recording, (channels, T)."""
        return self.x if self.model is None else self.model.network_input(self.x)

    @property
    def n_steps(self) -> int:
        """Time steps of the recording as the network reads it."""
        return self.network_x.shape[1]

    @property
    def stacked(self) -> bool:
        return self.model is not None and self.model.config.num_layers > 1

    @property
    def units_owner(self) -> str:
        """Whose hidden units the pages show: "the network", or "layer 2 (of 3 stacked layers)"."""
        layers = 0 if self.model is None else self.model.config.num_layers
        return f"layer {self.layer + 1} (of {layers} stacked layers)" if layers > 1 else "the network"

    def with_network(
        self,
        network: str,
        label: str,
        model: core.LSTMClassifier,
        history: list[dict],
        kept_epoch: int | None = None,
    ) -> "Selection":
        """The same recording seen by another network of the data set (its top layer), with its training log and
        kept epoch (None: its last)."""
        top = model.config.num_layers - 1
        return replace(
            self, network=network, network_label=label, model=model, history=history, layer=top, kept_epoch=kept_epoch
        )
