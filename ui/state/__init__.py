"""Per-session state on Streamlit's own mechanisms, one concern per module: :mod:`.link` the link's values and the
widgets bound to it; :mod:`.notices` messages shown once; :mod:`.stores` what one session owns; :mod:`.sidebar`
the shared choices; :mod:`.running` running a page. All of it lives in ``st.session_state``, one visitor's own."""

from . import link, notices, running, sidebar, stores
from .link import bound
from .running import open_page, selection
from .sidebar import choose

__all__ = ["link", "notices", "running", "sidebar", "stores", "bound", "open_page", "selection", "choose"]
