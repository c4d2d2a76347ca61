"""PDF reader: pages → text lines with their geometry (pdfplumber).

Each line's ``indent`` and ``right_gap`` are measured in character widths
from the text column's edges. The column is estimated once for the whole
document from percentiles of the lines' left and right ends, so a centered
title, a short last line or a page number does not move it.
"""

from __future__ import annotations

import io
import statistics

import pdfplumber
from pdfminer.pdfdocument import PDFPasswordIncorrect
from pdfplumber.page import Page
from pdfplumber.utils.exceptions import MalformedPDFException, PdfminerException

from ..errors import Errors, ZhenggaiError
from .source import PhysicalLine

# Percentiles of the lines' left and right ends taken as the column edges.
LEFT_EDGE_PERCENTILE = 0.10
RIGHT_EDGE_PERCENTILE = 0.90
# Readers accept the header anywhere in the first 1024 bytes and the end
# marker in the last 1024 (junk before or after is common).
_PDF_HEADER, _HEADER_WINDOW = b"%PDF-", 1024
_EOF_MARKER, _TRAILER_WINDOW = b"%%EOF", 1024


def read_lines(data: bytes, path: str, *, password: str | None = None) -> tuple[list[PhysicalLine], int]:
    """Return (lines in reading order, page count). Raises ZhenggaiError
    (not_a_pdf, pdf_truncated, pdf_encrypted, pdf_wrong_password,
    pdf_unreadable)."""
    if _PDF_HEADER not in data[:_HEADER_WINDOW]:
        raise ZhenggaiError(Errors.not_a_pdf, path, head=repr(data[:16]))
    try:
        with pdfplumber.open(io.BytesIO(data), password=password) as pdf:
            pages = []
            for page in pdf.pages:
                pages.append(_page_lines(page))
                page.close()  # drop the page's parsed objects as we go
    except MemoryError:
        raise
    except Exception as exc:  # noqa: BLE001 - only library calls on the file's bytes are inside
        raise _classified(exc, data, path, password) from exc
    return _measure(pages), len(pages)


def _classified(exc: Exception, data: bytes, path: str, password: str | None) -> ZhenggaiError:
    """The coded error for a failure of pdfplumber/pdfminer on this file.

    Classified by type, never by message: pdfplumber wraps pdfminer's
    exception as its first argument, and a password error has no message.
    Besides its own exceptions, pdfminer raises TypeError, IndexError and
    the like on malformed objects (a /MediaBox of null, a /Rotate that is
    not a number): those too mean the file is damaged.
    """
    cause = exc.args[0] if isinstance(exc, (PdfminerException, MalformedPDFException)) and exc.args else exc
    if not isinstance(cause, BaseException):
        cause = exc
    if isinstance(cause, PDFPasswordIncorrect):
        return ZhenggaiError(Errors.pdf_encrypted if password is None else Errors.pdf_wrong_password, path)
    if _EOF_MARKER not in data[-_TRAILER_WINDOW:]:
        return ZhenggaiError(Errors.pdf_truncated, path, size=len(data))
    detail = f"{type(cause).__name__}: {cause}" if str(cause) else type(cause).__name__
    return ZhenggaiError(Errors.pdf_unreadable, path, detail=detail[:200])


def _page_lines(page: Page) -> list[dict]:
    """Text lines of one page, top to bottom; each {"text", "x0", "x1", "chars"}."""
    # dedupe_chars: fake-bold PDFs draw every glyph twice, slightly offset.
    return page.dedupe_chars().extract_text_lines(strip=True, return_chars=True)


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))]


def _char_width(pages: list[list[dict]]) -> float:
    """The body text's character width: the median width of Chinese
    characters (full width), else the median font size."""
    chars = [c for lines in pages for line in lines for c in line["chars"]]
    han = [c["x1"] - c["x0"] for c in chars if "\u4e00" <= c["text"] <= "\u9fff" and c["x1"] > c["x0"]]
    if han:
        return statistics.median(han)
    sizes = [c["size"] for c in chars if c.get("size")]
    return statistics.median(sizes) if sizes else 1.0


def _measure(pages: list[list[dict]]) -> list[PhysicalLine]:
    all_lines = [line for lines in pages for line in lines if line["text"]]
    if not all_lines:
        return []
    left = _percentile([line["x0"] for line in all_lines], LEFT_EDGE_PERCENTILE)
    right = _percentile([line["x1"] for line in all_lines], RIGHT_EDGE_PERCENTILE)
    width = _char_width(pages)
    out = []
    for page_no, lines in enumerate(pages, start=1):
        for line_no, line in enumerate((ln for ln in lines if ln["text"]), start=1):
            out.append(
                PhysicalLine(
                    page=page_no,
                    line=line_no,
                    text=line["text"],
                    right_gap=round(max(0.0, (right - line["x1"]) / width), 2),
                    indent=round(max(0.0, (line["x0"] - left) / width), 2),
                )
            )
    return out
