"""Results shipped beside the checkpoint: they match a fresh computation, are served only to their own model and
split, and a damaged file is ignored with a warning."""

import json
import logging

import numpy as np
import pytest
from numpy.testing import assert_array_equal

import core
from core.analyses import ablation
from core.compute.shipped_results import results_path, shipped_result, write_shipped_results


def _keys(model, split):
    return core.model_fingerprint(model), core.split_fingerprint(split)


def test_the_shipped_costs_are_those_of_the_shipped_network_on_the_test_split(model, dataset):
    shipped = shipped_result("single_unit_costs", *_keys(model, dataset.test))
    assert shipped is not None, (
        f"{results_path(core.SHIPPED_CHECKPOINT).name} is not for the shipped checkpoint: python -m core.train "
        "--results-only"
    )
    assert_array_equal(shipped, ablation._compute_single_unit_costs(model, dataset.test))


def test_single_unit_costs_serves_the_shipped_file_without_computing(model, dataset, tmp_cache, monkeypatch):
    monkeypatch.setattr(ablation, "_compute_single_unit_costs", lambda *a: pytest.fail("computed"))
    costs = ablation.single_unit_costs(model, dataset.test, cache=tmp_cache)
    assert costs.shape == (100,) and costs.dtype == np.int64
    assert tmp_cache.load("single_unit_costs", _keys(model, dataset.test)) == (False, None)


def test_another_split_or_model_is_not_served(model, dataset, tmp_path):
    path = write_shipped_results(tmp_path / "r.json", "m" * 64, "s" * 64, single_unit_costs=np.arange(3))
    assert_array_equal(shipped_result("single_unit_costs", "m" * 64, "s" * 64, path=path), [0, 1, 2])
    assert shipped_result("single_unit_costs", "m" * 64, "x" * 64, path=path) is None
    assert shipped_result("single_unit_costs", "x" * 64, "s" * 64, path=path) is None
    assert shipped_result("single_unit_costs", *_keys(model, dataset.train)) is None


def test_the_file_is_read_again_when_it_changes(tmp_path):
    path = write_shipped_results(tmp_path / "r.json", "m", "s", single_unit_costs=np.arange(3))
    assert_array_equal(shipped_result("single_unit_costs", "m", "s", path=path), [0, 1, 2])
    write_shipped_results(path, "m", "s", single_unit_costs=np.array([5, -1]))
    assert_array_equal(shipped_result("single_unit_costs", "m", "s", path=path), [5, -1])


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b'{"format": 1, "model": "m", "split": "s", "single_unit_c',
        b"\xff\xfe garbage",
        json.dumps({"format": 2, "model": "m", "split": "s", "single_unit_costs": [1]}).encode(),
        json.dumps({"format": 1, "model": "m", "split": "s", "single_unit_costs": [1.5]}).encode(),
        json.dumps({"format": 1, "model": "m", "split": "s", "single_unit_costs": [True]}).encode(),
        json.dumps({"format": 1, "model": "m", "split": "s"}).encode(),
        json.dumps([1, 2]).encode(),
    ],
    ids=["empty", "truncated", "binary", "other format", "float", "bool", "missing", "a list"],
)
def test_a_damaged_file_is_ignored_with_a_warning_and_left_alone(tmp_path, content, caplog):
    path = tmp_path / "r.json"
    path.write_bytes(content)
    with caplog.at_level(logging.WARNING, logger="core.compute.shipped_results"):
        assert shipped_result("single_unit_costs", "m", "s", path=path) is None
    assert "ignoring the shipped results" in caplog.text and "will be computed" in caplog.text
    assert path.read_bytes() == content


def test_a_missing_file_is_no_result(tmp_path):
    assert shipped_result("single_unit_costs", "m", "s", path=tmp_path / "none.json") is None


def test_bad_arguments_are_named(tmp_path):
    with pytest.raises(ValueError, match="unknown result 'costs'"):
        shipped_result("costs", "m", "s")
    with pytest.raises(ValueError, match="1-D array of int"):
        write_shipped_results(tmp_path / "r.json", "m", "s", single_unit_costs=np.zeros(3))
    assert not (tmp_path / "r.json").exists()
