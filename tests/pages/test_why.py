"""The "Why did it decide?" page through AppTest: values against core, choices that change them, the starting
point's answer, the checks under the map, one channel, a long recording, a radio that always shows a choice."""

import io
import json
import zipfile

import numpy as np
import pytest
from app_helpers import chart_tables, open_app, open_link, table_with

import core
from core.analyses.attribution_checks import explain
from core.compute import upload
from core.presentation import attribution as words

WHY = "pages/why.py"
MAP_COLUMNS = ("step", "last step", "channel", "contribution", "channel value", "from", "to")


def shown_attribution(at, channels: int = 12) -> np.ndarray:
    """The attribution map's values as (channels, T), channels in the chart's order."""
    table = table_with(at, *MAP_COLUMNS)
    pivot = table.pivot(index="channel", columns="step", values="contribution")
    return pivot.loc[table["channel"].unique()[:channels]].to_numpy()


def evidence(attr, dataset) -> str:
    """The evidence sentence: in the data set's words, its channels named as in the files."""
    info = dataset.info
    return words.evidence_sentence(
        attr, class_word=info.class_word, class_names=info.class_names, channel_names=info.channel_names
    )


def headline_shown(at, found, dataset) -> str:
    """The headline the page shows about the evidence, asserted to be the one its checks allow; its level."""
    level, text = words.evidence_headline(found, info=dataset.info)
    if level == "supported":
        assert f"#### :material/lightbulb: {text}" in [m.value for m in at.markdown]
    elif level == "unsupported":
        assert [i.value for i in at.info if i.value == text] and not any("lightbulb" in m.value for m in at.markdown)
    return level


def markdown_text(at) -> str:
    return "\n".join(m.value for m in at.markdown)


def test_why_page_runs_and_draws_the_map_beside_the_features_and_the_shuffled_map():
    at = open_app(page=WHY)
    assert [t.value for t in at.title] == ["Why did it decide?"]
    assert len(at.get("vega_lite_chart")) == 3
    table_with(at, "step", "channel", "value")  # the features chart
    text = markdown_text(at).casefold()
    for word in ("attribution", "integrated gradients", "starting point", "baseline", "score", "softmax"):
        assert word in text, word
    assert any("What do these words mean?" == e.label for e in at.expander)


def test_the_map_starts_from_the_other_speakers_average_and_explains_the_predicted_one(model, dataset):
    at = open_app(page=WHY)
    x = dataset.test.sequences[0]
    target = int(core.run_sequence(model, x).predictions[-1])
    found = explain(model, x, target, "others", dataset.train)
    attr = found.attribution
    assert at.selectbox(key="why_target").value == target
    assert at.radio(key="why_baseline").value == "others" and at.radio(key="why_baseline").index == 0
    np.testing.assert_allclose(shown_attribution(at), attr.values, atol=1e-6)
    shown = [m.value for m in at.markdown]
    assert words.starting_point_sentence(found.start, attr, info=dataset.info) in shown
    # With the other speakers' average, taking the map's strongest cells away hardly moves the probability (it
    # is near 100 %): the check cannot tell, so the page names no evidence and says why.
    assert found.deletion.verdict == "cannot tell" and headline_shown(at, found, dataset) == "unsupported"
    assert (
        ":material/fact_check: "
        + words.deletion_sentence(found.deletion, attr.values.size, target=target, info=dataset.info)
        in shown
    )
    assert ":material/calculate: " + words.completeness_sentence(attr, info=dataset.info) in shown
    assert words.randomisation_sentence(found.randomisation) in shown
    assert f"add up to **{attr.values.sum():.2f}**" in markdown_text(at)


def test_the_shuffled_networks_map_is_drawn_in_keep_in_mind(model, dataset):
    at = open_app(page=WHY)
    x = dataset.test.sequences[0]
    found = explain(model, x, int(core.run_sequence(model, x).predictions[-1]), "others", dataset.train)
    maps = [t for tables in chart_tables(at) for t in tables if set(MAP_COLUMNS) - {"channel value"} == set(t.columns)]
    (shuffled,) = maps
    pivot = shuffled.pivot(index="channel", columns="step", values="contribution")
    np.testing.assert_allclose(pivot.loc[shuffled["channel"].unique()].to_numpy(), found.randomisation.values)


