"""“Where it goes wrong” through AppTest: the clickable confusion matrix, the listed mistakes, the way to one."""

import numpy as np
import pytest
from app_helpers import choose_stacked_variant, open_app, open_link, send_selection, table_with

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


def test_the_outline_is_mentioned_only_when_a_square_is_chosen():
    at = open_app(page=PAGE)
    outline = "The amber outline marks the chosen square."
    assert not any(outline in c.value for c in at.caption)  # all mistakes: nothing is outlined
    click_cell(at, 2, 8)
    assert any(outline in c.value for c in at.caption)


def test_without_mistakes_the_page_speaks_of_no_red_squares():
    at = open_app({"data": "BasicMotions"}, page=PAGE)
    assert at.metric[1].value == "0 of 40"
    intro = at.markdown[0].value
    assert "red squares" not in intro and "Green squares on the diagonal are right answers." in intro


def test_many_mistakes_list_the_first_twenty_and_say_how_to_see_the_rest(fresh_cache):
    at = choose_stacked_variant(open_app(), PAGE)  # 10 units trained for 2 epochs: many mistakes
    n_wrong = int(at.metric[1].value.split(" of ")[0])
    assert n_wrong > 20
    assert len(listed(at)) == 20 and listed(at) == sorted(listed(at))
    assert len(table_with(at, "recording", "speaker", "probability", "true speaker")) == 20 * 9
    note = next(c.value for c in at.caption if c.value.startswith("The first 20 of"))
    assert note.startswith(f"The first 20 of {n_wrong}, by recording number; {n_wrong - 20} more are not listed.")
    assert f"Switch on *List all {n_wrong}* above" in note
    assert at.subheader[-1].value == f"The {n_wrong} recordings"
    at.toggle(key="mis_all").set_value(True).run()
    assert len(listed(at)) == n_wrong
    assert not any(c.value.startswith("The first 20 of") for c in at.caption)


def test_the_open_button_fits_its_column():
    at = open_app(page=PAGE)
    labels = {b.label for b in at.button if b.key and b.key.startswith("mis_open_")}
    assert labels == {"Open trajectory"}
