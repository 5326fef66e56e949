"""Hidden-state paths page through AppTest: the PCA map, the chosen path and the time-step marker."""

import numpy as np
import pytest
from app_helpers import STACKED, chart_tables, choose_stacked_variant, open_app, table_with

import core
from core.analyses import projection
from core.analyses.lab import train_variant

PAGE = "pages/paths.py"


@pytest.fixture(scope="module")
def reference(model, dataset):
    pca = projection.fit_hidden_pca(model, "train")
    return model, dataset, pca


def path_tables(at):
    """(focus path, marker) tables of the map: the chosen path (T rows) and the amber dot (one row)."""
    tables = [t for t in chart_tables(at)[0] if list(t.columns) == ["step", "pc1", "pc2"]]
    return max(tables, key=len), min(tables, key=len)


def test_page_draws_one_map_and_shows_the_explained_variance(reference):
    _, _, pca = reference
    at = open_app(page=PAGE)
    assert len(at.get("vega_lite_chart")) == 1
    assert at.title[0].value == "Hidden-state paths"
    assert any("Each dot is the network's whole memory at one moment" in m.value for m in at.markdown)
    shares = [f"{pca.explained_variance_ratio[0]:.0%}", f"{pca.explained_variance_ratio[1]:.0%}"]
    total = f"{int(shares[0].rstrip('%')) + int(shares[1].rstrip('%'))}%"  # the sum of the two as shown
    assert [m.value for m in at.metric] == [*shares, total]
    labels = [m.label for m in at.metric]  # the axis's word, and no fragment
    assert labels == ["Variation left to right", "Variation bottom to top", "Variation the map keeps"]
    spec = at.get("vega_lite_chart")[0].proto.spec
    assert f"PC 1 ({shares[0]} of the variation)" in spec and f"PC 2 ({shares[1]} of the variation)" in spec


def test_background_and_chosen_path_are_the_core_projection(reference):
    model, data, pca = reference
    at = open_app(page=PAGE)
    background = table_with(at, "recording", "speaker", "step", "pc1", "pc2")
    train = core.split_traces(model, "train")
    expected = projection.project(pca, projection.hidden_states(train))  # (sum(lengths), 2)
    np.testing.assert_allclose(background[["pc1", "pc2"]].to_numpy(), expected, atol=1e-5)
    assert background.groupby("recording")["speaker"].first().tolist() == data.train.labels.tolist()
    focus, marker = path_tables(at)
    chosen = projection.project(pca, core.run_sequence(model, data.test.sequences[0]).hidden)  # (19, 2)
    np.testing.assert_allclose(focus[["pc1", "pc2"]].to_numpy(), chosen, atol=1e-5)
    assert marker["step"].tolist() == [19]


def test_step_slider_moves_the_marker_and_background_chooser_switches_split(reference):
    model, data, pca = reference
    at = open_app(page=PAGE)
    at.slider(key="paths_step").set_value(4)
    at.radio(key="paths_bg").set_value("test").run()
    focus, marker = path_tables(at)
    np.testing.assert_allclose(marker[["pc1", "pc2"]].to_numpy(), focus[["pc1", "pc2"]].to_numpy()[[3]])
    assert marker["step"].tolist() == [4]
    background = table_with(at, "recording", "speaker", "step", "pc1", "pc2")
    assert len(background) == int(data.test.lengths.sum())
    predicted = core.run_sequence(model, data.test.sequences[0]).predictions[3]
    assert f"After step 4, the network's best guess is speaker {predicted}" in at.main.caption[-1].value


def test_a_stacked_network_maps_the_hidden_states_of_the_chosen_layer(fresh_cache, dataset):
    stacked = train_variant(STACKED, cache=fresh_cache).model
    train = core.run_batch(stacked, dataset.train.sequences)
    at = choose_stacked_variant(open_app(), PAGE)
    for layer in (0, 1):
        at.sidebar.radio(key="layer").set_value(layer).run()
        pca = projection.fit_pca(projection.hidden_states(train.layer(layer)))
        background = table_with(at, "recording", "speaker", "step", "pc1", "pc2")
        expected = projection.project(pca, projection.hidden_states(train.layer(layer)))
        np.testing.assert_allclose(background[["pc1", "pc2"]].to_numpy(), expected, atol=1e-5)
        focus, _ = path_tables(at)
        trace = core.run_sequence(stacked, dataset.test.sequences[0]).layer(layer)
        np.testing.assert_allclose(focus[["pc1", "pc2"]].to_numpy(), projection.project(pca, trace.hidden), atol=1e-5)


def test_the_page_says_how_far_the_map_groups_each_class_where_its_paths_end(reference):
    model, dataset, pca = reference
    ends = {}
    for split in ("train", "test"):
        batch = core.run_batch(model, dataset.split(split).sequences)
        last = batch.hidden[np.arange(len(batch.lengths)), batch.lengths - 1]  # (N, H), by hand
        ends[split] = (last - pca.mean) @ pca.components.T  # (N, 2)
    grouped = projection.endings_grouped(ends["train"], dataset.train.labels, ends["test"], dataset.test.labels)
    majority = core.analyses.baselines.majority_accuracy(dataset.train, dataset.test)
    expected = core.presentation.honesty.map_grouping_sentence(grouped, majority, info=dataset.info)
    at = open_app(page=PAGE)
    assert expected in [m.value for m in at.markdown]
    assert grouped > majority + 0.1 and "end up in the same region" in expected  # the shipped network groups them
