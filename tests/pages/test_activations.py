"""The Activations page through AppTest: MATLAB's heatmap against core, and the sliders and chooser that change it."""

import numpy as np
from app_helpers import STACKED, choose_stacked_variant, marker_step, open_app, open_link, table_with

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
        at.sidebar.radio(key="layer").set_value(layer).run()
        heat = table_with(at, "unit", "step", "value")
        pivot = heat.pivot(index="step", columns="unit", values="value").to_numpy()
        np.testing.assert_allclose(pivot, trace.layer(layer).hidden, atol=1e-6)  # all 10 units
        assert any(f"units shown are those of layer {layer + 1} (of 2 stacked layers)" in c.value for c in at.caption)
    assert not np.allclose(trace.layer(0).hidden, trace.layer(1).hidden)


def test_unit_range_slider_changes_the_heatmap_rows():
    at = open_app(page=PAGE)
    at.slider(key="act_units").set_range(21, 40).run()
    heat = table_with(at, "unit", "step", "value")
    assert sorted(heat["unit"].unique()) == list(range(21, 41))


def test_a_link_opens_its_units_step_quantity_and_order(model, dataset):
    link = {
        "obs": "3",
        "act_q": "Cell state",
        "act_units": ["5", "25"],
        "act_step": "4",
        "act_order": "Most active first",
    }
    at = open_link(PAGE, link)
    assert not at.warning
    cell = core.run_sequence(model, dataset.test.sequences[2]).cell  # (T, 100)
    busiest = np.argsort(-np.abs(cell).mean(axis=0), kind="stable")[4:25]  # 0-based: the 5th to 25th most active
    heat = table_with(at, "unit", "step", "value")
    assert sorted(heat["unit"].unique()) == sorted(busiest + 1)
    pivot = heat.pivot(index="step", columns="unit", values="value")
    np.testing.assert_allclose(pivot[sorted(busiest + 1)].to_numpy(), cell[:, sorted(busiest)], atol=1e-6)
    assert marker_step(at) == 4


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
    at.selectbox(key="act_q").set_value("forget").run()
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
    assert "Test recording 5 " in " ".join(str(c.proto.spec) for c in at.get("vega_lite_chart"))


def test_the_words_on_colours_follow_what_is_shown(model, dataset):
    at = open_app(page=PAGE)
    intro = at.markdown[0].value
    assert "−1 and 1" not in intro and "red" not in intro  # true of the hidden state only, so said below the choice
    said = {}
    for quantity in ("hidden", "cell", "forget"):
        at.selectbox(key="act_q").set_value(quantity).run()
        said[quantity] = next(c.value for c in at.caption if c.value.startswith(("Hidden", "Cell", "Forget")))
    assert "between −1 and 1: red means strongly positive" in said["hidden"]
    bound = np.abs(core.run_sequence(model, dataset.test.sequences[0]).cell).max()
    assert f"between −{bound:.1f} and {bound:.1f}, the largest size it reaches in any unit" in said["cell"]
    assert "between 0 and 1, from closed to open: dark purple means nearly closed, yellow wide open" in said["forget"]
    assert "red" not in said["forget"]
