"""The "Why did it decide?" page through AppTest: values against core, choices that change them."""

import numpy as np
from app_helpers import open_app, open_link, table_with

import core
from core.analyses.attribution import evidence_sentence, integrated_gradients

WHY = "pages/why.py"
MAP_COLUMNS = ("step", "feature", "contribution", "feature value")


def shown_attribution(at) -> np.ndarray:
    """The attribution map's values as (12, T)."""
    table = table_with(at, *MAP_COLUMNS)
    pivot = table.pivot(index="feature", columns="step", values="contribution")
    return pivot.loc[[f"Feature {i}" for i in range(1, 13)]].to_numpy()


def evidence(attr, dataset) -> str:
    """The page's evidence sentence: in the data set's words, its channels named as in the files."""
    info = dataset.info
    return evidence_sentence(
        attr, class_word=info.class_word, class_names=info.class_names, channel_names=info.channel_names
    )


def markdown_text(at) -> str:
    return "\n".join(m.value for m in at.markdown)


def test_why_page_runs_and_draws_the_map_beside_the_features():
    at = open_app(page=WHY)
    assert [t.value for t in at.title] == ["Why did it decide?"]
    assert len(at.get("vega_lite_chart")) == 2
    table_with(at, "step", "feature", "value")  # the features chart
    assert "attribution" in markdown_text(at).casefold()
    assert any("What do these words mean?" == e.label for e in at.expander)


def test_the_map_shows_integrated_gradients_of_the_predicted_speaker(model, dataset):
    at = open_app(page=WHY)
    x = dataset.test.sequences[0]
    expected = integrated_gradients(model, x, baseline="zero")  # target: the predicted speaker
    assert at.selectbox(key="why_target").value == expected.target
    np.testing.assert_allclose(shown_attribution(at), expected.values, atol=1e-6)
    assert f"#### :material/lightbulb: {evidence(expected, dataset)}" in [m.value for m in at.markdown]
    check = markdown_text(at)
    assert f"add up to **{expected.values.sum():.2f}**" in check
    assert f"the difference is **{expected.score_input - expected.score_baseline:.2f}**" in check


def test_the_baseline_chooser_changes_the_map(model, dataset):
    at = open_app(page=WHY)
    before = shown_attribution(at)
    at.radio(key="why_baseline").set_value("mean").run()
    expected = integrated_gradients(model, dataset.test.sequences[0], baseline="mean")
    after = shown_attribution(at)
    np.testing.assert_allclose(after, expected.values, atol=1e-6)
    assert not np.allclose(after, before)
    assert f"#### :material/lightbulb: {evidence(expected, dataset)}" in [m.value for m in at.markdown]
    assert "an average recording" in markdown_text(at)


def test_the_target_chooser_changes_the_map(model, dataset):
    at = open_app(page=WHY)
    before = shown_attribution(at)
    at.selectbox(key="why_target").set_value(4).run()
    expected = integrated_gradients(model, dataset.test.sequences[0], target=4, baseline="zero")
    after = shown_attribution(at)
    np.testing.assert_allclose(after, expected.values, atol=1e-6)
    assert not np.allclose(after, before)
    assert f"#### :material/lightbulb: {evidence(expected, dataset)}" in [m.value for m in at.markdown]


def test_another_recording_starts_on_its_own_predicted_speaker(model, dataset):
    """A misclassified test recording: the target follows the network's answer, not the true speaker."""
    batch = core.split_traces(model, "test")
    wrong = int(np.flatnonzero(batch.final_predictions != dataset.test.labels)[0])
    predicted = int(batch.final_predictions[wrong])
    at = open_app(page=WHY)
    at.selectbox(key="why_target").set_value(7).run()
    at.sidebar.number_input(key="obs").set_value(wrong + 1).run()
    assert at.selectbox(key="why_target").value == predicted != dataset.test.labels[wrong]
    expected = integrated_gradients(model, dataset.test.sequences[wrong], baseline="zero")
    np.testing.assert_allclose(shown_attribution(at), expected.values, atol=1e-6)
    assert any("wrong" in i.value for i in at.info)


def test_the_choices_hold_across_pages():
    at = open_app(page=WHY)
    at.radio(key="why_baseline").set_value("mean").run()
    at.switch_page("pages/home.py").run()
    at.switch_page(WHY).run()
    assert at.radio(key="why_baseline").value == "mean"


def test_a_link_target_applies_to_the_linked_recording_only(model, dataset):
    """Opened on /why?why_target=speaker+3, the page shows speaker 3's map; another recording starts on its own
    answer."""
    at = open_link(WHY, {"obs": "1", "why_target": "speaker 3", "why_baseline": "An average recording"})
    assert at.selectbox(key="why_target").value == 3 and not at.warning
    expected = integrated_gradients(model, dataset.test.sequences[0], target=3, baseline="mean")
    np.testing.assert_allclose(shown_attribution(at), expected.values, atol=1e-6)
    batch = core.split_traces(model, "test")
    at.sidebar.number_input(key="obs").set_value(50).run()
    assert at.selectbox(key="why_target").value == int(batch.final_predictions[49])
    assert at.radio(key="why_baseline").value == "mean", "the baseline holds"
