"""Charts of the units and ablation pages: the data they carry, their order, scales and selections."""

import altair as alt
import numpy as np
import pytest

from core.analyses import units
from core.presentation import charts


def rows_of(spec, layer=0):
    """The data rows of one layer of a (possibly layered) chart spec."""
    part = spec["layer"][layer] if "layer" in spec else spec
    return spec["datasets"][part["data"]["name"]]


def params_of(spec):
    """Selection parameters by name, wherever Altair put them (top level for a layered chart)."""
    found = list(spec.get("params", []))
    for layer in spec.get("layer", []):
        found += layer.get("params", [])
    return {p["name"]: p for p in found}


def test_unit_lines_chart_keeps_only_real_steps_and_highlights_one_sequence():
    values = np.array([[0.1, 0.2, 0.3], [-0.5, 0.0, 0.9]])  # (N=2, T_max=3); sequence 1 has 2 real steps
    spec = charts.unit_lines_chart(values, [3, 2], [4, 7], unit=12, highlight=1).to_dict()
    rows = rows_of(spec, 0)
    assert rows == [
        {"observation": 1, "speaker": 4, "step": 1, "activation": pytest.approx(0.1)},
        {"observation": 1, "speaker": 4, "step": 2, "activation": pytest.approx(0.2)},
        {"observation": 1, "speaker": 4, "step": 3, "activation": pytest.approx(0.3)},
        {"observation": 2, "speaker": 7, "step": 1, "activation": pytest.approx(-0.5)},
        {"observation": 2, "speaker": 7, "step": 2, "activation": pytest.approx(0.0)},
    ]
    assert rows_of(spec, 1) == [
        {"step": 1, "activation": pytest.approx(-0.5), "speaker": 7},
        {"step": 2, "activation": pytest.approx(0.0), "speaker": 7},
    ]
    lines = spec["layer"][0]
    assert lines["encoding"]["color"]["scale"]["range"] == charts.SPEAKER_COLOURS
    assert lines["encoding"]["color"]["legend"]["title"] == "Speaker"
    assert lines["encoding"]["y"]["title"] == "Unit 12 activation"
    pick = params_of(spec)["speaker_pick"]
    assert pick["select"]["fields"] == ["speaker"] and pick["bind"] == "legend"


def test_unit_lines_chart_on_the_test_set_without_highlight(model, dataset):
    from core import split_traces

    batch = split_traces(model, "test")
    chart = charts.unit_lines_chart(batch.hidden[:, :, 4], batch.lengths, dataset.test.labels, unit=5)
    with alt.data_transformers.disable_max_rows():  # ~5,700 rows; Streamlit sends them without Altair's limit
        spec = chart.to_dict()
    assert "layer" not in spec
    rows = spec["datasets"][spec["data"]["name"]]
    assert len(rows) == int(np.sum(batch.lengths))
    first = [r["activation"] for r in rows if r["observation"] == 1]
    np.testing.assert_allclose(first, batch.hidden[0, : batch.lengths[0], 4], atol=1e-6)


@pytest.mark.parametrize(
    "values, lengths, labels, match",
    [
        (np.zeros((2, 3)), [3], [1, 2], "N lengths and N labels"),
        (np.zeros((2, 3)), [3, 4], [1, 2], "lengths must lie between 1 and T_max = 3"),
        (np.zeros((2, 3)), [0, 3], [1, 2], "lengths must lie between 1"),
    ],
)
def test_unit_lines_chart_rejects_mismatched_inputs(values, lengths, labels, match):
    with pytest.raises(ValueError, match=match):
        charts.unit_lines_chart(values, lengths, labels, unit=1)


def test_speaker_means_chart_has_one_bar_per_speaker():
    means = np.linspace(-0.4, 0.4, 9)
    spec = charts.speaker_means_chart(means, unit=37).to_dict()
    rows = rows_of(spec)
    assert [r["speaker"] for r in rows] == list(range(1, 10))
    np.testing.assert_allclose([r["mean activation"] for r in rows], means)
    assert spec["title"] == "Unit 37: average for each speaker"
    with pytest.raises(ValueError, match="one value per speaker"):
        charts.speaker_means_chart(np.zeros((9, 2)), unit=1)


def test_selectivity_ranking_chart_orders_by_strength_and_marks_the_unit():
    selectivity = np.array([0.5, -2.5, 1.5, 2.0])  # unit 2 is an off unit, the most selective
    speaker = np.array([1, 2, 3, 4])
    spec = charts.selectivity_ranking_chart(selectivity, speaker, unit=3).to_dict()
    bars = spec["layer"][0]
    rows = rows_of(spec, 0)
    assert [r["unit"] for r in rows] == [2, 4, 3, 1]
    assert [r["rank"] for r in rows] == [1, 2, 3, 4]
    np.testing.assert_allclose([r["strength"] for r in rows], [2.5, 2.0, 1.5, 0.5])
    assert [r["speaker"] for r in rows] == [2, 4, 3, 1]
    assert [r["direction"] for r in rows] == ["off", "on", "on", "on"]
    assert bars["encoding"]["x"]["sort"] == [2, 4, 3, 1]
    assert params_of(spec)["pick"]["select"]["fields"] == ["unit"]
    assert rows_of(spec, 1) == [{"unit": 3}]
    assert spec["layer"][0]["title"] == "Unit 3 (dashed line) is number 3 of 4"
    order = units.rank_units(np.abs(selectivity)) + 1
    assert [r["unit"] for r in rows] == order.tolist()
    with pytest.raises(ValueError, match="unit must be from 1 to 4, got 5"):
        charts.selectivity_ranking_chart(selectivity, speaker, unit=5)
    with pytest.raises(ValueError, match="must both have shape"):
        charts.selectivity_ranking_chart(selectivity, speaker[:3])


def test_ablation_speakers_chart_shares():
    before, after, totals = np.array([3, 4]), np.array([1, 4]), np.array([4, 5])
    spec = charts.ablation_speakers_chart(before, after, totals).to_dict()
    rows = rows_of(spec)
    assert rows == [
        {"speaker": 1, "network": "as trained", "right": 3, "recordings": 4, "share": 0.75},
        {"speaker": 2, "network": "as trained", "right": 4, "recordings": 5, "share": 0.8},
        {"speaker": 1, "network": "with units silenced", "right": 1, "recordings": 4, "share": 0.25},
        {"speaker": 2, "network": "with units silenced", "right": 4, "recordings": 5, "share": 0.8},
    ]
    colour = spec["encoding"]["color"]["scale"]
    assert colour["domain"] == list(charts.ABLATION_COLOURS) and colour["range"] == list(
        charts.ABLATION_COLOURS.values()
    )
    with pytest.raises(ValueError, match="no more right answers than recordings"):
        charts.ablation_speakers_chart([5, 1], [1, 1], [4, 5])
    with pytest.raises(ValueError, match="same shape"):
        charts.ablation_speakers_chart([1], [1, 1], [4, 5])
