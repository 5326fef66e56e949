"""“Where it goes wrong” through AppTest: the clickable confusion matrix, the listed mistakes, the way to one."""

import numpy as np
import pytest
from app_helpers import open_app, open_link, send_selection, table_with

import core
from core.analyses import mistakes

PAGE = "pages/mistakes.py"


@pytest.fixture(scope="module")
def reference(model, dataset):
    batch = core.split_traces(model, "test")
    return batch, dataset.test.labels, core.score_split(batch, dataset.test.labels)


def click_cell(at, true: int, predicted: int | None):
    """Click a square of the confusion chart (``None``: beside the squares)."""
    return send_selection(
        at, "mis_confusion", {"cell": [] if predicted is None else [{"true": true, "predicted": predicted}]}
    )


def listed(at) -> list[int]:
    """Numbers of the listed test recordings, in order."""
    return [
        int(m.value.split("**Test recording ")[1].split("**")[0])
        for m in at.markdown
        if m.value.startswith("**Test recording ")
    ]


def test_page_draws_the_matrix_and_all_mistakes(reference):
    batch, labels, score = reference
    at = open_app(page=PAGE)
    assert len(at.get("vega_lite_chart")) == 2
    assert at.title[0].value == "Where it goes wrong"
    assert [m.value for m in at.metric] == [f"{score.accuracy:.1%}", f"{score.n_wrong} of 370"]
    wrong = mistakes.misclassified(score.predicted, labels)
    assert listed(at) == list(wrong + 1)
    probs = table_with(at, "recording", "speaker", "probability", "true speaker")
    np.testing.assert_allclose(
        probs["probability"].to_numpy().reshape(len(wrong), 9), batch.final_probs[wrong], atol=1e-6
    )
    assert probs.loc[probs["true speaker"], "speaker"].tolist() == labels[wrong].tolist()
    confusion = table_with(at, "true", "predicted", "count", "kind")
    assert confusion["count"].to_numpy().reshape(9, 9).tolist() == score.confusion.tolist()


def test_clicking_a_red_square_lists_that_cell(reference):
    batch, labels, score = reference
    at = open_app(page=PAGE)
    click_cell(at, 2, 8)
    assert not at.exception
    assert at.selectbox(key="mis_cell").value == "2-8"
    assert listed(at) == list(mistakes.misclassified(score.predicted, labels, 2, 8) + 1)
    assert table_with(at, "true", "predicted").to_dict("records") == [{"true": 2, "predicted": 8}]  # outlined
    click_cell(at, 0, None)  # clicked beside the squares: back to every mistake
    assert listed(at) == list(mistakes.misclassified(score.predicted, labels) + 1)


def test_clicking_a_right_answer_explains_and_lists_all(reference):
    _, labels, score = reference
    at = open_app(page=PAGE)
    click_cell(at, 3, 3)
    assert at.selectbox(key="mis_cell").value == "all"
    assert "right answers, not mistakes" in at.info[0].value
    assert listed(at) == list(mistakes.misclassified(score.predicted, labels) + 1)


def test_the_list_chooser_picks_a_cell(reference):
    _, labels, score = reference
    at = open_app(page=PAGE)
    cells = at.selectbox(key="mis_cell").options
    red = [(t, p) for t in range(1, 10) for p in range(1, 10) if t != p and score.confusion[t - 1, p - 1]]
    assert cells == ["All mistakes"] + [f"Speaker {t} taken for speaker {p}" for t, p in red]
    at.selectbox(key="mis_cell").set_value("9-1").run()
    assert listed(at) == list(mistakes.misclassified(score.predicted, labels, 9, 1) + 1)


def test_a_link_opens_its_square_and_a_square_another_network_lacks_falls_back(reference):
    _, labels, score = reference
    at = open_link(PAGE, {"mis_cell": "Speaker 2 taken for speaker 8"})
    assert listed(at) == list(mistakes.misclassified(score.predicted, labels, 2, 8) + 1) and not at.warning
    at = open_link(PAGE, {"mis_cell": "Speaker 1 taken for speaker 2"})  # no such mistake
    assert any("“mis_cell”" in w.value for w in at.warning)
    assert listed(at) == list(mistakes.misclassified(score.predicted, labels) + 1)


def test_open_class_trajectory_goes_there_with_that_observation(reference):
    batch, labels, score = reference
    at = open_app(page=PAGE)
    number = int(mistakes.misclassified(score.predicted, labels)[1]) + 1
    at.button(key=f"mis_open_{number}").click().run()
    assert not at.exception
    assert at.title[0].value == "Class trajectory"
    assert at.sidebar.number_input(key="obs").value == number and at.query_params["obs"] == str(number)
    probs = table_with(at, "step", "speaker", "probability", "true speaker")
    expected = batch[number - 1].probs
    np.testing.assert_allclose(probs["probability"].to_numpy().reshape(expected.shape), expected, atol=1e-6)
