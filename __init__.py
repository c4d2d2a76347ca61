"""zhenggai (整改): Chinese government rectification notices as structured data.

Stages: extract (files → cleaned page-and-line text) → parsers (document
structure, issues, fields, measures) → normalize (deadlines, dates) → output
(JSON, Parquet). Each stage's input and output types are in ``extract.source``,
``extract.clean`` and ``model``.
"""

__version__ = "0.1.0"
