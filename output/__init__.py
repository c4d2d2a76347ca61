"""Output stage: document JSON files and the Parquet dataset (``dataset``)."""

from __future__ import annotations

from pathlib import Path

from ..model import Document
from . import tables
from .atomic import write_text_atomic
from .dataset import DocumentOutput
from .tables import DocumentRow

__all__ = ["DocumentOutput", "DocumentRow", "document_output", "write_document_json"]


def document_json(doc: Document) -> str:
    return doc.model_dump_json(indent=1) + "\n"


def write_document_json(doc: Document, target: Path) -> None:
    write_text_atomic(target, document_json(doc))


def document_output(row: DocumentRow, json_file: Path | None) -> DocumentOutput:
    """One input's rows in every table; a document's JSON is written to
    ``json_file`` (the staging area) and goes into OUT with its batch."""
    doc = row.document
    if doc is not None and json_file is not None:
        write_document_json(doc, json_file)
    return DocumentOutput(
        row=tables.document_row(row),
        tables={spec.name: spec.rows(doc) if doc is not None else [] for spec in tables.DOCUMENT_TABLES},
        json_file=json_file if doc is not None else None,
    )
