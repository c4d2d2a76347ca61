"""Glyphs on a page → text lines, the same way whichever library read the
glyphs (PDFium, pdfminer through pdfplumber, OCR).

The rules follow pdfplumber's ``extract_text_lines`` defaults, which the
reader used before: glyphs whose tops lie within ``Y_TOLERANCE`` of each
other (chained) form a line; inside a line, a whitespace glyph or a gap wider
than ``X_TOLERANCE`` separates words, and words are joined by one space.
"""

from __future__ import annotations

from dataclasses import dataclass

# Points; pdfplumber's defaults.
X_TOLERANCE = 3.0
Y_TOLERANCE = 3.0
# Fake-bold PDFs draw every glyph twice, offset by less than this (points).
DUPLICATE_TOLERANCE = 1.0


@dataclass(frozen=True)
class Glyph:
    text: str
    x0: float
    x1: float
    top: float  # from the top of the page
    size: float
    # The font gives no Unicode for this glyph: ``text`` is a placeholder
    # ("(cid:123)", a private-use or control character).
    unmapped: bool = False


@dataclass
class TextLine:
    text: str
    x0: float
    x1: float
    top: float
    glyphs: list[Glyph]


def group_lines(glyphs: list[Glyph]) -> list[TextLine]:
    """Lines, top to bottom; empty lines are dropped."""
    by_top = sorted(glyphs, key=lambda g: g.top)
    clusters: list[list[Glyph]] = []
    last_top = None
    for g in by_top:
        if last_top is None or g.top - last_top > Y_TOLERANCE:
            clusters.append([])
        clusters[-1].append(g)
        last_top = g.top
    lines = []
    for cluster in clusters:
        line = make_line(_dedupe(sorted(cluster, key=lambda g: g.x0)))
        if line is not None:
            lines.append(line)
    return lines


def _dedupe(glyphs: list[Glyph]) -> list[Glyph]:
    kept: list[Glyph] = []
    for g in glyphs:
        duplicate = False
        for k in reversed(kept):
            if g.x0 - k.x0 > DUPLICATE_TOLERANCE:
                break
            if k.text == g.text and abs(k.top - g.top) <= DUPLICATE_TOLERANCE:
                duplicate = True
                break
        if not duplicate:
            kept.append(g)
    return kept


def make_line(glyphs: list[Glyph]) -> TextLine | None:
    """One line of glyphs given left to right; None if all are blank."""
    words: list[list[Glyph]] = []
    prev: Glyph | None = None
    for g in glyphs:
        if g.text.isspace():
            prev = None
            continue
        if prev is None or g.x0 > prev.x1 + X_TOLERANCE:
            words.append([])
        words[-1].append(g)
        prev = g
    if not words:
        return None
    visible = [g for word in words for g in word]
    return TextLine(
        text=" ".join("".join(g.text for g in word) for word in words),
        x0=min(g.x0 for g in visible),
        x1=max(g.x1 for g in visible),
        top=min(g.top for g in visible),
        glyphs=visible,
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
