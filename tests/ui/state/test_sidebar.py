"""ui.state.sidebar through AppTest: the shared choices (data set, recordings, recording, network, layer) hold on
every page, always show one of their options, and follow each other."""

from __future__ import annotations

import numpy as np
import pytest
from app_helpers import STACKED, choose_stacked_variant, open_app, table_with

import core
from core.analyses.lab import variant_key, variant_label
from ui import navigation
from ui.state import sidebar

ACTIVATIONS = navigation.page("activations").file
TRAJECTORY = navigation.page("trajectory").file


def choices(at) -> dict:
    """What the sidebar shows: each choice's options (as labelled) and value."""
    shown = {
        key: (list(at.sidebar.radio(key=key).options), at.sidebar.radio(key=key).value) for key in ("data", "split")
    }
    shown["net"] = (list(at.sidebar.selectbox(key="net").options), at.sidebar.selectbox(key="net").value)
    box = at.sidebar.number_input(key="obs")
    shown["obs"] = (box.min, box.max, box.value)
    return shown


def test_the_options_keep_their_labels():
    at = open_app()
    assert choices(at) == {
        "data": (["Japanese Vowels", "BasicMotions"], "japanese_vowels"),
        "split": (["Test set", "Training set"], "test"),
        "net": (["Pretrained, 100 units", "Small, 20 units"], "lstm"),
        "obs": (1, 370, 1),
    }
    assert sidebar.SPLIT_LABELS == {"test": "Test set", "train": "Training set", "upload": "My own sequence"}
    assert "layer" not in [w.key for w in at.sidebar.radio], "one layer: nothing to choose"


def test_a_shared_link_reopens_the_same_recording():
    at = open_app({"split": "Training set", "obs": "12"})
    assert at.session_state["split"] == "train" and at.session_state["obs"] == 12
    at.switch_page(ACTIVATIONS).run()
    heat = table_with(at, "unit", "step", "value")
    assert heat["step"].max() == core.load_dataset().train.sequences[11].shape[1]
    assert at.query_params["split"] == "Training set" and at.query_params["obs"] == "12"


def test_the_recording_holds_across_pages(model, dataset):
    at = open_app(page=ACTIVATIONS)
    at.sidebar.number_input(key="obs").set_value(8).run()
    assert table_with(at, "unit", "step", "value")["step"].max() == dataset.test.sequences[7].shape[1]
    at.switch_page(TRAJECTORY).run()
    probs = table_with(at, "step", "speaker", "probability", "true speaker")
    expected = core.run_sequence(model, dataset.test.sequences[7]).probs
    np.testing.assert_allclose(probs["probability"].to_numpy().reshape(expected.shape), expected, atol=1e-6)
    assert at.sidebar.number_input(key="obs").value == 8 and at.sidebar.slider(key="obs_slider").value == 8


def test_the_number_box_and_the_slider_follow_each_other(dataset):
    at = open_app()
    at.sidebar.slider(key="obs_slider").set_value(12).run()
    assert at.sidebar.number_input(key="obs").value == 12 and at.session_state["obs"] == 12
    at.sidebar.number_input(key="obs").set_value(300).run()
    assert at.sidebar.slider(key="obs_slider").value == 300
    length = dataset.test.sequences[299].shape[1]
    assert any(f"{length} time steps" in c.value for c in at.sidebar.caption)


def test_switching_the_data_set_always_shows_one_of_its_recordings_and_networks():
    at = open_app({"obs": "200"})
    at.sidebar.radio(key="data").set_value("basicmotions").run()
    assert not at.exception
    assert choices(at) == {
        "data": (["Japanese Vowels", "BasicMotions"], "basicmotions"),
        "split": (["Test set", "Training set"], "test"),
        "net": (["Pretrained, 100 units", "Small, 20 units"], "lstm"),
        "obs": (1, 40, 40),  # recording 200 is not one of its 40: the last
    }
    at.sidebar.number_input(key="obs").set_value(33).run()
    at.sidebar.radio(key="data").set_value("japanese_vowels").run()
    assert choices(at)["obs"] == (1, 370, 33)


def test_the_training_set_has_its_own_count(dataset):
    at = open_app({"obs": "300"})
    at.sidebar.radio(key="split").set_value("train").run()
    assert not at.exception
    assert choices(at)["obs"] == (1, 270, 270) and at.sidebar.slider(key="obs_slider").value == 270
    length = dataset.train.sequences[269].shape[1]
    assert any(f"{length} time steps" in c.value for c in at.sidebar.caption)


def test_lab_networks_belong_to_the_data_set_they_were_trained_on(fresh_cache):
    at = choose_stacked_variant(open_app())
    assert at.session_state["net"] == variant_key(STACKED)
    shipped = ["Pretrained, 100 units", "Small, 20 units"]
    assert choices(at)["net"] == ([*shipped, variant_label(STACKED)], variant_key(STACKED))
    at.sidebar.radio(key="data").set_value("basicmotions").run()
    assert choices(at)["net"] == (["Pretrained, 100 units", "Small, 20 units"], "lstm")
    at.sidebar.radio(key="data").set_value("japanese_vowels").run()
    assert choices(at)["net"][0] == [*shipped, variant_label(STACKED)]


def test_the_layer_is_a_choice_of_a_stacked_network_only(fresh_cache):
    at = choose_stacked_variant(open_app(), navigation.page("units").file)
    layer = at.sidebar.radio(key="layer")
    assert list(layer.options) == ["Layer 1", "Layer 2"] and layer.value == 1, "the top layer by default"
    layer.set_value(0).run()
    at.switch_page(TRAJECTORY).run()
    assert at.sidebar.radio(key="layer").value == 0, "the layer holds across pages"
    at.sidebar.selectbox(key="net").set_value("lstm").run()
    assert "layer" not in [w.key for w in at.sidebar.radio]


def test_a_link_with_a_layer_opens_it_once_the_network_has_it(fresh_cache):
    at = open_app({"layer": "Layer 1"}, page=ACTIVATIONS)
    assert not at.warning, "the pretrained network has one layer: nothing to choose, nothing to say"
    choose_stacked_variant(at, navigation.page("units").file)
    assert at.sidebar.radio(key="layer").value == 0 and not at.warning


@pytest.mark.parametrize("raw", ["Layer 3", "Layer 0", "top", "1"])
def test_a_bad_layer_in_the_link_falls_back_to_the_top_with_a_notice(fresh_cache, raw):
    at = open_app({"layer": raw})
    at.switch_page("pages/lab.py").run()
    at.slider(key="lab_hidden").set_value(STACKED.hidden_size)
    at.select_slider(key="lab_epochs").set_value(STACKED.epochs)
    at.number_input(key="lab_seed").set_value(STACKED.seed)
    at.selectbox(key="lab_layers").set_value(STACKED.num_layers)
    at.button(key="lab_submit").click().run()
    at.sidebar.selectbox(key="net").set_value(variant_key(STACKED)).run()  # the notice comes in the run that draws it
    assert at.session_state["layer"] == 1 and "layer" not in at.query_params
    text = " ".join(w.value for w in at.warning)
    assert "“layer”" in text and "is not one of Layer 1, Layer 2; showing Layer 2 instead" in text


def test_choose_sets_the_widgets_from_a_callback(monkeypatch):
    session = {"data": "japanese_vowels", "obs": 3}
    monkeypatch.setattr(sidebar.st, "session_state", session)
    sidebar.choose(data="basicmotions", net="lstm", split="train", obs=7)
    assert session == {"data": "basicmotions", "net": "lstm", "split": "train", "obs": 7}
