"""ui.state through AppTest: the sidebar selection holds across pages, and link (URL) parameters, good or hostile.

A bad link value falls back to the default with one short notice naming the parameter, and the address bar is
rewritten to what is shown; a link's text never becomes Markdown on someone else's screen, nor a file path.
"""

from __future__ import annotations

import re
import sys

import numpy as np
import pytest
import torch
from app_helpers import APP, STACKED, choose_stacked_variant, clear_streamlit_caches, open_app, table_with
from hostile_input import HOSTILE_PATH
from streamlit.testing.v1 import AppTest

import core
from core.analyses.lab import variant_key
from ui import navigation, state

LONG = "9" * 100_000


def test_a_shared_link_reopens_the_same_observation():
    at = open_app({"split": "train", "obs": "12"})
    assert at.session_state["sel_split"] == "train" and at.session_state["sel_obs_japanese_vowels_train"] == 12
    at.switch_page("pages/activations.py").run()
    heat = table_with(at, "unit", "step", "value")
    assert heat["step"].max() == core.load_dataset().train.sequences[11].shape[1]
    assert at.query_params["split"] == "train" and at.query_params["obs"] == "12"


def test_sidebar_observation_holds_across_pages(model, dataset):
    data = dataset
    at = open_app(page="pages/activations.py")
    at.sidebar.slider(key="sel_obs_japanese_vowels_test").set_value(8).run()
    assert table_with(at, "unit", "step", "value")["step"].max() == data.test.sequences[7].shape[1]
    at.switch_page("pages/trajectory.py").run()
    probs = table_with(at, "step", "speaker", "probability", "true speaker")
    expected = core.run_sequence(model, data.test.sequences[7]).probs
    np.testing.assert_allclose(probs["probability"].to_numpy().reshape(expected.shape), expected, atol=1e-6)
    assert at.sidebar.slider(key="sel_obs_japanese_vowels_test").value == 8 and at.query_params["obs"] == "8"


def test_a_link_opens_the_data_set_and_its_observation(bm_model, bm_dataset):
    at = open_app({"data": "basicmotions", "split": "train", "obs": "33"}, page="pages/activations.py")
    assert at.session_state["sel_obs_basicmotions_train"] == 33
    heat = table_with(at, "unit", "step", "value")
    expected = core.run_sequence(bm_model, bm_dataset.train.sequences[32]).hidden[:, :10]  # (T, 10)
    np.testing.assert_allclose(heat.pivot(index="step", columns="unit", values="value").to_numpy(), expected, atol=1e-5)
    assert {k: at.query_params[k] for k in ("data", "split", "obs")} == {
        "data": "basicmotions",
        "split": "train",
        "obs": "33",
    }


def test_switching_the_data_set_keeps_each_data_sets_observation():
    at = open_app({"obs": "200"})
    at.sidebar.selectbox(key="sel_data").set_value("basicmotions").run()
    assert at.sidebar.slider(key="sel_obs_basicmotions_test").value == 1
    assert at.sidebar.slider(key="sel_obs_basicmotions_test").max == 40
    assert at.sidebar.selectbox(key="sel_model").options == ["Pretrained (shipped, 100 units)"]
    at.sidebar.selectbox(key="sel_data").set_value("japanese_vowels").run()
    assert at.sidebar.slider(key="sel_obs_japanese_vowels_test").value == 200 and "data" not in at.query_params


@pytest.mark.parametrize("raw", ["mnist", "upload-0123456789", HOSTILE_PATH, "x" * 100_000])
def test_a_data_set_the_session_does_not_have_falls_back_with_a_notice(raw):
    at = open_app({"data": raw, "obs": "5"})
    (warning,) = at.warning
    assert "“data”" in warning.value and "is not a data set of this app" in warning.value and len(warning.value) < 300
    assert at.session_state["sel_data"] == "japanese_vowels" and "data" not in at.query_params
    assert at.session_state["sel_obs_japanese_vowels_test"] == 5


def test_lab_networks_belong_to_the_data_set_they_were_trained_on(fresh_cache):
    at = choose_stacked_variant(open_app())
    assert at.session_state["sel_model"] == variant_key(STACKED)
    at.sidebar.selectbox(key="sel_data").set_value("basicmotions").run()
    assert at.session_state["sel_model"] == "shipped" and not state.lab_variants(at.session_state)
    at.sidebar.selectbox(key="sel_data").set_value("japanese_vowels").run()
    assert list(state.lab_variants(at.session_state)) == [variant_key(STACKED)]


def test_the_layer_is_in_the_link_of_a_stacked_network_only(fresh_cache):
    at = open_app({"layer": "1"}, page="pages/activations.py")
    assert "layer" not in at.query_params and not at.warning  # the shipped network has one layer: no choice
    choose_stacked_variant(at, "pages/units.py")
    assert at.session_state["sel_layer"] == 0  # the link's layer 1 (bottom), once a network has it
    assert at.query_params["layer"] == "1" and at.query_params["model"] == variant_key(STACKED)
    at.sidebar.selectbox(key="sel_layer").set_value(1).run()
    assert at.query_params["layer"] == "2"
    at.switch_page("pages/trajectory.py").run()
    assert at.sidebar.selectbox(key="sel_layer").value == 1 and at.query_params["layer"] == "2"
    at.sidebar.selectbox(key="sel_model").set_value("shipped").run()
    assert "layer" not in at.query_params and "sel_layer" not in [w.key for w in at.sidebar.selectbox]


