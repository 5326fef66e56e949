"""Every page through Streamlit's AppTest: no exception, the expected charts, and sliders that change them."""

import json
from pathlib import Path

import numpy as np
import pytest
from altair.utils import schemapi
from altair.utils.schemapi import validate_jsonschema
from altair.vegalite.v6.schema.core import load_schema
from app_helpers import APP, open_app, table_with, marker_step
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

import core
from ui import navigation

# url path -> number of Altair charts the page draws for test observation 1 (every page: this is the smoke test)
N_CHARTS = {
    "home": 0,
    "dataset": 3,
    "model": 2,
    "mistakes": 2,
    "activations": 2,
    "trajectory": 2,
    "why": 2,
    "units": 3,
    "ablation": 3,
    "patterns": 5,
    "paths": 1,
    "compare": 6,
    "upload": 0,
    "lab": 0,
    "glossary": 0,
}
VEGA_LITE_SCHEMA = load_schema()


def test_the_registry_lists_every_page_file_once():
    root = Path(__file__).resolve().parent.parent
    files = [p.file for p in navigation.PAGES]
    assert sorted(files) == sorted(f"pages/{p.name}" for p in (root / "pages").glob("*.py"))
    assert len({p.title for p in navigation.PAGES}) == len(files) and navigation.HOME.address == "/"
    assert all(p.summary and p.section for p in navigation.PAGES)


def test_the_smoke_test_covers_exactly_the_registry():
    assert set(N_CHARTS) == {p.url_path for p in navigation.PAGES}


def test_a_page_opened_first_reruns_through_the_entry_point(monkeypatch):
    """With a ``pages/`` folder, Streamlit runs the first page a session opens on its own (its older multipage
    mode); the page declares the menu (``st.navigation``, which ends that mode) and reruns through the entry point."""
    modes = []  # the older mode's flag at each call of the menu
    declare_menu = navigation.menu
    monkeypatch.setattr(navigation, "menu", lambda: modes.append(PagesManager.uses_pages_directory) or declare_menu())
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update({"obs": "3", "units": "5-25"})
    at.switch_page(navigation.page("activations").file).run()
    assert not at.exception, [e.value for e in at.exception]
    assert modes == [True, False], "the page ran on its own, then through the entry point"
    assert at.sidebar.slider(key="sel_obs_test").value == 3, "the entry point's sidebar, with the link's observation"
    assert at.slider(key="act_units").value == (5, 25), "the link opened this page, so its own parameters apply"
    assert at.query_params["obs"] == "3" and at.query_params["units"] == "5-25"


# url path -> the page's own link parameters, none at its default
OWN_LINKS = {
    "mistakes": {"cell": "2-8"},
    "activations": {"q": "cell", "units": "5-25", "step": "4", "order": "activity"},
    "trajectory": {"step": "3"},
    "why": {"baseline": "mean", "target": "3"},
    "units": {"unit": "42"},
    "ablation": {"units": "3,17,42", "from": "2"},
    "patterns": {"steps": "2-5", "thr": "0.45", "units": "10-60", "search": "train"},
    "paths": {"step": "2", "bg": "test"},
    "compare": {"b": "train-5", "units": "3-30", "q": "cell"},
    "glossary": {"q": "gate"},
}


@pytest.mark.parametrize("name, own", OWN_LINKS.items(), ids=list(OWN_LINKS))
def test_a_link_to_a_page_reopens_the_same_view(name, own):
    """A page's link, opened in a new session, gives every widget its value and is written back the same."""
    link = {"split": "test", "obs": "7", **own}
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update(link)
    at.switch_page(navigation.page(name).file).run()
    assert not at.exception, [e.value for e in at.exception]
    assert not [w.value for w in at.warning if "link's value" in w.value]
    assert list(at.query_params.items()) == list(link.items()), "the same parameters, in the same order"


@pytest.fixture(scope="module")
def reference():
    model, data = core.load_model(), core.load_dataset()
    return model, data


@pytest.mark.parametrize("page", navigation.PAGES, ids=lambda p: p.url_path)
def test_every_page_runs_and_draws_its_charts(page, monkeypatch):
    matched = []  # Altair matching a plain dict or shorthand string against its whole schema: ~5 ms each time
    real_init = schemapi._FromDict.__init__
    monkeypatch.setattr(schemapi._FromDict, "__init__", lambda self, *a: matched.append(1) or real_init(self, *a))
    at = open_app(page=page.file)
    assert len(at.get("vega_lite_chart")) == N_CHARTS[page.url_path]
    assert not matched, "an encoding in core/charts.py is a shorthand string or dict: name its channel class"
    for chart in at.get("vega_lite_chart"):  # ui.display skips Altair's validation for speed: it is done here
        validate_jsonschema(json.loads(chart.proto.spec), VEGA_LITE_SCHEMA, rootschema=VEGA_LITE_SCHEMA)
    assert at.title, "every page has a title"
    assert at.markdown, "every page explains itself"


def test_activations_heatmap_shows_matlabs_first_ten_units(reference):
    model, data = reference
    at = open_app(page="pages/activations.py")
    heat = table_with(at, "unit", "step", "value")
    expected = core.run_sequence(model, data.test.sequences[0]).hidden[:, :10]  # (T, 10)
    assert sorted(heat["unit"].unique()) == list(range(1, 11))
    pivot = heat.pivot(index="step", columns="unit", values="value").to_numpy()
    np.testing.assert_allclose(pivot, expected, atol=1e-6)


