"""ui.selection: what a Selection says about the recording and network on show."""

from __future__ import annotations

import dataclasses

import numpy as np

import core
from core.analyses.lab import LabSettings, train_variant
from ui.selection import Selection


def selection(dataset, model, split="test", index=0, layer=None) -> Selection:
    part = dataset.split(split)
    layer = model.config.num_layers - 1 if layer is None else layer
    return Selection(
        dataset, split, index, part.sequences[index], int(part.labels[index]), "lstm", "Pretrained", model, [], layer
    )


def test_the_title_names_the_recording_and_its_class(dataset, model, bm_dataset, bm_model):
    assert selection(dataset, model, "train", 11).title == f"Training recording 12 (speaker {dataset.train.labels[11]})"
    assert selection(bm_dataset, bm_model, "test", 0).title.startswith("Test recording 1 (")
    own = dataclasses.replace(selection(dataset, model), split="upload", label=None)
    assert own.title == "Your own sequence"


def test_a_one_layer_network(dataset, model):
    sel = selection(dataset, model)
    assert not sel.stacked and sel.units_owner == "the network" and sel.layer == 0
    assert sel.step_block == 1 and sel.n_steps == sel.x.shape[1]
    np.testing.assert_array_equal(sel.network_x, sel.x)
    assert sel.model_id == core.model_fingerprint(model)


def test_a_stacked_network_shows_the_chosen_layer(dataset, fresh_cache):
    stacked = train_variant(LabSettings(hidden_size=10, epochs=1, seed=3, num_layers=2), cache=fresh_cache).model
    bottom = selection(dataset, stacked, layer=0)
    assert bottom.stacked and bottom.units_owner == "layer 1 (of 2 stacked layers)"
    other = bottom.with_network("other", "Other", stacked, [{"epoch": 1}])
    assert (other.network, other.network_label, other.layer, other.history) == ("other", "Other", 1, [{"epoch": 1}])
    assert other.index == bottom.index and other.x is bottom.x, "the same recording"


def test_a_network_without_a_model_reads_the_recording_as_it_is(dataset):
    sel = dataclasses.replace(selection(dataset, core.load_model()), model=None, network="")
    assert sel.step_block == 1 and sel.n_steps == sel.x.shape[1] and not sel.stacked
