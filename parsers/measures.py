"""Split a measures field (整改措施) into numbered measures."""

from __future__ import annotations

import re
from dataclasses import dataclass

import regex

from ..extract import markers

# Number styles: the first measure's style is the list's style; numbers of
# other styles inside a measure are its own sub-items.
_STYLES = {
    "arabic": (markers.MEASURE_MARK, markers.MEASURE_MARK_DIGIT),
    "paren": (markers.PAREN_NUM_MARK,),
    "circled": (markers.CIRCLED_MARK,),
}
# The marks are compiled with re or regex (see markers).
Pattern = re.Pattern | regex.Pattern
Match = re.Match | regex.Match
# A measure number may stand after a line break, or inline after the end
# of a sentence.
_MEASURE_BOUNDARY = re.compile(r"[\n。；;！？]")


@dataclass(frozen=True)
class MeasureSlice:
    seq: int
    label: str | None
    # Offsets into the text given to split_measures, text excluding the label.
    start: int
    end: int


def _number(match: Match, style: str) -> int:
    num = match.group("num")
    return markers.circled_to_int(num) if style == "circled" else int(num)


# Longest marker ("（100）") plus the character a marker is checked against.
_MARKER_WINDOW = 8


def _match_at(pattern: Pattern, text: str, pos: int) -> Match | None:
    # The marker patterns are anchored with ^, which Pattern.match(text, pos)
    # does not honour at pos: match a short window instead.
    return pattern.match(text[pos : pos + _MARKER_WINDOW])


def _match_style(text: str) -> tuple[str, Match] | None:
    for style, patterns in _STYLES.items():
        for pattern in patterns:
            m = _match_at(pattern, text, 0)
            if m:
                return style, m
    return None


def split_measures(text: str) -> list[MeasureSlice]:
    """Measures of a field value. Numbered items start at a paragraph start or
    inline after a sentence end, and must follow in sequence (1, 2, 3 …): a
    wrapped "46.8ug/m3" or "2.223团" is never taken for a measure unless it
    is the next number. Text without numbering is one measure."""
    stripped = text.strip()
    if not stripped:
        return []
    first = _match_style(text)
    if first is None or _number(first[1], first[0]) != 1:
        start = len(text) - len(text.lstrip())
        return [MeasureSlice(1, None, start, start + len(stripped))]
    style = first[0]
    patterns = _STYLES[style]
    candidates = {0}
    candidates.update(m.end() for m in _MEASURE_BOUNDARY.finditer(text))
    bounds: list[tuple[int, int, str]] = []  # (marker start, text start, label)
    expected = 1
    for pos in sorted(candidates):
        for pattern in patterns:
            m = _match_at(pattern, text, pos)
            if m and _number(m, style) == expected:
                bounds.append((pos, pos + m.end(), m.group(0)))
                expected += 1
                break
    slices = []
    for k, (_pos, start, label) in enumerate(bounds):
        end = bounds[k + 1][0] if k + 1 < len(bounds) else len(text)
        body = text[start:end]
        end = start + len(body.rstrip())
        start += len(body) - len(body.lstrip())
        slices.append(MeasureSlice(k + 1, label, start, end))
    return slices
