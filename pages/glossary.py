"""Glossary: every technical word of the app in one plain sentence, searchable."""

import streamlit as st

from core.presentation.glossary import explain, terms_for
from ui import state
from ui.header import page_header

sel = state.selection()
info = sel.info

page_header(
    sel,
    "Glossary",
    "Every technical word this app uses, each explained in one plain sentence. Type a word (or part of one) "
    "to narrow the list; the search looks in the explanations too.",
)
query = state.bound(
    st.text_input,
    "Search the glossary",
    key="glo_search",
    max_chars=100,
    placeholder=f"for example: gate, memory, {info.class_word}",
    help="Shows only the words whose name or explanation contains what you type. Capital letters do not matter.",
)
needle = query.strip().casefold()
definitions = {term: explain(term, info=info) for term in terms_for(info)}  # in the words of the chosen data set
terms = sorted(definitions, key=str.casefold)
found = [term for term in terms if needle in term.casefold() or needle in definitions[term].casefold()]

if not found:
    st.info(
        f"No word matches “{query.strip()}”. Try a shorter or different word, or clear the search box.",
        icon=":material/search_off:",
    )
else:
    if needle:
        st.caption(f"{len(found)} of {len(terms)} words match “{query.strip()}”.")
    else:
        st.caption(f"All {len(terms)} words, from A to Z.")
    for term in found:
        st.markdown(f"**{term[0].upper() + term[1:]}**  \n{definitions[term]}")
