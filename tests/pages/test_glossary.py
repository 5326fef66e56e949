"""The Glossary page through AppTest: every term with its sentence, and the search."""

import pytest
from app_helpers import open_app, open_link

from core.compute.datasets import dataset_info
from core.presentation.glossary import explain, terms_for

PAGE = "pages/glossary.py"
# The glossary in the words of the data set on show (Japanese Vowels by default).
GLOSSARY = {term: explain(term, info=dataset_info()) for term in terms_for(dataset_info())}


def markdown_text(at) -> str:
    return "\n".join(m.value for m in at.markdown)


def test_glossary_lists_every_term_with_its_sentence():
    at = open_app(page=PAGE)
    text = markdown_text(at)
    for term, sentence in GLOSSARY.items():
        assert f"**{term[0].upper() + term[1:]}**  \n{sentence}" in text
    assert len(at.get("vega_lite_chart")) == 0


@pytest.mark.parametrize(
    "query, expected",
    [
        ("GATE", {term for term, sentence in GLOSSARY.items() if "gate" in f"{term} {sentence}".casefold()}),
        ("memory", {term for term, sentence in GLOSSARY.items() if "memory" in f"{term} {sentence}".casefold()}),
    ],
)
def test_glossary_search_narrows_the_list(query, expected):
    at = open_app(page=PAGE)
    at.text_input(key="glo_search").input(query).run()
    shown = {m.value.split("**")[1].casefold() for m in at.markdown if m.value.startswith("**")}
    assert shown == {term.casefold() for term in expected}


def test_glossary_search_without_a_match_says_so():
    at = open_app(page=PAGE)
    at.text_input(key="glo_search").input("zebra").run()
    assert not [m for m in at.markdown if m.value.startswith("**")]
    assert "No word matches" in at.info[0].value


def test_a_link_opens_its_search():
    at = open_link(PAGE, {"glo_search": "memory"})
    assert at.text_input(key="glo_search").value == "memory" and not at.warning
    shown = {m.value.split("**")[1].casefold() for m in at.markdown if m.value.startswith("**")}
    assert shown == {t.casefold() for t, sentence in GLOSSARY.items() if "memory" in f"{t} {sentence}".casefold()}
