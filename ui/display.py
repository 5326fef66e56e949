"""Draw the Altair charts of ``core.presentation.charts`` so that a rerun changing only their data updates them
in place.

``st.altair_chart`` names each of a chart's data tables by a hash of its content, and the names are part of
the spec the browser receives: when a slider moves the outlined time step, the spec differs and the browser
builds the whole chart again (parse, compile, lay out, draw). Here every table is named by the chart's key
and its position instead, so the spec stays the same while the data changes, and the browser only swaps the
tables of the chart it already has. The spec is not validated against the Vega-Lite schema here, which costs
more than building it: the smoke test (``tests/pages/test_every_page.py``) validates every chart of every page instead.
"""

from __future__ import annotations

import threading

import altair as alt
import streamlit as st

__all__ = ["altair"]

_TRANSFORMER = "lstm_explorer_stable_names"
# Altair's theme and data transformer are process-wide settings; sessions draw charts in threads of their own.
_GLOBALS_LOCK = threading.Lock()


def _name_by_position(data, datasets: dict, prefix: str) -> dict:
    """Altair data transformer: keep ``data`` in ``datasets`` under the next free ``prefix-N`` name."""
    name = f"{prefix}-{len(datasets)}"
    datasets[name] = data
    return {"name": name}


alt.data_transformers.register(_TRANSFORMER, _name_by_position)


def altair(chart: alt.TopLevelMixin, *, key: str, where=None, **kwargs):
    """Show ``chart`` in ``where`` (a container; the page by default), like ``st.altair_chart``.

    ``key`` is the widget key and the prefix of the data tables' names; ``kwargs`` go to
    ``st.vega_lite_chart`` (``width``, ``on_select``, ``selection_mode``...). Returns what it returns.
    """
    datasets: dict = {}
    with (
        _GLOBALS_LOCK,
        alt.theme.enable("none"),
        alt.data_transformers.enable(_TRANSFORMER, datasets=datasets, prefix=key),
    ):
        # Streamlit's own theme applies in the browser; Altair's default one would add a fixed width and height.
        spec = chart.to_dict(validate=False)
    spec["datasets"] = {**spec.get("datasets", {}), **datasets}
    return (where or st).vega_lite_chart(spec=spec, key=key, **kwargs)