@pytest.mark.parametrize("kind, words_shown", [("mean", "an average recording"), ("zero", "a recording of zeros")])
def test_the_baseline_chooser_changes_the_map(model, dataset, kind, words_shown):
    at = open_app(page=WHY)
    before = shown_attribution(at)
    at.radio(key="why_baseline").set_value(kind).run()
    x = dataset.test.sequences[0]
    expected = core.analyses.attribution.integrated_gradients(model, x, baseline=kind)
    after = shown_attribution(at)
    np.testing.assert_allclose(after, expected.values, atol=1e-6)
    assert not np.allclose(after, before)
    found = explain(model, x, int(core.run_sequence(model, x).predictions[-1]), kind, dataset.train)
    np.testing.assert_allclose(found.attribution.values, expected.values, atol=1e-6)
    # From all zeros, the strongest cells matter (the check points); from an average recording it cannot tell.
    assert headline_shown(at, found, dataset) == {"zero": "supported", "mean": "unsupported"}[kind]
    if kind == "zero":
        assert words.evidence_headline(found, info=dataset.info)[1] == evidence(expected, dataset)
    assert words_shown in markdown_text(at)


def test_the_target_chooser_changes_the_map(model, dataset):
    at = open_app(page=WHY)
    before = shown_attribution(at)
    at.selectbox(key="why_target").set_value(4).run()
    found = explain(model, dataset.test.sequences[0], 4, "others", dataset.train)
    after = shown_attribution(at)
    np.testing.assert_allclose(after, found.attribution.values, atol=1e-6)
    assert not np.allclose(after, before)
    assert "is not the network's answer" in " ".join(c.value for c in at.caption)


def test_a_starting_point_that_already_gets_the_answer_shows_a_warning_and_no_evidence(bm_model, bm_dataset):
    """BasicMotions test recording 7 from all zeros: the starting point already gets standing (4.82 against
    4.83), every share is near zero: no "strongest evidence" sentence."""
    at = open_link(WHY, {"data": "BasicMotions", "obs": "7", "why_baseline": "All zeros"})
    x = bm_dataset.test.sequences[6]
    found = explain(bm_model, x, 1, "zero")
    assert found.little_to_explain
    assert [w.value for w in at.warning] == [words.little_to_explain_sentence(found.attribution, info=bm_dataset.info)]
    assert "already gets standing" in at.warning[0].value
    assert not any(m.value.startswith("#### :material/lightbulb:") for m in at.markdown)
    assert "strongest evidence" not in markdown_text(at)
    at.radio(key="why_baseline").set_value("others").run()  # the other activities' average: walking, 98.9 %
    assert not at.warning
    assert "The strongest evidence for standing is" in markdown_text(at)
    assert "The network's answer for the starting point is walking" in markdown_text(at)


def test_another_recording_starts_on_its_own_predicted_speaker(model, dataset):
    """A misclassified test recording: the target follows the network's answer, not the true speaker."""
    batch = core.split_traces(model, "test")
    wrong = int(np.flatnonzero(batch.final_predictions != dataset.test.labels)[0])
    predicted = int(batch.final_predictions[wrong])
    at = open_app(page=WHY)
    at.selectbox(key="why_target").set_value(7).run()
    at.sidebar.number_input(key="obs").set_value(wrong + 1).run()
    assert at.selectbox(key="why_target").value == predicted != dataset.test.labels[wrong]
    found = explain(model, dataset.test.sequences[wrong], predicted, "others", dataset.train)
    np.testing.assert_allclose(shown_attribution(at), found.attribution.values, atol=1e-6)
    assert any("wrong" in i.value for i in at.info)


def test_the_choices_hold_across_pages():
    at = open_app(page=WHY)
    at.radio(key="why_baseline").set_value("mean").run()
    at.switch_page("pages/home.py").run()
    at.switch_page(WHY).run()
    assert at.radio(key="why_baseline").value == "mean"


def assert_a_choice_is_shown(at, value: str) -> None:
    radio = at.radio(key="why_baseline")
    assert radio.value == value and radio.index == ["others", "zero", "mean"].index(value)
    assert radio.proto.HasField("default")  # the browser shows this choice when it holds none of its own


