"""The lower layer of dealgraph: ontology, stores, queries, exports and analytics.

Nothing in this package imports ``ingest``; ingest produces quads, graph stores and reads them.
"""

__version__ = "0.1.0"