@pytest.mark.parametrize("raw", ["3", "0", "top", "-1"])
def test_a_bad_layer_in_the_link_falls_back_to_the_top_with_a_notice(fresh_cache, raw):
    at = choose_stacked_variant(open_app({"layer": raw}))  # the notice is shown in the run that chose the network
    assert at.session_state["sel_layer"] == 1 and at.query_params["layer"] == "2"
    text = " ".join(w.value for w in at.warning)
    assert "“layer”" in text and "is not a layer from 1 to 2; showing 2 instead" in text


@pytest.mark.parametrize(
    "query, warned",
    [
        ({"obs": "abc"}, "obs"),
        ({"obs": "9999"}, "obs"),
        ({"split": "validation"}, "split"),
        ({"model": "lab-h9999"}, "model"),
    ],
)
def test_bad_link_values_fall_back_with_a_notice(query, warned):
    at = open_app(query)
    assert any(f"“{warned}”" in w.value for w in at.warning)
    assert at.session_state["sel_obs_japanese_vowels_test"] == 1
    assert at.query_params["obs"] == "1"


@pytest.mark.parametrize(
    "query, warned",
    [
        ({"split": "upload"}, "split"),  # the upload split, with nothing uploaded in this session
        ({"model": "lab-h20-e30-s1"}, "model"),  # a lab variant this session never trained
        ({"model": HOSTILE_PATH}, "model"),
        ({"model": "x" * 100_000}, "model"),
        ({"split": HOSTILE_PATH}, "split"),
        ({"obs": HOSTILE_PATH}, "obs"),
        ({"obs": LONG}, "obs"),  # longer than int() accepts: ValueError, not a hang
        ({"obs": "-" + LONG}, "obs"),
        ({"obs": "1e3"}, "obs"),
        ({"obs": "1.5"}, "obs"),
        ({"obs": "0"}, "obs"),
        ({"obs": "371"}, "obs"),
        ({"obs": ""}, "obs"),
        ({"obs": "NaN"}, "obs"),
        ({"obs": "五"}, "obs"),  # a CJK numeral: not a number int() reads
        ({"obs": "\u202e1"}, "obs"),  # a right-to-left override
        ({"obs": "1\n2"}, "obs"),
        ({"obs": "%00"}, "obs"),
    ],
)
def test_hostile_link_values_fall_back_with_one_short_notice(query, warned):
    at = open_app(query)
    notices = [w.value for w in at.warning if f"“{warned}”" in w.value]
    assert len(notices) == 1 and len(notices[0]) < 300, notices
    assert at.session_state["sel_split"] == "test" and at.session_state["sel_obs_japanese_vowels_test"] == 1
    assert at.session_state["sel_model"] == "shipped"
    assert dict(at.query_params) == {"split": "test", "obs": "1"}, "the address bar is rewritten to what is shown"
    at.switch_page("pages/activations.py").run()  # and the app keeps working
    assert not at.exception and at.get("vega_lite_chart")


@pytest.mark.parametrize("raw, shown", [("５", 5), (" 7 ", 7), ("+7", 7), ("0007", 7)])
def test_lenient_numbers_are_read_and_the_link_is_rewritten_plainly(raw, shown):
    at = open_app({"obs": raw})
    assert at.session_state["sel_obs_japanese_vowels_test"] == shown and not at.warning
    assert at.query_params["obs"] == str(shown)


def test_a_repeated_parameter_takes_its_last_value_without_error():
    at = open_app({"obs": ["3", "5"], "split": ["train", "test"]})
    assert at.session_state["sel_split"] == "test" and at.session_state["sel_obs_japanese_vowels_test"] == 5
    assert dict(at.query_params) == {"split": "test", "obs": "5"}


def test_unknown_parameters_are_ignored_and_dropped_from_the_link():
    at = open_app({"obs": "4", "evil": HOSTILE_PATH, "x" * 5000: "y" * 5000, "__proto__": "1"})
    assert not at.warning and at.session_state["sel_obs_japanese_vowels_test"] == 4
    assert dict(at.query_params) == {"split": "test", "obs": "4"}


def test_hostile_page_parameters_fall_back_on_the_page_the_link_opened():
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update({"q": HOSTILE_PATH, "units": "1-" + LONG, "step": "Ⅻ", "order": "<script>alert(1)</script>"})
    at.switch_page("pages/activations.py").run()  # the link opens the page itself, so its own parameters apply
    assert not at.exception
    warned = " ".join(w.value for w in at.warning)
    for name in ("q", "units", "step", "order"):
        assert f"“{name}”" in warned
    assert at.session_state["act_quantity"] == "hidden" and at.session_state["act_units"] == (1, 10)
    assert at.query_params["q"] == "hidden" and at.query_params["units"] == "1-10"


