"""The heading tree of a plan: 第一章 / 第一节 / 一、/ （一）/ 1.

A heading is a numbered paragraph that is a title line ("（一）指导思想"),
or a numbered paragraph whose lead phrase before "。" is short ("1.优化调整
产业结构。全面实施……": a run-in heading). Marker kinds nest in a fixed order
(章 > 节 > 一、 > （一） > 1.); a document that skips one still nests by depth.
The table of contents (目录 and the headings right after it) is skipped.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import regex

from ..extract import markers
from ..model import Section, Span
from .structure import Paragraph

_CHAPTER = regex.compile(rf"^第(?P<num>{markers.CN_NUMERAL}|\d+)章")
_SECTION = regex.compile(rf"^第(?P<num>{markers.CN_NUMERAL}|\d+)节")
_MARKERS = (
    ("chapter", _CHAPTER),
    ("section", _SECTION),
    ("cn_numeral", markers.ISSUE_MARK),
    ("paren_cn_numeral", markers.SUB_MARK),
    ("arabic", markers.MEASURE_MARK),
)
_RANK = {name: rank for rank, (name, _) in enumerate(_MARKERS)}
# The marks as one pattern, a group named after each: the first that
# matches is the one tried first in _MARKERS' order.
_ANY_MARKER = regex.compile("|".join(f"(?P<{name}>{pattern.pattern})" for name, pattern in _MARKERS))
_TOC = regex.compile(r"^目\s*录$")
# A heading (or a run-in heading's lead phrase) is at most this long.
HEADING_MAX_CHARS = 40
_SPACES = " \u3000"


@dataclass(frozen=True)
class Heading:
    marker: str
    label: str
    number: int
    heading_start: int
    heading_end: int
    # Where the section's own text begins (after the heading or its 。).
    body_start: int
    paragraph: Paragraph


def read_heading(para: Paragraph) -> Heading | None:
    """The heading a paragraph opens with, if it is one."""
    text = para.text
    if "\t" in text:
        return None
    m = _ANY_MARKER.match(text)
    if not m:
        return None
    name = next(name for name in _RANK if m.group(name) is not None)
    num = m.group("num")
    number = int(num) if num.isdigit() else markers.cn_to_int(num)
    start = m.end()
    while start < len(text) and text[start] in _SPACES:
        start += 1
    rest = text[start:]
    if not rest:
        return None
    lead_end = rest.find("。")
    if lead_end < 0 and len(rest) <= HEADING_MAX_CHARS and rest[-1] not in "；：:，":
        end, body = len(rest), para.end + 1
    elif 0 < lead_end <= HEADING_MAX_CHARS:
        end, body = lead_end, para.start + start + lead_end + 1
    else:
        return None
    return Heading(name, text[: m.end()], number, para.start + start, para.start + start + end, body, para)


def _after_contents(paragraphs: list[Paragraph]) -> int:
    """Index of the first paragraph after the table of contents (0 without one)."""
    for i, para in enumerate(paragraphs):
        if _TOC.match(para.text):
            j = i + 1
            while j < len(paragraphs) and read_heading(paragraphs[j]) is not None:
                j += 1
            return j
    return 0


def parse_outline(paragraphs: list[Paragraph], text: str, span: Callable[[int, int], Span]) -> list[Section]:
    first = _after_contents(paragraphs)
    headings = [h for p in paragraphs[first:] if (h := read_heading(p)) is not None]
    if not headings:
        return []
    ends_at = paragraphs[-1].end
    # Tree by marker rank: a heading's parent is the nearest open heading of a higher rank.
    stack: list[tuple[int, str]] = []  # (rank, id)
    child_counts: dict[str | None, int] = {}
    placed: list[tuple[Heading, str, str | None, int]] = []
    for h in headings:
        rank = _RANK[h.marker]
        while stack and stack[-1][0] >= rank:
            stack.pop()
        parent = stack[-1][1] if stack else None
        child_counts[parent] = child_counts.get(parent, 0) + 1
        sid = f"{parent}.{child_counts[parent]}" if parent else str(child_counts[parent])
        placed.append((h, sid, parent, len(stack) + 1))
        stack.append((rank, sid))

    sections = []
    for i, (h, sid, parent, level) in enumerate(placed):
        end = ends_at
        for later, _, _, later_level in placed[i + 1 :]:
            if later_level <= level:
                end = later.paragraph.start - 1
                break
        body_end = end
        if i + 1 < len(placed) and placed[i + 1][3] > level:
            body_end = placed[i + 1][0].paragraph.start - 1
        body_start = min(h.body_start, body_end)
        body = text[body_start:body_end]
        sections.append(
            Section(
                id=sid,
                parent_id=parent,
                level=level,
                marker=h.marker,
                label=h.label,
                number=h.number,
                heading=text[h.heading_start : h.heading_end],
                heading_span=span(h.heading_start, h.heading_end),
                body=body,
                body_span=span(body_start, body_end) if body else None,
                span=span(h.paragraph.start, end),
            )
        )
    return sections
