"""Charts of the units and ablation pages: the data they carry, their order, scales and selections."""

import altair as alt
import numpy as np
import pytest
from chart_specs import JAPANESE_VOWELS_WORDS, missing_fields, spec_text, vega_value

from core.analyses import units
from core.presentation import charts
from core.presentation.charts.common import NARROWEST_PLOT_PX


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
        {"recording": 1, "speaker": 4, "step": 1, "activation": pytest.approx(0.1)},
        {"recording": 1, "speaker": 4, "step": 2, "activation": pytest.approx(0.2)},
        {"recording": 1, "speaker": 4, "step": 3, "activation": pytest.approx(0.3)},
        {"recording": 2, "speaker": 7, "step": 1, "activation": pytest.approx(-0.5)},
        {"recording": 2, "speaker": 7, "step": 2, "activation": pytest.approx(0.0)},
    ]
    assert rows_of(spec, 1) == [
        {"step": 1, "activation": pytest.approx(-0.5), "speaker": 7},
        {"step": 2, "activation": pytest.approx(0.0), "speaker": 7},
    ]
    lines = spec["layer"][0]
    assert lines["encoding"]["color"]["scale"]["range"] == charts.CLASS_COLOURS[:9]
    assert lines["encoding"]["color"]["legend"]["title"] == "Speaker"
    assert lines["encoding"]["y"]["title"] == "Unit 12 activation"
    pick = params_of(spec)["class_pick"]
    assert pick["select"]["fields"] == ["speaker"] and pick["bind"] == "legend"


def test_unit_lines_chart_names_basicmotions_activities_and_made_up_classes(bm_info, toy_info):
    values = np.array([[0.1, 0.2], [-0.5, 0.0]])  # (N=2, T_max=2)
    chart = charts.unit_lines_chart(values, [2, 2], [4, 1], unit=3, highlight=0, info=bm_info)
    spec = chart.to_dict()
    assert [r["activity"] for r in rows_of(spec, 0)] == [4, 4, 1, 1]
    assert spec["layer"][0]["encoding"]["color"]["legend"]["title"] == "Activity"
    assert params_of(spec)["class_pick"]["select"]["fields"] == ["activity"]
    text = spec_text(chart)
    assert "badminton" in text and "standing" in text
    assert not any(word in text for word in JAPANESE_VOWELS_WORDS)
    toy = charts.unit_lines_chart(values, [2, 1], [2, 1], unit=3, info=toy_info)
    assert [r["animal"] for r in rows_of(toy.to_dict())] == [2, 2, 1]
    assert "dog" in spec_text(toy) and "speaker" not in spec_text(toy)
    with pytest.raises(ValueError, match="labels must be animal numbers 1 to 2"):
        charts.unit_lines_chart(values, [2, 2], [1, 3], unit=3, info=toy_info)


def test_unit_lines_chart_on_the_test_set_without_highlight(model, dataset):
    from core import split_traces

    batch = split_traces(model, "test")
    chart = charts.unit_lines_chart(batch.hidden[:, :, 4], batch.lengths, dataset.test.labels, unit=5)
    with alt.data_transformers.disable_max_rows():  # ~5,700 rows; Streamlit sends them without Altair's limit
        spec = chart.to_dict()
    assert "layer" not in spec
    rows = spec["datasets"][spec["data"]["name"]]
    assert len(rows) == int(np.sum(batch.lengths))
    first = [r["activation"] for r in rows if r["recording"] == 1]
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


def test_class_means_chart_has_one_bar_per_speaker():
    means = np.linspace(-0.4, 0.4, 9)
    spec = charts.class_means_chart(means, unit=37).to_dict()
    rows = rows_of(spec)
    assert [r["speaker"] for r in rows] == list(range(1, 10))
    np.testing.assert_allclose([r["mean activation"] for r in rows], means)
    assert spec["title"] == "Unit 37: average for each speaker"
    with pytest.raises(ValueError, match=r"shape \(9,\), one value per speaker"):
        charts.class_means_chart(np.zeros((9, 2)), unit=1)


