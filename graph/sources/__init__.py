"""Sources: one small interface per vendor, so the three gather nodes look alike."""

from graph.sources.base import Source, SourceError

__all__ = ["Source", "SourceError"]
