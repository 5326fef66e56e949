"""“Two networks” through AppTest: the two shipped networks at the first visit; a hint with one network; with a lab
variant, both on the chosen recording and both scores and disagreements on a split, against core; a clicked
disagreement opens that recording."""

from app_helpers import (
    STACKED,
    choose_stacked_variant,
    open_app,
    screen_text,
    send_selection,
    table_with,
    upload_small_dataset,
)
from numpy.testing import assert_allclose, assert_array_equal

import core
from core.analyses.lab import train_variant, variant_key
from core.analyses.side_by_side import compare_networks
from ui import state

PAGE = "pages/networks.py"


def test_at_the_first_visit_the_two_shipped_networks_are_side_by_side(model, dataset):
    at = open_app(page=PAGE)
    assert at.selectbox(key="nets_other").value == "small"
    small = core.load_checkpoint(core.checkpoint_path("japanese_vowels", "small"))[0]
    lines = table_with(at, "step", "speaker", "probability", "network", "true speaker")
    x = dataset.test.sequences[0]  # (12, T)
    for name, net in (("A: Pretrained, 100 units", model), ("B: Small, 20 units", small)):
        probs = lines[lines["network"] == name]["probability"].to_numpy().reshape(x.shape[1], 9)
        assert_allclose(probs, core.run_sequence(net, x).probs, atol=1e-6)
    expected = compare_networks(
        core.split_traces(model, "test"), core.run_batch(small, dataset.test.sequences), dataset.test.labels
    )
    assert at.metric[4].value == f"{len(expected.disagree)} of 370"


def test_with_one_network_the_page_points_to_the_lab():
    at = upload_small_dataset(open_app())
    at.switch_page(PAGE).run()
    assert at.title[0].value == "Two networks"
    assert "There is only one network of small so far" in screen_text(at)
    assert not at.get("vega_lite_chart")


def test_a_lab_variant_next_to_the_shipped_network(model, dataset, fresh_cache):
    at = choose_stacked_variant(open_app({"obs": "4"}), PAGE)
    assert at.selectbox(key="nets_other").value == "lstm"
    variant = train_variant(STACKED).model
    x = dataset.test.sequences[3]  # the sidebar's recording, (12, T)

    # On the recording: both trajectories on one chart, both heatmaps of units 1-10 on one scale.
    lines = table_with(at, "step", "speaker", "probability", "network", "true speaker")
    label = state.stores.lab_networks("japanese_vowels", at.session_state)[variant_key(STACKED)].label
    for name, net in ((f"A: {label}", variant), ("B: Pretrained, 100 units", model)):
        probs = lines[lines["network"] == name]["probability"].to_numpy().reshape(x.shape[1], 9)
        assert_allclose(probs, core.run_sequence(net, x).probs, atol=1e-6)
    assert at.slider(key="nets_units").value == (1, 10) and at.slider(key="nets_units").max == STACKED.hidden_size

    # On the test set: accuracies, confusion matrices, disagreements.
    expected = compare_networks(
        core.run_batch(variant, dataset.test.sequences), core.split_traces(model, "test"), dataset.test.labels
    )
    metrics = [m.value for m in at.metric]
    assert metrics[2:4] == [f"{expected.a.accuracy:.1%}", f"{expected.b.accuracy:.1%}"]
    assert metrics[4] == f"{len(expected.disagree)} of 370"
    table = at.dataframe[0].value
    assert_array_equal(table["recording"], expected.disagree + 1)
    assert list(table["B answers"]) == [f"speaker {k}" for k in expected.b.predicted[expected.disagree]]

    at.radio(key="nets_split").set_value("train").run()
    train = compare_networks(
        core.run_batch(variant, dataset.train.sequences), core.split_traces(model, "train"), dataset.train.labels
    )
    assert at.metric[4].value == f"{len(train.disagree)} of 270"

    # A click on a row of the disagreements makes that recording the sidebar's.
    send_selection(at, "nets_table", {"rows": [1], "columns": []})
    assert not at.exception
    assert at.session_state["split"] == "train" and at.sidebar.number_input(key="obs").value == train.disagree[1] + 1
    assert at.title[0].value == "Two networks"
