"""The Streamlit side of the app: cached loaders over ``core`` and per-session state.

Pages import from here and from ``core``; ``core`` never imports this.
"""
