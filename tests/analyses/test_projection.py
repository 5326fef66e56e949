"""PCA of hidden states against an independent eigen-decomposition, on data whose answer is known."""

import numpy as np
import pytest
import torch
from bad_calls import assert_bad_call_named, bad_call_cases
from numpy.testing import assert_allclose, assert_array_equal

import core
from core.analyses import projection
from core.analyses.projection import PCA, fit_hidden_pca, fit_pca, hidden_states, project
from core.compute.stepper import BatchTrace


def test_points_on_a_line_have_all_their_variance_on_the_first_component():
    direction = np.array([2.0, 3.0, -6.0, 0.0, 0.0]) / 7.0  # unit length, largest entry negative
    offset = np.array([5.0, 1.0, -3.0, 0.5, 2.0])
    states = offset + np.linspace(-4, 7, 30)[:, None] * direction  # (30, 5)
    pca = fit_pca(states)
    assert_allclose(pca.explained_variance_ratio, [1.0, 0.0], atol=1e-12)
    assert_allclose(pca.mean, offset + 1.5 * direction)
    assert_allclose(pca.components[0], -direction)  # the sign convention makes -6/7 positive
    assert_allclose(project(pca, states)[:, 1], 0, atol=1e-12)


def test_against_eigendecomposition_of_the_covariance():
    rng = np.random.default_rng(0)
    rotation = np.linalg.qr(rng.normal(size=(6, 6)))[0]
    states = rng.normal(size=(400, 6)) @ np.diag([5.0, 3.0, 2.0, 1.0, 0.5, 0.1]) @ rotation
    pca = fit_pca(states, n_components=3)
    eigenvalues, eigenvectors = np.linalg.eigh(np.cov(states, rowvar=False))  # ascending
    eigenvalues, eigenvectors = eigenvalues[::-1], eigenvectors[:, ::-1].T  # (6,), (6, 6) by decreasing variance
    assert_allclose(pca.explained_variance_ratio, eigenvalues[:3] / eigenvalues.sum(), rtol=1e-10)
    signs = np.sign(eigenvectors[np.arange(3), np.abs(eigenvectors[:3]).argmax(axis=1)])
    assert_allclose(pca.components, eigenvectors[:3] * signs[:, None], atol=1e-10)
    assert_allclose(pca.components @ pca.components.T, np.eye(3), atol=1e-12)


def test_sign_convention_and_projection_of_the_mean():
    states = np.random.default_rng(1).normal(size=(50, 8)) * np.arange(1, 9)
    pca = fit_pca(states, n_components=4)
    largest = pca.components[np.arange(4), np.abs(pca.components).argmax(axis=1)]
    assert (largest > 0).all()
    assert_allclose(project(pca, pca.mean), np.zeros(4), atol=1e-12)
    mirrored = fit_pca(-states, n_components=4)  # same axes, so the same signed components
    assert_allclose(mirrored.components, pca.components, atol=1e-12)
    assert_allclose(project(mirrored, -states), -project(pca, states), atol=1e-10)


def test_project_keeps_leading_axes():
    rng = np.random.default_rng(2)
    pca = fit_pca(rng.normal(size=(40, 5)))
    states = rng.normal(size=(3, 4, 5))
    projected = project(pca, states)
    assert projected.shape == (3, 4, 2)
    assert_allclose(projected.reshape(12, 2), project(pca, states.reshape(12, 5)))


def test_hidden_states_stacks_only_valid_steps():
    hidden = np.full((2, 3, 2), 99.0)  # 99 marks padding
    hidden[0, :2] = [[1, 2], [3, 4]]
    hidden[1, :3] = [[5, 6], [7, 8], [9, 10]]
    batch = BatchTrace(hidden, np.zeros_like(hidden), np.zeros((2, 3, 4, 2)), np.zeros((2, 3, 9)), np.array([2, 3]))
    assert_array_equal(hidden_states(batch), [[1, 2], [3, 4], [5, 6], [7, 8], [9, 10]])


def test_fit_hidden_pca_fits_all_training_states_and_is_cached(model, dataset, tmp_cache):
    pca = fit_hidden_pca(model, cache=tmp_cache)
    assert pca.components.shape == (2, 100)
    assert len(list((tmp_cache.root / "hidden_pca").glob("*.joblib"))) == 1
    expected = fit_pca(hidden_states(core.run_batch(model, dataset.train.sequences)))
    assert_allclose(pca.components, expected.components, atol=1e-6)
    assert_allclose(pca.explained_variance_ratio, expected.explained_variance_ratio, rtol=1e-6)
    again = fit_hidden_pca(model, cache=tmp_cache)
    assert_array_equal(again.components, pca.components)
    assert sum(dataset.train.lengths) == hidden_states(core.split_traces(model, "train", cache=tmp_cache)).shape[0]


def test_fit_hidden_pca_of_basicmotions_fits_its_training_states(bm_model, bm_dataset, model, tmp_cache):
    pca = fit_hidden_pca(bm_model, dataset=core.load_dataset("basicmotions"), cache=tmp_cache)
    expected = fit_pca(hidden_states(core.run_batch(bm_model, bm_dataset.train.sequences)))
    assert pca.components.shape == (2, bm_model.config.hidden_size)
    assert_allclose(pca.components, expected.components, atol=1e-6)
    assert_allclose(pca.explained_variance_ratio, expected.explained_variance_ratio, rtol=1e-6)
    fit_hidden_pca(model, cache=tmp_cache)
    assert len(list((tmp_cache.root / "hidden_pca").glob("*.joblib"))) == 2


