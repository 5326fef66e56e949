"""The observation summary on hand-made traces whose sentences are known exactly."""

import numpy as np
import pytest
from numpy.testing import assert_allclose

import core
from core.presentation.summary import (
    SummaryFacts,
    confidence_words,
    decision_words,
    final_answer_words,
    observation_summary,
    summary_facts,
)


def trace_from(final_probs_by_step):
    """A Trace of T steps where step t puts probability p on speaker s, given as [(s, p), ...]."""
    probs = np.zeros((len(final_probs_by_step), 9))
    for t, (speaker, p) in enumerate(final_probs_by_step):
        probs[t] = (1 - p) / 8
        probs[t, speaker - 1] = p
    empty = np.zeros((len(probs), 4))
    return core.Trace(hidden=empty, cell=empty, gates=np.zeros((len(probs), 4, 4)), probs=probs)


# Speaker 2 first, then speaker 3 from step 3 on; 97.3 % sure at the end.
SETTLES_AT_3 = [(2, 0.4), (2, 0.5), (3, 0.6), (3, 0.9), (3, 0.973)]


def test_facts():
    facts = summary_facts(trace_from(SETTLES_AT_3), label=3)
    # speaker 3's probability by step: 0.075, 0.0625, 0.6, 0.9, 0.973; at least 90% from step 4 on
    assert facts == SummaryFacts(
        predicted=3,
        confidence=pytest.approx(0.973),
        settling_step=3,
        settled_confidence=pytest.approx(0.6),
        sure_step=4,
        n_steps=5,
        label=3,
        correct=True,
    )
    assert summary_facts(trace_from(SETTLES_AT_3), label=5).correct is False
    assert summary_facts(trace_from(SETTLES_AT_3)).correct is None


def test_correct_prediction_sentence():
    assert observation_summary(trace_from(SETTLES_AT_3), label=3) == (
        "This is speaker 3, and the network says speaker 3, very sure (97%). "
        "The answer stops changing at step 3 of 5 (60% sure then) and is at least 90% sure from step 4 on."
    )


def test_wrong_prediction_is_flagged():
    assert observation_summary(trace_from([(6, 0.3), (4, 0.55)]), label=2) == (
        "⚠ The network is wrong here: it says speaker 4, but this is speaker 2. "
        "It is unsure (55%). The answer stops changing at step 2 of 2 (55% sure then) and never becomes 90% sure."
    )


def test_unknown_label_for_an_uploaded_sequence():
    assert observation_summary(trace_from([(7, 0.75)] * 4)) == (
        "The network says speaker 7, fairly sure (75%); the true speaker is not known. "
        "The answer is the same from the first step of 4 (75% sure then) and never becomes 90% sure."
    )


def test_real_trace(model, dataset):
    trace = core.run_sequence(model, dataset.test.sequences[0])
    facts = summary_facts(trace, int(dataset.test.labels[0]))
    assert facts.predicted == trace.predictions[-1]
    assert_allclose(facts.confidence, trace.probs[-1].max())
    assert facts.settling_step == core.settling_step(trace.predictions)


@pytest.mark.parametrize(
    "p, words", [(0.95, "very sure"), (0.9, "very sure"), (0.7, "fairly sure"), (0.5, "unsure"), (0.2, "very unsure")]
)
def test_confidence_words(p, words):
    assert confidence_words(p) == words


def test_errors():
    with pytest.raises(ValueError, match="label must be a class from 1 to 9"):
        summary_facts(trace_from(SETTLES_AT_3), label=10)
    with pytest.raises(ValueError, match="probability must be between 0 and 1"):
        confidence_words(1.5)
    with pytest.raises(ValueError, match=r"trace.probs must have shape \(T, C\)"):
        summary_facts(trace_from([]))


def test_basicmotions_sentences_name_its_activities(bm_model, bm_dataset):
    info = bm_dataset.info
    for index in range(len(bm_dataset.test)):
        trace = core.run_sequence(bm_model, bm_dataset.test.sequences[index])
        label = int(bm_dataset.test.labels[index])
        predicted = int(trace.probs[-1].argmax()) + 1
        sentence = observation_summary(trace, label, info=info)
        said, truth = info.class_names[predicted - 1], info.class_names[label - 1]
        if predicted == label:
            assert sentence.startswith(f"This is {truth}, and the network says {said}, ")
        else:
            assert sentence.startswith(f"⚠ The network is wrong here: it says {said}, but this is {truth}.")
        assert "speaker" not in sentence
    unknown = observation_summary(trace, info=info)
    assert "; the true activity is not known. " in unknown
    with pytest.raises(ValueError, match="Japanese Vowels has 9 classes, but trace.probs has 4"):
        observation_summary(trace, 1)


def test_a_made_up_data_set_names_its_classes(toy_info):
    probs = np.array([[0.6, 0.4], [0.2, 0.8], [0.1, 0.9]])  # (T=3, C=2): dog from step 2 on
    empty = np.zeros((3, 4))
    trace = core.Trace(hidden=empty, cell=empty, gates=np.zeros((3, 4, 4)), probs=probs)
    assert observation_summary(trace, 1, info=toy_info) == (
        "⚠ The network is wrong here: it says dog, but this is cat. It is very sure (90%). "
        "The answer stops changing at step 2 of 3 (80% sure then) and is at least 90% sure from step 3 on."
    )
    assert observation_summary(trace, info=toy_info).startswith(
        "The network says dog, very sure (90%); the true animal is not known."
    )


def test_decision_words_when_the_answer_is_sure_as_soon_as_it_settles():
    # speaker 3 from step 2 on, 95% sure there already: "stays ... from there on"
    facts = summary_facts(trace_from([(2, 0.5), (3, 0.95), (3, 0.97)]), label=3)
    assert (facts.settling_step, facts.sure_step) == (2, 2)
    assert decision_words(facts) == (
        "The answer stops changing at step 2 of 3 (95% sure then) and stays at least 90% sure from there on."
    )
    dips = summary_facts(trace_from([(3, 0.95), (3, 0.6), (3, 0.92)]))  # sure, then not, then sure again
    assert dips.sure_step == 3


def test_final_answer_words(toy_info):
    assert final_answer_words([0.3, 0.7], 1, info=toy_info) == (
        "really cat, but the network said **dog** (70% sure); it gave cat a chance of only 30%."
    )
    assert final_answer_words([0.55, 0.45], 1, info=toy_info) == (
        "**cat**, named right but only 55% sure; dog came next with 45%."
    )
