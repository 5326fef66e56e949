"""ui.computed: what pages compute from a Selection equals core's computation on the chosen layer."""

import dataclasses

import numpy as np
import pytest

import core
from core.analyses.lab import LabSettings, train_variant
from ui import computed
from ui.selection import Selection


def selection(dataset, model, split="test", index=0, layer=None) -> Selection:
    part = dataset.split(split)
    layer = model.config.num_layers - 1 if layer is None else layer
    return Selection(
        dataset, split, index, part.sequences[index], int(part.labels[index]), "lstm", "Pretrained", model, [], layer
    )


def test_the_chosen_recordings_trace_and_its_split(dataset, model):
    sel = selection(dataset, model, "train", 7)
    np.testing.assert_allclose(computed.trace(sel).probs, core.run_sequence(model, sel.x).probs, atol=1e-6)
    batch = computed.split_traces(sel, "test")
    assert len(batch) == len(dataset.test) and not batch.hidden.flags.writeable
    own = dataclasses.replace(sel, split="upload", index=0, label=None, x=dataset.test.sequences[3])
    np.testing.assert_allclose(computed.trace(own).hidden, core.run_sequence(model, own.x).hidden, atol=1e-6)


def test_a_stacked_network_is_seen_from_the_chosen_layer(dataset, fresh_cache):
    stacked = train_variant(LabSettings(hidden_size=10, epochs=1, seed=3, num_layers=2), cache=fresh_cache).model
    bottom = selection(dataset, stacked, layer=0)
    expected = core.run_sequence(stacked, bottom.x).layer(0).hidden
    np.testing.assert_allclose(computed.trace(bottom).hidden, expected, atol=1e-6)
    silenced = computed.ablation_predictions(bottom, (0, 1), 0)
    direct = core.run_batch(stacked, dataset.test.sequences, silenced=[0, 1], silenced_layer=0).final_predictions
    np.testing.assert_array_equal(silenced, direct)


def test_without_a_network_there_is_nothing_to_compute(dataset):
    sel = dataclasses.replace(selection(dataset, core.load_model()), model=None, network="")
    with pytest.raises(TypeError, match="model must be an LSTMClassifier"):
        computed.trace(sel)
