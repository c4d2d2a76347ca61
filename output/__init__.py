"""Output stage: document JSON files and the Parquet dataset (``dataset``)."""

from __future__ import annotations

from pathlib import Path

from pydantic import TypeAdapter

from ..model import Document
from . import tables
from .atomic import write_bytes_atomic
from .dataset import DocumentOutput, write_staged
from .tables import DocumentRow

__all__ = ["DocumentOutput", "DocumentRow", "document_output", "write_document_json"]


_DOCUMENT = TypeAdapter(Document)


def _document_json_bytes(doc: Document) -> bytes:
    """The document's JSON file, UTF-8, as the serializer writes it (no
    decoding to str and encoding back)."""
    return _DOCUMENT.dump_json(doc, indent=1) + b"\n"


def document_json(doc: Document) -> str:
    return _document_json_bytes(doc).decode("utf-8")


def write_document_json(doc: Document, target: Path) -> None:
    write_bytes_atomic(target, _document_json_bytes(doc))


def document_output(row: DocumentRow, json_file: Path | None) -> DocumentOutput:
    """One input's rows in every table; a document's JSON is written to
    ``json_file`` (the staging area) and goes into OUT with its batch."""
    doc = row.document
    if doc is not None and json_file is not None:
        write_staged(json_file, _document_json_bytes(doc))
    return DocumentOutput(
        row=tables.document_row(row),
        tables={spec.name: spec.rows(doc) if doc is not None else [] for spec in tables.DOCUMENT_TABLES},
        json_file=json_file if doc is not None else None,
    )
