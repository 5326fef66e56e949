"""Helpers for AppTest tests: open a session on a page, read the data behind its Altair charts and its text."""

import io
import json
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import streamlit as st
from streamlit.testing.v1 import AppTest

from core.analyses.lab import LabSettings, variant_key

__all__ = [
    "ROOT",
    "APP",
    "PAGES",
    "open_app",
    "open_link",
    "chart_tables",
    "table_with",
    "marker_step",
    "screen_text",
    "send_selection",
    "visit_pages",
    "clear_streamlit_caches",
    "STACKED",
    "choose_stacked_variant",
    "SMALL_CLASSES",
    "SMALL_CHANNELS",
    "small_dataset_zip",
    "upload_small_dataset",
]

ROOT = Path(__file__).resolve().parent.parent  # the repository
APP = str(ROOT / "streamlit_app.py")
PAGES = sorted(f"pages/{p.name}" for p in (ROOT / "pages").glob("*.py"))  # every page file, as AppTest names it
STACKED = LabSettings(hidden_size=10, epochs=10, seed=3, num_layers=2)  # a lab variant of 2 layers, seconds to train


def open_app(query: dict | None = None, page: str | None = None) -> AppTest:
    """A new session opened with link parameters ``query`` on Home, then switched to ``page``.

    The link is read on the session's first run, which is Home's: the sidebar's parameters apply, a page's own
    ones (which apply only on the page the link opened) do not; :func:`open_link` opens a page's link.
    """
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update(query or {})
    at.run()
    if page:
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def open_link(page: str, query: dict | None = None) -> AppTest:
    """A new session opened with a link to ``page`` (e.g. ``"pages/units.py"``) and parameters ``query``: the
    sidebar's and the page's own parameters apply. Link values are as Streamlit writes them: an option by its
    label (``{"split": "Training set"}``), a range as a list (``{"act_units": ["5", "25"]}``)."""
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update(query or {})
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def chart_tables(at: AppTest) -> list[list]:
    """Each Altair chart on the page as the list of its data tables (pandas DataFrames)."""
    charts = []
    for element in at.get("vega_lite_chart"):
        tables = [pa.ipc.open_stream(d.data.data).read_pandas() for d in element.proto.datasets]
        spec = json.loads(element.proto.spec)
        tables += [pd.DataFrame(rows) for rows in spec.get("datasets", {}).values()]
        charts.append(tables)
    return charts


def table_with(at: AppTest, *columns: str):
    """The first chart table whose columns are exactly ``columns`` (in any order)."""
    for tables in chart_tables(at):
        for table in tables:
            if set(columns) == set(table.columns):
                return table
    raise AssertionError(f"no chart has a table with columns {columns}")


def marker_step(at: AppTest) -> int:
    """The time step outlined on the heatmap or marked on the trajectory (a one-row table)."""
    for tables in chart_tables(at):
        for table in tables:
            if list(table.columns) == ["step"] and len(table) == 1:
                return int(table["step"].iloc[0])
    raise AssertionError("no step marker found")


def screen_text(at: AppTest) -> str:
    """Every text element on screen, main area and sidebar, as one string."""
    parts = []
    for kind in (
        "title",
        "header",
        "subheader",
        "markdown",
        "caption",
        "text",
        "error",
        "warning",
        "info",
        "success",
        "exception",
        "code",
        "latex",
        "metric",
    ):
        for element in at.get(kind):
            value = getattr(element, "value", None)
            parts.append(value if isinstance(value, str) else json.dumps(str(value)))
            if kind == "exception":
                parts.extend(element.stack_trace)
    return "\n".join(parts)


def send_selection(at: AppTest, key: str, selection: dict) -> AppTest:
    """Send what the browser sends when a chart or table with ``key`` and ``on_select`` is clicked: ``selection``
    (e.g. ``{"rows": [2], "columns": []}`` for a table's row, ``{"cell": [{"true": 2, "predicted": 8}]}`` for a
    chart's point selection named ``cell``); its callback runs, then the page."""
    element = next(
        e for kind in ("vega_lite_chart", "dataframe") for e in at.get(kind) if e.proto.id.endswith(f"-{key}")
    )
    states = at._tree.get_widget_states()
    state = states.widgets.add()
    state.id = element.proto.id
    state.string_value = json.dumps({"selection": selection})
    return at._run(states)


