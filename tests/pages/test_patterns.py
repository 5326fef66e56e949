"""Pattern search page through AppTest: the selected pattern, the matches and the way to a match."""

import numpy as np
import pytest
from app_helpers import chart_tables, open_app, open_link, table_with
from numpy.testing import assert_array_equal

import core
from core.analyses import patterns

PAGE = "pages/patterns.py"


@pytest.fixture(scope="module")
def reference(model, dataset):
    return model, dataset, core.split_traces(model, "test"), core.split_traces(model, "train")


def highlighted_units(at) -> list[int]:
    """The pattern rows outlined on the main heatmap (a one-column ``unit`` table)."""
    return table_with(at, "unit")["unit"].tolist()


def match_rows(matches, labels):
    """The page's table of matches: observation, its class's name ("speaker 3"), steps, units on."""
    return [
        [m.seq_index + 1, f"speaker {labels[m.seq_index]}", f"{m.start + 1}–{m.end + 1}", m.overlap, m.extra]
        for m in matches
    ]


def test_page_draws_heatmap_speakers_and_six_matches(reference):
    at = open_app(page=PAGE)
    assert len(at.get("vega_lite_chart")) == 5  # heatmap, speaker summary, 3 match heatmaps
    assert at.title[0].value == "Pattern search"
    assert any("Where else does that happen?" in m.value for m in at.markdown)
    assert at.expander[0].label == "What do these words mean?"
    assert at.slider(key="pat_steps").value == (3, 7) and at.slider(key="pat_level").value == pytest.approx(0.3)
    assert at.slider(key="pat_units").value == (1, 100) and at.radio(key="pat_where").value == "test"


def test_highlighted_units_and_matches_follow_core(reference):
    model, data, test, _ = reference
    at = open_app(page=PAGE)
    hidden = test[0].hidden  # (19, 100)
    selected = patterns.select_units(hidden, 2, 6, 0.3)
    assert highlighted_units(at) == list(selected + 1)
    assert table_with(at, "start", "end").to_dict("records") == [{"start": 3, "end": 7}]
    matches = patterns.find_matches(test, selected, 0.3, length=5, exclude=(0, 2, 6), max_results=20)
    assert at.dataframe[0].value.values.tolist() == match_rows(matches, data.test.labels)
    counts = table_with(at, "speaker", "count", "chosen")
    assert_array_equal(counts["count"], patterns.class_summary(matches, data.test.labels))
    assert counts.loc[counts["chosen"] == "yes", "speaker"].tolist() == [1]  # the chosen recording's speaker
    # the first match's small heatmap: the pattern's units over the whole matched recording, window outlined
    first = matches[0]
    thumb = chart_tables(at)[2]
    heat = next(t for t in thumb if set(t.columns) == {"unit", "step", "value"})
    expected = test[first.seq_index].hidden[:, selected]  # (T, k)
    np.testing.assert_allclose(heat.pivot(index="step", columns="unit", values="value").to_numpy(), expected, atol=1e-6)
    assert next(t for t in thumb if set(t.columns) == {"start", "end"}).values.tolist() == [
        [first.start + 1, first.end + 1]
    ]


def test_sliders_change_the_pattern_and_the_search(reference):
    model, data, _, train = reference
    at = open_app(page=PAGE)
    at.slider(key="pat_steps").set_range(2, 5)
    at.slider(key="pat_level").set_value(0.2)
    at.radio(key="pat_where").set_value("train").run()
    hidden = core.run_sequence(model, data.test.sequences[0]).hidden
    selected = patterns.select_units(hidden, 1, 4, 0.2)
    assert highlighted_units(at) == list(selected + 1)
    matches = patterns.find_matches(train, selected, 0.2, length=4, max_results=20)  # another split: no exclusion
    assert at.dataframe[0].value.values.tolist() == match_rows(matches, data.train.labels)


def test_a_link_opens_its_pattern_and_search(reference):
    model, data, _, train = reference
    at = open_link(
        PAGE, {"pat_steps": ["2", "5"], "pat_level": "0.2", "pat_units": ["10", "60"], "pat_where": "the training set"}
    )
    assert not at.warning
    selected = patterns.select_units(core.run_sequence(model, data.test.sequences[0]).hidden, 1, 4, 0.2)
    assert highlighted_units(at) == [u + 1 for u in selected if 10 <= u + 1 <= 60]
    matches = patterns.find_matches(train, selected, 0.2, length=4, max_results=20)
    assert at.dataframe[0].value.values.tolist() == match_rows(matches, data.train.labels)


def test_unit_range_limits_the_rows_not_the_pattern(reference):
    at = open_app(page=PAGE)
    at.slider(key="pat_units").set_range(20, 60).run()
    heat = table_with(at, "unit", "step", "value")
    assert sorted(heat["unit"].unique()) == list(range(20, 61))
    selected = patterns.select_units(reference[2][0].hidden, 2, 6, 0.3) + 1
    assert highlighted_units(at) == [u for u in selected if 20 <= u <= 60]
    assert any("outside the rows shown" in m.value for m in at.markdown)


def test_no_pattern_gives_a_plain_warning():
    at = open_app(page=PAGE)
    at.slider(key="pat_level").set_value(0.9).run()
    assert len(at.get("vega_lite_chart")) == 1
    assert "no pattern to look for" in at.warning[0].value


def test_open_a_match_goes_to_activations_with_that_observation(reference):
    at = open_app(page=PAGE)
    key = next(b.key for b in at.button if b.key.startswith("pat_open_test_"))
    number = int(key.split("_")[3])
    at.button(key=key).click().run()
    assert not at.exception
    assert at.title[0].value == "Activations"
    assert at.session_state["split"] == "test" and at.sidebar.number_input(key="obs").value == number
    assert at.query_params["obs"] == str(number)
    assert table_with(at, "unit", "step", "value")["step"].max() == reference[2].lengths[number - 1]
