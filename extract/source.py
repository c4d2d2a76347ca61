"""The page-and-line text model that every reader produces."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class PhysicalLine:
    """One line as the input laid it out.

    ``page`` and ``line`` are 1-based; ``line`` counts within the page. For a
    text file without form feeds everything is page 1 and ``line`` is the
    file's line number. When the reader knows the geometry (PDF),
    ``right_gap`` and ``indent`` are the empty space after and before the
    line, in character widths, measured from the text column's edges; they
    are None for plain text. ``ends_paragraph`` says the input itself marks
    the line as a whole paragraph (a web page's <p>), so the cleaner never
    joins the next line to it.
    """

    page: int
    line: int
    text: str
    right_gap: float | None = None
    indent: float | None = None
    ends_paragraph: bool = False


@dataclass
class SourceText:
    """What a reader returns: the input's lines, in reading order."""

    path: str
    format: str
    sha256: str
    page_count: int
    lines: list[PhysicalLine]
    # Codes of conditions the reader noticed (e.g. no text on a page).
    notes: list[tuple[str, str]] = field(default_factory=list)
