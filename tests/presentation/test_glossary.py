import re

import pytest

from core.presentation.glossary import GLOSSARY, explain, glossary_markdown

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
    "PCA / projection",
    "confusion matrix",
    "heatmap",
    "epoch",
    "accuracy",
    "speaker",
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
