"""ui.state.link: every value of the link listed once; links, good or hostile, through AppTest.

Streamlit keeps a bound widget's value in the link (``bind="query-params"``); a link value it cannot use (out of
range, not an option) falls back to the widget's default and leaves the link, and :func:`ui.state.link.bound`
adds one short notice naming the parameter. A link's text never becomes Markdown on someone else's screen, nor a
file path. What the browser writes into the address bar when a widget moves is tested in ``tests/browser/``.
"""

from __future__ import annotations

import re
import sys

import numpy as np
import pytest
import torch
from app_helpers import ROOT, clear_streamlit_caches, open_app, open_link, table_with
from hostile_input import HOSTILE_PATH

import core
from ui import navigation
from ui.state import link

LONG = "9" * 100_000
ACTIVATIONS = navigation.page("activations").file


def test_every_link_parameter_is_listed_once_with_the_widget_that_holds_it():
    keys = [key for page_keys in link.LINK_PARAMS.values() for key in page_keys]
    assert len(keys) == len(set(keys))
    pages = {p.url_path for p in navigation.PAGES}
    for page, page_keys in link.LINK_PARAMS.items():
        assert page == link.SIDEBAR or page in pages, page
        source = ROOT / ("ui/state/sidebar.py" if page == link.SIDEBAR else f"pages/{page}.py")
        for key in page_keys:
            assert f'"{key}"' in source.read_text(), f"{key} is not a widget key of {source.name}"


def test_a_widget_or_value_not_in_the_table_is_refused():
    with pytest.raises(KeyError, match="'act_colour' is not in LINK_PARAMS"):
        link.bound(lambda *a, **k: None, "Colour", key="act_colour")
    with pytest.raises(KeyError, match="'whatif_notes' is not in LINK_PARAMS"):
        link.carry("whatif_notes", "x")


@pytest.mark.parametrize(
    "text, value", [("inf", np.inf), ("-1e999", -np.inf), (LONG, np.inf), ("7", 7.0), ("7.0", 7.0), ("x", "x")]
)
def test_link_text_reads_as_a_number_where_it_is_one(text, value):
    assert link._value(text) == value


def test_a_link_opens_the_data_set_and_its_recording(bm_model, bm_dataset):
    at = open_app({"data": "BasicMotions", "split": "Training set", "obs": "33"}, page=ACTIVATIONS)
    assert not at.warning
    assert (at.session_state["data"], at.session_state["split"], at.session_state["obs"]) == (
        "basicmotions",
        "train",
        33,
    )
    heat = table_with(at, "unit", "step", "value")
    expected = core.run_sequence(bm_model, bm_dataset.train.sequences[32]).hidden[:, :10]  # (T, 10)
    np.testing.assert_allclose(heat.pivot(index="step", columns="unit", values="value").to_numpy(), expected, atol=1e-5)
    assert dict(at.query_params) == {"data": "BasicMotions", "split": "Training set", "obs": "33"}


@pytest.mark.parametrize("raw", ["mnist", "basicmotions", "upload-0123456789", HOSTILE_PATH, "x" * 100_000])
def test_a_data_set_the_session_does_not_have_falls_back_with_a_notice(raw):
    at = open_app({"data": raw, "obs": "5"})
    (warning,) = at.warning
    assert "“data”" in warning.value and len(warning.value) < 300
    assert "is not one of Japanese Vowels, BasicMotions; showing Japanese Vowels instead" in warning.value
    assert at.session_state["data"] == "japanese_vowels" and "data" not in at.query_params
    assert at.session_state["obs"] == 5, "the rest of the link still applies"


