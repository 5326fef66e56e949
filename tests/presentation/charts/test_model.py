"""Charts of the network as a whole: the training curve and the confusion matrices."""

import numpy as np
import pytest
from chart_specs import JAPANESE_VOWELS_WORDS, find_in_spec, missing_fields, spec_table_with, spec_text, vega_value

from core.compute.data import DatasetInfo
from core.presentation import charts, frames


def test_confusion_chart_offers_a_cell_selection():
    counts = np.diag(np.arange(1, 10))
    spec = charts.confusion_chart(counts, selectable=True).to_dict()
    (param,) = spec["params"]  # Altair lifts a layer's selection to the top level
    assert param["name"] == "cell" and param["views"] == [spec["layer"][0]["name"]]
    assert param["select"]["fields"] == ["true", "predicted"]
    assert "params" not in charts.confusion_chart(counts).to_dict()


def test_confusion_choice_chart_is_selectable_and_outlines_the_chosen_cell(toy_info):
    counts = np.array([[3, 1], [0, 2]])
    plain = charts.confusion_choice_chart(counts, info=toy_info)
    assert [p["name"] for p in find_in_spec(plain.to_dict(), "params") for p in p] == ["cell"]
    chosen = charts.confusion_choice_chart(counts, (1, 2), info=toy_info)
    assert spec_table_with(chosen, "true", "predicted").to_dict("records") == [{"true": 1, "predicted": 2}]
    assert spec_table_with(chosen, "true", "predicted", "count", "kind")["count"].tolist() == [3, 1, 0, 2]
    titles = list(find_in_spec(chosen.to_dict(), "title"))
    assert "Predicted animal" in titles and "True animal" in titles
    assert "cat" in spec_text(chosen) and "speaker" not in spec_text(chosen)
    with pytest.raises(ValueError, match="cell of the 2x2 matrix"):
        charts.confusion_choice_chart(counts, (3, 1), info=toy_info)


def test_a_class_never_named_right_shows_its_zero_and_no_empty_mistake_does():
    (text,) = [
        layer
        for layer in charts.confusion_chart(np.eye(9, dtype=int)).to_dict()["layer"]
        if "text" in layer["encoding"]
    ]
    condition = text["encoding"]["text"]["condition"]
    assert condition["test"] == "datum.count > 0 || datum.kind == 'right'" and condition["field"] == "count"
    assert text["encoding"]["text"]["value"] == ""


def test_confusion_chart_names_the_classes(bm_info):
    titles = list(find_in_spec(charts.confusion_chart(np.eye(9, dtype=int)).to_dict(), "title"))
    assert "Predicted speaker" in titles and "True speaker" in titles
    chart = charts.confusion_chart(np.eye(4, dtype=int), info=bm_info)
    titles = list(find_in_spec(chart.to_dict(), "title"))
    assert "Predicted activity" in titles and "True activity" in titles
    text = spec_text(chart)
    assert "badminton" in text and "standing" in text
    assert not any(word in text for word in JAPANESE_VOWELS_WORDS)
    with pytest.raises(ValueError, match=r"counts must have shape \(4, 4\), one row and column per activity"):
        charts.confusion_chart(np.eye(9, dtype=int), info=bm_info)


def test_training_curve_draws_the_loss_and_both_accuracies_of_every_epoch():
    history = [
        {"epoch": 1, "loss": 2.0, "train_accuracy": 0.2, "test_accuracy": 0.1},
        {"epoch": 2, "loss": 1.0, "train_accuracy": 0.6, "test_accuracy": 0.5},
    ]
    chart = charts.training_curve_chart(history)
    rows = spec_table_with(chart, "epoch", "measure", "value")
    assert rows.equals(frames.history_long(history))
    panels = chart.to_dict()["vconcat"]
    assert [p["encoding"]["y"]["title"] for p in panels] == ["Loss (lower is better)", "Accuracy"]


def test_the_kept_epoch_is_marked_on_both_panels_unless_it_is_the_last():
    history = [{"epoch": e, "loss": 1 / e, "train_accuracy": 0.5, "test_accuracy": 0.4} for e in (5, 10, 15)]
    marked = charts.training_curve_chart(history, kept_epoch=10).to_dict()["vconcat"]
    rules = [layer for panel in marked for layer in panel["layer"] if layer["mark"]["type"] == "rule"]
    assert len(rules) == 2 and all(rule["encoding"]["x"]["field"] == "epoch" for rule in rules)
    assert missing_fields(charts.training_curve_chart(history, kept_epoch=10)) == []
    assert "kept: epoch 10" in spec_text(charts.training_curve_chart(history, kept_epoch=10))
    last = charts.training_curve_chart(history, kept_epoch=15).to_dict()["vconcat"]
    assert all("layer" not in panel for panel in last)


@pytest.mark.parametrize("n, size", [(4, 330), (9, 330), (20, 400), (50, 820)])
def test_a_confusion_matrix_labels_every_class_and_grows_with_them(n, size):
    names = tuple(f"class {k}" for k in range(1, n + 1))
    info = DatasetInfo("made-up", "Made up", "class", names, ("level",), "made up for the tests", "none")
    chart = charts.confusion_choice_chart(np.ones((n, n), dtype=int), (1, 2), info=info)
    spec = chart.to_dict()
    cells = spec["layer"][0]["layer"][0]
    assert cells["encoding"]["x"]["axis"]["labelOverlap"] is False  # Streamlit's theme would hide some
    assert cells["encoding"]["y"]["axis"]["labelOverlap"] is False
    assert list(find_in_spec(spec, "width")) == list(find_in_spec(spec, "height")) == [size]  # 14 px a row or more
    assert missing_fields(chart) == []


def test_basicmotions_activities_are_all_named_along_the_top(bm_info):
    x = charts.confusion_chart(np.eye(4, dtype=int), info=bm_info).to_dict()["layer"][0]["encoding"]["x"]["axis"]
    assert x["orient"] == "top" and x["labelOverlap"] is False
    assert vega_value(x["labelAngle"], width=330) == 0 and vega_value(x["labelAngle"], width=210) == -45