def visit_pages(at: AppTest, pages=PAGES) -> dict[str, list]:
    """Switch the session through ``pages``; return each page's chart tables. Fails on any exception or error."""
    shown = {}
    for page in pages:
        at.switch_page(page).run()
        assert not at.exception, (page, [e.value for e in at.exception])
        assert not at.error, (page, [e.value for e in at.error])
        shown[page] = chart_tables(at)
    return shown


def clear_streamlit_caches() -> None:
    """Empty Streamlit's caches, as a freshly started server has them."""
    st.cache_resource.clear()
    st.cache_data.clear()


def choose_stacked_variant(at: AppTest, page: str | None = None) -> AppTest:
    """Train (or load from the disk cache) the lab variant :data:`STACKED` in ``at``'s session through the Model
    lab, make it the sidebar's network, then switch to ``page``."""
    at.switch_page("pages/lab.py").run()
    at.slider(key="lab_hidden").set_value(STACKED.hidden_size)
    at.select_slider(key="lab_epochs").set_value(STACKED.epochs)
    at.number_input(key="lab_seed").set_value(STACKED.seed)
    at.selectbox(key="lab_layers").set_value(STACKED.num_layers)
    at.button(key="lab_submit").click().run()
    at.sidebar.selectbox(key="net").set_value(variant_key(STACKED)).run()
    if page:
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


SMALL_CLASSES = ("rising", "falling")
SMALL_CHANNELS = ("left", "right", "middle")


def small_dataset_zip(seed: int = 0) -> bytes:
    """A zip of CSV files: a data set of 3 channels and 2 classes (:data:`SMALL_CLASSES`), 16 training and 6 test
    recordings per class of 8 to 15 steps, in ``train/<class>/`` and ``test/<class>/`` folders. A "rising"
    recording's channels grow over time, a "falling" one's shrink, with seeded noise."""
    rng = np.random.default_rng(seed)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for split, count in (("train", 16), ("test", 6)):
            for sign, name in zip((1.0, -1.0), SMALL_CLASSES, strict=True):
                for k in range(count):
                    steps = int(rng.integers(8, 16))
                    ramp = sign * np.linspace(0.0, 1.0, steps)[:, None] * np.array([1.0, 2.0, 0.5])  # (T, 3)
                    values = ramp + 0.1 * rng.standard_normal((steps, 3))
                    rows = [",".join(SMALL_CHANNELS)] + [",".join(f"{v:.4f}" for v in row) for row in values]
                    entry = zipfile.ZipInfo(f"{split}/{name}/{name}_{k:02d}.csv", date_time=(2026, 1, 1, 0, 0, 0))
                    archive.writestr(entry, "\n".join(rows) + "\n")  # a fixed date: the same bytes every time
    return buffer.getvalue()


def upload_small_dataset(at: AppTest, train: bool = True) -> AppTest:
    """Upload :func:`small_dataset_zip` on the page "Your own data set" in ``at``'s session, and, if ``train``,
    train a network of 10 units for 10 epochs on it in the Model lab (seconds)."""
    at.switch_page("pages/upload_data.py").run()
    (uploader,) = at.file_uploader  # its key changes with every upload, so that it starts empty
    uploader.set_value([("small.zip", small_dataset_zip(), "application/zip")]).run()
    assert not at.exception, [e.value for e in at.exception]
    if train:
        at.switch_page("pages/lab.py").run()
        at.slider(key="lab_hidden").set_value(10)
        at.select_slider(key="lab_epochs").set_value(10)
        at.button(key="lab_submit").click().run()
        assert not at.exception, [e.value for e in at.exception]
    return at
