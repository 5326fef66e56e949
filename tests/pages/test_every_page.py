"""The smoke test: every page through Streamlit's AppTest draws its charts with no exception; step sliders
change only the charts' data."""

import json

import pytest
from altair.utils import schemapi
from altair.utils.schemapi import validate_jsonschema
from altair.vegalite.v6.schema.core import load_schema
from app_helpers import PAGES, open_app

# page file -> number of Altair charts it draws for test observation 1 (every page: this is the smoke test)
CHARTS_PER_PAGE = {
    "pages/home.py": 0,
    "pages/dataset.py": 3,
    "pages/model.py": 2,
    "pages/mistakes.py": 2,
    "pages/activations.py": 2,
    "pages/trajectory.py": 2,
    "pages/why.py": 2,
    "pages/units.py": 3,
    "pages/ablation.py": 3,
    "pages/patterns.py": 5,
    "pages/paths.py": 1,
    "pages/compare.py": 6,
    "pages/upload.py": 0,
    "pages/lab.py": 0,
    "pages/glossary.py": 0,
}
VEGA_LITE_SCHEMA = load_schema()


def test_the_smoke_test_covers_every_page():
    assert sorted(CHARTS_PER_PAGE) == PAGES


@pytest.mark.parametrize("page, n_charts", CHARTS_PER_PAGE.items())
def test_every_page_runs_and_draws_its_charts(page, n_charts, monkeypatch):
    matched = []  # Altair matching a plain dict or shorthand string against its whole schema: ~5 ms each time
    real_init = schemapi._FromDict.__init__
    monkeypatch.setattr(schemapi._FromDict, "__init__", lambda self, *a: matched.append(1) or real_init(self, *a))
    at = open_app(page=page)
    assert len(at.get("vega_lite_chart")) == n_charts
    assert not matched, "an encoding in core/presentation/charts/ is a shorthand string or dict: name its channel class"
    for chart in at.get("vega_lite_chart"):  # ui.display skips Altair's validation for speed: it is done here
        validate_jsonschema(json.loads(chart.proto.spec), VEGA_LITE_SCHEMA, rootschema=VEGA_LITE_SCHEMA)
    assert at.title, "every page has a title"
    assert at.markdown, "every page explains itself"


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
