"""The smoke test: every page through Streamlit's AppTest draws its charts with no exception; step sliders
change only the charts' data."""

import json

import pyarrow as pa
import pytest
from altair.utils import schemapi
from altair.utils.schemapi import validate_jsonschema
from altair.vegalite.v6.schema.core import load_schema
from app_helpers import PAGES, STACKED, choose_stacked_variant, open_app, screen_text, upload_small_dataset, visit_pages
from chart_specs import missing_fields

import core
from core.analyses.flip import smallest_flip
from core.analyses.lab import train_variant
from ui import navigation

# url path -> number of Altair charts the page draws for test observation 1 (every page: this is the smoke test)
CHARTS_PER_PAGE = {
    "home": 0,
    "dataset": 3,
    "model": 2,
    "mistakes": 2,
    "activations": 2,
    "trajectory": 2,
    "why": 3,
    "units": 3,
    "ablation": 3,
    "whatif": 8,
    "patterns": 5,
    "paths": 1,
    "compare": 6,
    "upload": 0,
    "upload_data": 0,
    "lab": 0,
    "networks": 5,
    "glossary": 0,
}
VEGA_LITE_SCHEMA = load_schema()


def assert_sound_charts(at) -> None:
    """Every chart on ``at``'s page is valid Vega-Lite (``ui.display`` skips Altair's validation for speed: it is
    done here), and each of its marks encodes only fields that its data or a transform before it provides
    (Vega-Lite draws a missing one as "undefined")."""
    for chart in at.get("vega_lite_chart"):
        spec = json.loads(chart.proto.spec)
        validate_jsonschema(spec, VEGA_LITE_SCHEMA, rootschema=VEGA_LITE_SCHEMA)
        tables = {d.name: pa.ipc.open_stream(d.data.data).read_pandas() for d in chart.proto.datasets}
        datasets = {**spec.get("datasets", {}), **tables}
        missing = missing_fields({**spec, "datasets": datasets})
        assert not missing, (sorted(datasets), missing)  # the tables are named after the chart's key


def test_the_smoke_test_covers_exactly_the_registry():
    assert set(CHARTS_PER_PAGE) == {p.url_path for p in navigation.PAGES}


@pytest.mark.parametrize("page", navigation.PAGES, ids=lambda p: p.url_path)
def test_every_page_runs_and_draws_its_charts(page, monkeypatch):
    matched = []  # Altair matching a plain dict or shorthand string against its whole schema: ~5 ms each time
    real_init = schemapi._FromDict.__init__
    monkeypatch.setattr(schemapi._FromDict, "__init__", lambda self, *a: matched.append(1) or real_init(self, *a))
    at = open_app(page=page.file)
    assert len(at.get("vega_lite_chart")) == CHARTS_PER_PAGE[page.url_path]
    assert not matched, "an encoding in core/presentation/charts/ is a shorthand string or dict: name its channel class"
    assert_sound_charts(at)
    assert at.title, "every page has a title"
    assert at.markdown, "every page explains itself"


@pytest.mark.parametrize(
    "page, key",
    [("pages/activations.py", "act_step"), ("pages/trajectory.py", "traj_step"), ("pages/paths.py", "paths_step")],
)
def test_a_step_slider_changes_only_the_charts_data(page, key):
    """The browser updates a chart in place only when its spec is unchanged; a rebuilt chart answers slowly."""

    def specs(at):
        return [
            {k: v for k, v in json.loads(c.proto.spec).items() if k != "datasets"} for c in at.get("vega_lite_chart")
        ]

    at = open_app(page=page)
    at.slider(key=key).set_value(2).run()
    before = specs(at)
    at.slider(key=key).set_value(4).run()
    assert specs(at) == before and before


def test_every_page_runs_with_each_layer_of_a_stacked_network(fresh_cache):
    data, stacked = core.load_dataset(), train_variant(STACKED, cache=fresh_cache).model
    x = data.test.sequences[0]
    answer = int(core.run_sequence(stacked, x).probs[-1].argmax()) + 1
    target = min(k for k in range(1, 10) if k != answer)  # the first class the page offers
    flips = int(smallest_flip(stacked, x, target, data.train).found)
    at = open_app()
    assert "layer" not in [w.key for w in at.sidebar.radio] and "layer" not in at.query_params
    choose_stacked_variant(at)
    layer = at.sidebar.radio(key="layer")
    assert layer.options == ["Layer 1", "Layer 2"] and layer.value == 1
    for chosen in (0, 1):
        at.sidebar.radio(key="layer").set_value(chosen).run()
        shown = visit_pages(at, PAGES)
        # the lab draws the variant's training curve; Two networks puts it next to the shipped one (a trajectory
        # chart, two heatmaps, two confusion matrices); What if? draws where the hidden states part only if a change
        # flips this network's answer
        expected = dict(CHARTS_PER_PAGE, lab=1, networks=5, whatif=7 + flips)
        assert {p.url_path: len(shown[p.file]) for p in navigation.PAGES} == expected
        assert at.session_state["layer"] == chosen


# Words of Japanese Vowels that no page may show for another data set.
JAPANESE_VOWELS_WORDS = ("speaker", "Speaker", "Japanese", "utterance", "vowel", "LPC", "coefficient 12", "voice")


def assert_pages_speak_of(at, words: tuple[str, ...]):
    """Visit every page of ``at``'s session; each runs without an exception or error, none says a word of
    Japanese Vowels, and together they say each of ``words``."""
    said = []
    for page in navigation.PAGES:
        at.switch_page(page.file).run()
        assert not at.exception, (page.url_path, [e.value for e in at.exception])
        assert not at.error, (page.url_path, [e.value for e in at.error])
        text = screen_text(at)
        found = [w for w in JAPANESE_VOWELS_WORDS if w in text]
        assert not found, (page.url_path, found)
        said.append(text)
    missing = [w for w in words if w not in "\n".join(said)]
    assert not missing, missing


def test_every_page_runs_on_basicmotions_in_its_own_words():
    at = open_app({"data": "BasicMotions"})
    assert at.sidebar.radio(key="data").value == "basicmotions" and not at.warning
    assert at.sidebar.number_input(key="obs").max == 40 and at.sidebar.slider(key="obs_slider").max == 40
    assert at.query_params["data"] == "BasicMotions"
    shown = {}
    for page in navigation.PAGES:
        shown.update(visit_pages(at, [page.file]))
        assert_sound_charts(at)
    # every recording has 100 steps: the Dataset page says so instead of drawing their lengths
    assert {p.url_path: len(shown[p.file]) for p in navigation.PAGES} == dict(CHARTS_PER_PAGE, dataset=2)
    assert_pages_speak_of(at, ("activity", "standing", "badminton", "gyroscope z"))


def test_every_page_runs_on_an_uploaded_data_set_of_3_channels_and_2_classes(fresh_cache):
    at = upload_small_dataset(open_app())
    key = at.session_state["data"]
    assert key.startswith("upload-") and at.session_state["net"].startswith("lab-")
    assert_pages_speak_of(at, ("rising", "falling", "middle"))
