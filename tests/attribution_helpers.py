"""Hand-made attributions that the attribution tests of analyses and presentation share."""

import numpy as np

from core.analyses.attribution import Attribution


def constructed(values, *, target=3, score_input=None, score_baseline=0.0, baseline_logits=None, switches_left=0):
    """An attribution of 4 classes whose target scores ``score_input`` (the shares' sum by default) on the recording
    and ``score_baseline`` at the starting point; ``baseline_logits`` sets the starting point's other scores."""
    values = np.asarray(values, dtype=float)
    logits_input = np.zeros(4)
    logits_input[target - 1] = float(values.sum()) if score_input is None else score_input
    logits_baseline = np.zeros(4) if baseline_logits is None else np.asarray(baseline_logits, dtype=float)
    logits_baseline[target - 1] = score_baseline
    return Attribution(
        values=values,
        target=target,
        inputs=np.ones_like(values),
        baseline=np.zeros_like(values),
        logits_input=logits_input,
        logits_baseline=logits_baseline,
        switches_left=switches_left,
    )
