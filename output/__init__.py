"""Output stage: document JSON files and the Parquet tables."""

from __future__ import annotations

from pathlib import Path

from ..model import Document
from . import tables
from .atomic import write_text_atomic
from .tables import DocumentRow

__all__ = ["DocumentRow", "write_document_json", "write_tables"]


def document_json(doc: Document) -> str:
    return doc.model_dump_json(indent=1) + "\n"


def write_document_json(doc: Document, target: Path) -> None:
    write_text_atomic(target, document_json(doc))


def write_tables(rows: list[DocumentRow], out_dir: Path) -> None:
    """documents.parquet for every input; the per-document tables
    (``tables.DOCUMENT_TABLES``) and units.parquet for the documents that
    were read."""
    docs = [row.document for row in rows if row.document is not None]
    tables.write_table(tables.document_rows(rows), tables.DOCUMENTS, out_dir / "documents.parquet")
    links: list[dict] = []
    for spec in tables.DOCUMENT_TABLES:
        spec_rows = [r for d in docs for r in spec.rows(d)]
        tables.write_table(spec_rows, spec.schema, out_dir / f"{spec.name}.parquet")
        if spec.name == "unit_links":
            links = spec_rows
    tables.write_table(tables.unit_rows(links), tables.UNITS, out_dir / "units.parquet")