def test_unit_range_slider_changes_the_heatmap_rows():
    at = open_app(page="pages/activations.py")
    at.slider(key="act_units").set_range(21, 40).run()
    heat = table_with(at, "unit", "step", "value")
    assert sorted(heat["unit"].unique()) == list(range(21, 41))
    assert at.query_params["units"] == "21-40"


def test_time_step_slider_moves_the_marker_and_the_bars(reference):
    model, data = reference
    at = open_app(page="pages/activations.py")
    at.slider(key="act_step").set_value(7).run()
    assert marker_step(at) == 7
    bars = table_with(at, "unit", "value")
    expected = core.run_sequence(model, data.test.sequences[0]).hidden[6, :10]
    np.testing.assert_allclose(bars.sort_values("unit")["value"].to_numpy(), expected, atol=1e-6)


def test_gate_chooser_switches_quantity_and_scale(reference):
    model, data = reference
    at = open_app(page="pages/activations.py")
    at.selectbox(key="act_quantity").set_value("forget").run()
    heat = table_with(at, "unit", "step", "value")
    forget = core.run_sequence(model, data.test.sequences[0]).gates[:, 1, :10]
    np.testing.assert_allclose(heat.pivot(index="step", columns="unit", values="value").to_numpy(), forget, atol=1e-6)
    assert heat["value"].between(0, 1).all()


@pytest.mark.parametrize("page", ["pages/activations.py", "pages/trajectory.py"])
def test_the_chosen_observation_drives_the_views(reference, page):
    model, data = reference
    at = open_app({"obs": "5"}, page)
    trace = core.run_sequence(model, data.test.sequences[4])
    if page == "pages/activations.py":
        heat = table_with(at, "unit", "step", "value")
        assert heat["step"].max() == trace.hidden.shape[0]
    else:
        probs = table_with(at, "step", "speaker", "probability", "true speaker")
        np.testing.assert_allclose(probs["probability"].to_numpy().reshape(trace.probs.shape), trace.probs, atol=1e-6)
    assert at.query_params["obs"] == "5"


def test_trajectory_step_slider(reference):
    at = open_app(page="pages/trajectory.py")
    at.slider(key="traj_step").set_value(3).run()
    assert marker_step(at) == 3
    bars = table_with(at, "speaker", "probability", "true speaker")
    model, data = reference
    expected = core.run_sequence(model, data.test.sequences[0]).probs[2]
    np.testing.assert_allclose(bars["probability"].to_numpy(), expected, atol=1e-6)


@pytest.mark.parametrize("page, key", [("pages/activations.py", "act_step"), ("pages/trajectory.py", "traj_step"),
                                       ("pages/paths.py", "paths_step")])
def test_a_step_slider_changes_only_the_charts_data(page, key):
    """The browser updates a chart in place only when its spec is unchanged; a rebuilt chart answers slowly."""
    def specs(at):
        return [{k: v for k, v in json.loads(c.proto.spec).items() if k != "datasets"}
                for c in at.get("vega_lite_chart")]

    at = open_app(page=page)
    at.slider(key=key).set_value(2).run()
    before = specs(at)
    at.slider(key=key).set_value(4).run()
    assert specs(at) == before and before


def test_training_split_is_reachable():
    at = open_app({"split": "train", "obs": "270"}, "pages/dataset.py")
    assert "Training observation 270" in " ".join(h.value for h in at.subheader)


def test_a_shared_link_reopens_the_same_observation():
    at = open_app({"split": "train", "obs": "12"})
    assert at.session_state["sel_split"] == "train" and at.session_state["sel_obs_train"] == 12
    at.switch_page("pages/activations.py").run()
    heat = table_with(at, "unit", "step", "value")
    assert heat["step"].max() == core.load_dataset().train.sequences[11].shape[1]
    assert at.query_params["split"] == "train" and at.query_params["obs"] == "12"


@pytest.mark.parametrize("query, warned", [
    ({"obs": "abc"}, "obs"),
    ({"obs": "9999"}, "obs"),
    ({"split": "validation"}, "split"),
    ({"model": "lab-h9999"}, "model"),
])
def test_bad_link_values_fall_back_with_a_notice(query, warned):
    at = open_app(query)
    assert any(f"“{warned}”" in w.value for w in at.warning)
    assert at.session_state["sel_obs_test"] == 1
    assert at.query_params["obs"] == "1"


def test_sidebar_observation_holds_across_pages(reference):
    model, data = reference
    at = open_app(page="pages/activations.py")
    at.sidebar.slider(key="sel_obs_test").set_value(8).run()
    assert table_with(at, "unit", "step", "value")["step"].max() == data.test.sequences[7].shape[1]
    at.switch_page("pages/trajectory.py").run()
    probs = table_with(at, "step", "speaker", "probability", "true speaker")
    expected = core.run_sequence(model, data.test.sequences[7]).probs
    np.testing.assert_allclose(probs["probability"].to_numpy().reshape(expected.shape), expected, atol=1e-6)
    assert at.sidebar.slider(key="sel_obs_test").value == 8 and at.query_params["obs"] == "8"
