"""Results shipped beside the checkpoint: they match a fresh computation, are served only to their own model and
split, and a damaged file is ignored with a warning."""

import json
import logging

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

import core
from core.analyses import ablation
from core.compute.shipped_results import RESULT_NAMES, results_path, shipped_result, write_shipped_results

DROP = [[0.25, -0.5], [0.0, 0.125], [1.0, -1.0]]  # (H=3, C=2)


def _keys(model, split):
    return core.model_fingerprint(model), core.split_fingerprint(split)


def test_the_shipped_results_are_those_of_the_shipped_network_on_the_test_split(model, dataset):
    shipped = shipped_result(*_keys(model, dataset.test))
    assert shipped is not None, (
        f"{results_path(core.SHIPPED_CHECKPOINT).name} is not for the shipped checkpoint: python -m core.train "
        "--results-only"
    )
    assert sorted(shipped) == sorted(RESULT_NAMES) == ["class_probability_drop", "single_unit_costs"]
    fresh = ablation._compute_single_unit_effects(model, dataset.test)
    assert_array_equal(shipped["single_unit_costs"], fresh.cost)
    assert_allclose(shipped["class_probability_drop"], fresh.class_drop, atol=1e-6)
    assert shipped["class_probability_drop"].shape == (100, 9)


def test_single_unit_effects_serves_the_shipped_file_without_computing(model, dataset, tmp_cache, monkeypatch):
    monkeypatch.setattr(ablation, "_compute_single_unit_effects", lambda *a: pytest.fail("computed"))
    effects = ablation.single_unit_effects(model, dataset.test, cache=tmp_cache)
    assert effects.cost.shape == (100,) and effects.cost.dtype == np.int64
    assert effects.class_drop.shape == (100, 9) and effects.class_drop.dtype == np.float64
    assert tmp_cache.load("single_unit_effects", (*_keys(model, dataset.test), 0)) == (False, None)


@pytest.mark.parametrize("n_units, n_classes", [(3, 9), (100, 2)])
def test_a_shipped_file_of_the_wrong_shape_is_not_served(
    model, dataset, tmp_cache, monkeypatch, tmp_path, n_units, n_classes
):
    """A file for this model and split whose arrays do not fit its units and classes: computed instead."""
    small = core.Split(dataset.test.sequences[:20], dataset.test.labels[:20])
    path = write_shipped_results(
        tmp_path / "r.json",
        *_keys(model, small),
        single_unit_costs=np.zeros(n_units, int),
        class_probability_drop=np.zeros((n_units, n_classes)),
    )
    assert shipped_result(*_keys(model, small), path=path) is not None
    monkeypatch.setattr(ablation, "shipped_result", lambda m, s: shipped_result(m, s, path=path))
    effects = ablation.single_unit_effects(model, small, cache=tmp_cache)
    fresh = ablation._compute_single_unit_effects(model, small)
    assert_array_equal(effects.cost, fresh.cost)
    assert_allclose(effects.class_drop, fresh.class_drop)
    assert effects.class_drop.shape == (100, 9)


def test_another_split_or_model_is_not_served(model, dataset, tmp_path):
    path = write_shipped_results(
        tmp_path / "r.json", "m" * 64, "s" * 64, single_unit_costs=np.arange(3), class_probability_drop=DROP
    )
    served = shipped_result("m" * 64, "s" * 64, path=path)
    assert_array_equal(served["single_unit_costs"], [0, 1, 2])
    assert served["single_unit_costs"].dtype == np.int64
    assert_array_equal(served["class_probability_drop"], DROP)
    assert shipped_result("m" * 64, "x" * 64, path=path) is None
    assert shipped_result("x" * 64, "s" * 64, path=path) is None
    assert shipped_result(*_keys(model, dataset.train)) is None


def test_every_shipped_network_is_looked_at(bm_model, bm_dataset):
    served = shipped_result(*_keys(bm_model, bm_dataset.test))
    assert served is not None and served["class_probability_drop"].shape == (bm_model.config.hidden_size, 4)


