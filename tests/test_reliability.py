"""The app holds: bad input gets a clear message, damaged files are recomputed, no code comes in through files,
and failures show a short message on screen with the full traceback in the log.

Sessions are opened with AppTest (``tests/app_helpers.py``); the disk cache is a temporary folder
(``LSTM_EXPLORER_CACHE``) so that these tests may damage it freely. Figures are in ``docs/RELIABILITY.md``.
"""

from __future__ import annotations

import dataclasses
import errno
import hmac
import io
import json
import logging
import os
import pickle
import re
import signal
import subprocess
import sys
import tomllib
from pathlib import Path

import joblib
import numpy as np
import pytest
import streamlit as st
import torch
from app_helpers import APP, chart_tables, open_app
from numpy.testing import assert_array_equal
from streamlit import config as st_config
from streamlit.testing.v1 import AppTest

import core
import core.compute.cache
from core.analyses import attribution, lab, patterns, projection, units
from core.compute import evaluate, upload
from core.compute.upload import MAX_UPLOAD_BYTES, UploadError, parse_sequence_csv
from ui import state as ui_state

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / ".streamlit" / "config.toml"
PAGES = sorted(f"pages/{p.name}" for p in (ROOT / "pages").glob("*.py"))
HOSTILE_PATH = "../../etc/passwd"
PYTHON = sys.executable


# --------------------------------------------------------------------------------------------------------------------
# Shared helpers
# --------------------------------------------------------------------------------------------------------------------

def clear_streamlit_caches() -> None:
    st.cache_resource.clear()
    st.cache_data.clear()


def screen_text(at: AppTest) -> str:
    """Every text element on screen, main area and sidebar, as one string."""
    parts = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "text", "error", "warning", "info",
                 "success", "exception", "code", "latex", "metric"):
        for element in at.get(kind):
            value = getattr(element, "value", None)
            parts.append(value if isinstance(value, str) else json.dumps(str(value)))
            if kind == "exception":
                parts.extend(element.stack_trace)
    return "\n".join(parts)


def visit_pages(at: AppTest, pages=PAGES) -> dict[str, list]:
    """Switch the session through ``pages``; return each page's chart tables. Fails on any exception or error."""
    shown = {}
    for page in pages:
        at.switch_page(page).run()
        assert not at.exception, (page, [e.value for e in at.exception])
        assert not at.error, (page, [e.value for e in at.error])
        shown[page] = chart_tables(at)
    return shown


def assert_same(a, b, where="value"):
    """Deep equality for what the cache holds: arrays bit for bit, dataclasses, dicts, lists; timings ignored."""
    if dataclasses.is_dataclass(a) and not isinstance(a, type):
        assert type(a) is type(b), where
        for f in dataclasses.fields(a):
            assert_same(getattr(a, f.name), getattr(b, f.name), f"{where}.{f.name}")
    elif isinstance(a, dict):
        keys = set(a) - {"seconds"}  # a training log's wall-clock time per epoch
        assert keys == set(b) - {"seconds"}, where
        for k in keys:
            assert_same(a[k], b[k], f"{where}[{k!r}]")
    elif isinstance(a, (list, tuple)):
        assert len(a) == len(b), where
        for i, (x, y) in enumerate(zip(a, b)):
            assert_same(x, y, f"{where}[{i}]")
    elif isinstance(a, np.ndarray):
        assert_array_equal(a, b, err_msg=where)
    elif hasattr(a, "equals"):  # pandas
        assert a.equals(b), where
    else:
        assert a == b, where


def cache_snapshot(folder: Path, secret: bytes | None = None) -> dict[str, object]:
    """Every entry of a cache folder that verifies under its secret (or ``secret``), unpickled."""
    secret, entries = secret or (folder / ".secret").read_bytes(), {}
    for path in sorted(folder.rglob("*.joblib")):
        blob = path.read_bytes()
        if hmac.compare_digest(blob[:32], hmac.new(secret, blob[32:], "sha256").digest()):
            entries[str(path.relative_to(folder))] = joblib.load(io.BytesIO(blob[32:]))
    return entries


