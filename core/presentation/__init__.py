"""Presentation: Altair charts by subject, tables, the glossary and plain-word descriptions of results.

Nothing here is cached on disk, so a changed colour or sentence keeps every cached
trace and lab network.
"""

from . import attribution, charts, describe, edits, frames, glossary, summary

__all__ = ["attribution", "charts", "describe", "edits", "frames", "glossary", "summary"]
