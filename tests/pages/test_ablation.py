"""The "Silence units" page through AppTest: accuracy, changed answers and trajectories against
core.analyses.ablation."""

import numpy as np
import pytest
from app_helpers import STACKED, chart_tables, choose_stacked_variant, marker_step, open_app, table_with

import core
from core.analyses import ablation, units
from core.analyses.lab import train_variant
from core.presentation import describe

N_CHARTS = 3  # per-speaker right answers, trajectory as trained, trajectory with units silenced


@pytest.fixture(scope="module")
def reference():
    model, data = core.load_model(), core.load_dataset()
    batch = core.split_traces(model, "test")
    classes = units.class_units(units.selectivity(batch, data.test.labels))
    return dict(model=model, data=data, plain=batch.final_predictions, classes=classes)


def units_for(ref, speaker: int, k: int) -> list[int]:
    """Up to ``k`` units (1-based, sorted) that single out ``speaker``, the strongest first (the one meaning)."""
    return sorted(int(u) + 1 for u in ref["classes"].for_class(speaker)[:k])


def metric(at, label):
    return next(m for m in at.metric if m.label == label)


def probs_tables(at):
    """The trajectories as trained and with the units silenced, in that order."""
    found = [
        tables[0]
        for tables in chart_tables(at)
        if set(tables[0].columns) == {"step", "speaker", "probability", "true speaker"}
    ]
    assert len(found) == 2
    return found


def check_against_core(at, ref, chosen, from_step, obs=1):
    model, data = ref["model"], ref["data"]
    silenced = [u - 1 for u in chosen]
    after = core.run_batch(
        model, data.test.sequences, silenced=silenced or None, silence_from=from_step - 1
    ).final_predictions
    expected = core.accuracy(after, data.test.labels, 9)
    shown = metric(at, "Test accuracy with these units silenced")
    assert shown.value == f"{100 * expected:.1f}%"
    if chosen:  # the change is the difference of the two accuracies as shown ("As trained: 98.4%" in its help)
        before = float(shown.proto.help.removeprefix("As trained: ").split("%")[0])
        points = round(float(shown.value.rstrip("%")) - before, 1)
        assert shown.delta == ("0.0 points" if points == 0 else f"{'+' if points > 0 else '−'}{abs(points):.1f} points")
        assert shown.proto.direction == (2 if points == 0 else 1 if points > 0 else 0)  # NONE, UP, DOWN
    else:
        assert not shown.delta
    assert metric(at, "Recordings that change their answer").value == f"{int(np.sum(after != ref['plain']))} of 370"
    labels = data.test.labels
    lost = int(np.sum(ref["plain"] == labels)) - int(np.sum(after == labels))
    words = f"{lost} fewer right" if lost > 0 else f"{-lost} more right" if lost < 0 else "as many right"
    assert metric(at, "Right answers").value == words
    if chosen:
        broken = int(np.sum((ref["plain"] == labels) & (after != labels)))
        mended = int(np.sum((ref["plain"] != labels) & (after == labels)))
        accuracy = (core.accuracy(ref["plain"], labels, 9), expected)
        summary = describe.silencing_summary(len(chosen), from_step, broken, mended, accuracy)
        assert summary in [m.value for m in at.markdown]
    shares = table_with(at, "speaker", "network", "right", "recordings", "share")
    right_after = shares[shares["network"] == "with units silenced"]["right"].to_numpy()
    np.testing.assert_array_equal(right_after, np.diag(core.confusion_matrix(after, labels, 9)))
    before, after_trace = ablation.compare_trajectories(
        model, data.test.sequences[obs - 1], silenced or None, from_step - 1
    )
    plain_table, silenced_table = probs_tables(at)
    np.testing.assert_allclose(
        plain_table["probability"].to_numpy().reshape(before.probs.shape), before.probs, atol=1e-6
    )
    np.testing.assert_allclose(
        silenced_table["probability"].to_numpy().reshape(after_trace.probs.shape), after_trace.probs, atol=1e-6
    )
    assert marker_step(at) == from_step


