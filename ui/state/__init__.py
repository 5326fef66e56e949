"""Per-session state on Streamlit's own mechanisms: the sidebar's shared choices and every page's link values.

- :mod:`.link`: the one table of link parameters (the sidebar's and the pages'), widgets bound to the link, and
  a notice for a link value the app could not use;
- :mod:`.notices`: messages shown once at the top of the page;
- :mod:`.stores`: what exists in one session only (own data set, own sequence, lab networks);
- :mod:`.selection`: the :class:`Selection` every page shows, and what pages compute from it;
- :mod:`.sidebar`: the shared choices that make it;
- :mod:`.running`: running a page, and the page a button asked for.

Everything lives in ``st.session_state``, so two visitors never see each other's choices.
"""

from . import link, notices, running, sidebar, stores
from .link import LINK_PARAMS, bound, restart_when
from .notices import notice
from .running import current_page, follow_page_request, open_page, run_page, selection
from .selection import Selection
from .sidebar import SPLIT_LABELS, choose, network_options, open_recording

__all__ = [
    "link",
    "notices",
    "running",
    "sidebar",
    "stores",
    "LINK_PARAMS",
    "bound",
    "restart_when",
    "notice",
    "current_page",
    "follow_page_request",
    "open_page",
    "run_page",
    "selection",
    "Selection",
    "SPLIT_LABELS",
    "choose",
    "network_options",
    "open_recording",
]
