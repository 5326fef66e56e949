"""Tools the browser tests and the benchmark share; not part of the app (``devtools.browser``)."""
