"""The page-and-line text model that every reader produces."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from ..model import Diagnostic


class PhysicalLine(NamedTuple):  # a tuple: built for every line of every input
    """One line as the input laid it out.

    ``page`` and ``line`` are 1-based; ``line`` counts within the page. For a
    text file without form feeds everything is page 1 and ``line`` is the
    file's line number. In a PDF, ``line`` is the rank of the line's height
    on the page: the n-th line of text from the top; lines side by side in
    the cells of a table row share their number. In a Word file, the page is
    1 and ``line`` is the paragraph's index in the document (table cells'
    paragraphs counted row by row, cell by cell).

    When the reader knows the geometry (PDF), ``right_gap`` and ``indent``
    are the empty space after and before the line, in character widths,
    measured from the text column's edges (for a table cell: from the
    cell's text edges); they are None for plain text. ``ends_paragraph`` is
    set where the input marks paragraphs itself (Word, a web page's
    blocks), so the cleaner never joins the next line to it.
    """

    page: int
    line: int
    text: str
    right_gap: float | None = None
    indent: float | None = None
    ends_paragraph: bool = False


@dataclass(frozen=True)
class TableCell:
    """One cell of a table: its row and column (0-based, row 0 is the
    header) and its lines (indices into ``SourceText.lines``, in reading
    order; a row split across pages has lines on both pages)."""

    row: int
    col: int
    lines: tuple[int, ...]


@dataclass
class SourceTable:
    """A ruled table as one logical table: the parts of a table continued
    on later pages are joined, repeated header rows dropped (their lines are
    in ``dropped_lines``) and rows split at a page break made whole."""

    cells: list[TableCell]
    dropped_lines: tuple[int, ...] = ()

    def line_indices(self) -> set[int]:
        return {i for cell in self.cells for i in cell.lines} | set(self.dropped_lines)


@dataclass
class SourceText:
    """What a reader returns: the input's lines, in reading order, and the
    tables some of them belong to."""

    path: str
    format: str
    sha256: str
    page_count: int
    lines: list[PhysicalLine]
    tables: list[SourceTable] = field(default_factory=list)
    # What the reader noticed (pages without text, text from OCR); they
    # become the document's warnings.
    notes: list[Diagnostic] = field(default_factory=list)