def test_the_compared_with_radio_always_shows_a_choice():
    """After a bad link value, a new recording and another data set, one choice is always selected."""
    at = open_link(WHY, {"why_baseline": "blank"})
    assert_a_choice_is_shown(at, "others")
    assert any(
        "“why_baseline”" in w.value and "is not one of The other classes' average, All zeros" in w.value
        for w in at.warning
    )
    at.radio(key="why_baseline").set_value("mean").run()
    at.sidebar.number_input(key="obs").set_value(5).run()
    assert_a_choice_is_shown(at, "mean")
    at.sidebar.radio(key="data").set_value("basicmotions").run()
    assert not at.exception
    assert_a_choice_is_shown(at, "mean")
    labels = at.radio(key="why_baseline").options
    assert labels == ["The other classes' average", "All zeros", "An average recording"]


def test_a_link_target_applies_to_the_linked_recording_only(model, dataset):
    """Opened on /why?why_target=speaker+3, the page shows speaker 3's map; another recording starts on its own
    answer."""
    at = open_link(WHY, {"obs": "1", "why_target": "speaker 3"})
    assert at.selectbox(key="why_target").value == 3
    batch = core.split_traces(model, "test")
    at.sidebar.number_input(key="obs").set_value(50).run()
    assert at.selectbox(key="why_target").value == int(batch.final_predictions[49])


def test_a_long_recording_is_drawn_in_columns_of_several_steps(model, dataset):
    """An upload of 500 steps: the map adds up pairs of steps into 250 columns, and says so."""
    x = np.concatenate(dataset.test.sequences[:40], axis=1)[:, :500]  # (12, 500)
    at = open_app(page="pages/upload.py")
    at.file_uploader(key="up_file").set_value(("long.csv", upload.template_csv(x).encode(), "text/csv")).run()
    at.button(key="up_explore").click().run()
    at.switch_page(WHY).run()
    assert not at.exception, [e.value for e in at.exception]
    table = table_with(at, *MAP_COLUMNS)
    assert table["step"].nunique() == 250 and set(table["last step"] - table["step"]) == {1}
    captions = " ".join(c.value for c in at.caption)
    assert "Each column of the map adds up the shares of 2 neighbouring steps, so that all 500 steps fit." in captions
    target = at.selectbox(key="why_target").value
    found = explain(model, upload.parse_sequence_csv(upload.template_csv(x).encode()), target, "others", dataset.train)
    shown = [m.value for m in at.markdown]
    assert ":material/calculate: " + words.completeness_sentence(found.attribution, info=dataset.info) in shown
    np.testing.assert_allclose(table["contribution"].sum(), found.attribution.values.sum(), rtol=1e-9)


def one_channel_zip() -> bytes:
    """A data set of one channel, 2 classes (rising, falling), 12 training and 4 test recordings each, 30 steps."""
    rng = np.random.default_rng(5)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for split, count in (("train", 12), ("test", 4)):
            for sign, name in ((1.0, "rising"), (-1.0, "falling")):
                for k in range(count):
                    values = sign * np.linspace(0.0, 1.0, 30) + 0.1 * rng.standard_normal(30)
                    rows = ["level"] + [f"{v:.4f}" for v in values]
                    archive.writestr(f"{split}/{name}/{name}_{k:02d}.csv", "\n".join(rows) + "\n")
    return buffer.getvalue()


def test_one_channel_is_drawn_as_bars_under_the_recording(fresh_cache):
    at = open_app()
    at.switch_page("pages/upload_data.py").run()
    (uploader,) = at.file_uploader  # its key changes with every upload
    uploader.set_value([("one.zip", one_channel_zip(), "application/zip")]).run()
    at.switch_page("pages/lab.py").run()
    at.slider(key="lab_hidden").set_value(10)
    at.select_slider(key="lab_epochs").set_value(10)
    at.button(key="lab_submit").click().run()
    at.switch_page(WHY).run()
    assert not at.exception, [e.value for e in at.exception]
    charts = at.get("vega_lite_chart")
    assert len(charts) == 2  # the recording with its shares below, and the shuffled network's
    spec = json.loads(charts[0].proto.spec)
    line, bars = spec["vconcat"]
    assert bars["encoding"]["y"]["field"] == "contribution" and bars["height"] >= 200
    assert "On top the recording, below each time step's share" in " ".join(c.value for c in at.caption)
    # two classes: the one other class is all the others, even when the network takes its average for the target
    explained = at.selectbox(key="why_target")
    other = ({"rising", "falling"} - {explained.format_func(explained.value)}).pop()
    assert f"the average of the 12 training recordings of {other}, step by step" in markdown_text(at)
    assert "is not used" not in markdown_text(at)
