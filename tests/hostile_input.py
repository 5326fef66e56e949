"""Input that tries to do harm: a path out of every folder, and a pickle that runs code when loaded."""

from pathlib import Path

__all__ = ["HOSTILE_PATH", "Payload"]

HOSTILE_PATH = "../../etc/passwd"


class Payload:
    """A pickle that runs code when loaded: it creates ``marker``."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (self.marker,))
