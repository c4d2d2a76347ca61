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
    """documents.parquet for every input; issues, measures, milestones and
    units for the documents that were read."""
    docs = [row.document for row in rows if row.document is not None]
    tables.write_table(tables.document_rows(rows), tables.DOCUMENTS, out_dir / "documents.parquet")
    tables.write_table(
        [r for d in docs for r in tables.issue_rows(d)], tables.ISSUES, out_dir / "issues.parquet"
    )
    tables.write_table(
        [r for d in docs for r in tables.measure_rows(d)], tables.MEASURES, out_dir / "measures.parquet"
    )
    tables.write_table(
        [r for d in docs for r in tables.milestone_rows(d)], tables.MILESTONES, out_dir / "milestones.parquet"
    )
    links = [r for d in docs for r in tables.unit_link_rows(d)]
    tables.write_table(links, tables.UNIT_LINKS, out_dir / "unit_links.parquet")
    tables.write_table(tables.unit_rows(links), tables.UNITS, out_dir / "units.parquet")