@pytest.mark.parametrize(
    "query, warned",
    [
        ({"obs": "abc"}, "obs"),
        ({"obs": "9999"}, "obs"),
        ({"split": "validation"}, "split"),
        ({"split": "train"}, "split"),  # a key, not the label the link holds
        ({"split": "My own sequence"}, "split"),  # nothing uploaded in this session
        ({"net": "Lab: 1 layer of 20 units, 30 epochs, seed 1"}, "net"),  # a lab network this session never trained
        ({"net": HOSTILE_PATH}, "net"),
        ({"net": "x" * 100_000}, "net"),
        ({"split": HOSTILE_PATH}, "split"),
        ({"obs": HOSTILE_PATH}, "obs"),
        ({"obs": LONG}, "obs"),  # a number Python reads as infinite
        ({"obs": "-" + LONG}, "obs"),
        ({"obs": "inf"}, "obs"),
        ({"obs": "1e999"}, "obs"),
        ({"obs": "1e3"}, "obs"),
        ({"obs": "1.5"}, "obs"),
        ({"obs": "0"}, "obs"),
        ({"obs": "371"}, "obs"),
        ({"obs": ""}, "obs"),
        ({"obs": "NaN"}, "obs"),
        ({"obs": "五"}, "obs"),  # a CJK numeral: not a number Python reads
        ({"obs": "\u202e1"}, "obs"),  # a right-to-left override
        ({"obs": "1\n2"}, "obs"),
        ({"obs": "%00"}, "obs"),
    ],
)
def test_hostile_link_values_fall_back_with_one_short_notice(query, warned):
    at = open_app(query)
    notices = [w.value for w in at.warning if f"“{warned}”" in w.value]
    assert len(notices) == 1 and len(notices[0]) < 300, notices
    assert (at.session_state["split"], at.session_state["obs"], at.session_state["net"]) == ("test", 1, "lstm")
    assert warned not in at.query_params, "the value shown is the default, which the link leaves out"
    at.switch_page(ACTIVATIONS).run()  # and the app keeps working, without the notice again
    assert not at.exception and at.get("vega_lite_chart") and not at.warning


@pytest.mark.parametrize("raw, shown", [("５", 5), (" 7 ", 7), ("+7", 7), ("0007", 7)])
def test_lenient_numbers_are_read(raw, shown):
    at = open_app({"obs": raw})
    assert at.session_state["obs"] == shown and not at.warning


def test_a_repeated_parameter_takes_its_last_value():
    at = open_app({"obs": ["3", "5"], "split": ["Training set", "Test set"]})
    assert not at.exception
    assert at.session_state["split"] == "test" and at.session_state["obs"] == 5


def test_unknown_parameters_are_ignored():
    at = open_app({"obs": "4", "evil": HOSTILE_PATH, "x" * 5000: "y" * 5000, "__proto__": "1"})
    assert not at.warning and not at.exception and at.session_state["obs"] == 4


def test_hostile_page_parameters_fall_back_on_the_page_the_link_opened():
    at = open_link(
        ACTIVATIONS,
        {"act_q": HOSTILE_PATH, "act_units": ["1", LONG], "act_step": "Ⅻ", "act_order": "<script>alert(1)</script>"},
    )
    warned = " ".join(w.value for w in at.warning)
    for name in ("act_q", "act_units", "act_step", "act_order"):
        assert f"“{name}”" in warned
        assert name not in at.query_params
    assert at.session_state["act_q"] == "hidden" and at.session_state["act_units"] == (1, 10)
    assert at.session_state["act_step"] == 1 and at.session_state["act_order"] == "number"


def test_a_pages_parameters_are_checked_on_the_page_the_link_opened_only():
    at = open_app({"act_q": "weights", "obs": "3"})  # a link to Home
    assert not at.warning and at.session_state["obs"] == 3


@pytest.mark.parametrize("raw", ["inf", "-inf", "1e999", "nan", "2"])
def test_a_level_that_is_not_a_number_from_0_to_1_falls_back_with_a_notice(raw):
    at = open_link(navigation.page("patterns").file, {"pat_level": raw})
    assert any("“pat_level”" in w.value for w in at.warning)
    assert at.slider(key="pat_level").value == pytest.approx(0.3) and "pat_level" not in at.query_params


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
        at = open_link(
            ACTIVATIONS,
            {
                "data": f"../{marker}",
                "net": f"../../{marker}",
                "split": f"/{marker}",
                "obs": f"file:///{marker}",
                "act_q": f"..\\..\\{marker}",
                "act_units": [marker, "1"],
            },
        )
        at.switch_page(navigation.page("model").file).run()
        opened = list(_Opened.paths)
    finally:
        _Opened.paths = None
    assert not at.exception
    shipped = {str(core.checkpoint_path("japanese_vowels", network.key)) for network in core.shipped_networks()}
    assert str(core.SHIPPED_CHECKPOINT) in loaded and set(loaded) <= shipped
    assert not [p for p in opened if marker in p or "passwd" in p]


