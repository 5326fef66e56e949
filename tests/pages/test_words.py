"""Words: a technical word that a page says is explained on that page, in its "What do these words mean?" list
(the glossary's words); pages say "recording" and "channel", never "observation" or "feature"."""

import re

import pytest
from app_helpers import open_app, screen_text

from core.presentation.glossary import GLOSSARY
from ui import navigation

# The glossary's technical words (the others, "time step", "class", "probability"..., are everyday words).
TECHNICAL = (
    "LSTM",
    "hidden unit",
    "hidden state",
    "cell state",
    "gate",
    "activation",
    "selectivity",
    "ablation",
    "attribution",
    "integrated gradients",
    "baseline",
    "score",
    "principal component",
    "heatmap",
    "confusion matrix",
    "softmax",
    "epoch",
    "validation set",
    "nearest neighbour",
    "rank correlation",
)
_ENTRY = re.compile(r"^- \*\*(.+?)\*\*: ", re.MULTILINE)  # a line of the words list (glossary_markdown)


def test_the_technical_words_are_the_glossarys():
    assert set(TECHNICAL) <= set(GLOSSARY)


def said_and_explained(at) -> tuple[str, set[str]]:
    """The page's text without its words list, and the terms its words list explains."""
    lists = [m.value for m in at.markdown if _ENTRY.match(m.value)]
    text = screen_text(at)
    for words in lists:
        text = text.replace(words, "")
    return text, {term.casefold() for words in lists for term in _ENTRY.findall(words)}


@pytest.fixture(scope="module")
def session():
    return open_app()


@pytest.mark.parametrize("page", navigation.PAGES, ids=lambda p: p.url_path)
def test_every_technical_word_a_page_says_is_explained_on_it(session, page):
    session.switch_page(page.file).run()
    text, explained = said_and_explained(session)
    said = {term.casefold() for term in TECHNICAL if re.search(rf"\b{re.escape(term)}", text, re.IGNORECASE)}
    if page.url_path != "glossary":
        assert not said - explained, f"{page.title} says {sorted(said - explained)} without explaining them"
    assert not re.search(r"\bobservations?\b|\bfeatures?\b", text), page.title
