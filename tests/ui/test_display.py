"""ui.display: a chart whose data changes keeps the same spec, so the browser updates it in place."""

import json
import re
import threading

import altair as alt
import numpy as np
import pandas as pd
from pandas.testing import assert_frame_equal

from core.presentation import charts
from ui import display


class Recorder:
    """Stands in for a Streamlit container: keeps what ``vega_lite_chart`` was given."""

    def __init__(self):
        self.calls = []

    def vega_lite_chart(self, **kwargs):
        self.calls.append(kwargs)
        return kwargs


def drawn(chart, key="k", **kwargs) -> dict:
    return display.altair(chart, key=key, where=Recorder(), **kwargs)


VALUES = np.tanh(np.random.default_rng(0).standard_normal((19, 10)))  # (T, U)


def test_moving_the_step_changes_the_data_but_not_the_spec():
    third, fourth = (drawn(charts.heatmap_chart(VALUES, range(1, 11), step=s), key="act_heatmap") for s in (3, 4))
    spec_3, spec_4 = ({k: v for k, v in d["spec"].items() if k != "datasets"} for d in (third, fourth))
    assert spec_3 == spec_4
    assert list(third["spec"]["datasets"]) == list(fourth["spec"]["datasets"]) == ["act_heatmap-0", "act_heatmap-1"]
    assert_frame_equal(third["spec"]["datasets"]["act_heatmap-1"], pd.DataFrame({"step": [3]}))
    assert_frame_equal(fourth["spec"]["datasets"]["act_heatmap-1"], pd.DataFrame({"step": [4]}))
    assert third["key"] == "act_heatmap"


def test_moving_the_step_leaves_the_bars_spec_unchanged_even_for_the_fitted_cell_scale():
    cell = VALUES * 3  # the cell state: its scale is fitted to the values
    scale = charts.scale_for("cell", cell)
    drawn_at = [
        drawn(charts.values_at_step_chart(cell[s], range(1, 11), quantity="cell", scale=scale), key="act_values")
        for s in (0, 7)
    ]
    specs = [{k: v for k, v in d["spec"].items() if k != "datasets"} for d in drawn_at]
    assert specs[0] == specs[1]
    assert specs[0]["encoding"]["y"]["scale"]["domain"] == scale.domain  # the axis holds still across steps
    assert specs[0]["title"] == "Values at the chosen time step"
    np.testing.assert_allclose(drawn_at[1]["spec"]["datasets"]["act_values-0"]["value"], cell[7])


def test_the_trajectory_bars_keep_their_spec_under_the_step_slider():
    probs = np.full((4, 9), 1 / 9)
    probs[3] = np.eye(9)[2]
    specs = [drawn(charts.probs_at_step_chart(probs[s], None, true_label=3), key="traj_bars")["spec"] for s in (0, 3)]
    first, last = ({k: v for k, v in spec.items() if k != "datasets"} for spec in specs)
    assert first == last
    assert specs[0]["title"] == "Probabilities after the chosen time step"
    np.testing.assert_allclose(specs[1]["datasets"]["traj_bars-0"]["probability"], probs[3])
    titled = drawn(charts.probs_at_step_chart(probs[3], 4), key="up_probs")["spec"]
    assert titled["title"] == "Probabilities after time step 4"  # a chart with no slider names its step


def _data_names(spec) -> list[str]:
    """The dataset names a spec refers to, in order of reference."""
    return re.findall(r'"data": \{"name": "([^"]+)"\}', json.dumps({k: v for k, v in spec.items() if k != "datasets"}))


def test_the_drawn_spec_is_what_altair_would_send():
    chart = charts.heatmap_chart(VALUES, range(1, 11), step=3, title="Test observation 1")
    ours = drawn(chart)["spec"]
    with alt.theme.enable("none"):
        reference = chart.to_dict()  # validated, data inline under hashed names
    ours_names, reference_names = _data_names(ours), _data_names(reference)
    assert ours_names == ["k-0", "k-1"] and len(reference_names) == 2

    def without_data(spec, names):
        text = json.dumps({k: v for k, v in spec.items() if k != "datasets"}, sort_keys=True)
        for i, name in enumerate(names):
            text = text.replace(f'"{name}"', f'"dataset {i}"')
        return json.loads(text)

    assert without_data(ours, ours_names) == without_data(reference, reference_names)
    for name, reference_name in zip(ours_names, reference_names, strict=True):
        expected = pd.DataFrame(reference["datasets"][reference_name])
        assert_frame_equal(ours["datasets"][name].reset_index(drop=True), expected, check_dtype=False)
    assert "config" not in ours  # no fixed width and height from Altair's default theme


def test_options_are_passed_on_and_altairs_settings_are_left_as_they_were():
    before = (alt.data_transformers.active, alt.theme.active)
    out = drawn(
        charts.confusion_chart(np.eye(9, dtype=int) * 5, selectable=True),
        key="cm",
        on_select="rerun",
        selection_mode="cell",
    )
    assert out["on_select"] == "rerun" and out["selection_mode"] == "cell"
    assert (alt.data_transformers.active, alt.theme.active) == before


def test_charts_drawn_from_many_threads_keep_their_own_data():
    results, errors = {}, []

    def draw(n):
        try:
            results[n] = drawn(charts.values_at_step_chart(np.full(3, n / 10), [1, 2, 3]), key=f"t{n}")
        except Exception as exc:  # reported below, with the thread it came from
            errors.append((n, exc))

    threads = [threading.Thread(target=draw, args=(n,)) for n in range(1, 9)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    for n, out in results.items():
        (table,) = out["spec"]["datasets"].values()
        assert list(out["spec"]["datasets"]) == [f"t{n}-0"]
        np.testing.assert_allclose(table["value"], n / 10)