# url path -> the page's own link parameters, none at its default, as Streamlit writes them
OWN_LINKS = {
    "mistakes": {"mis_cell": "Speaker 2 taken for speaker 8"},
    "activations": {
        "act_q": "Cell state",
        "act_units": ["5", "25"],
        "act_step": "4",
        "act_order": "Most active first",
    },
    "trajectory": {"traj_step": "3"},
    "why": {"why_target": "speaker 3", "why_baseline": "An average recording"},
    "units": {"units_unit": "42"},
    "ablation": {"abl_units": ["Unit 3", "Unit 17", "Unit 42"], "abl_from": "2"},
    "whatif": {
        "whatif_edits": "cut_start:3,noise:0.5:seed7",
        "whatif_units": ["3", "30"],
        "whatif_sweep": "Steps cut from the end",
    },
    "patterns": {
        "pat_steps": ["2", "5"],
        "pat_level": "0.45",
        "pat_units": ["10", "60"],
        "pat_where": "the training set",
    },
    "paths": {"paths_step": "2", "paths_bg": "Test set"},
    "compare": {"cmp_split": "Training set", "cmp_obs": "5", "cmp_units": ["3", "30"], "cmp_q": "Cell state"},
    "glossary": {"glo_search": "gate"},
}


def test_every_page_with_link_parameters_has_a_link_here():
    pages = set(link.LINK_PARAMS) - {link.SIDEBAR, "networks"}  # networks: see its own test
    assert pages == set(OWN_LINKS)
    for name, own in OWN_LINKS.items():
        assert set(own) == set(link.LINK_PARAMS[name]), name


@pytest.mark.parametrize("name, own", OWN_LINKS.items(), ids=list(OWN_LINKS))
def test_a_link_to_a_page_reopens_the_same_view(name, own):
    """A page's link, opened in a new session, gives every widget its value: no notice, and Streamlit keeps every
    parameter in the link (it drops the values it cannot use)."""
    query = {"obs": "7", **own}
    at = open_link(navigation.page(name).file, query)
    assert not [w.value for w in at.warning if "link's value" in w.value]
    assert dict(at.query_params) == query
    assert at.session_state["obs"] == 7


def test_a_kept_value_is_moved_into_a_new_range(monkeypatch):
    session = {}
    monkeypatch.setattr(link.st, "session_state", session)
    session.update(act_step=19, act_units=(5, 80), pat_level=0.45)
    for key, low, high in (("act_step", 1, 19), ("act_units", 1, 100), ("pat_level", 0.0, 0.9)):
        link.keep_in_range(key, low, high)  # the ranges they were chosen in
    link.keep_in_range("act_step", 1, 17)  # a shorter recording
    link.keep_in_range("act_units", 1, 10)  # a smaller network
    link.keep_in_range("pat_level", 0.0, 0.9)
    assert (session["act_step"], session["act_units"], session["pat_level"]) == (17, (5, 10), 0.45)
    link.keep_in_range("act_step", 1, 40)
    assert session["act_step"] == 17, "a longer recording keeps the step"
    link.keep_in_range("traj_step", 1, 5)  # nothing kept yet: nothing to move
    assert "traj_step" not in session


def test_a_value_kept_across_pages_is_written_back_into_the_link_and_a_default_is_not():
    at = open_app(page=ACTIVATIONS)
    at.slider(key="act_units").set_range(1, 100).run()
    at.switch_page(navigation.page("dataset").file).run()
    at.switch_page(ACTIVATIONS).run()
    assert at.slider(key="act_units").value == (1, 100)
    assert at.query_params["act_units"] == ["1", "100"]
    assert not {"act_q", "act_step", "act_order"} & set(at.query_params), "defaults are left out of the link"