def test_the_file_is_read_again_when_it_changes(tmp_path):
    path = write_shipped_results(
        tmp_path / "r.json", "m", "s", single_unit_costs=np.arange(3), class_probability_drop=DROP
    )
    assert_array_equal(shipped_result("m", "s", path=path)["single_unit_costs"], [0, 1, 2])
    write_shipped_results(path, "m", "s", single_unit_costs=np.array([5, -1]), class_probability_drop=[[0.5], [0.25]])
    served = shipped_result("m", "s", path=path)
    assert_array_equal(served["single_unit_costs"], [5, -1])
    assert_array_equal(served["class_probability_drop"], [[0.5], [0.25]])


def _file(**changes) -> bytes:
    payload = {
        "format": 2,
        "model": "m",
        "split": "s",
        "single_unit_costs": [1, 2],
        "class_probability_drop": [[0.5], [0.25]],
    }
    return json.dumps({**payload, **changes}).encode()


@pytest.mark.parametrize(
    "content",
    [
        b"",
        _file()[:60],
        b"\xff\xfe garbage",
        json.dumps({"format": 1, "model": "m", "split": "s", "single_unit_costs": [1]}).encode(),
        _file(format=3),
        _file(single_unit_costs=[1.5, 2]),
        _file(single_unit_costs=[True, 2]),
        _file(single_unit_costs=None),
        _file(class_probability_drop=None),
        _file(class_probability_drop=[[0.5]]),
        _file(class_probability_drop=[[0.5], [0.25, 0.0]]),
        _file(class_probability_drop=[[0.5], []]),
        _file(class_probability_drop=[[0.5], [False]]),
        _file(class_probability_drop=[[0.5], ["0.25"]]),
        _file(class_probability_drop=[0.5, 0.25]),
        _file(class_probability_drop=[[0.5], [float("nan")]]),
        _file(class_probability_drop=[[0.5], [float("inf")]]),
        _file(class_probability_drop=[[0.5], [1.5]]),
        _file(model=3),
        json.dumps([1, 2]).encode(),
    ],
    ids=[
        "empty",
        "truncated",
        "binary",
        "format 1",
        "other format",
        "float cost",
        "bool cost",
        "no costs",
        "no drops",
        "fewer drop rows",
        "ragged drops",
        "an empty drop row",
        "bool drop",
        "text drop",
        "flat drops",
        "NaN drop",
        "infinite drop",
        "a drop above 1",
        "model not text",
        "a list",
    ],
)
def test_a_damaged_file_is_ignored_with_a_warning_and_left_alone(tmp_path, content, caplog):
    path = tmp_path / "r.json"
    path.write_bytes(content)
    with caplog.at_level(logging.WARNING, logger="core.compute.shipped_results"):
        assert shipped_result("m", "s", path=path) is None
    assert "ignoring the shipped results" in caplog.text and "will be computed" in caplog.text
    assert path.read_bytes() == content


def test_a_good_file_is_served(tmp_path):
    path = tmp_path / "r.json"
    path.write_bytes(_file(class_probability_drop=[[0.5], [-1]]))
    assert_array_equal(shipped_result("m", "s", path=path)["class_probability_drop"], [[0.5], [-1.0]])


def test_a_missing_file_is_no_result(tmp_path):
    assert shipped_result("m", "s", path=tmp_path / "none.json") is None


@pytest.mark.parametrize(
    "costs, drop, match",
    [
        (np.zeros(3), DROP, "single_unit_costs must be a 1-D array of int"),
        (np.zeros((3, 1), int), DROP, "single_unit_costs must be a 1-D array of int"),
        (np.arange(3), DROP[:2], r"class_probability_drop must be a finite \(3, C\) array"),
        (np.arange(3), [0.5, 0.5, 0.5], r"class_probability_drop must be a finite \(3, C\) array"),
        (np.arange(3), np.zeros((3, 0)), r"class_probability_drop must be a finite \(3, C\) array"),
        (np.arange(3), [[0.5], [np.nan], [0.0]], r"class_probability_drop must be a finite \(3, C\) array"),
        (np.arange(3), [[0.5], [1.5], [0.0]], r"class_probability_drop must be .* from -1 to 1"),
    ],
)
def test_bad_arguments_are_named(tmp_path, costs, drop, match):
    with pytest.raises(ValueError, match=match):
        write_shipped_results(tmp_path / "r.json", "m", "s", single_unit_costs=costs, class_probability_drop=drop)
    assert not (tmp_path / "r.json").exists()
