"""The Class trajectory page through AppTest: the nine probabilities after every step, against core."""

import numpy as np
from app_helpers import marker_step, open_app, open_link, table_with

import core

PAGE = "pages/trajectory.py"


def test_the_chosen_observation_drives_the_trajectory(model, dataset):
    data = dataset
    at = open_app({"obs": "5"}, PAGE)
    trace = core.run_sequence(model, data.test.sequences[4])
    probs = table_with(at, "step", "speaker", "probability", "true speaker")
    np.testing.assert_allclose(probs["probability"].to_numpy().reshape(trace.probs.shape), trace.probs, atol=1e-6)
    assert at.query_params["obs"] == "5"


def test_a_link_opens_its_step(model, dataset):
    at = open_link(PAGE, {"obs": "5", "traj_step": "6"})
    assert marker_step(at) == 6 and not at.warning
    bars = table_with(at, "speaker", "probability", "true speaker")
    np.testing.assert_allclose(
        bars["probability"], core.run_sequence(model, dataset.test.sequences[4]).probs[5], atol=1e-6
    )


def test_the_step_holds_on_a_recording_of_another_length(dataset):
    lengths = [s.shape[1] for s in dataset.test.sequences]
    shorter = next(k for k in range(1, len(lengths)) if lengths[k] < lengths[0]) + 1  # 1-based
    at = open_app(page=PAGE)
    at.slider(key="traj_step").set_value(lengths[0]).run()  # the last step of recording 1
    at.sidebar.number_input(key="obs").set_value(shorter).run()
    assert marker_step(at) == lengths[shorter - 1], "moved to the last step of the shorter recording"
    at.sidebar.number_input(key="obs").set_value(1).run()
    assert marker_step(at) == lengths[shorter - 1]


def test_trajectory_step_slider(model, dataset):
    at = open_app(page=PAGE)
    at.slider(key="traj_step").set_value(3).run()
    assert marker_step(at) == 3
    bars = table_with(at, "speaker", "probability", "true speaker")
    expected = core.run_sequence(model, dataset.test.sequences[0]).probs[2]
    np.testing.assert_allclose(bars["probability"].to_numpy(), expected, atol=1e-6)


def test_the_boxes_fit_five_columns_and_say_when_the_answer_settles(model, dataset):
    at = open_app(page="pages/trajectory.py")
    labels = [m.label for m in at.metric]
    assert labels == ["True speaker", "Final answer", "Confidence", "Settled from step", "90% sure from step"]
    assert all(len(label) <= 18 for label in labels)  # five columns at 1280 px: nothing is cut
    facts = core.presentation.summary.summary_facts(core.run_sequence(model, dataset.test.sequences[0]), 1)
    assert at.metric[3].value == f"{facts.settling_step} of {len(dataset.test.sequences[0].T)}"
