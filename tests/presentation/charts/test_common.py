"""What every chart shares: the colour scale of each quantity, class legends that list every class, class axes
that label every class, colour bars that fit their map; and the check that every encoded field exists."""

import math

import altair as alt
import numpy as np
import pandas as pd
import pytest
from chart_specs import missing_fields, vega_value

from core.compute.data import DatasetInfo
from core.presentation import charts
from core.presentation.charts.common import (
    AXIS_FONT_PX,
    AXIS_LABEL_PX,
    LEGEND_CHAR_PX,
    LEGEND_ENTRY_PX,
    LEGEND_LABEL_PX,
    LEGEND_ROW_PX,
    NARROWEST_PLOT_PX,
    _shown_names,
    class_axis,
    class_legend,
    class_legend_room,
    colour_bar,
    columns_legend,
    legend_entry_px,
    legend_room,
    legend_rows,
)


@pytest.mark.parametrize(
    "quantity, domain",
    [
        ("hidden", [-1, 1]),
        ("cell candidate", [-1, 1]),
        ("input", [0, 1]),
        ("forget", [0, 1]),
        ("output", [0, 1]),
    ],
)
def test_fixed_scales_fit_the_quantity(quantity, domain):
    assert charts.scale_for(quantity).domain == domain


def test_cell_scale_is_symmetric_and_fitted():
    assert charts.scale_for("cell", np.array([[-0.5, 2.5]])).domain == [-2.5, 2.5]
    with pytest.raises(ValueError, match="unknown quantity"):
        charts.scale_for("weights")


def test_class_colours_keep_the_nine_speakers_and_cycle_after_twenty():
    assert charts.class_colours(9) == charts.CLASS_COLOURS[:9]
    assert charts.class_colours(9)[0] == "#4e79a7" and charts.class_colours(9)[8] == "#9c755f"
    assert len(set(charts.CLASS_COLOURS)) == 20
    assert charts.class_colours(22)[20:] == charts.CLASS_COLOURS[:2]
    with pytest.raises(ValueError, match="positive number of classes, got 0"):
        charts.class_colours(0)


def test_class_labels_show_names_or_the_numbers_of_plain_names(bm_info):
    from core.compute.datasets import dataset_info
    from core.presentation.charts.common import class_labels_expr, class_name_expr

    assert class_labels_expr(bm_info) == '["standing", "running", "walking", "badminton"][datum.value - 1]'
    numbers = class_labels_expr(dataset_info("japanese_vowels"))  # "speaker 3" is labelled 3 under "Speaker"
    assert numbers == '["1", "2", "3", "4", "5", "6", "7", "8", "9"][datum.value - 1]'
    assert class_name_expr("true activity", bm_info).endswith('[datum["true activity"] - 1]')


def made_up_info(n: int, name: str = "class {}") -> DatasetInfo:
    """A data set of ``n`` classes named by ``name`` ("class 1", ...: shown as numbers)."""
    return DatasetInfo(
        key=f"made-up-{n}",
        title="Made up",
        class_word="class",
        class_names=tuple(name.format(k) for k in range(1, n + 1)),
        channel_names=("level",),
        source="made up for the tests",
        licence="none",
    )


def test_a_legend_entry_has_room_for_its_longest_label_and_the_rows_follow():
    assert legend_entry_px([str(k) for k in range(1, 10)]) == LEGEND_ENTRY_PX + LEGEND_CHAR_PX  # "1" to "9"
    assert legend_entry_px(["standing", "badminton"]) == LEGEND_ENTRY_PX + 9 * LEGEND_CHAR_PX
    assert legend_entry_px(["x" * 500]) == LEGEND_ENTRY_PX + LEGEND_LABEL_PX  # a longer label is cut short
    nine = [str(k) for k in range(1, 10)]  # 41 px an entry
    assert legend_rows(nine, 270) == 2 and legend_rows(nine, 369) == 1  # 6 columns, then all 9 in one row
    assert legend_rows(["a very long channel name"] * 3, 100) == 3  # one column at the least
    assert legend_room(nine) == LEGEND_ROW_PX * (legend_rows(nine, NARROWEST_PLOT_PX) - 1)
    with pytest.raises(ValueError, match="at least one legend entry"):
        legend_entry_px([])