def test_class_means_chart_of_basicmotions_and_a_made_up_data_set(bm_info, toy_info):
    chart = charts.class_means_chart([0.1, -0.2, 0.3, 0.0], unit=5, info=bm_info)
    spec = chart.to_dict()
    assert spec["title"] == "Unit 5: average for each activity"
    assert [r["activity"] for r in rows_of(spec)] == [1, 2, 3, 4]
    assert spec["encoding"]["x"]["title"] == "Activity"
    text = spec_text(chart)
    assert "running" in text and "badminton" in text
    assert not any(word in text for word in JAPANESE_VOWELS_WORDS)
    toy = charts.class_means_chart([0.1, 0.2], unit=1, info=toy_info)
    assert toy.to_dict()["title"] == "Unit 1: average for each animal" and "cat" in spec_text(toy)
    with pytest.raises(ValueError, match=r"shape \(4,\), one value per activity, got \(9,\)"):
        charts.class_means_chart(np.zeros(9), unit=1, info=bm_info)


def hand_classes(klass, sign, strength) -> units.ClassUnits:
    """A ClassUnits of the given classes, signs and strengths; the gaps are the strengths / 10 with the sign."""
    klass, sign, strength = np.array(klass), np.array(sign), np.array(strength, dtype=float)
    return units.ClassUnits(klass=klass, sign=sign, strength=strength, gap=np.where(sign < 0, -1, 1) * strength / 10)


def test_selectivity_ranking_chart_orders_by_strength_and_marks_the_unit():
    # unit 2 is off for speaker 2, the strongest; unit 5 singles out nothing, though stronger than unit 1
    classes = hand_classes([1, 2, 3, 4, 0], [1, -1, 1, 1, 0], [1.2, 2.5, 1.5, 2.5, 1.6])
    spec = charts.selectivity_ranking_chart(classes, unit=3).to_dict()
    bars = spec["layer"][0]
    rows = rows_of(spec, 0)
    assert [r["unit"] for r in rows] == [2, 4, 3, 1, 5]  # strongest first, the tie in unit order, "none" last
    assert [r["unit"] for r in rows] == (classes.ranking() + 1).tolist()
    assert [r["rank"] for r in rows] == [1, 2, 3, 4, 5]
    np.testing.assert_allclose([r["strength"] for r in rows], [2.5, 2.5, 1.5, 1.2, 1.6])
    assert [r["speaker"] for r in rows] == [2, 4, 3, 1, 0]
    assert [r["singles out"] for r in rows] == [
        "off for speaker 2",
        "on for speaker 4",
        "on for speaker 3",
        "on for speaker 1",
        "no class",
    ]
    assert bars["encoding"]["x"]["sort"] == [2, 4, 3, 1, 5]
    assert bars["encoding"]["color"]["scale"]["domain"] == list(range(10))
    assert bars["encoding"]["color"]["scale"]["range"][0] == charts.common.NO_CLASS_COLOUR
    legend = bars["encoding"]["color"]["legend"]  # every class and "no class", in columns that fit a phone
    assert legend["labelExpr"].startswith('datum.value == 0 ? "no class"')
    assert vega_value(legend["columns"], width=NARROWEST_PLOT_PX) == 3 and spec["height"] == 280 + 3 * 30  # 4 rows
    assert bars["encoding"]["x"]["title"] == "Hidden unit (strongest first)"
    assert params_of(spec)["pick"]["select"]["fields"] == ["unit"]
    assert rows_of(spec, 1) == [{"unit": 3}]
    assert spec["layer"][0]["title"] == "Unit 3 (dashed line) is number 3 of 5"
    with pytest.raises(ValueError, match="unit must be from 1 to 5, got 6"):
        charts.selectivity_ranking_chart(classes, unit=6)
    with pytest.raises(TypeError, match="classes must be a ClassUnits, got ndarray"):
        charts.selectivity_ranking_chart(np.array([0.5, -2.5, 1.5]))
    with pytest.raises(ValueError, match="classes single out speaker numbers up to 10; there are 9"):
        charts.selectivity_ranking_chart(hand_classes([1, 10], [1, 1], [2.0, 2.0]))


