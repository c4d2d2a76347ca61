"""Extract stage: files → page-and-line text (``SourceText``) → cleaned
paragraphs with a map back to the original (``CleanText``)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from ..errors import Errors, ZhenggaiError
from ..model import Diagnostic
from ..paths import path_text
from .clean import CleanSettings, CleanText, clean
from .source import PhysicalLine, SourceTable, SourceText, TableCell

TEXT_SUFFIXES = (".txt", ".text")
PDF_SUFFIXES = (".pdf",)
HTML_SUFFIXES = (".html", ".htm", ".shtml")
WORD_SUFFIXES = (".docx",)
LEGACY_WORD_SUFFIXES = (".doc", ".wps")
SUPPORTED_SUFFIXES = TEXT_SUFFIXES + PDF_SUFFIXES + HTML_SUFFIXES + WORD_SUFFIXES + LEGACY_WORD_SUFFIXES

__all__ = [
    "CleanSettings",
    "CleanText",
    "PhysicalLine",
    "SourceTable",
    "SourceText",
    "TableCell",
    "SUPPORTED_SUFFIXES",
    "clean",
    "read_source",
]


def read_source(path: Path, *, password: str | None = None, pdf_engine: str = "auto") -> SourceText:
    """Read a file into lines. Raises ZhenggaiError with a stable code.
    ``pdf_engine="pdfplumber"`` reads every PDF page with pdfplumber (the
    slow reference path; see extract/pdf.py)."""
    if not path.exists():
        raise ZhenggaiError(Errors.file_not_found, path)
    if not path.is_file():
        raise ZhenggaiError(Errors.not_a_file, path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise ZhenggaiError(
            Errors.unsupported_format, path, suffix=suffix or "(none)", supported=", ".join(SUPPORTED_SUFFIXES)
        )
    data = path.read_bytes()
    if not data:
        raise ZhenggaiError(Errors.empty_file, path)
    sha256 = hashlib.sha256(data).hexdigest()
    tables: list[SourceTable] = []
    notes: list[Diagnostic] = []
    if suffix in PDF_SUFFIXES:
        from . import pdf

        read = pdf.read_pdf(data, str(path), password=password, engine=pdf_engine)
        lines, tables, page_count, notes = read.lines, read.tables, read.page_count, read.notes
        fmt = "pdf"
    elif suffix in HTML_SUFFIXES:
        from . import html

        lines, page_notes = html.read_lines(data, str(path))
        notes = _diagnostics(page_notes)
        page_count, fmt = 1, "html"
    elif suffix in WORD_SUFFIXES + LEGACY_WORD_SUFFIXES:
        from . import docx

        if suffix in LEGACY_WORD_SUFFIXES:
            data, note = docx.convert_legacy(path)
            notes.append(note)
        lines, tables = docx.read_docx(data, str(path))
        page_count, fmt = 1, suffix.lstrip(".")
    else:
        from . import text

        decoded = text.decode(data, str(path))
        lines, page_count = text.split_lines(decoded.text)
        notes = _diagnostics(decoded.notes)
        fmt = "txt"
    if not any(line.text.strip() for line in lines):
        raise ZhenggaiError(Errors.no_text, path)
    return SourceText(
        path=path_text(path), format=fmt, sha256=sha256, page_count=page_count, lines=lines, tables=tables, notes=notes
    )


def _diagnostics(notes) -> list[Diagnostic]:
    """A reader's (code, message) notes as warnings."""
    return [Diagnostic(code=code, message=message) for code, message in notes]
