"""Text pieces on a page → text lines, the same way whichever library read
them (PDFium, pdfminer through pdfplumber, OCR).

A piece is text drawn left to right at one height with no gap inside: one
glyph, or a run of glyphs PDFium read from one text object with no space
between them (pdf.py), so a page of prose is grouped run by run instead of
glyph by glyph.

The rules follow pdfplumber's ``extract_text_lines`` defaults, which the
reader used before: pieces whose tops lie within ``Y_TOLERANCE`` of each
other (chained) form a line; inside a line, a whitespace piece or a gap wider
than ``X_TOLERANCE`` separates words, and words are joined by one space.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from operator import attrgetter
from typing import NamedTuple

# Points; pdfplumber's defaults.
X_TOLERANCE = 3.0
Y_TOLERANCE = 3.0
# Fake-bold PDFs draw every glyph twice, offset by less than this (points).
DUPLICATE_TOLERANCE = 1.0
# The characters whose advance is the document's character width.
HAN = re.compile(r"[\u4e00-\u9fff]")
TOP = attrgetter("top")
_X0 = attrgetter("x0")


class Piece(NamedTuple):  # a tuple: built for every run and glyph of every page
    text: str
    x0: float
    x1: float
    top: float  # from the top of the page
    size: float  # font size
    # Glyphs whose font gives no Unicode: their ``text`` is a placeholder
    # ("(cid:123)", a private-use or control character).
    unmapped: int = 0
    # The advance of the piece's Han characters (one font, so one width)
    # and how many there are: the document's character width is their
    # median (pdf.py).
    han_width: float = 0.0
    han_count: int = 0


def glyph(text: str, x0: float, x1: float, top: float, size: float, unmapped: bool = False) -> Piece:
    """A piece of one glyph."""
    han = x1 > x0 and HAN.fullmatch(text) is not None
    return Piece(text, x0, x1, top, size, int(unmapped), x1 - x0 if han else 0.0, int(han))


@dataclass
class TextLine:
    text: str
    x0: float
    x1: float
    top: float
    pieces: list[Piece]


def group_lines(pieces: list[Piece]) -> list[TextLine]:
    """Lines, top to bottom; empty lines are dropped."""
    lines = []
    cluster: list[Piece] = []
    last_top = 0.0
    for p in sorted(pieces, key=TOP):
        if cluster and p.top - last_top > Y_TOLERANCE:
            _add_line(lines, cluster)
            cluster = []
        cluster.append(p)
        last_top = p.top
    if cluster:
        _add_line(lines, cluster)
    return lines


def _add_line(lines: list[TextLine], cluster: list[Piece]) -> None:
    if len(cluster) > 1:
        cluster = _dedupe(sorted(cluster, key=_X0))
    line = make_line(cluster)
    if line is not None:
        lines.append(line)


def _dedupe(pieces: list[Piece]) -> list[Piece]:
    kept: list[Piece] = []
    for p in pieces:
        duplicate = False
        for k in reversed(kept):
            if p.x0 - k.x0 > DUPLICATE_TOLERANCE:
                break
            if k.text == p.text and abs(k.top - p.top) <= DUPLICATE_TOLERANCE:
                duplicate = True
                break
        if not duplicate:
            kept.append(p)
    return kept


def make_line(pieces: list[Piece]) -> TextLine | None:
    """One line of pieces given left to right; None if all are blank."""
    words: list[str] = []
    visible: list[Piece] = []
    prev: Piece | None = None
    for p in pieces:
        if p.text.isspace():
            prev = None
            continue
        if prev is None or p.x0 > prev.x1 + X_TOLERANCE:
            words.append(p.text)
        else:
            words[-1] += p.text
        visible.append(p)
        prev = p
    if not visible:
        return None
    if len(visible) == 1:
        only = visible[0]
        return TextLine(only.text, only.x0, only.x1, only.top, visible)
    return TextLine(
        text=" ".join(words),
        x0=min(p.x0 for p in visible),
        x1=max(p.x1 for p in visible),
        top=min(p.top for p in visible),
        pieces=visible,
    )


def line_numbers(tops: list[float]) -> list[int]:
    """1-based rank of each top among the distinct line heights of a page
    (tops within Y_TOLERANCE, chained, share a rank)."""
    order = sorted(range(len(tops)), key=lambda i: tops[i])
    numbers = [0] * len(tops)
    rank, last = 0, None
    for i in order:
        if last is None or tops[i] - last > Y_TOLERANCE:
            rank += 1
        numbers[i] = rank
        last = tops[i]
    return numbers