@pytest.mark.parametrize("raw", ["inf", "-inf", "1e999", "nan"])
def test_a_threshold_that_is_not_a_finite_number_falls_back_with_a_notice(raw):
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update({"thr": raw})
    at.switch_page("pages/patterns.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("“thr”" in w.value for w in at.warning) and at.session_state["pat_threshold"] == 0.3


@pytest.mark.parametrize(
    "raw",
    [
        "[Log in again](https://evil.example/login)",
        "![x](https://evil.example/t.png)",
        ":red[hacked] :material/lock: $x^2$",
        "<img src=x onerror=alert(1)>",
        "`code` [a](b)",
    ],
)
def test_link_text_is_never_rendered_as_markdown(raw):
    """Notices are Markdown: a shared link must not put a link, image or colour on someone else's screen."""
    at = open_app({"obs": raw})
    (text,) = [w.value for w in at.warning if "“obs”" in w.value]
    spans = re.findall(r"`([^`]*)`", text)
    outside = re.sub(r"`[^`]*`", "", text)
    assert len(spans) == 1 and raw[:40].replace("`", "'") in spans[0], text
    assert not re.search(r"[\[\]<>$]|:\w+\[|:material/", outside), outside


class _Opened:
    """Every file path the process opens while ``paths`` is a list (audit hooks cannot be removed, so they idle)."""

    paths: list | None = None

    @classmethod
    def hook(cls, event, args):
        if cls.paths is not None and event in ("open", "os.listdir", "os.scandir", "shutil.copyfile") and args:
            cls.paths.append(str(args[0]))


sys.addaudithook(_Opened.hook)


def test_no_link_value_becomes_a_file_path(monkeypatch):
    loaded = []
    real_load = torch.load
    monkeypatch.setattr(torch, "load", lambda f, *a, **k: loaded.append(str(f)) or real_load(f, *a, **k))
    clear_streamlit_caches()  # so the checkpoint is really loaded in this session
    marker = "zz_no_such_file_zz"
    _Opened.paths = []
    try:
        at = AppTest.from_file(APP, default_timeout=120)
        at.query_params.update(
            {
                "model": f"../../{marker}",
                "split": f"/{marker}",
                "obs": f"file:///{marker}",
                "q": f"..\\..\\{marker}",
                "units": f"{marker}-1",
            }
        )
        at.switch_page("pages/activations.py").run()
        at.switch_page("pages/model.py").run()
        opened = list(_Opened.paths)
    finally:
        _Opened.paths = None
    assert not at.exception
    assert loaded and set(loaded) == {str(core.SHIPPED_CHECKPOINT)}
    assert not [p for p in opened if marker in p or "passwd" in p]


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


# --- the domains of link parameters: reading link text, fitting a kept value into range, writing it back


def test_whole_numbers_in_a_range():
    steps = state.int_in(1, 29)
    assert steps.parse("7") == 7 and steps.parse(" +7 ") == 7
    for bad in ("0", "30", "abc", "1.5", ""):
        with pytest.raises(ValueError):
            steps.parse(bad)
    assert [steps.fit(v, 1) for v in (-3, 12, 40)] == [1, 12, 29]  # a kept step of a longer recording
    assert steps.write(12) == "12"


def test_ranges():
    units = state.range_in(1, 100)
    assert units.parse("5-25") == (5, 25) and units.parse("3-3") == (3, 3)
    for bad in ("25-5", "0-10", "1-101", "5", "a-b", "1-2-3"):
        with pytest.raises(ValueError):
            units.parse(bad)
    assert state.range_in(1, 10).fit((21, 40), (1, 10)) == (10, 10)  # a smaller network
    assert units.write((5, 25)) == "5-25"


def test_one_of_a_set_of_options():
    cells = state.one_of({"all": "All mistakes", "2-8": "Speaker 2 taken for speaker 8"})
    assert cells.parse("2-8") == "2-8"
    with pytest.raises(ValueError):
        cells.parse("3-9")
    assert cells.fit("3-9", "all") == "all" and cells.fit("2-8", "all") == "2-8"  # another network's mistakes
    assert cells.write("2-8") == "2-8"


def test_lists_of_whole_numbers():
    units = state.list_in(1, 100)
    assert units.parse("42,3,17,3") == [3, 17, 42] and units.parse("") == [] and units.parse(" 5 , ") == [5]
    for bad in ("0", "3,101", "3;4", "x"):
        with pytest.raises(ValueError):
            units.parse(bad)
    assert state.list_in(1, 10).fit([3, 64, 93], []) == [3]
    assert units.write([3, 17, 42]) == "3,17,42" and units.write([]) == ""  # no units: still in the link


def test_text():
    search = state.text_up_to(5)
    assert search.parse("memory") == "memor"
    assert search.write("  gate ") == "gate" and search.write("   ") is None  # empty: left out of the link
    assert search.fit("gate", "") == "gate"