@pytest.mark.parametrize("n", [2, 4, 9, 20, 50])
@pytest.mark.parametrize("width", [150, NARROWEST_PLOT_PX, 358, 540, 1100])
@pytest.mark.parametrize("name", ["class {}", "a class with a long name, number {}"])
def test_a_class_legend_lists_every_class_in_columns_no_wider_than_its_plot(n, width, name):
    info = made_up_info(n, name)
    legend = class_legend(info, "Class").to_dict()
    labels = _shown_names(info)
    columns = vega_value(legend["columns"], width=width)
    assert 1 <= columns <= n and columns * legend_entry_px(labels) <= max(width, legend_entry_px(labels))
    assert columns == min(n, max(1, width // legend_entry_px(labels)))  # as many as fit
    assert math.ceil(n / columns) == legend_rows(labels, width)  # the rows a chart makes room for
    assert legend["orient"] == "top" and legend["direction"] == "horizontal" and legend["titleOrient"] == "top"
    assert legend["symbolLimit"] == 0 and legend["labelLimit"] == LEGEND_LABEL_PX  # no entry dropped or lost


def test_a_class_legend_names_the_classes_and_an_entry_for_none(bm_info):
    legend = class_legend(bm_info, "Activity", no_class="no class").to_dict()
    assert legend["labelExpr"].startswith('datum.value == 0 ? "no class" : (') and "badminton" in legend["labelExpr"]
    assert legend["columns"]["expr"].startswith("max(1, min(5, ")  # "no class" and the four activities
    assert class_legend_room(bm_info, no_class="no class") == legend_room(["no class", *bm_info.class_names])
    below = columns_legend(["a", "b"], "Channel", orient="bottom").to_dict()
    assert below["orient"] == "bottom" and below["title"] == "Channel"
    with pytest.raises(ValueError, match="orient must be 'top' or 'bottom', got 'right'"):
        columns_legend(["a"], "Channel", orient="right")


def test_a_class_axis_labels_every_class_upright_slanted_or_on_its_side(bm_info):
    axis = class_axis(bm_info).to_dict()  # the longest name, "badminton", needs 71 px upright
    assert axis["labelOverlap"] is False and axis["labelLimit"] == AXIS_LABEL_PX and axis["orient"] == "bottom"
    assert axis["labelFlush"] is False  # the first and last names stay under their bands
    settings = ("labelAngle", "labelAlign", "labelBaseline", "labelFontSize")
    assert [vega_value(axis[k], width=400) for k in settings] == [0, "center", "top", AXIS_FONT_PX]
    assert [vega_value(axis[k], width=200) for k in settings] == [-45, "right", "top", AXIS_FONT_PX]
    assert [vega_value(axis[k], width=40) for k in settings] == [-90, "right", "middle", 10]  # 10 px bands
    top = class_axis(made_up_info(50), orient="top").to_dict()
    assert [vega_value(top[k], width=350) for k in settings] == [-90, "left", "middle", 7]  # 7 px bands
    assert [vega_value(top[k], width=2000) for k in settings] == [0, "center", "bottom", AXIS_FONT_PX]
    assert vega_value(top["labelFontSize"], width=100) == 6
    with pytest.raises(ValueError, match="orient must be 'bottom' or 'top', got 'left'"):
        class_axis(bm_info, orient="left")


@pytest.mark.parametrize("height, length", [(60, 36), (100, 76), (400, 160), (20, 30)])
def test_a_colour_bar_is_no_taller_than_its_map_and_labels_both_ends(height, length):
    bar = colour_bar(alt.Scale(domain=[-1, 1])).to_dict()
    assert vega_value(bar["gradientLength"], height=height) == length  # the map's height less the bar's title
    assert bar["values"] == [-1.0, 0.0, 1.0] and bar["labelOverlap"] is False
    assert colour_bar(alt.Scale(domain=[0, 1])).to_dict()["values"] == [0.0, 0.5, 1.0]


def test_missing_fields_finds_a_field_that_only_another_layer_computes():
    table = pd.DataFrame({"speaker": [1, 2], "probability": [0.25, 0.75]})
    base = alt.Chart(table).encode(x=alt.X("speaker:O"))
    cells = base.mark_rect().transform_calculate(percent="format(datum.probability, '.0%')")
    text = base.mark_text().encode(text=alt.condition("datum.probability > 0", alt.Text("percent:N"), alt.value("")))
    assert missing_fields(alt.layer(cells, text)) == ["chart/layer[1] text: percent"]  # drawn as "undefined"
    shared = base.transform_calculate(percent="format(datum.probability, '.0%')")
    assert missing_fields(alt.layer(shared.mark_rect(), shared.mark_text().encode(text=alt.Text("percent:N")))) == []
    tested = base.mark_text().encode(text=alt.condition("datum.share > 0", alt.Text("speaker:N"), alt.value("")))
    assert missing_fields(tested) == ["chart text: share"]
