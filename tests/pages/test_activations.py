"""The Activations page through AppTest: MATLAB's heatmap against core, and the sliders and chooser that change it."""

import numpy as np
from app_helpers import STACKED, choose_stacked_variant, marker_step, open_app, table_with

import core
from core.analyses.lab import train_variant

PAGE = "pages/activations.py"


def test_activations_heatmap_shows_matlabs_first_ten_units(model, dataset):
    data = dataset
    at = open_app(page=PAGE)
    heat = table_with(at, "unit", "step", "value")
    expected = core.run_sequence(model, data.test.sequences[0]).hidden[:, :10]  # (T, 10)
    assert sorted(heat["unit"].unique()) == list(range(1, 11))
    pivot = heat.pivot(index="step", columns="unit", values="value").to_numpy()
    np.testing.assert_allclose(pivot, expected, atol=1e-6)


def test_the_heatmap_shows_the_chosen_layer_of_a_stacked_network(fresh_cache, dataset):
    data = dataset
    at = choose_stacked_variant(open_app(), PAGE)
    stacked = train_variant(STACKED, cache=fresh_cache).model
    trace = core.run_sequence(stacked, data.test.sequences[0])
    for layer in (0, 1):
        at.sidebar.selectbox(key="sel_layer").set_value(layer).run()
        heat = table_with(at, "unit", "step", "value")
        pivot = heat.pivot(index="step", columns="unit", values="value").to_numpy()
        np.testing.assert_allclose(pivot, trace.layer(layer).hidden, atol=1e-6)  # all 10 units
        assert any(f"hidden units of layer {layer + 1} (of 2 stacked layers)" in c.value for c in at.caption)
    assert not np.allclose(trace.layer(0).hidden, trace.layer(1).hidden)


def test_unit_range_slider_changes_the_heatmap_rows():
    at = open_app(page=PAGE)
    at.slider(key="act_units").set_range(21, 40).run()
    heat = table_with(at, "unit", "step", "value")
    assert sorted(heat["unit"].unique()) == list(range(21, 41))
    assert at.query_params["units"] == "21-40"


def test_time_step_slider_moves_the_marker_and_the_bars(model, dataset):
    data = dataset
    at = open_app(page=PAGE)
    at.slider(key="act_step").set_value(7).run()
    assert marker_step(at) == 7
    bars = table_with(at, "unit", "value")
    expected = core.run_sequence(model, data.test.sequences[0]).hidden[6, :10]
    np.testing.assert_allclose(bars.sort_values("unit")["value"].to_numpy(), expected, atol=1e-6)


def test_gate_chooser_switches_quantity_and_scale(model, dataset):
    data = dataset
    at = open_app(page=PAGE)
    at.selectbox(key="act_quantity").set_value("forget").run()
    heat = table_with(at, "unit", "step", "value")
    forget = core.run_sequence(model, data.test.sequences[0]).gates[:, 1, :10]
    np.testing.assert_allclose(heat.pivot(index="step", columns="unit", values="value").to_numpy(), forget, atol=1e-6)
    assert heat["value"].between(0, 1).all()


def test_the_chosen_observation_drives_the_heatmap(model, dataset):
    data = dataset
    at = open_app({"obs": "5"}, PAGE)
    trace = core.run_sequence(model, data.test.sequences[4])
    heat = table_with(at, "unit", "step", "value")
    assert heat["step"].max() == trace.hidden.shape[0]
    assert at.query_params["obs"] == "5"