class Payload:
    """A pickle that runs code when loaded: it creates ``marker``."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (self.marker,))


# --------------------------------------------------------------------------------------------------------------------
# 1. Bad input: link parameters
# --------------------------------------------------------------------------------------------------------------------

LONG = "9" * 100_000


@pytest.mark.parametrize("query, warned", [
    ({"split": "upload"}, "split"),                    # the upload split, with nothing uploaded in this session
    ({"model": "lab-h20-e30-s1"}, "model"),            # a lab variant this session never trained
    ({"model": HOSTILE_PATH}, "model"),
    ({"model": "x" * 100_000}, "model"),
    ({"split": HOSTILE_PATH}, "split"),
    ({"obs": HOSTILE_PATH}, "obs"),
    ({"obs": LONG}, "obs"),                            # longer than int() accepts: ValueError, not a hang
    ({"obs": "-" + LONG}, "obs"),
    ({"obs": "1e3"}, "obs"),
    ({"obs": "1.5"}, "obs"),
    ({"obs": "0"}, "obs"),
    ({"obs": "371"}, "obs"),
    ({"obs": ""}, "obs"),
    ({"obs": "NaN"}, "obs"),
    ({"obs": "五"}, "obs"),                             # a CJK numeral: not a number int() reads
    ({"obs": "\u202e1"}, "obs"),                       # a right-to-left override
    ({"obs": "1\n2"}, "obs"),
    ({"obs": "%00"}, "obs"),
])
def test_hostile_link_values_fall_back_with_one_short_notice(query, warned):
    at = open_app(query)
    notices = [w.value for w in at.warning if f"“{warned}”" in w.value]
    assert len(notices) == 1 and len(notices[0]) < 300, notices
    assert at.session_state["sel_split"] == "test" and at.session_state["sel_obs_test"] == 1
    assert at.session_state["sel_model"] == "shipped"
    assert dict(at.query_params) == {"split": "test", "obs": "1"}, "the address bar is rewritten to what is shown"
    at.switch_page("pages/activations.py").run()  # and the app keeps working
    assert not at.exception and at.get("vega_lite_chart")


@pytest.mark.parametrize("raw, shown", [("５", 5), (" 7 ", 7), ("+7", 7), ("0007", 7)])
def test_lenient_numbers_are_read_and_the_link_is_rewritten_plainly(raw, shown):
    at = open_app({"obs": raw})
    assert at.session_state["sel_obs_test"] == shown and not at.warning
    assert at.query_params["obs"] == str(shown)


def test_a_repeated_parameter_takes_its_last_value_without_error():
    at = open_app({"obs": ["3", "5"], "split": ["train", "test"]})
    assert at.session_state["sel_split"] == "test" and at.session_state["sel_obs_test"] == 5
    assert dict(at.query_params) == {"split": "test", "obs": "5"}


def test_unknown_parameters_are_ignored_and_dropped_from_the_link():
    at = open_app({"obs": "4", "evil": HOSTILE_PATH, "x" * 5000: "y" * 5000, "__proto__": "1"})
    assert not at.warning and at.session_state["sel_obs_test"] == 4
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


@pytest.mark.parametrize("raw", [
    "[Log in again](https://evil.example/login)",
    "![x](https://evil.example/t.png)",
    ":red[hacked] :material/lock: $x^2$",
    "<img src=x onerror=alert(1)>",
    "`code` [a](b)",
])
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
        at.query_params.update({"model": f"../../{marker}", "split": f"/{marker}", "obs": f"file:///{marker}",
                                "q": f"..\\..\\{marker}", "units": f"{marker}-1"})
        at.switch_page("pages/activations.py").run()
        at.switch_page("pages/model.py").run()
        opened = list(_Opened.paths)
    finally:
        _Opened.paths = None
    assert not at.exception
    assert loaded and set(loaded) == {str(core.SHIPPED_CHECKPOINT)}
    assert not [p for p in opened if marker in p or "passwd" in p]


# --------------------------------------------------------------------------------------------------------------------
# 1. Bad input: uploads (parsed as text only) and the upload limit
# --------------------------------------------------------------------------------------------------------------------

ROW = ",".join(["0.5"] * 12) + "\n"


def _binary_files():
    checkpoint = io.BytesIO()
    torch.save({"format": 1}, checkpoint)
    joblib_file = io.BytesIO()
    joblib.dump({"a": np.arange(3)}, joblib_file)
    return {
        "png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
        "xlsx (zip)": b"PK\x03\x04\x14\x00\x06\x00" + os.urandom(512),
        "gzip": b"\x1f\x8b\x08\x00" + os.urandom(512),
        "pdf": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n",
        "elf": b"\x7fELF\x02\x01\x01\x00" + bytes(64),
        "utf-16 csv": ("\ufeff" + ROW * 3).encode("utf-16-le"),
        "pickle": pickle.dumps({"a": 1}, protocol=5),
        "torch checkpoint": checkpoint.getvalue(),
        "joblib file": joblib_file.getvalue(),
        "random": np.random.default_rng(1).bytes(100_000),
        "latin-1 csv": ("é;" * 11 + "é\n").encode("latin-1"),
    }


@pytest.mark.parametrize("kind", list(_binary_files()))
def test_a_binary_file_renamed_csv_is_refused_as_not_text(kind):
    with pytest.raises(UploadError, match="not a text file|not UTF-8 text|not text"):
        parse_sequence_csv(_binary_files()[kind])


@pytest.mark.parametrize("data, match", [
    (ROW.encode() * (50 * 1024 * 1024 // len(ROW)), r"too large: 52,\d{3},\d{3} bytes; the limit is 1,000,000"),
    (ROW * (MAX_UPLOAD_BYTES // len(ROW) + 1), "too large"),
    (b"\x00" * (50 * 1024 * 1024), "too large"),
    ("=cmd|' /C calc'!A0" + ",1" * 11, r"row 1, column 1: .* is not a number"),
    ("@SUM(1+1)" + ",1" * 11, r"row 1, column 1: .* is not a number"),
    ("0x1p3" + ",1" * 11, "is not a number"),
    ("1,2,3\n" * 3, "row 1 has 3 columns; expected 12"),
    (ROW + ",,,,,,,,,,,\n", "row 2 is blank"),
    (ROW + "1,,,,,,,,,,,\n", r"row 2, column 2: '' is not a number"),
    (",,,,,,,,,,,\n", "no data rows"),
    (ROW + "1;2;3;4;5;6;7;8;9;10;11;12\n", "row 2 has 1 columns; expected 12"),
])
def test_oversized_and_malformed_uploads_name_the_problem(data, match):
    with pytest.raises(UploadError, match=match):
        parse_sequence_csv(data)


def test_uploads_are_read_as_text_only(tmp_path):
    """Nothing in an upload is unpickled, evaluated or opened as a path; a protocol-0 pickle is plain ASCII text."""
    marker = tmp_path / "ran"
    events = []

    def hook(event, args):
        if recording and event in ("pickle.find_class", "exec", "compile", "open", "marshal.loads", "import"):
            events.append(event)

    recording = False
    sys.addaudithook(hook)
    csv_path = tmp_path / "real.csv"
    csv_path.write_text(ROW * 5)
    inputs = [pickle.dumps(Payload(marker), protocol=0), pickle.dumps(Payload(marker), protocol=5),
              str(csv_path), str(csv_path).encode(), "file://" + str(csv_path), HOSTILE_PATH,
              "__import__('os').system('touch ran')" + ",1" * 11, *_binary_files().values()]
    for record in (False, True):  # the first pass imports what the parser imports lazily
        recording = record
        try:
            for data in inputs:
                with pytest.raises(UploadError):
                    parse_sequence_csv(data)
            assert parse_sequence_csv(ROW * 5).shape == (12, 5)
        finally:
            recording = False
    assert events == [] and not marker.exists()


def _config_as_streamlit_reads_it() -> dict:
    """The options Streamlit itself reads from the project's config file (in a child process: config is global)."""
    code = ("import json; from streamlit import config as c; c.get_config_options(force_reparse=True); "
            "print(json.dumps({k: c.get_option(k) for k in ('server.maxUploadSize', 'server.enableXsrfProtection', "
            "'client.showErrorDetails', 'server.maxMessageSize', 'browser.gatherUsageStats', 'client.toolbarMode')}))")
    out = subprocess.run([PYTHON, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_hosted_config_limits_uploads_protects_forms_and_hides_error_details():
    raw = tomllib.loads(CONFIG.read_text())
    effective = _config_as_streamlit_reads_it()
    for options in ({k: v for section, values in raw.items() for k, v in
                     ((f"{section}.{name}", value) for name, value in values.items())}, effective):
        # The upload widget refuses anything larger; the parser's own limit must fit inside it.
        assert 1 <= options["server.maxUploadSize"] <= 5
        assert MAX_UPLOAD_BYTES <= options["server.maxUploadSize"] * 1024 * 1024
        assert options["server.enableXsrfProtection"] is True
        assert options["client.showErrorDetails"] in ("none", False, "false", "False"), \
            "uncaught errors must not show messages or tracebacks to visitors"
        assert options["browser.gatherUsageStats"] is False
    assert effective["client.toolbarMode"] == "viewer"


# --------------------------------------------------------------------------------------------------------------------
# 1. Bad input: every public function of core names the problem
# --------------------------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def api(model, dataset):
    """The objects the table's calls need, computed once."""
    batch = core.run_batch(model, dataset.test.sequences[:60])
    labels = dataset.test.labels[:60]
    batch_all = core.split_traces(model, "test", dataset=dataset)
    return dict(m=model, d=dataset, x=dataset.test.sequences[0], b=batch, L=labels, B=batch_all,
                Lall=dataset.test.labels, sel=units.selectivity(batch_all, dataset.test.labels),
                pca=projection.fit_pca(np.random.default_rng(0).normal(size=(20, 5))))


NAN = np.full((12, 5), np.nan)
# id, call, expected error, a pattern the message must contain (it names the argument or the problem)
TABLE = [
    ("step/x None", lambda a: core.step(a["m"], None), ValueError, r"x_t must have shape \(12,\)"),
    ("step/x text", lambda a: core.step(a["m"], "abcdefghijkl"), ValueError, r"x_t must have shape"),
    ("step/x 2-D", lambda a: core.step(a["m"], np.zeros((12, 1))), ValueError, r"x_t must have shape"),
    ("step/x inf", lambda a: core.step(a["m"], np.full(12, np.inf)), ValueError, "NaN or infinite"),
    ("step/state", lambda a: core.step(a["m"], a["x"][:, 0], core.LSTMState(np.zeros(5), np.zeros(5))),
     ValueError, "state must be an LSTMState"),
    ("step/model", lambda a: core.step({}, a["x"][:, 0]), TypeError, "model must be an LSTMClassifier"),
    ("step/silenced text", lambda a: core.step(a["m"], a["x"][:, 0], silenced=["a"]), ValueError,
                 "silenced"),
    ("run_sequence/x None", lambda a: core.run_sequence(a["m"], None), TypeError, "x must be a numeric array"),
    ("run_sequence/x NaN", lambda a: core.run_sequence(a["m"], NAN), ValueError, "NaN or infinite"),
    ("run_sequence/x empty", lambda a: core.run_sequence(a["m"], np.zeros((12, 0))), ValueError, "empty sequence"),
    ("run_sequence/x 3-D", lambda a: core.run_sequence(a["m"], np.zeros((1, 12, 5))), ValueError, r"shape \(12, T\)"),
    ("run_sequence/x dict", lambda a: core.run_sequence(a["m"], {"a": 1}), TypeError, "numeric array"),
    ("run_sequence/model None", lambda a: core.run_sequence(None, a["x"]), TypeError, "model must be"),
    ("run_sequence/silence_from", lambda a: core.run_sequence(a["m"], a["x"], silence_from=1.5), ValueError,
     "silence_from"),
    ("run_sequence/silenced 1.5", lambda a: core.run_sequence(a["m"], a["x"], silenced=[1.5]),
                 ValueError, "silenced"),
    ("run_sequence/silenced 2-D", lambda a: core.run_sequence(a["m"], a["x"], silenced=[[1, 2]]),
                 ValueError, "silenced"),
    ("run_batch/None", lambda a: core.run_batch(a["m"], None), TypeError, "NoneType"),
    ("run_batch/empty", lambda a: core.run_batch(a["m"], []), ValueError, "sequences is empty"),
    ("run_batch/one bad", lambda a: core.run_batch(a["m"], [a["x"], np.zeros((11, 3))]), ValueError,
     r"sequences\[1\] must have shape \(12, T\)"),
    ("run_batch/one NaN", lambda a: core.run_batch(a["m"], [a["x"], NAN]), ValueError,
     r"sequences\[1\] contains NaN"),
    ("run_batch/text", lambda a: core.run_batch(a["m"], "abc"), TypeError, r"sequences\[0\] must be a numeric"),
    ("run_batch/complex", lambda a: core.run_batch(a["m"], [a["x"], a["x"] * 1j]), TypeError,
     r"sequences\[1\] must be a numeric array of real numbers, got complex128"),
    ("validate_sequence/text", lambda a: core.validate_sequence("abc"), TypeError, "numeric array"),
    ("validate_sequence/objects", lambda a: core.validate_sequence(np.array([[object()] * 3] * 12)), TypeError,
     "numeric array"),
    ("validate_sequence/NaN", lambda a: core.validate_sequence(NAN), ValueError, "NaN or infinite"),
    ("validate_sequence/empty", lambda a: core.validate_sequence(np.zeros((12, 0))), ValueError, "empty"),
    ("validate_sequence/complex", lambda a: core.validate_sequence(np.ones((12, 3)) * 1j), TypeError,
                 "numeric"),
    # units.*
    ("units.quantity_values/None", lambda a: units.quantity_values(None, "hidden"), TypeError, "Trace or BatchTrace"),
    ("units.quantity_values/quantity", lambda a: units.quantity_values(a["b"], 3), ValueError, "quantity must be"),
    ("units.sequence_means/None", lambda a: units.sequence_means(None), TypeError, "batch must be a BatchTrace"),
    ("units.speaker_means/labels None", lambda a: units.speaker_means(a["B"], None), ValueError, "labels must"),
    ("units.speaker_means/labels NaN", lambda a: units.speaker_means(a["B"], np.full(370, np.nan)), ValueError,
     "labels must"),
    ("units.speaker_means/labels empty", lambda a: units.speaker_means(a["B"], []), ValueError, "labels must"),
    ("units.selectivity/batch None", lambda a: units.selectivity(None, a["Lall"]), TypeError,
                 "batch must be a BatchTrace"),
    ("units.rank_units/NaN", lambda a: units.rank_units([np.nan, 1.0]), ValueError, "score"),
    ("units.rank_units/text", lambda a: units.rank_units("abc"), ValueError, "score"),
    ("units.rank_units/None", lambda a: units.rank_units(None), ValueError, "score must be a numeric array"),
    ("units.rank_units/2-D", lambda a: units.rank_units(np.zeros((2, 3))), ValueError, "score must be 1-D"),
    ("units.most_selective_units/sel None", lambda a: units.most_selective_units(None, 1, 3),
                 TypeError, "sel"),
    ("units.most_selective_units/speaker 1.5", lambda a: units.most_selective_units(a["sel"], 1.5, 3),
                 ValueError, "speaker"),
    ("units.most_selective_units/speaker text",
                 lambda a: units.most_selective_units(a["sel"], "a", 3), ValueError, "speaker"),
    ("units.most_selective_units/k 2.7", lambda a: units.most_selective_units(a["sel"], 1, 2.7),
                 ValueError, "k must"),
    ("units.third_shares/None", lambda a: units.third_shares(None), TypeError, "batch must be a BatchTrace"),
    ("units.activity_timing/quantity", lambda a: units.activity_timing(a["b"], "nope"), ValueError,
     "quantity must be"),
    ("units.shown_units/None", lambda a: units.shown_units(None, 1, 2), TypeError, "values"),
    ("units.shown_units/1-D", lambda a: units.shown_units(np.zeros(5), 1, 2), ValueError, "values"),
    ("units.shown_units/range", lambda a: units.shown_units(np.zeros((3, 5)), 3, 9), ValueError, "unit range"),
    # patterns.*
    ("patterns.select_units/None", lambda a: patterns.select_units(None, 0, 1, 0.1), ValueError, "hidden must"),
    ("patterns.select_units/3-D", lambda a: patterns.select_units(np.zeros((2, 3, 4)), 0, 1, 0.1), ValueError,
     "hidden must"),
    ("patterns.select_units/NaN hidden",
                 lambda a: patterns.select_units(np.full((5, 3), np.nan), 0, 1, 0.1), ValueError, "NaN"),
    ("patterns.select_units/threshold NaN", lambda a: patterns.select_units(np.zeros((5, 3)), 0, 1, np.nan),
     ValueError, "threshold must be a finite number"),
    ("patterns.select_units/start float", lambda a: patterns.select_units(np.zeros((5, 3)), 0.0, 1, 0.1),
     ValueError, "must be integers"),
    ("patterns.find_matches/None", lambda a: patterns.find_matches(None, [0], 0.1), TypeError, "batch must be"),
    ("patterns.find_matches/units empty", lambda a: patterns.find_matches(a["b"], [], 0.1), ValueError,
     "units must be a non-empty"),
    ("patterns.find_matches/units float", lambda a: patterns.find_matches(a["b"], [0.5], 0.1), ValueError,
     "units must be"),
    ("patterns.find_matches/length 0", lambda a: patterns.find_matches(a["b"], [0], 0.1, length=0), ValueError,
     "length must be a positive integer"),
    ("patterns.find_matches/exclude text", lambda a: patterns.find_matches(a["b"], [0], 0.1, exclude="abc"),
     ValueError, "exclude must be"),
    ("patterns.find_matches/exclude int", lambda a: patterns.find_matches(a["b"], [0], 0.1, exclude=5),
                 ValueError, "exclude must be"),
    ("patterns.speaker_summary/not matches", lambda a: patterns.speaker_summary([1, 2], a["L"]),
                 TypeError, "matches"),
    ("patterns.speaker_summary/labels float", lambda a: patterns.speaker_summary([], a["L"].astype(float)),
     ValueError, "labels must be a 1-D integer array"),
    # projection.*
    ("projection.fit_pca/None", lambda a: projection.fit_pca(None), ValueError, r"states must have shape"),
    ("projection.fit_pca/empty", lambda a: projection.fit_pca(np.zeros((0, 3))), ValueError, "states must"),
    ("projection.fit_pca/NaN", lambda a: projection.fit_pca(np.full((4, 3), np.nan)), ValueError, "NaN"),
    ("projection.fit_pca/n_components", lambda a: projection.fit_pca(np.eye(4), "2"), ValueError, "n_components"),
    ("projection.fit_pca/text", lambda a: projection.fit_pca("abc"), ValueError, "states"),
    ("projection.project/pca None", lambda a: projection.project(None, np.zeros((2, 5))), TypeError,
                 "pca"),
    ("projection.project/shape", lambda a: projection.project(a["pca"], np.zeros((2, 4))), ValueError,
     r"states must have shape \(\.\.\., 5\)"),
    ("projection.project/NaN", lambda a: projection.project(a["pca"], np.full((2, 5), np.nan)),
                 ValueError, "NaN"),
    ("projection.hidden_states/None", lambda a: projection.hidden_states(None), TypeError, "batch must be"),
    ("projection.fit_hidden_pca/model None", lambda a: projection.fit_hidden_pca(None), TypeError,
     "model must be an LSTMClassifier"),
    ("projection.fit_hidden_pca/split", lambda a: projection.fit_hidden_pca(a["m"], "validation"), ValueError,
     "split must be 'train' or 'test'"),
    # attribution.integrated_gradients
    ("attribution.integrated_gradients/x None", lambda a: attribution.integrated_gradients(a["m"], None),
     TypeError, "x must be a numeric array"),
    ("attribution.integrated_gradients/x shape",
     lambda a: attribution.integrated_gradients(a["m"], np.zeros((11, 3))), ValueError, r"x must have shape \(12, T\)"),
    ("attribution.integrated_gradients/x NaN", lambda a: attribution.integrated_gradients(a["m"], NAN),
     ValueError, "x contains NaN"),
    ("attribution.integrated_gradients/x empty",
     lambda a: attribution.integrated_gradients(a["m"], np.zeros((12, 0))), ValueError, "empty sequence"),
    ("attribution.integrated_gradients/target text",
     lambda a: attribution.integrated_gradients(a["m"], a["x"], target="1"), ValueError, "target must be"),
    ("attribution.integrated_gradients/baseline",
     lambda a: attribution.integrated_gradients(a["m"], a["x"], baseline=None), ValueError, "baseline must be"),
    ("attribution.integrated_gradients/steps huge",
     lambda a: attribution.integrated_gradients(a["m"], a["x"], steps=10 ** 9), ValueError, "steps must be"),
    ("attribution.integrated_gradients/model",
     lambda a: attribution.integrated_gradients(None, a["x"]), TypeError, "model must be"),
    # lab.LabSettings (and the lab's other entry points)
    ("lab.LabSettings/None", lambda a: lab.LabSettings(hidden_size=None), ValueError, "hidden_size must be"),
    ("lab.LabSettings/text", lambda a: lab.LabSettings(hidden_size="20"), ValueError, "hidden_size must be"),
    ("lab.LabSettings/NaN", lambda a: lab.LabSettings(epochs=np.nan), ValueError, "epochs must be"),
    ("lab.LabSettings/float", lambda a: lab.LabSettings(epochs=20.0), ValueError, "epochs must be"),
    ("lab.LabSettings/huge", lambda a: lab.LabSettings(hidden_size=10 ** 100), ValueError, "hidden_size must be"),
    ("lab.LabSettings/negative seed", lambda a: lab.LabSettings(seed=-5), ValueError, "seed must be"),
    ("lab.train_variant/dict", lambda a: lab.train_variant({"hidden_size": 20}), TypeError, "settings must be"),
    ("lab.variant_label/NaN", lambda a: lab.variant_label(lab.LabSettings(), np.nan), ValueError,
     "accuracy must be"),
    ("lab.variant_key/None", lambda a: lab.variant_key(None), TypeError, "settings"),
    # upload.parse_sequence_csv
    ("upload.parse_sequence_csv/None", lambda a: upload.parse_sequence_csv(None), TypeError, "data must be"),
    ("upload.parse_sequence_csv/array", lambda a: upload.parse_sequence_csv(a["x"]), TypeError, "data must be"),
    ("upload.parse_sequence_csv/NaN", lambda a: upload.parse_sequence_csv(",".join(["nan"] * 12)), UploadError,
     "NaN or infinite"),
    ("upload.parse_sequence_csv/empty", lambda a: upload.parse_sequence_csv(b""), UploadError, "empty"),
    # evaluate.*
    ("evaluate.accuracy/None", lambda a: evaluate.accuracy(None, [1]), ValueError, "predicted must be an array"),
    ("evaluate.accuracy/shapes", lambda a: evaluate.accuracy([1, 2], [1]), ValueError, "same non-empty shape"),
    ("evaluate.accuracy/empty", lambda a: evaluate.accuracy([], []), ValueError, "same non-empty shape"),
    ("evaluate.accuracy/NaN", lambda a: evaluate.accuracy([np.nan], [1]), ValueError, "predicted"),
    ("evaluate.confusion_matrix/shapes", lambda a: evaluate.confusion_matrix([1, 2], [1]), ValueError, "same shape"),
    ("evaluate.confusion_matrix/class 10", lambda a: evaluate.confusion_matrix([10], [1]), ValueError,
                 "between 1 and 9"),
    ("evaluate.confusion_matrix/class 0", lambda a: evaluate.confusion_matrix([0], [1]), ValueError,
                 "between 1 and 9"),
    ("evaluate.confusion_matrix/class 1.7", lambda a: evaluate.confusion_matrix([1.7], [1]), ValueError,
                 "predicted"),
    ("evaluate.confusion_matrix/None", lambda a: evaluate.confusion_matrix(None, [1]), ValueError,
                 "predicted"),
    ("evaluate.settling_step/None", lambda a: evaluate.settling_step(None), ValueError, "non-empty 1-D"),
    ("evaluate.settling_step/empty", lambda a: evaluate.settling_step([]), ValueError, "non-empty 1-D"),
    ("evaluate.settling_step/2-D", lambda a: evaluate.settling_step([[1]]), ValueError, "non-empty 1-D"),
    ("evaluate.score_split/labels", lambda a: evaluate.score_split(a["B"], a["Lall"][:3]), ValueError, "same"),
    ("evaluate.score_split/batch None", lambda a: evaluate.score_split(None, a["L"]), TypeError,
                 "batch"),
    ("evaluate.parameter_count/None", lambda a: evaluate.parameter_count(None), TypeError,
                 "model must be"),
    ("evaluate.layer_table/None", lambda a: evaluate.layer_table(None), TypeError, "model must be"),
    ("evaluate.split_traces/split", lambda a: evaluate.split_traces(a["m"], "validation"), ValueError,
     "split must be 'train' or 'test'"),
    ("evaluate.split_traces/model None", lambda a: evaluate.split_traces(None, "test"), TypeError,
     "model must be an LSTMClassifier"),
    # model.*
    ("model_fingerprint/None", lambda a: core.model_fingerprint(None), TypeError, "model must be an LSTMClassifier"),
    ("save_checkpoint/None", lambda a: core.save_checkpoint(None, "unused.pt"), TypeError, "model must be"),
    ("load_checkpoint/folder", lambda a: core.load_checkpoint(ROOT), core.CheckpointError, "is damaged"),
]


@pytest.mark.parametrize("name, call, error, match", TABLE, ids=[row[0] for row in TABLE])
def test_public_functions_name_the_problem(api, name, call, error, match):
    with pytest.raises(error, match=match) as info:
        call(api)
    assert type(info.value) in (ValueError, TypeError, UploadError, core.CheckpointError), \
        f"{name}: {type(info.value).__name__} is not one of the documented error types"


# --------------------------------------------------------------------------------------------------------------------
# 2. Damaged files: the disk cache
# --------------------------------------------------------------------------------------------------------------------

KINDS = ("truncated", "emptied", "random bytes", "pickle payload")
NAMESPACES = {"split_traces", "single_unit_costs", "hidden_pca", "lab_variants"}
# Pages that read the disk cache without the minutes-long recomputations of pages/units.py (single_unit_costs over
# the whole test split); the damaged-cache test visits every page.
CACHED_PAGES = ["pages/home.py", "pages/model.py", "pages/activations.py", "pages/mistakes.py", "pages/paths.py",
                "pages/ablation.py", "pages/lab.py"]


def _damage(kind: str, path: Path, marker: Path) -> None:
    if kind == "truncated":
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    elif kind == "emptied":
        path.write_bytes(b"")
    elif kind == "random bytes":  # same length: a random 32-byte .secret is a valid-looking secret
        path.write_bytes(os.urandom(path.stat().st_size or 64))
    elif kind == "pickle payload":  # a valid joblib file that runs code when unpickled
        joblib.dump(Payload(marker), path)
    else:
        raise ValueError(kind)


def _fill_every_namespace(model, dataset, lab: bool = True) -> None:
    """An entry in every namespace of the disk cache, whichever pages use it (a short split keeps it quick)."""
    core.split_traces(model, "test")
    core.split_traces(model, "train")
    core.analyses.ablation.single_unit_costs(model, core.Split(dataset.test.sequences[:30], dataset.test.labels[:30]))
    core.analyses.projection.fit_hidden_pca(model, "train")
    if lab:  # seconds of training on a busy machine: the other namespaces exercise the same code
        core.analyses.lab.train_variant(core.analyses.lab.LabSettings(hidden_size=10, epochs=1, seed=11))


def _use_cache_folder(folder: Path, monkeypatch) -> None:
    """Point the app (and core's default cache) at ``folder``, as a freshly started server would be."""
    monkeypatch.setenv("LSTM_EXPLORER_CACHE", str(folder))
    monkeypatch.setattr(core.compute.cache, "_default", None)
    clear_streamlit_caches()


@pytest.fixture(scope="module")
def warm(tmp_path_factory, model, dataset):
    """A cache folder filled by every page and namespace, what each page showed, and the entries' values."""
    folder = tmp_path_factory.mktemp("warm") / "cache"
    with pytest.MonkeyPatch.context() as mp:
        _use_cache_folder(folder, mp)
        _fill_every_namespace(model, dataset)
        shown = visit_pages(open_app())
    clear_streamlit_caches()
    files = [p for p in folder.rglob("*") if p.is_file()]
    assert folder / ".secret" in files and NAMESPACES <= {p.parent.name for p in files}
    return folder, shown, cache_snapshot(folder)


def _copy_of(warm_folder: Path, tmp_path: Path) -> Path:
    import shutil

    return Path(shutil.copytree(warm_folder, tmp_path / "cache"))


def test_every_file_of_the_cache_damaged_the_app_recomputes_the_same_and_shows_no_error(warm, tmp_path, monkeypatch,
                                                                                       caplog, model, dataset):
    """Each file (.secret included) gets one of the four kinds of damage, in turn; then a new server starts."""
    warm_folder, shown_before, before = warm
    folder = _copy_of(warm_folder, tmp_path)
    marker = tmp_path / "payload_ran"
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    for i, path in enumerate(files):
        _damage(KINDS[i % len(KINDS)], path, marker)
    _use_cache_folder(folder, monkeypatch)
    try:
        with caplog.at_level(logging.INFO, logger="core.compute.cache"):
            _fill_every_namespace(model, dataset)
            shown_after = visit_pages(open_app())  # no exception, no error on any page
    finally:
        clear_streamlit_caches()
    assert not marker.exists(), "a planted pickle is never loaded"
    assert not _cache_warnings(caplog), "damaged files do not turn the cache off"
    assert any("does not verify" in r.getMessage() for r in caplog.records)
    assert_same(shown_after, shown_before, "the pages' charts")
    after = cache_snapshot(folder)
    assert set(after) == set(before), "every entry was written again, under the same name"
    assert_same(after, before, "the recomputed entries")
    assert not list(folder.rglob("*.tmp"))


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("restart", [True, False], ids=["new process", "same process"])
def test_every_file_damaged_alike_is_recomputed(warm, tmp_path, monkeypatch, caplog, model, dataset, kind, restart):
    """The same at the level of core, for each kind of damage to every file, in a new and in the same process."""
    warm_folder, _, before = warm
    folder = _copy_of(warm_folder, tmp_path)
    _use_cache_folder(folder, monkeypatch)
    if not restart:
        assert core.default_cache().enabled  # this process read the secret before the files were damaged
    marker = tmp_path / "payload_ran"
    for path in (p for p in folder.rglob("*") if p.is_file()):
        _damage(kind, path, marker)
    with caplog.at_level(logging.INFO, logger="core.compute.cache"):
        _fill_every_namespace(model, dataset, lab=restart)  # (the lab's namespace once per kind is enough)
    assert not marker.exists() and not _cache_warnings(caplog)
    after = cache_snapshot(folder, core.default_cache()._load_secret())  # the entries written again
    expected = NAMESPACES if restart else NAMESPACES - {"lab_variants"}
    assert {key.split("/")[0] for key in after} == expected and set(after) <= set(before)
    assert_same(after, {key: before[key] for key in after}, "the recomputed entries")


def _cache_warnings(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "core.compute.cache" and r.levelno >= logging.WARNING]


def test_a_missing_cache_folder_is_created(tmp_path, monkeypatch, caplog):
    folder = tmp_path / "not" / "yet" / "there"
    _use_cache_folder(folder, monkeypatch)
    try:
        with caplog.at_level(logging.WARNING, logger="core.compute.cache"):
            visit_pages(open_app(), ["pages/model.py", "pages/activations.py"])
    finally:
        clear_streamlit_caches()
    assert (folder / ".secret").stat().st_mode & 0o777 == 0o600
    assert list(folder.rglob("*.joblib")) and not _cache_warnings(caplog)


def _run_app_without_its_cache(model, dataset, caplog) -> dict:
    """Two sessions over the pages that use the cache, and the cached core functions twice; all must work."""
    try:
        with caplog.at_level(logging.WARNING, logger="core.compute.cache"):
            shown = visit_pages(open_app(), CACHED_PAGES)
            visit_pages(open_app({"obs": "3"}), ["pages/model.py", "pages/activations.py"])
            _fill_every_namespace(model, dataset)
            _fill_every_namespace(model, dataset, lab=False)
    finally:
        clear_streamlit_caches()
    return shown


def test_a_cache_folder_that_cannot_be_created_turns_the_cache_off_with_one_warning(warm, tmp_path, monkeypatch,
                                                                                      caplog, model, dataset):
    blocker = tmp_path / "a_file"
    blocker.write_text("a file where a folder should be")
    _use_cache_folder(blocker / "cache", monkeypatch)
    shown = _run_app_without_its_cache(model, dataset, caplog)
    warnings = _cache_warnings(caplog)
    assert len(warnings) == 1 and "disk cache" in warnings[0] and str(blocker) in warnings[0], warnings
    assert not core.default_cache().enabled
    assert_same(shown, {page: warm[1][page] for page in CACHED_PAGES}, "the pages' charts")


def _make_read_only(folder: Path, monkeypatch) -> None:
    """Writes and deletions under ``folder`` fail as on a read-only disk (EROFS).

    Simulated, because chmod does not stop root and these tests run as root on the build machine; the real
    thing is tried as well when they run as another user (``test_a_chmod_read_only_cache_folder``).
    """
    folder = folder.resolve()

    def refuse(path):
        raise OSError(errno.EROFS, "Read-only file system", str(path))

    real_unlink, real_write = Path.unlink, core.compute.cache.atomic_write_bytes

    def unlink(self, missing_ok=False):
        if folder in Path(self).resolve().parents:
            refuse(self)
        return real_unlink(self, missing_ok=missing_ok)

    def write(path, data, **kwargs):
        if folder in Path(path).resolve().parents:
            refuse(path)
        return real_write(path, data, **kwargs)

    monkeypatch.setattr(Path, "unlink", unlink)
    monkeypatch.setattr(core.compute.cache, "atomic_write_bytes", write)


@pytest.mark.parametrize("contents, n_warnings", [
    ("only its secret", 1),             # every result is computed, the first write fails
    ("no secret", 1),                   # the secret cannot be written
    ("entries, one damaged", 1),        # the damaged entry can be neither deleted nor replaced
    ("entries", 0),                     # nothing needs writing: the cache is read and works
])
def test_a_read_only_cache_folder_works_and_warns_at_most_once(warm, tmp_path, monkeypatch, caplog, model, dataset,
                                                                contents, n_warnings):
    folder = _copy_of(warm[0], tmp_path)
    if contents in ("only its secret", "no secret"):
        for entry in folder.rglob("*.joblib"):
            entry.unlink()
    if contents == "no secret":
        (folder / ".secret").unlink()
    if contents == "entries, one damaged":
        entry = sorted((folder / "split_traces").glob("*.joblib"))[0]
        entry.write_bytes(entry.read_bytes()[:100])
    _use_cache_folder(folder, monkeypatch)
    _make_read_only(folder, monkeypatch)
    shown = _run_app_without_its_cache(model, dataset, caplog)
    warnings = _cache_warnings(caplog)
    assert len(warnings) == n_warnings and all("disk cache" in w for w in warnings), warnings
    assert_same(shown, {page: warm[1][page] for page in CACHED_PAGES}, "the pages' charts")


@pytest.mark.skipif(os.geteuid() == 0, reason="chmod does not stop root; the simulated read-only disk covers this")
def test_a_chmod_read_only_cache_folder(tmp_path, monkeypatch, caplog, model, dataset):
    folder = tmp_path / "cache"
    core.DiskCache(folder).enabled  # the secret, then no more writing
    _use_cache_folder(folder, monkeypatch)
    folder.chmod(0o555)
    try:
        _run_app_without_its_cache(model, dataset, caplog)
    finally:
        folder.chmod(0o755)
    assert len(_cache_warnings(caplog)) == 1


# --------------------------------------------------------------------------------------------------------------------
# 2. Damaged files: the checkpoint
# --------------------------------------------------------------------------------------------------------------------

def _write_bad_checkpoint(kind: str, path: Path, model, marker: Path) -> None:
    good = core.SHIPPED_CHECKPOINT.read_bytes()
    if kind == "garbage":
        path.write_bytes(os.urandom(len(good)))
    elif kind == "truncated":
        path.write_bytes(good[: len(good) // 2])
    elif kind == "empty":
        path.write_bytes(b"")
    elif kind == "wrong shapes":  # weights of a 50-unit network under a 100-unit config
        core.save_checkpoint(core.LSTMClassifier(core.ModelConfig(hidden_size=50)), path)
        payload = torch.load(path, weights_only=True)
        payload["config"]["hidden_size"] = 100
        torch.save(payload, path)
    elif kind == "not a checkpoint":
        torch.save({"weights": torch.zeros(3)}, path)
    elif kind == "pickle payload":
        torch.save({"format": 1, "config": {}, "state_dict": Payload(marker)}, path)
    elif kind == "a folder":
        path.mkdir()
    elif kind != "missing":
        raise ValueError(kind)


@pytest.mark.parametrize("kind", ["garbage", "truncated", "empty", "wrong shapes", "not a checkpoint",
                                  "pickle payload", "a folder", "missing"])
def test_a_bad_checkpoint_shows_a_clear_error_naming_the_file(tmp_path, monkeypatch, model, caplog, kind):
    path = tmp_path / "japanese_vowels_lstm.pt"
    marker = tmp_path / "payload_ran"
    _write_bad_checkpoint(kind, path, model, marker)
    monkeypatch.setattr(core, "SHIPPED_CHECKPOINT", path)
    clear_streamlit_caches()
    try:
        with caplog.at_level(logging.ERROR):
            at = AppTest.from_file(APP, default_timeout=120)
            at.run()
            for page in (None, "pages/activations.py", "pages/model.py"):  # every page says the same; none crashes
                if page:
                    at.switch_page(page).run()
                assert not at.exception, [e.value for e in at.exception]
                (error,) = at.error
                assert str(path) in error.value and "could not be loaded" in error.value
                assert len(error.value) < 600 and "\n" not in error.value
                assert "Traceback" not in screen_text(at) and "File \"" not in screen_text(at)
    finally:
        monkeypatch.undo()
        clear_streamlit_caches()
    assert not marker.exists()
    logged = [r for r in caplog.records if "could not be loaded" in r.getMessage()]
    assert logged and logged[0].exc_info, "the full traceback goes to the server log"


# --------------------------------------------------------------------------------------------------------------------
# 2. Killed half-way: no half-written checkpoint or cache entry
# --------------------------------------------------------------------------------------------------------------------

def _read_line(proc: subprocess.Popen, wanted: str, timeout: float) -> list[str]:
    """Lines of ``proc``'s output up to the first containing ``wanted`` (fails after ``timeout`` seconds)."""
    import selectors
    import time

    lines, buffer = [], b""
    deadline = time.monotonic() + timeout
    with selectors.DefaultSelector() as selector:
        selector.register(proc.stdout, selectors.EVENT_READ)
        while time.monotonic() < deadline:
            if not selector.select(timeout=max(0.0, deadline - time.monotonic())):
                break
            chunk = os.read(proc.stdout.fileno(), 4096)
            if not chunk:
                break
            buffer += chunk
            *done, buffer = buffer.split(b"\n")
            lines += [line.decode() for line in done]
            if any(wanted in line for line in lines):
                return lines
    raise AssertionError(f"no line with {wanted!r} within {timeout} s: {lines + [buffer.decode()]}")


def _kill(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)


def test_a_training_run_killed_half_way_leaves_no_checkpoint(tmp_path):
    out = tmp_path / "out" / "m.pt"
    out.parent.mkdir()
    env = {**os.environ, "LSTM_EXPLORER_CACHE": str(tmp_path / "cache")}  # the shipped results' computation
    command = [PYTHON, "-m", "core.train", "--epochs", "50", "--threads", "1", "--out", str(out)]
    proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        lines = _read_line(proc, "epoch   1/50", timeout=120)
        assert proc.poll() is None, "still training when killed"
    finally:
        _kill(proc)
    assert proc.returncode == -signal.SIGKILL and not any("wrote" in line for line in lines)
    assert list(out.parent.iterdir()) == [], "no checkpoint, no log, no temporary file"

    done = subprocess.run([*command[:3], "--epochs", "2", *command[5:]], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    loaded, meta = core.load_checkpoint(out)
    assert len(meta["history"]) == 2 and loaded.config.hidden_size == 100
    assert sorted(p.name for p in out.parent.iterdir()) == ["m.log.csv", "m.pt", "m.results.json"]


_HELD_WRITE = """
import os, sys, time
from core.compute.cache import DiskCache
cache = DiskCache(sys.argv[1])
assert cache.enabled  # the secret is in place before the entry's write is held up
def held(fd):
    print("writing", flush=True)
    time.sleep(120)
os.fsync = held  # the entry's bytes are in its temporary file; the rename has not happened
cache.get_or_compute("demo", "key", lambda: list(range(200_000)))
"""


def test_a_cache_write_killed_half_way_leaves_no_entry(tmp_path):
    folder = tmp_path / "cache"
    proc = subprocess.Popen([PYTHON, "-c", _HELD_WRITE, str(folder)], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    try:
        _read_line(proc, "writing", timeout=120)
    finally:
        _kill(proc)
    cache = core.DiskCache(folder)
    entry = cache.path_for("demo", "key")
    (leftover,) = entry.parent.glob(".*.tmp")
    assert not entry.exists() and leftover.stat().st_size > 0, "killed between write and rename"
    calls = []
    assert cache.get_or_compute("demo", "key", lambda: calls.append(1) or [1, 2]) == [1, 2] and calls == [1]
    assert cache.load("demo", "key") == (True, [1, 2])
    # A leftover from a killed write is removed by a later write once it is clearly stale (an hour old).
    os.utime(leftover, (leftover.stat().st_atime - 7200, leftover.stat().st_mtime - 7200))
    cache.get_or_compute("demo", "other", lambda: 3)
    assert not leftover.exists()


@pytest.mark.parametrize("failure", [OSError(errno.ENOSPC, "No space left on device"), RuntimeError("bad disk")])
def test_an_exception_inside_a_cache_write_leaves_no_entry_and_no_temporary_file(tmp_cache, monkeypatch, failure):
    assert tmp_cache.enabled

    def fail(fd):
        raise failure

    monkeypatch.setattr(os, "fsync", fail)
    if isinstance(failure, OSError):  # the disk is full: the cache turns itself off, the result is still returned
        assert tmp_cache.get_or_compute("demo", "key", lambda: [1, 2]) == [1, 2]
        assert not tmp_cache.enabled
    else:
        with pytest.raises(RuntimeError, match="bad disk"):
            tmp_cache.store("demo", "key", [1, 2])
    monkeypatch.undo()
    assert not tmp_cache.path_for("demo", "key").exists()
    assert [p.name for p in tmp_cache.root.rglob("*") if p.is_file()] == [".secret"]


def test_a_value_that_cannot_be_pickled_leaves_no_entry(tmp_cache):
    import threading

    with pytest.raises(TypeError):
        tmp_cache.store("demo", "key", threading.Lock())
    assert [p.name for p in tmp_cache.root.rglob("*") if p.is_file()] == [".secret"]


# --------------------------------------------------------------------------------------------------------------------
# 3. No code comes in through files; no user input becomes a path
# --------------------------------------------------------------------------------------------------------------------

def test_a_planted_payload_in_the_lab_cache_is_never_run(tmp_cache, tmp_path, monkeypatch):
    settings = core.analyses.lab.LabSettings(hidden_size=10, epochs=1, seed=5)
    keys = []
    real_load = tmp_cache.load
    monkeypatch.setattr(tmp_cache, "load", lambda namespace, key: keys.append((namespace, key)) or
                        real_load(namespace, key))
    first = core.analyses.lab.train_variant(settings, cache=tmp_cache)
    ((namespace, key),) = keys
    entry = tmp_cache.path_for(namespace, key)
    assert namespace == core.analyses.lab.LAB_NAMESPACE and entry.exists()
    signature = entry.read_bytes()[:32]
    marker = tmp_path / "payload_ran"
    payload = io.BytesIO()
    joblib.dump(Payload(marker), payload)
    payload = payload.getvalue()
    torch_file = io.BytesIO()
    torch.save({"state_dict": Payload(marker)}, torch_file)
    forgeries = {
        "unsigned joblib file": payload,
        "signed with another secret": hmac.new(os.urandom(32), payload, "sha256").digest() + payload,
        "a real entry's signature": signature + payload,
        "a torch file": torch_file.getvalue(),
    }
    for name, blob in forgeries.items():
        entry.write_bytes(blob)
        assert real_load(namespace, key) == (False, None), name
        assert not marker.exists() and not entry.exists(), f"{name}: refused and deleted, never unpickled"
    entry.write_bytes(signature + payload)
    again = core.analyses.lab.train_variant(settings, cache=tmp_cache)  # and the lab trains it again
    assert not again.from_cache and not marker.exists()
    assert core.model_fingerprint(again.model) == core.model_fingerprint(first.model)


def test_the_cache_secret_is_private(tmp_cache):
    assert tmp_cache.enabled
    assert (tmp_cache.root / ".secret").stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize("namespace", ["../outside", "a/b", "", "..", "/tmp", "x\x00", "lab variants", "a.b"])
def test_cache_namespaces_cannot_be_paths(tmp_cache, namespace):
    with pytest.raises(ValueError, match="namespace must be an identifier"):
        tmp_cache.path_for(namespace, "key")


@pytest.mark.parametrize("key", [HOSTILE_PATH, "/etc/passwd", b"\x00..", ("..", "..", "x"), "\\..\\..\\x", "%2e%2e/x"])
def test_cache_keys_never_leave_their_folder(tmp_cache, key):
    path = tmp_cache.path_for("demo", key)
    assert path.parent.resolve() == (tmp_cache.root / "demo").resolve()
    assert re.fullmatch(r"[0-9a-f]{64}\.joblib", path.name)


# --------------------------------------------------------------------------------------------------------------------
# 6. Failures are visible: a short message on screen, the full traceback in the server log
# --------------------------------------------------------------------------------------------------------------------

@pytest.fixture()
def hosted_error_details():
    """``client.showErrorDetails`` as the project's config file sets it (whatever folder pytest runs from)."""
    before = st_config.get_option("client.showErrorDetails")
    st_config.set_option("client.showErrorDetails", tomllib.loads(CONFIG.read_text())["client"]["showErrorDetails"])
    yield
    st_config.set_option("client.showErrorDetails", before)


class _Records(logging.Handler):
    def __init__(self):
        super().__init__()
        self.records = []

    def emit(self, record):
        self.records.append(record)


def test_an_unexpected_error_shows_a_short_message_and_logs_the_traceback(monkeypatch, hosted_error_details):
    secret_detail = "deliberate failure 7f3a in the trace of /srv/app"

    def fail(self):
        raise RuntimeError(secret_detail)

    monkeypatch.setattr(ui_state.Selection, "trace", fail)
    records = _Records()
    streamlit_log = logging.getLogger("streamlit.error_util")  # Streamlit's loggers do not propagate
    streamlit_log.addHandler(records)
    try:
        at = open_app()
        at.switch_page("pages/activations.py").run()
    finally:
        streamlit_log.removeHandler(records)
    (shown,) = at.exception
    assert "This app has encountered an error" in shown.value and len(shown.value) < 400
    assert shown.stack_trace == [] and secret_detail not in screen_text(at) and "Traceback" not in screen_text(at)
    assert at.sidebar.slider(key="sel_obs_test").value == 1, "the sidebar still works"
    logged = [r for r in records.records if r.exc_info]
    assert logged, "the traceback is logged"
    text = logging.Formatter().format(logged[0])
    assert "Traceback" in text and secret_detail in text and "pages/activations.py" in text
    monkeypatch.undo()
    at.switch_page("pages/trajectory.py").run()  # the app keeps working
    assert not at.exception and at.get("vega_lite_chart")


# --------------------------------------------------------------------------------------------------------------------
# 5. The shared disk cache under concurrent sessions
# --------------------------------------------------------------------------------------------------------------------

def test_concurrent_writers_and_pruners_never_turn_the_cache_off(tmp_path, caplog):
    """Sessions run in threads of one process and share its cache; files vanish under each other's prunes."""
    import threading

    cache = core.DiskCache(tmp_path / "cache", max_entries=3)
    assert cache.enabled
    errors = []

    def session(n):
        try:
            for i in range(60):
                assert cache.get_or_compute("demo", (n, i), lambda: list(range(50))) == list(range(50))
                cache.load("demo", (n, i - 1))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(repr(exc))

    with caplog.at_level(logging.WARNING, logger="core.compute.cache"):
        threads = [threading.Thread(target=session, args=(n,)) for n in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    assert not errors and not any(t.is_alive() for t in threads)
    assert cache.enabled and not _cache_warnings(caplog)
    assert len(list((tmp_path / "cache" / "demo").glob("*.joblib"))) <= 3 + 8  # bounded (each writer may be mid-prune)
