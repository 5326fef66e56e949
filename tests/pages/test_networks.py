"""“Two networks” through AppTest: a hint with one network; with a lab variant, both scores and the disagreements
against core."""

import numpy as np
from app_helpers import STACKED, chart_tables, choose_stacked_variant, open_app, screen_text
from numpy.testing import assert_array_equal

import core
from core.analyses.lab import train_variant, variant_key
from core.analyses.side_by_side import compare_networks

PAGE = "pages/networks.py"


def test_with_one_network_the_page_points_to_the_lab():
    at = open_app(page=PAGE)
    assert at.title[0].value == "Two networks"
    assert "There is only one network so far" in screen_text(at)
    assert not at.get("vega_lite_chart")


def test_a_lab_variant_next_to_the_shipped_network(model, dataset):
    at = choose_stacked_variant(open_app(), PAGE)
    assert at.selectbox(key="nets_other").value == "shipped"
    variant = train_variant(STACKED).model
    expected = compare_networks(
        core.run_batch(variant, dataset.test.sequences), core.split_traces(model, "test"), dataset.test.labels
    )
    assert [m.value for m in at.metric][:2] == [f"{expected.a.accuracy:.1%}", f"{expected.b.accuracy:.1%}"]
    assert at.metric[2].value == f"{len(expected.disagree)} of 370"
    confusion_a, confusion_b = chart_tables(at)
    for tables, score in ((confusion_a, expected.a), (confusion_b, expected.b)):
        cells = next(t for t in tables if "count" in t.columns)
        assert_array_equal(cells["count"].to_numpy().reshape(9, 9), score.confusion)
    if len(expected.disagree):
        table = at.dataframe[0].value
        assert_array_equal(table["recording"], expected.disagree + 1)
        assert_array_equal(table["B answers"], expected.b.predicted[expected.disagree])
    assert at.query_params["other"] == "shipped" and at.query_params["model"] == variant_key(STACKED)
    at.radio(key="nets_split").set_value("train").run()
    assert at.query_params["on"] == "train" and not at.exception
    train = compare_networks(
        core.run_batch(variant, dataset.train.sequences), core.split_traces(model, "train"), dataset.train.labels
    )
    assert at.metric[2].value == f"{len(train.disagree)} of 270"
    assert np.isfinite(train.a.accuracy)
