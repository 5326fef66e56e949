"""“What if?” through AppTest: edits added, listed, removed and kept in the link; the edited answer against core;
links with good, bad and unfitting edits; the edited recording as the session's own; the sweep and the smallest
change that flips the answer against core."""

import numpy as np
import pytest
from app_helpers import chart_tables, open_app, open_link, screen_text
from numpy.testing import assert_allclose

import core
from core.analyses import flip, whatif
from core.presentation.edits import describe_edit
from ui import state

PAGE = "pages/whatif.py"
KEYS = [
    "whatif_change",
    "whatif_features_a",
    "whatif_features_b",
    "whatif_trajectory_a",
    "whatif_trajectory_b",
    "whatif_heatmap_a",
    "whatif_heatmap_b",
    "whatif_sweep",
    "whatif_parting",  # drawn when a change that flips the answer is found
]


def tables_by_key(at, difference: bool = False, edited: bool = True) -> dict:
    """Each chart's tables by its key, in the page's order; ``difference``: the edits keep the length, so the
    difference map is drawn after the two heatmaps; ``edited``: an edit is applied, so the change of the final
    probabilities is drawn."""
    keys = KEYS[1 - edited : 7] + ["whatif_difference"] * difference + KEYS[7:]
    elements = at.get("vega_lite_chart")
    assert len(elements) in (len(keys) - 1, len(keys))
    return dict(zip(keys, chart_tables(at), strict=False))


def table(tables, *columns):
    return next(t for t in tables if set(t.columns) == set(columns))


def add_edit(at, kind: str, **values) -> None:
    at.selectbox(key="whatif_kind").set_value(kind).run()
    for key, value in values.items():
        widget = next(w for w in [*at.number_input, *at.slider, *at.selectbox] if w.key == f"whatif_{key}")
        widget.set_value(value)
    at.button(key="whatif_add").click().run()
    assert not at.exception, [e.value for e in at.exception]


def test_page_opens_with_no_edits_and_every_chart(model, dataset):
    at = open_app(page=PAGE)
    assert at.title[0].value == "What if?"
    found = tables_by_key(at, edited=False)
    assert "whatif_change" not in found, "no edit, no change of the final probabilities to draw"
    assert "No edit is applied, so nothing has changed yet" in screen_text(at)
    probs = table(found["whatif_trajectory_a"], "step", "speaker", "probability", "true speaker")
    expected = core.run_sequence(model, dataset.test.sequences[0]).probs  # (19, 9)
    assert_allclose(probs["probability"].to_numpy().reshape(expected.shape), expected, atol=1e-6)
    assert len(at.get("vega_lite_chart")) == len(KEYS) - 1 and "whatif_edits" not in at.query_params


def test_edits_are_added_listed_removed_and_written_into_the_link(model, dataset):
    x = dataset.test.sequences[0]  # (12, 19)
    at = open_app(page=PAGE)
    add_edit(at, "cut_start", steps=3)
    add_edit(at, "noise", noise=0.5, seed=7)
    assert at.query_params["whatif_edits"] == "cut_start:3,noise:0.5:seed7"
    assert "1. Cut the first 3 steps" in screen_text(at) and "2. Add noise of strength 0.5 (seed 7)" in screen_text(at)
    edited = whatif.apply_edits(x, [whatif.cut_start(3), whatif.noise(0.5, 7)])
    found = tables_by_key(at)  # another length: no difference map
    probs = table(found["whatif_trajectory_b"], "step", "speaker", "probability", "true speaker")
    reference = core.run_sequence(model, edited).probs  # (16, 9)
    assert_allclose(probs["probability"].to_numpy().reshape(reference.shape), reference, atol=1e-6)
    change = table(found["whatif_change"], "class", "original", "edited", "change", "direction")
    assert_allclose(change["edited"], reference[-1], atol=1e-6)
    at.button(key="whatif_remove_0").click().run()
    assert at.query_params["whatif_edits"] == "noise:0.5:seed7"
    heat = tables_by_key(at, difference=True)["whatif_difference"]
    diff = table(heat, "unit", "step", "value").pivot(index="step", columns="unit", values="value").to_numpy()
    plain, noisy = core.run_sequence(model, x), core.run_sequence(model, whatif.apply_edits(x, [whatif.noise(0.5, 7)]))
    assert_allclose(diff, noisy.hidden[:, :20] - plain.hidden[:, :20], atol=1e-6)


def test_an_edit_that_does_not_fit_is_refused_with_the_reason():
    at = open_app(page=PAGE)
    add_edit(at, "keep", first=9, last=4)
    assert "That edit was not added" in screen_text(at) and "must not end before it starts" in screen_text(at)
    assert "whatif_edits" not in at.query_params


def test_a_link_reopens_its_edits(model, dataset):
    at = open_link(PAGE, {"obs": "2", "whatif_edits": "scale:2:0.5,speed:1.5"})
    assert at.query_params["whatif_edits"] == "scale:2:0.5,speed:1.5" and not at.warning
    edited = whatif.apply_edits(dataset.test.sequences[1], [whatif.scale(2, 0.5), whatif.speed(1.5)])
    found = tables_by_key(at)
    change = table(found["whatif_change"], "class", "original", "edited", "change", "direction")
    assert_allclose(change["edited"], core.run_sequence(model, edited).probs[-1], atol=1e-6)


@pytest.mark.parametrize("bad", ["cut:3", "noise:0.5", "keep:9-2"])
def test_a_bad_link_falls_back_to_no_edits_with_a_notice(bad):
    at = open_link(PAGE, {"whatif_edits": bad})
    assert any(
        "“whatif_edits”" in w.value
        and "cut_start:3,noise:0.5:seed7" in w.value
        and w.value.endswith("showing none instead.")
        for w in at.warning
    )
    assert "whatif_edits" not in at.query_params and len(at.get("vega_lite_chart")) == len(KEYS) - 1  # no edit


