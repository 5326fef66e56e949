"""Glossary: every technical word of the app in one plain sentence, searchable."""

import streamlit as st

from core.presentation.glossary import explain, terms_for
from ui import state

sel = state.selection()
info = sel.info
# link parameters: name, widget key, values, default, what a good value is
LINK = (state.LinkParam("q", "glo_search", state.text_up_to(100), "", "a search text"),)

st.title("Glossary")
st.markdown(
    "Every technical word this app uses, each explained in one plain sentence. Type a word (or part of one) "
    "to narrow the list; the search looks in the explanations too."
)

state.use_link(LINK)
query = st.text_input(
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
state.write_url(LINK)
