"""Every chart of the app, by subject, built with Altair from arrays that other core functions compute.

The functions return ``alt.Chart`` objects and import no Streamlit, so they are
tested on their own and usable in a notebook. Colours are chosen to read on
both Streamlit's light and dark themes. A page reads them from here
(``charts.heatmap_chart``); each module below holds one subject.
"""

from .across import class_counts_chart, final_probs_chart, hidden_paths_chart, window_heatmap_chart
from .activations import (
    heatmap_chart,
    heatmap_pair_charts,
    probs_at_step_chart,
    trajectory_chart,
    trajectory_pair_chart,
    values_at_step_chart,
)
from .attribution import attribution_chart
from .common import CLASS_COLOURS, MARKER_COLOUR, class_colours, scale_for
from .dataset import (
    block_reading,
    class_balance_chart,
    common_length,
    features_chart,
    features_pair_charts,
    features_reading,
    length_caption,
    length_histogram_chart,
    pair_reading,
    scales_apart,
)
from .model import confusion_chart, confusion_choice_chart, training_curve_chart
from .units import (
    ABLATION_COLOURS,
    ablation_classes_chart,
    class_means_chart,
    selectivity_ranking_chart,
    unit_lines_chart,
)
from .whatif import answer_change_chart, difference_heatmap_chart, parting_chart, sweep_chart

__all__ = [
    "MARKER_COLOUR",
    "CLASS_COLOURS",
    "class_colours",
    "scale_for",
    "features_chart",
    "features_reading",
    "block_reading",
    "pair_reading",
    "scales_apart",
    "class_balance_chart",
    "common_length",
    "length_histogram_chart",
    "length_caption",
    "features_pair_charts",
    "training_curve_chart",
    "confusion_chart",
    "confusion_choice_chart",
    "heatmap_chart",
    "values_at_step_chart",
    "trajectory_chart",
    "trajectory_pair_chart",
    "probs_at_step_chart",
    "heatmap_pair_charts",
    "attribution_chart",
    "window_heatmap_chart",
    "class_counts_chart",
    "hidden_paths_chart",
    "final_probs_chart",
    "ABLATION_COLOURS",
    "unit_lines_chart",
    "class_means_chart",
    "selectivity_ranking_chart",
    "ablation_classes_chart",
    "answer_change_chart",
    "difference_heatmap_chart",
    "sweep_chart",
    "parting_chart",
]