def test_edits_that_do_not_fit_this_recording_show_the_original_and_why():
    at = open_link(PAGE, {"whatif_edits": "cut_start:25"})  # test recording 1 has 19 steps
    assert any("cannot cut 25 steps from a recording of 19" in w.value for w in at.warning)
    assert "whatif_change" not in tables_by_key(at, difference=True, edited=False)  # nothing has changed
    assert at.button(key="whatif_remove_0")
    at.button(key="whatif_remove_0").click().run()
    assert not at.warning and "whatif_edits" not in at.query_params


def test_the_edited_recording_opens_as_my_own_sequence(dataset):
    at = open_app(page=PAGE)
    add_edit(at, "flat", channel=3)
    at.button(key="whatif_open").click().run()
    assert not at.exception
    assert at.session_state["split"] == "upload"
    expected = whatif.apply_edits(dataset.test.sequences[0], [whatif.flat(3)])
    assert_allclose(state.stores.own_sequence("japanese_vowels", at.session_state), expected)
    assert "whatif_edits" not in at.query_params and at.query_params["split"] == "My own sequence"


def test_the_sweep_is_core_s(model, dataset):
    at = open_app(page=PAGE)
    at.radio(key="whatif_sweep").set_value("cut_end").run()
    found = tables_by_key(at, edited=False)
    curve = table(found["whatif_sweep"], "strength", "probability", "answer")
    x = dataset.test.sequences[0]
    expected = whatif.sweep(model, x, "cut_end", whatif.sweep_strengths("cut_end", x.shape[1]))
    assert_allclose(curve["strength"], expected.strengths)
    assert_allclose(curve["probability"], expected.answer_probs, atol=1e-6)
    assert np.all(curve["answer"] == [f"speaker {k}" for k in expected.predictions])


def test_a_splice_from_the_training_set_in_a_link(model, dataset):
    at = open_link(PAGE, {"whatif_edits": "splice:train17:3-8"})
    splice = whatif.splice(17, 3, 8, from_training=True)
    assert not at.warning
    assert "1. " + describe_edit(splice, channel_names=dataset.info.channel_names) in screen_text(at)
    x = dataset.test.sequences[0]
    edited = whatif.apply_edits(x, [splice], training=dataset.train.sequences)
    assert_allclose(edited[:, 2:8], dataset.train.sequences[16][:, 2:8])
    change = table(
        tables_by_key(at, difference=True)["whatif_change"], "class", "original", "edited", "change", "direction"
    )
    assert_allclose(change["edited"], core.run_sequence(model, edited).probs[-1], atol=1e-6)


def test_the_smallest_change_that_flips_the_answer_is_cores_and_can_be_kept(model, dataset):
    at = open_app(page=PAGE)
    x = dataset.test.sequences[0]
    target = at.selectbox(key="whatif_flip_target").value
    predicted = int(core.run_sequence(model, x).probs[-1].argmax()) + 1
    assert target != predicted and predicted not in at.selectbox(key="whatif_flip_target").options
    expected = flip.smallest_flip(model, x, target, dataset.train)
    assert expected.found, "recording 1 has a change that flips its answer"
    assert "training recording " + str(expected.neighbour_number) in screen_text(at)
    at.button(key="whatif_flip_keep").click().run()
    assert not at.exception
    assert at.query_params["whatif_edits"] == whatif.edits_to_text([expected.edit])
    edited = whatif.apply_edits(x, [expected.edit], training=dataset.train.sequences)
    change = table(
        tables_by_key(at, difference=True)["whatif_change"], "class", "original", "edited", "change", "direction"
    )
    assert_allclose(change["edited"], core.run_sequence(model, edited).probs[-1], atol=1e-6)
    assert int(np.argmax(change["edited"].to_numpy())) + 1 == target, "the kept change flips the answer"


def test_the_answer_boxes_carry_no_arrow_on_what_did_not_change(model, dataset):
    at = open_app(page=PAGE)
    original, edited, probability = at.metric[:3]
    # "sure" is not a change, and an unchanged probability moved by 0 points: no arrow anywhere (NONE is 2)
    assert [m.proto.direction for m in (original, edited, probability)] == [2, 2, 2]
    assert probability.delta == "0 points"
    add_edit(at, "cut_start", steps=10)
    probability = at.metric[2]
    x = dataset.test.sequences[0]
    before = core.run_sequence(model, x).probs[-1]
    after = core.run_sequence(model, whatif.apply_edits(x, [whatif.cut_start(10)])).probs[-1]
    k = int(before.argmax())
    shown = [core.presentation.numbers.percent(p) for p in (before[k], after[k])]
    assert probability.value == shown[1] and f"from the original's {shown[0]}" in probability.proto.help
    points = int(shown[1].strip("%<>")) - int(shown[0].strip("%<>"))
    if "<" not in shown[1] + shown[0] and ">" not in shown[1] + shown[0]:
        assert probability.delta == f"{'+' if points > 0 else '−' if points < 0 else ''}{abs(points)} point" + "s" * (
            abs(points) != 1
        )
    assert probability.proto.direction == (1 if after[k] > before[k] else 0)


def test_the_changed_units_table_claims_only_that_they_changed_most():
    at = open_app(page=PAGE)
    text = screen_text(at)
    assert "the answer is read from these" not in text
    assert "changed most between the original and the edited recording" in text
