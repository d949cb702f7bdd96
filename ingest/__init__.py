"""Text -> facts -> triples: everything that reads articles."""

__version__ = "0.1.0"