def test_selectivity_ranking_chart_of_basicmotions_and_a_made_up_data_set(bm_info, toy_info):
    chart = charts.selectivity_ranking_chart(hand_classes([4, 2, 1], [1, -1, 1], [1.2, 2.5, 1.5]), info=bm_info)
    spec = chart.to_dict()
    rows = rows_of(spec)
    assert [r["activity"] for r in rows] == [2, 1, 4]
    assert [r["singles out"] for r in rows] == ["off for running", "on for standing", "on for badminton"]
    assert spec["encoding"]["color"]["legend"]["title"] == "Singles out activity"
    text = spec_text(chart)
    assert "badminton" in text
    assert not any(word in text for word in JAPANESE_VOWELS_WORDS)
    toy = charts.selectivity_ranking_chart(hand_classes([2, 0], [1, 0], [1.5, 1.0]), info=toy_info)
    assert [r["singles out"] for r in rows_of(toy.to_dict())] == ["on for dog", "no class"]
    assert "Singles out animal" in spec_text(toy) and "speaker" not in spec_text(toy)
    with pytest.raises(ValueError, match="classes single out animal numbers up to 3; there are 2"):
        charts.selectivity_ranking_chart(hand_classes([2, 3], [1, 1], [1.5, 1.0]), info=toy_info)


def test_ablation_classes_chart_shares(toy_info):
    before, after, totals = np.array([3, 4]), np.array([1, 4]), np.array([4, 5])
    chart = charts.ablation_classes_chart(before, after, totals, info=toy_info)
    spec = chart.to_dict()
    rows = rows_of(spec)
    assert rows == [
        {"animal": 1, "network": "as trained", "right": 3, "recordings": 4, "share": 0.75},
        {"animal": 2, "network": "as trained", "right": 4, "recordings": 5, "share": 0.8},
        {"animal": 1, "network": "with units silenced", "right": 1, "recordings": 4, "share": 0.25},
        {"animal": 2, "network": "with units silenced", "right": 4, "recordings": 5, "share": 0.8},
    ]
    colour = spec["encoding"]["color"]["scale"]
    assert colour["domain"] == list(charts.ABLATION_COLOURS) and colour["range"] == list(
        charts.ABLATION_COLOURS.values()
    )
    assert spec["title"] == "Test recordings named right, per animal"
    assert "dog" in spec_text(chart) and "speaker" not in spec_text(chart)
    with pytest.raises(ValueError, match="every animal needs recordings, and no more right answers than recordings"):
        charts.ablation_classes_chart([5, 1], [1, 1], [4, 5], info=toy_info)
    with pytest.raises(ValueError, match=r"same shape \(2,\)"):
        charts.ablation_classes_chart([1], [1, 1], [4, 5], info=toy_info)


def test_ablation_classes_chart_of_japanese_vowels_and_basicmotions(bm_info):
    totals = np.full(9, 5)
    spec = charts.ablation_classes_chart(totals, totals - 1, totals).to_dict()
    assert spec["title"] == "Test recordings named right, per speaker"  # no longer than a phone shows
    assert [r["speaker"] for r in rows_of(spec)] == list(range(1, 10)) * 2
    chart = charts.ablation_classes_chart([10, 9, 8, 10], [10, 5, 8, 2], [10, 10, 10, 10], info=bm_info)
    assert chart.to_dict()["encoding"]["x"]["title"] == "Activity"
    text = spec_text(chart)
    assert "walking" in text and "badminton" in text
    assert not any(word in text for word in JAPANESE_VOWELS_WORDS)
    with pytest.raises(ValueError, match=r"same shape \(4,\)"):
        charts.ablation_classes_chart(totals, totals, totals, info=bm_info)


def test_every_chart_of_the_module_encodes_only_fields_it_has(bm_info):
    values = np.zeros((3, 4))  # (N=3, T_max=4)
    built = [
        charts.unit_lines_chart(values, [4, 2, 3], [1, 4, 2], unit=7, highlight=1, info=bm_info),
        charts.class_means_chart(np.zeros(4), unit=7, info=bm_info),
        charts.selectivity_ranking_chart(hand_classes([4, 2, 0], [1, -1, 0], [1.2, 2.5, 1.5]), unit=2, info=bm_info),
        charts.ablation_classes_chart([10, 9, 8, 7], [10, 5, 8, 7], [10, 10, 10, 10], info=bm_info),
    ]
    assert [missing_fields(chart) for chart in built] == [[]] * len(built)
    network = built[3].to_dict()["encoding"]["color"]["legend"]
    assert network["orient"] == "top" and vega_value(network["columns"], width=NARROWEST_PLOT_PX) == 1
    for bars in (built[1], built[3]):  # every activity named under its bars
        assert bars.to_dict()["encoding"]["x"]["axis"]["labelOverlap"] is False
