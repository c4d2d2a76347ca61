"""Extract stage: files → page-and-line text (``SourceText``) → cleaned
paragraphs with a map back to the original (``CleanText``)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from ..errors import Errors, ZhenggaiError
from .clean import CleanSettings, CleanText, clean
from .source import PhysicalLine, SourceText

TEXT_SUFFIXES = (".txt", ".text")
PDF_SUFFIXES = (".pdf",)
HTML_SUFFIXES = (".html", ".htm", ".shtml")
SUPPORTED_SUFFIXES = TEXT_SUFFIXES + PDF_SUFFIXES + HTML_SUFFIXES

__all__ = [
    "CleanSettings",
    "CleanText",
    "PhysicalLine",
    "SourceText",
    "SUPPORTED_SUFFIXES",
    "clean",
    "read_source",
]


def read_source(path: Path, *, password: str | None = None) -> SourceText:
    """Read a file into lines. Raises ZhenggaiError with a stable code."""
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
    notes: list[tuple[str, str]] = []
    if suffix in PDF_SUFFIXES:
        from . import pdf

        lines, page_count = pdf.read_lines(data, str(path), password=password)
        fmt = "pdf"
    elif suffix in HTML_SUFFIXES:
        from . import html

        lines, notes = html.read_lines(data, str(path))
        page_count, fmt = 1, "html"
    else:
        from . import text

        decoded = text.decode(data, str(path))
        lines, page_count = text.split_lines(decoded.text)
        notes = list(decoded.notes)
        fmt = "txt"
    if not any(line.text.strip() for line in lines):
        raise ZhenggaiError(Errors.no_text, path)
    return SourceText(path=str(path), format=fmt, sha256=sha256, page_count=page_count, lines=lines, notes=notes)
