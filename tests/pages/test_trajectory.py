"""The Class trajectory page through AppTest: the nine probabilities after every step, against core."""

import numpy as np
from app_helpers import marker_step, open_app, table_with

import core

PAGE = "pages/trajectory.py"


def test_the_chosen_observation_drives_the_trajectory(model, dataset):
    data = dataset
    at = open_app({"obs": "5"}, PAGE)
    trace = core.run_sequence(model, data.test.sequences[4])
    probs = table_with(at, "step", "speaker", "probability", "true speaker")
    np.testing.assert_allclose(probs["probability"].to_numpy().reshape(trace.probs.shape), trace.probs, atol=1e-6)
    assert at.query_params["obs"] == "5"


def test_trajectory_step_slider(model, dataset):
    at = open_app(page=PAGE)
    at.slider(key="traj_step").set_value(3).run()
    assert marker_step(at) == 3
    bars = table_with(at, "speaker", "probability", "true speaker")
    expected = core.run_sequence(model, dataset.test.sequences[0]).probs[2]
    np.testing.assert_allclose(bars["probability"].to_numpy(), expected, atol=1e-6)
