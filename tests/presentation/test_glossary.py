import re

import pytest

import core
from core.presentation.describe import STRENGTHS
from core.presentation.glossary import GLOSSARY, explain, glossary_markdown, own_terms, terms_for

REQUIRED = [
    "hidden unit",
    "hidden state",
    "cell state",
    "gate",
    "input gate",
    "forget gate",
    "cell candidate",
    "output gate",
    "softmax",
    "probability",
    "time step",
    "feature",
    "LPC cepstrum coefficient",
    "ablation",
    "attribution",
    "integrated gradients",
    "selectivity",
    "strength",
    "PCA / projection",
    "confusion matrix",
    "heatmap",
    "epoch",
    "accuracy",
    "class",
    "recording",
    "channel",
]


def test_every_required_term_is_defined():
    assert set(REQUIRED) <= set(GLOSSARY)


@pytest.mark.parametrize("term", GLOSSARY)
def test_each_definition_is_one_sentence(term):
    definition = GLOSSARY[term]
    assert definition[0].isupper() and definition.endswith("."), definition
    assert not re.search(r"[.!?]\s", definition[:-1]), f"{term!r} has more than one sentence"


def test_explain_ignores_case_and_spaces():
    assert explain("  lpc CEPSTRUM coefficient ") == GLOSSARY["LPC cepstrum coefficient"]
    assert explain("Forget Gate") == GLOSSARY["forget gate"]


def test_explain_names_the_known_terms_for_an_unknown_one():
    with pytest.raises(ValueError, match=r"unknown glossary term 'neuron'; known terms: hidden unit, hidden state"):
        explain("neuron")


def test_markdown_lists_every_term_by_default():
    lines = glossary_markdown().splitlines()
    assert lines == [f"- **{term}**: {GLOSSARY[term]}" for term in GLOSSARY]


def test_markdown_of_chosen_terms_keeps_their_order():
    assert glossary_markdown(["Softmax", "gate"]) == (
        f"- **softmax**: {GLOSSARY['softmax']}\n- **gate**: {GLOSSARY['gate']}"
    )
    with pytest.raises(ValueError, match="unknown glossary term 'logit'"):
        glossary_markdown(["gate", "logit"])


GENERIC_TERMS = [term for term in GLOSSARY if term not in ("speaker", "LPC cepstrum coefficient")]


@pytest.mark.parametrize("term", GENERIC_TERMS)
def test_definitions_hold_for_any_data_set_and_call_japanese_vowels_an_example(term):
    definition = GLOSSARY[term]
    assert "utterance" not in definition and "LPC" not in definition and "nine" not in definition
    assert not re.search(r"\b(270|370|12 numbers)\b", definition), definition
    if "speaker" in definition or "Japanese Vowels" in definition:
        assert "for example" in definition or "such as" in definition, definition


@pytest.mark.parametrize("term", ["speaker", "LPC cepstrum coefficient"])
def test_japanese_vowels_terms_say_they_are_its_example(term):
    assert GLOSSARY[term].startswith("In the Japanese Vowels example data set, ")


def test_class_is_defined_in_the_words_of_the_data_set_on_show(bm_info, toy_info):
    from core.compute.datasets import dataset_info

    assert explain("class", info=bm_info) == (
        "One of the groups the network sorts recordings into; in BasicMotions a class is an activity, one of 4: "
        "standing, running, walking or badminton."
    )
    assert explain("Class", info=toy_info).endswith("in Toy a class is an animal, one of 2: cat or dog.")
    assert explain("class", info=dataset_info("japanese_vowels")).endswith(
        "a speaker, one of 9: speaker 1, speaker 2, speaker 3, speaker 4, speaker 5, …, speaker 9."
    )
    assert explain("class") == GLOSSARY["class"]
    assert explain("accuracy", info=bm_info) == GLOSSARY["accuracy"]
    seven = core.DatasetInfo("g", "Gestures7", "class", tuple("abcdefg"), ("x",), "made up", "none")
    assert explain("class", info=seven) == (  # "class" is not defined by itself; "…" stands for two names at least
        "One of the groups the network sorts recordings into; Gestures7 has 7: a, b, c, d, e, f or g."
    )
    lines = glossary_markdown(["accuracy", "class"], info=bm_info).splitlines()
    assert lines == [f"- **accuracy**: {GLOSSARY['accuracy']}", f"- **class**: {explain('class', info=bm_info)}"]


@pytest.mark.parametrize("which", ["bm_info", "toy_info"])
def test_in_the_words_of_another_data_set_no_term_or_example_is_japanese_vowels(which, request):
    info = request.getfixturevalue(which)
    assert terms_for(info) == [term for term in GLOSSARY if term not in ("speaker", "LPC cepstrum coefficient")]
    assert own_terms(info) == []
    text = glossary_markdown(info=info)
    assert text.splitlines() == [f"- **{term}**: {explain(term, info=info)}" for term in terms_for(info)]
    for word in ("speaker", "Japanese", "utterance", "vowel", "LPC", "voice", "sound"):
        assert word not in text, word


def test_feature_and_channel_name_the_channels_of_the_data_set_on_show(bm_info, toy_info):
    assert explain("feature", info=bm_info).endswith("also called a channel (6 in BasicMotions).")
    assert explain("channel", info=toy_info).endswith("(in Toy: left, right and up).")
    assert explain("hidden unit", info=toy_info) == (
        "One of the network's small internal dials, each of which learns to react to some pattern in the recordings."
    )


def test_japanese_vowels_keeps_its_own_terms():
    from core.compute.datasets import dataset_info

    vowels = dataset_info("japanese_vowels")
    assert terms_for(vowels) == terms_for() == list(GLOSSARY)
    assert own_terms(vowels) == ["speaker", "LPC cepstrum coefficient"]
    assert explain("speaker", info=vowels) == GLOSSARY["speaker"]


def test_strength_is_defined_with_the_thresholds_the_descriptions_use():
    for threshold, word in STRENGTHS:
        assert f"{threshold:g} or more {'is called ' if word == 'strong' else ''}{word}" in GLOSSARY["strength"]
