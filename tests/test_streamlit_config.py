"""The hosted config (.streamlit/config.toml) as Streamlit reads it: upload limit, XSRF protection, no error
details on screen; an unexpected error shows a short message and the full traceback goes to the log."""

import json
import logging
import subprocess
import sys
import tomllib

import pytest
from app_helpers import ROOT, open_app, screen_text
from streamlit import config as st_config

from core.compute.dataset_upload import MAX_DATASET_BYTES, MAX_DATASET_MB
from core.compute.upload import MAX_UPLOAD_BYTES, MAX_UPLOAD_MB
from ui import computed

PYTHON = sys.executable
CONFIG = ROOT / ".streamlit" / "config.toml"


def _config_as_streamlit_reads_it() -> dict:
    """The options Streamlit itself reads from the project's config file (in a child process: config is global)."""
    code = (
        "import json; from streamlit import config as c; c.get_config_options(force_reparse=True); "
        "print(json.dumps({k: c.get_option(k) for k in ('server.maxUploadSize', 'server.enableXsrfProtection', "
        "'client.showErrorDetails', 'server.maxMessageSize', 'browser.gatherUsageStats', 'client.toolbarMode', "
        "'client.showSidebarNavigation')}))"
    )
    out = subprocess.run([PYTHON, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_hosted_config_limits_uploads_protects_forms_and_hides_error_details():
    raw = tomllib.loads(CONFIG.read_text())
    effective = _config_as_streamlit_reads_it()
    for options in (
        {
            k: v
            for section, values in raw.items()
            for k, v in ((f"{section}.{name}", value) for name, value in values.items())
        },
        effective,
    ):
        # The server refuses anything larger than the largest upload a page takes (a data set); each uploader
        # has its own limit within it, and the readers' limits in bytes are those limits in the uploader's MB.
        assert options["server.maxUploadSize"] == MAX_DATASET_MB == 20
        assert MAX_UPLOAD_MB == 5 < MAX_DATASET_MB
        assert (MAX_UPLOAD_BYTES, MAX_DATASET_BYTES) == (MAX_UPLOAD_MB * 1_000_000, MAX_DATASET_MB * 1_000_000)
        assert MAX_DATASET_BYTES <= options["server.maxUploadSize"] * 1024 * 1024
        assert options["server.enableXsrfProtection"] is True
        assert options["client.showErrorDetails"] in ("none", False, "false", "False"), (
            "uncaught errors must not show messages or tracebacks to visitors"
        )
        assert options["browser.gatherUsageStats"] is False
    assert effective["client.toolbarMode"] == "viewer"
    # The menu is the app's own (st.navigation); the file names of Streamlit's older pages/ mode never show.
    assert effective["client.showSidebarNavigation"] is False


@pytest.mark.parametrize("page, limit", [("pages/upload.py", MAX_UPLOAD_MB), ("pages/upload_data.py", MAX_DATASET_MB)])
def test_each_uploader_refuses_files_over_its_page_s_limit_and_says_it(page, limit):
    at = open_app(page=page)
    (uploader,) = at.file_uploader
    assert uploader.proto.max_upload_size_mb == limit
    assert f"at most {limit} mb" in f"{uploader.label} {uploader.help}".lower()


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

    def fail(sel):
        raise RuntimeError(secret_detail)

    monkeypatch.setattr(computed, "trace", fail)
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
    assert at.sidebar.number_input(key="obs").value == 1, "the sidebar still works"
    logged = [r for r in records.records if r.exc_info]
    assert logged, "the traceback is logged"
    text = logging.Formatter().format(logged[0])
    assert "Traceback" in text and secret_detail in text and "pages/activations.py" in text
    monkeypatch.undo()
    at.switch_page("pages/trajectory.py").run()  # the app keeps working
    assert not at.exception and at.get("vega_lite_chart")