def test_fit_hidden_pca_of_each_layer_fits_that_layer(dataset, tmp_cache):
    torch.manual_seed(5)
    model = core.LSTMClassifier(core.ModelConfig(hidden_size=8, num_layers=2)).eval().requires_grad_(False)
    batch = core.run_batch(model, dataset.train.sequences)
    for layer in (0, 1):
        expected = fit_pca(hidden_states(batch.layer(layer)))
        pca = fit_hidden_pca(model, layer=layer, cache=tmp_cache)
        assert_allclose(pca.components, expected.components, atol=1e-6)
        assert_allclose(pca.mean, expected.mean, atol=1e-6)
    assert_array_equal(fit_hidden_pca(model, cache=tmp_cache).components, pca.components)  # -1 is layer 1
    assert len(list((tmp_cache.root / "hidden_pca").glob("*.joblib"))) == 2
    with pytest.raises(ValueError, match=r"layer must be from 0 to 1 \(or -1 for the top\), got 2"):
        fit_hidden_pca(model, layer=2, cache=tmp_cache)


def test_errors():
    with pytest.raises(ValueError, match=r"shape \(M, H\) with M >= 2"):
        fit_pca(np.zeros(5))
    with pytest.raises(ValueError, match=r"shape \(M, H\) with M >= 2"):
        fit_pca(np.zeros((1, 5)))
    with pytest.raises(ValueError, match="n_components must be between 1 and 3"):
        fit_pca(np.eye(3), n_components=4)
    with pytest.raises(ValueError, match="NaN or infinite"):
        fit_pca(np.array([[0.0, 1.0], [np.nan, 2.0]]))
    with pytest.raises(ValueError, match="no variance"):
        fit_pca(np.ones((4, 3)))
    pca = PCA(np.zeros(3), np.eye(3)[:2], np.array([0.5, 0.5]))
    with pytest.raises(ValueError, match=r"shape \(\.\.\., 3\)"):
        project(pca, np.zeros((4, 2)))
    with pytest.raises(TypeError, match="batch must be a BatchTrace"):
        hidden_states(np.zeros((2, 3, 4)))


@pytest.fixture(scope="module")
def api(model):
    """What the bad calls below need: the model and a PCA of 5 dimensions."""
    return dict(m=model, pca=projection.fit_pca(np.random.default_rng(0).normal(size=(20, 5))))


# id, call, expected error, a pattern the message must contain (it names the argument or the problem)
BAD_CALLS = [
    ("projection.fit_pca/None", lambda a: projection.fit_pca(None), ValueError, r"states must have shape"),
    ("projection.fit_pca/empty", lambda a: projection.fit_pca(np.zeros((0, 3))), ValueError, "states must"),
    ("projection.fit_pca/NaN", lambda a: projection.fit_pca(np.full((4, 3), np.nan)), ValueError, "NaN"),
    ("projection.fit_pca/n_components", lambda a: projection.fit_pca(np.eye(4), "2"), ValueError, "n_components"),
    ("projection.fit_pca/text", lambda a: projection.fit_pca("abc"), ValueError, "states"),
    ("projection.project/pca None", lambda a: projection.project(None, np.zeros((2, 5))), TypeError, "pca"),
    (
        "projection.project/shape",
        lambda a: projection.project(a["pca"], np.zeros((2, 4))),
        ValueError,
        r"states must have shape \(\.\.\., 5\)",
    ),
    ("projection.project/NaN", lambda a: projection.project(a["pca"], np.full((2, 5), np.nan)), ValueError, "NaN"),
    ("projection.hidden_states/None", lambda a: projection.hidden_states(None), TypeError, "batch must be"),
    (
        "projection.fit_hidden_pca/model None",
        lambda a: projection.fit_hidden_pca(None),
        TypeError,
        "model must be an LSTMClassifier",
    ),
    (
        "projection.fit_hidden_pca/split",
        lambda a: projection.fit_hidden_pca(a["m"], "validation"),
        ValueError,
        "split must be 'train' or 'test'",
    ),
]


@pytest.mark.parametrize("name, call, error, match", bad_call_cases(BAD_CALLS))
def test_bad_calls_name_the_problem(api, name, call, error, match):
    assert_bad_call_named(api, name, call, error, match)


def test_endings_are_each_paths_point_after_its_last_step():
    points = np.arange(2 * 3 * 2, dtype=float).reshape(2, 3, 2)  # (N=2, T_max=3, 2)
    assert_allclose(projection.endings(points, [3, 1]), [[4.0, 5.0], [6.0, 7.0]])
    with pytest.raises(ValueError, match="lengths must hold one length from 1 to 3 per path"):
        projection.endings(points, [0, 2])
    with pytest.raises(ValueError, match=r"points must have shape \(N, T_max, 2\)"):
        projection.endings(points[..., :1], [1, 1])


def test_endings_grouped_counts_the_test_endings_nearest_their_own_class_centre():
    # training endings: class 1 around (0, 0), class 2 around (10, 0); centres (0, 0) and (10, 0)
    train = np.array([[-1.0, 0.0], [1.0, 0.0], [9.0, 0.0], [11.0, 0.0]])
    labels = np.array([1, 1, 2, 2])
    test = np.array([[2.0, 1.0], [4.9, 0.0], [5.1, 0.0], [8.0, 0.0]])
    # nearest centres: 1, 1, 2, 2; truths 1, 2, 2, 1: the first and the third are grouped
    assert projection.endings_grouped(train, labels, test, np.array([1, 2, 2, 1])) == 0.5
    # a class with no training endings has no centre: its test recordings are not grouped
    assert projection.endings_grouped(train, labels, test[:1], np.array([3])) == 0.0
    with pytest.raises(ValueError, match=r"test_ends must have shape \(N, 2\) with one label each"):
        projection.endings_grouped(train, labels, test, np.array([1, 2]))