def test_page_opens_with_the_observation_speakers_most_selective_units(reference):
    at = open_app(page="pages/ablation.py")
    assert len(at.get("vega_lite_chart")) == N_CHARTS
    assert at.title[0].value == "Silence units"
    speaker = int(reference["data"].test.labels[0])
    expected = units_for(reference, speaker, 20)
    assert at.multiselect(key="abl_units").value == expected
    assert at.selectbox(key="abl_speaker").value == speaker
    check_against_core(at, reference, expected, 1)


def test_choosing_units_and_the_step_changes_every_number(reference):
    at = open_app(page="pages/ablation.py")
    at.multiselect(key="abl_units").set_value([3, 17, 42, 64])
    at.slider(key="abl_from").set_value(4).run()
    assert not at.exception
    check_against_core(at, reference, [3, 17, 42, 64], 4)


def test_no_units_means_the_trained_network(reference):
    at = open_app(page="pages/ablation.py")
    at.multiselect(key="abl_units").set_value([]).run()
    check_against_core(at, reference, [], 1)
    assert metric(at, "Right answers").value == "as many right"
    assert any("No units are silenced" in i.value for i in at.info)


def test_the_quick_choice_fills_the_list(reference):
    at = open_app(page="pages/ablation.py")
    at.selectbox(key="abl_speaker").set_value(5)
    at.slider(key="abl_k").set_value(20).run()
    at.button(key="abl_fill").click().run()
    expected = units_for(reference, 5, 20)
    assert 0 < len(expected) <= 20
    assert at.multiselect(key="abl_units").value == expected
    check_against_core(at, reference, expected, 1)


def test_the_quick_choice_follows_the_chosen_observation(reference):
    at = open_app({"obs": "300"}, "pages/ablation.py")
    speaker = int(reference["data"].test.labels[299])
    assert at.selectbox(key="abl_speaker").value == speaker
    at.multiselect(key="abl_units").set_value([1, 2]).run()
    check_against_core(at, reference, [1, 2], 1, obs=300)
    other = next(k for k in range(1, 10) if k != speaker)
    at.selectbox(key="abl_speaker").set_value(other).run()
    assert at.selectbox(key="abl_speaker").value == other, "the visitor's pick holds while the recording does"
    at.sidebar.number_input(key="obs").set_value(1).run()
    assert at.selectbox(key="abl_speaker").value == int(reference["data"].test.labels[0]), "another recording"


def test_the_choice_holds_across_pages(reference):
    at = open_app(page="pages/ablation.py")
    at.multiselect(key="abl_units").set_value([5, 6])
    at.slider(key="abl_from").set_value(2).run()
    at.switch_page("pages/units.py").run()
    at.switch_page("pages/ablation.py").run()
    assert at.multiselect(key="abl_units").value == [5, 6] and at.slider(key="abl_from").value == 2
    check_against_core(at, reference, [5, 6], 2)


def test_a_stacked_network_silences_units_of_the_chosen_layer(fresh_cache, reference):
    test = reference["data"].test
    stacked = train_variant(STACKED, cache=fresh_cache).model
    at = choose_stacked_variant(open_app(), "pages/ablation.py")
    for layer in (0, 1):
        at.sidebar.radio(key="layer").set_value(layer).run()
        at.multiselect(key="abl_units").set_value([2, 7]).run()
        assert not at.exception, [e.value for e in at.exception]
        after = core.run_batch(stacked, test.sequences, silenced=[1, 6], silenced_layer=layer).final_predictions
        shown = next(m for m in at.metric if m.label.startswith("Test accuracy")).value
        assert shown == f"{100 * core.accuracy(after, test.labels, 9):.1f}%"
        assert any(f"those of layer {layer + 1} (of 2 stacked layers)" in c.value for c in at.caption)
        expected = core.run_sequence(stacked, test.sequences[0], silenced=[1, 6], silenced_layer=layer).probs
        trajectories = [t for tables in chart_tables(at) for t in tables if "probability" in t.columns]
        assert any(
            t.shape[0] == expected.size and np.allclose(np.sort(t["probability"]), np.sort(expected.ravel()), atol=1e-6)
            for t in trajectories
        )
