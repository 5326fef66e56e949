"""“Compare two” through AppTest: the second recording's chooser, shared scales and the shared unit range."""

import json

import numpy as np
import pytest
from app_helpers import chart_tables, open_app, open_link

import core

PAGE = "pages/compare.py"


@pytest.fixture(scope="module")
def reference(model, dataset):
    return model, dataset, core.split_traces(model, "test"), core.split_traces(model, "train")


KEYS = ["cmp_features_a", "cmp_features_b", "cmp_heatmap_a", "cmp_heatmap_b", "cmp_trajectory_a", "cmp_trajectory_b"]


def charts_by_key(at) -> dict:
    """Each chart's (spec, tables) by its key; the page draws them in the order of ``KEYS``."""
    elements = at.get("vega_lite_chart")
    assert len(elements) == len(KEYS)
    return {
        key: (json.loads(element.proto.spec), tables)
        for key, element, tables in zip(KEYS, elements, chart_tables(at), strict=True)
    }


def heat_values(tables) -> np.ndarray:
    heat = next(t for t in tables if set(t.columns) == {"unit", "step", "value"})
    return heat.pivot(index="step", columns="unit", values="value").to_numpy()  # (T, U)


def test_page_draws_six_charts_with_another_speaker_on_the_right(reference):
    _, data, _, _ = reference
    at = open_app(page=PAGE)
    assert len(at.get("vega_lite_chart")) == 6
    assert at.title[0].value == "Compare two"
    first_other = int(np.argmax(data.test.labels != data.test.labels[0])) + 1  # first test recording of speaker 2
    assert at.slider(key="cmp_obs").value == first_other
    assert [h.value for h in at.subheader] == [
        "Test recording 1 (speaker 1)",
        f"Test recording {first_other} (speaker 2)",
    ]


def test_both_sides_show_the_core_values_on_shared_scales(reference):
    _, data, test, _ = reference
    at = open_app(page=PAGE)
    b = at.slider(key="cmp_obs").value
    found = charts_by_key(at)
    np.testing.assert_allclose(heat_values(found["cmp_heatmap_a"][1]), test[0].hidden[:, :20], atol=1e-6)
    np.testing.assert_allclose(heat_values(found["cmp_heatmap_b"][1]), test[b - 1].hidden[:, :20], atol=1e-6)
    for side in "ab":
        assert found[f"cmp_heatmap_{side}"][0]["encoding"]["color"]["scale"]["domain"] == [-1, 1]
    x_a, x_b = data.test.sequences[0], data.test.sequences[b - 1]
    domain = [float(min(x_a.min(), x_b.min())), float(max(x_a.max(), x_b.max()))]
    for side in "ab":
        assert found[f"cmp_features_{side}"][0]["encoding"]["y"]["scale"]["domain"] == pytest.approx(domain)
    probs = next(t for t in found["cmp_trajectory_b"][1] if "probability" in t.columns)
    np.testing.assert_allclose(
        probs["probability"].to_numpy().reshape(test[b - 1].probs.shape), test[b - 1].probs, atol=1e-6
    )


def test_cell_state_gets_one_domain_fitted_to_both(reference):
    _, _, test, _ = reference
    at = open_app(page=PAGE)
    b = at.slider(key="cmp_obs").value
    at.slider(key="cmp_units").set_range(31, 45)
    at.radio(key="cmp_q").set_value("cell").run()
    found = charts_by_key(at)
    bound = max(np.abs(test[0].cell[:, 30:45]).max(), np.abs(test[b - 1].cell[:, 30:45]).max())
    for side, trace in (("a", test[0]), ("b", test[b - 1])):
        spec, tables = found[f"cmp_heatmap_{side}"]
        assert spec["encoding"]["color"]["scale"]["domain"] == pytest.approx([-bound, bound])
        np.testing.assert_allclose(heat_values(tables), trace.cell[:, 30:45], atol=1e-6)


def test_choosing_the_second_recording(reference):
    _, data, _, train = reference
    at = open_app(page=PAGE)
    at.slider(key="cmp_obs").set_value(300).run()
    at.radio(key="cmp_split").set_value("train").run()  # 300 is past the training set's 270: the last one
    assert not at.exception
    assert at.slider(key="cmp_obs").value == 270
    assert at.subheader[1].value == f"Training recording 270 (speaker {data.train.labels[269]})"
    found = charts_by_key(at)
    np.testing.assert_allclose(heat_values(found["cmp_heatmap_b"][1]), train[269].hidden[:, :20], atol=1e-6)


def test_a_link_opens_the_second_recording(reference):
    _, data, _, train = reference
    at = open_link(PAGE, {"cmp_split": "Training set", "cmp_obs": "5", "cmp_units": ["3", "30"], "cmp_q": "Cell state"})
    assert not at.warning
    assert at.subheader[1].value == f"Training recording 5 (speaker {data.train.labels[4]})"
    found = charts_by_key(at)
    np.testing.assert_allclose(heat_values(found["cmp_heatmap_b"][1]), train[4].cell[:, 2:30], atol=1e-6)
